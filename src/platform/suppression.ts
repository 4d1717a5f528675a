/**
 * Small-number suppression for every figure Heard publishes or exports: a count below 5 could
 * identify someone, so it is shown as "fewer than 5" ('small'). Where totals are published as well,
 * a lone hidden cell could be worked out by subtraction, so more cells are hidden ('withheld') until
 * no hidden value can be recovered exactly.
 *
 * The attacker we defend against knows every shown figure, that a 'small' figure is 0–4 and that a
 * 'withheld' one is 5 or more, and can combine every published total. Recovery is checked exactly:
 * the hidden cells of a table with its margins form a flow network, and a hidden value is determined
 * only when no cycle of alternative values passes through it (see `pinned`). The property tests in
 * suppression.test.ts confirm this by brute force on small tables.
 */

export const SMALL_COUNT_LIMIT = 5;

export type Published = { state: 'shown'; value: number } | { state: 'small' } | { state: 'withheld' };

/** Counts published with no totals: only the small-number rule applies. */
export function suppressEach(counts: readonly number[]): Published[] {
  return counts.map(primary);
}

/** Counts published together with their total. */
export function suppressSeries(counts: readonly number[]): { cells: Published[]; total: Published } {
  // A series is a one-row table whose columns have no totals of their own, so it is a single
  // equation: cells minus total equals zero. Interval reasoning on one equation is exact.
  const values = [...counts, sum(counts)];
  const signs = values.map((_, i) => (i === counts.length ? -1 : 1));
  const state: Published[] = values.map(primary);
  for (;;) {
    const unknown = state.flatMap((p, i) => (p.state === 'shown' ? [] : [i]));
    if (unknown.length === 0) break;
    const exposed = unknown.some((i) => seriesPinned(i, values, signs, state));
    if (!exposed) break;
    const next = smallestShown(values, state, (i) => i < counts.length) ?? smallestShown(values, state);
    if (next === undefined) break;
    state[next] = { state: 'withheld' };
  }
  return { cells: state.slice(0, counts.length), total: state[counts.length]! };
}

/** Counts published with row totals, column totals and a grand total. */
export function suppressTable(cells: readonly (readonly number[])[]): {
  cells: Published[][];
  rowTotals: Published[];
  columnTotals: Published[];
  total: Published;
} {
  const rows = cells.length;
  const cols = rows === 0 ? 0 : cells[0]!.length;
  if (cells.some((r) => r.length !== cols)) throw new Error('suppressTable: rows differ in length');
  // The table with its margins as one (rows+1) x (cols+1) grid; the last row and column hold totals.
  const grid: number[][] = cells.map((r) => [...r, sum(r)]);
  const columnSums = Array.from({ length: cols }, (_, j) => sum(cells.map((r) => r[j]!)));
  grid.push([...columnSums, sum(columnSums)]);
  const state: Published[][] = grid.map((r) => r.map(primary));

  const network = new Grid(grid, state);
  for (;;) {
    const exposed = firstPinned(network);
    if (!exposed) break;
    const cells = network.protection(...exposed);
    // Nothing left that could protect it: only possible when every cell is already hidden.
    if (!cells) break;
    for (const [r, c] of cells) state[r]![c] = { state: 'withheld' };
  }
  return {
    cells: state.slice(0, rows).map((r) => r.slice(0, cols)),
    rowTotals: state.slice(0, rows).map((r) => r[cols]!),
    columnTotals: state[rows]!.slice(0, cols),
    total: state[rows]![cols]!,
  };
}

function primary(value: number): Published {
  if (!Number.isInteger(value) || value < 0) throw new Error(`not a count: ${value}`);
  return value < SMALL_COUNT_LIMIT ? { state: 'small' } : { state: 'shown', value };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What the attacker knows of a hidden count. */
function bounds(p: Published): [number, number] {
  return p.state === 'small' ? [0, SMALL_COUNT_LIMIT - 1] : [SMALL_COUNT_LIMIT, Infinity];
}

function seriesPinned(v: number, values: number[], signs: number[], state: Published[]): boolean {
  // sum(sign * x) = 0. Move every shown value to the right-hand side.
  let rhs = 0;
  let othersMin = 0;
  let othersMax = 0;
  for (let i = 0; i < values.length; i++) {
    const p = state[i]!;
    if (p.state === 'shown') rhs -= signs[i]! * p.value;
    else if (i !== v) {
      const [lo, hi] = bounds(p);
      othersMin += signs[i]! > 0 ? lo : -hi;
      othersMax += signs[i]! > 0 ? hi : -lo;
    }
  }
  // sign_v * x_v = rhs - others
  const [lo, hi] = bounds(state[v]!);
  const a = rhs - othersMax;
  const b = rhs - othersMin;
  const [from, to] = signs[v]! > 0 ? [a, b] : [-b, -a];
  return Math.min(hi, to) - Math.max(lo, from) < 1;
}

function smallestShown(values: number[], state: Published[], where: (i: number) => boolean = () => true) {
  let best: number | undefined;
  for (let i = 0; i < values.length; i++) {
    if (state[i]!.state !== 'shown' || !where(i)) continue;
    if (best === undefined || values[i]! < values[best]!) best = i;
  }
  return best;
}

/**
 * In signed form (margins negated, grand total positive) every row and every column of the grid
 * sums to zero, so hidden cells are edges between a row node and a column node and any alternative
 * table differs from the true one by a circulation. A hidden cell can take another value exactly
 * when a cycle through it exists in the residual graph: cell (i, j) can rise if column j reaches
 * row i, or fall if row i reaches column j, through other hidden cells that can move that way.
 */
class Grid {
  readonly rows: number;
  readonly cols: number;
  constructor(
    readonly values: number[][],
    readonly state: Published[][],
  ) {
    this.rows = values.length;
    this.cols = values[0]!.length;
  }

  private sign(r: number, c: number): number {
    return (r === this.rows - 1) !== (c === this.cols - 1) ? -1 : 1;
  }

  /** Signed value and signed bounds; a shown cell is judged as it would be once withheld. */
  private cell(r: number, c: number): { y: number; lo: number; hi: number } {
    const s = this.sign(r, c);
    const p = this.state[r]![c]!;
    const [lo, hi] = bounds(p.state === 'shown' ? { state: 'withheld' } : p);
    return { y: s * this.values[r]![c]!, lo: s > 0 ? lo : -hi, hi: s > 0 ? hi : -lo };
  }

  /**
   * The cheapest path between two nodes through cells other than (i, j): hidden cells cost nothing,
   * a shown cell costs its value (totals far more, as readers lose most when a total goes). Nodes:
   * rows are 0..rows-1, columns rows..rows+cols-1. Returns the shown cells on the path, or undefined.
   */
  cheapestPath(from: number, to: number, i: number, j: number, hiddenOnly: boolean) {
    const n = this.rows + this.cols;
    const arcs: { to: number; cost: number; cell: [number, number] }[][] = Array.from(
      { length: n },
      () => [],
    );
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        if (r === i && c === j) continue;
        const shown = this.state[r]![c]!.state === 'shown';
        if (shown && hiddenOnly) continue;
        const isTotal = r === this.rows - 1 || c === this.cols - 1;
        const cost = shown ? this.values[r]![c]! + (isTotal ? 1e9 : 0) + 1 : 0;
        const { y, lo, hi } = this.cell(r, c);
        if (y < hi) arcs[r]!.push({ to: this.rows + c, cost, cell: [r, c] });
        if (y > lo) arcs[this.rows + c]!.push({ to: r, cost, cell: [r, c] });
      }
    }
    const dist = new Array<number>(n).fill(Infinity);
    const via = new Array<{ from: number; cell: [number, number] } | undefined>(n);
    const done = new Array<boolean>(n).fill(false);
    dist[from] = 0;
    for (;;) {
      let u = -1;
      for (let k = 0; k < n; k++)
        if (!done[k] && dist[k]! < Infinity && (u < 0 || dist[k]! < dist[u]!)) u = k;
      if (u < 0) return undefined;
      if (u === to) break;
      done[u] = true;
      for (const a of arcs[u]!) {
        if (dist[u]! + a.cost < dist[a.to]!) {
          dist[a.to] = dist[u]! + a.cost;
          via[a.to] = { from: u, cell: a.cell };
        }
      }
    }
    const cells: [number, number][] = [];
    for (let k = to; k !== from; k = via[k]!.from) cells.push(via[k]!.cell);
    return { cost: dist[to]!, shown: cells.filter(([r, c]) => this.state[r]![c]!.state === 'shown') };
  }

  /** Ways (i, j) can move: rising needs column j to reach row i, falling the reverse. */
  private moves(i: number, j: number, hiddenOnly: boolean) {
    const { y, lo, hi } = this.cell(i, j);
    const rise = y < hi ? this.cheapestPath(this.rows + j, i, i, j, hiddenOnly) : undefined;
    const fall = y > lo ? this.cheapestPath(i, this.rows + j, i, j, hiddenOnly) : undefined;
    return [rise, fall].filter((m) => m !== undefined);
  }

  pinned(i: number, j: number): boolean {
    return this.moves(i, j, true).length === 0;
  }

  /** The shown cells whose withholding protects (i, j) most cheaply. */
  protection(i: number, j: number): [number, number][] | undefined {
    const best = this.moves(i, j, false).sort((a, b) => a.cost - b.cost)[0];
    return best?.shown.length ? best.shown : undefined;
  }
}

function firstPinned(grid: Grid): [number, number] | undefined {
  for (let r = 0; r < grid.rows; r++)
    for (let c = 0; c < grid.cols; c++)
      if (grid.state[r]![c]!.state !== 'shown' && grid.pinned(r, c)) return [r, c];
  return undefined;
}
