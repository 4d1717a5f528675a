import { SMALL_COUNT_LIMIT, suppressSeries, type Published } from '../../platform/suppression.js';
import type { Cell, FigureRow } from './figures.js';

/**
 * Building blocks for panels' figures (see panels.ts), so that every panel suppresses the same way
 * as the built-in figures.
 */

export interface RowDef {
  key: string;
  label: string;
  translate?: boolean;
}

/**
 * Rows with several counts each, where every column is its own series published with its total
 * (meetings held, issues raised…): no column adds up to another, so each is suppressed on its own.
 * `columns[c][r]` is the count in column c for row r.
 */
export function seriesColumns(
  rowDefs: readonly RowDef[],
  columns: readonly (readonly number[])[],
): { rows: FigureRow[]; totals: FigureRow } {
  return rowsOf(
    rowDefs,
    columns.map((counts) => suppressSeries(counts)),
  );
}

type Range = [number, number];

/** What someone who reads every published figure knows of a cell. */
function known(p: Published): Range {
  if (p.state === 'shown') return [p.value, p.value];
  return p.state === 'small' ? [0, SMALL_COUNT_LIMIT - 1] : [SMALL_COUNT_LIMIT, Infinity];
}

/**
 * Several series that add up to the same total (engagements by ward and by type): suppressed
 * together, since each bounds the total for the others. A total withheld in one series but shown in
 * another would undo the first's protection, and even the shown cells of one series put a floor
 * under the total the other hides. So the totals are published alike, and while any hidden cell (or
 * hidden total) can be worked out from everything published, one more cell is withheld: the
 * smallest shown one of the series that gives it away, else of another.
 *
 * The reasoning is exact: every relation is a sum, with unit coefficients, of independent whole
 * number ranges, so intersecting ranges loses nothing (tested by brute force in panels.unit.test.ts).
 */
export function suppressSharedTotal(series: readonly (readonly number[])[]): SeriesOut[] {
  const total = series[0] ? series[0].reduce((a, b) => a + b, 0) : 0;
  for (const counts of series)
    if (counts.reduce((a, b) => a + b, 0) !== total) throw new Error('suppressSharedTotal: totals differ');
  const out = series.map((counts) => suppressSeries(counts));
  const state = out.map((s) => [...s.cells]);
  let totalState: Published =
    out.find((s) => s.total.state !== 'shown')?.total ?? out[0]?.total ?? primaryOf(0);
  for (;;) {
    const exposed = firstExposed(state, totalState);
    if (exposed === undefined) break;
    const order = [exposed, ...state.keys()].filter((i, n, all) => all.indexOf(i) === n);
    let withheld = false;
    for (const i of order) {
      const j = smallestShown(series[i]!, state[i]!);
      if (j === undefined) continue;
      state[i]![j] = { state: 'withheld' };
      withheld = true;
      break;
    }
    if (!withheld) {
      // Every cell is hidden already; only the total is left to hide.
      if (totalState.state !== 'shown') break;
      totalState = { state: 'withheld' };
    }
  }
  return state.map((cells) => ({ cells, total: totalState }));
}

interface SeriesOut {
  cells: Published[];
  total: Published;
}

function primaryOf(value: number): Published {
  return value < SMALL_COUNT_LIMIT ? { state: 'small' } : { state: 'shown', value };
}

function smallestShown(values: readonly number[], cells: readonly Published[]): number | undefined {
  let best: number | undefined;
  cells.forEach((c, j) => {
    if (c.state === 'shown' && (best === undefined || values[j]! < values[best]!)) best = j;
  });
  return best;
}

/** The index of a series one of whose hidden cells (or the hidden total) has only one possible value. */
function firstExposed(state: Published[][], total: Published): number | undefined {
  // Per series: the shown cells' sum, and the hidden cells' lowest sum and highest (finite part, and
  // how many have no upper bound), kept apart so that no infinity is ever subtracted.
  const sums = state.map((cells) => {
    const s = { shown: 0, lo: 0, hi: 0, unbounded: 0 };
    for (const c of cells) {
      const [a, b] = known(c);
      if (c.state === 'shown') s.shown += a;
      else {
        s.lo += a;
        if (b === Infinity) s.unbounded += 1;
        else s.hi += b;
      }
    }
    return s;
  });
  // The total as everything published bounds it.
  let [tlo, thi] = known(total);
  for (const s of sums) {
    tlo = Math.max(tlo, s.shown + s.lo);
    thi = Math.min(thi, s.unbounded > 0 ? Infinity : s.shown + s.hi);
  }
  if (total.state !== 'shown' && thi - tlo < 1) return 0;
  for (const [i, cells] of state.entries()) {
    const s = sums[i]!;
    for (const c of cells) {
      if (c.state === 'shown') continue;
      const [a, b] = known(c);
      const othersLo = s.lo - a;
      const othersHi =
        s.unbounded - (b === Infinity ? 1 : 0) > 0 ? Infinity : s.hi - (b === Infinity ? 0 : b);
      // This cell is the total less the shown cells less the other hidden ones.
      const lo = Math.max(a, tlo - s.shown - othersHi);
      const hi = Math.min(b, thi - s.shown - othersLo);
      if (hi - lo < 1) return i;
    }
  }
  return undefined;
}

/** One figure's rows from series suppressed elsewhere: row r takes cell r of each series, in order. */
export function rowsOf(
  rowDefs: readonly RowDef[],
  series: readonly SeriesOut[],
): { rows: FigureRow[]; totals: FigureRow } {
  return {
    rows: rowDefs.map((r, i) => ({ ...r, cells: series.map((s) => s.cells[i]!) })),
    totals: {
      key: 'total',
      label: 'insight.columns.total',
      translate: true,
      cells: series.map((s) => s.total),
    },
  };
}

/** How a row sorts by a cell: shown values by size, suppressed ones as small, empty last. */
function rank(cell: Cell | undefined): number {
  if (!cell) return -1;
  if (cell.state === 'shown') return cell.value;
  return cell.state === 'none' ? -1 : 2.5;
}

/**
 * Busiest first by the cell in `column`, ties by name. Suppressed cells sort together as small, so
 * the order never tells a hidden count from a zero.
 */
export function busiestFirst(rows: readonly FigureRow[], column: number): FigureRow[] {
  return [...rows].sort(
    (x, y) => rank(y.cells[column]) - rank(x.cells[column]) || x.label.localeCompare(y.label),
  );
}
