import { suppressSeries } from '../../platform/suppression.js';
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
  const series = columns.map((counts) => suppressSeries(counts));
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

/**
 * Two published cells that hold the same number (the same total in two tables of a panel) must be
 * published alike: were one withheld and the other shown, the shown one would undo the protection
 * of the other. Hiding a cell can never expose another, so the more hidden state wins.
 */
export function alignShared(places: readonly { row: FigureRow; column: number }[]): void {
  const hidden = places
    .map((p) => p.row.cells[p.column]!)
    .find((c) => c.state === 'withheld' || c.state === 'small');
  if (!hidden) return;
  for (const p of places) p.row.cells[p.column] = { state: hidden.state } as Cell;
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
