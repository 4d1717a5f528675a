/**
 * TEMPORARY stand-in for the lead's shared module (same API); replaced when main's version is merged.
 * Counts below 5 are 'small'; 'withheld' cells are suppressed so that no small cell can be worked
 * out from the totals or the other cells.
 */
export type Published = { state: 'shown'; value: number } | { state: 'small' } | { state: 'withheld' };

const THRESHOLD = 5;
const isSmall = (n: number) => n > 0 && n < THRESHOLD;

function publish(n: number, hidden: 'small' | 'withheld' | null): Published {
  return hidden ? { state: hidden } : { state: 'shown', value: n };
}

/** Within one line whose total is shown: if exactly one cell is hidden, hide the smallest other. */
function protectLine(values: number[], hidden: ('small' | 'withheld' | null)[], indices: number[]): boolean {
  const hiddenHere = indices.filter((i) => hidden[i]);
  if (hiddenHere.length !== 1) return false;
  const candidates = indices.filter((i) => !hidden[i]).sort((x, y) => values[x]! - values[y]!);
  const pick = candidates[0];
  if (pick === undefined) return false;
  hidden[pick] = 'withheld';
  return true;
}

export function suppressEach(counts: readonly number[]): Published[] {
  return counts.map((n) => publish(n, isSmall(n) ? 'small' : null));
}

export function suppressSeries(counts: readonly number[]): { cells: Published[]; total: Published } {
  const total = counts.reduce((s, n) => s + n, 0);
  const hidden = counts.map((n) => (isSmall(n) ? ('small' as const) : null));
  if (!isSmall(total))
    protectLine(
      [...counts],
      hidden,
      counts.map((_, i) => i),
    );
  return {
    cells: counts.map((n, i) => publish(n, hidden[i]!)),
    total: publish(total, isSmall(total) ? 'small' : null),
  };
}

export function suppressTable(cells: readonly (readonly number[])[]): {
  cells: Published[][];
  rowTotals: Published[];
  columnTotals: Published[];
  total: Published;
} {
  const rows = cells.length;
  const cols = rows > 0 ? cells[0]!.length : 0;
  // Rows, columns and the grand total as one grid with a margin, suppressed until nothing changes.
  const grid: number[][] = cells.map((r) => [...r, r.reduce((s, n) => s + n, 0)]);
  const colTotals = Array.from({ length: cols + 1 }, (_, c) => grid.reduce((s, r) => s + r[c]!, 0));
  grid.push(colTotals);
  const hidden = grid.map((r) =>
    r.map((n) => (isSmall(n) ? ('small' as 'small' | 'withheld' | null) : null)),
  );
  const flat = (r: number) => hidden[r]!;
  let changed = true;
  while (changed) {
    changed = false;
    for (let r = 0; r <= rows; r++) {
      const line = flat(r);
      if (
        protectLine(
          grid[r]!,
          line,
          Array.from({ length: cols + 1 }, (_, i) => i),
        )
      )
        changed = true;
    }
    for (let c = 0; c <= cols; c++) {
      const values = grid.map((row) => row[c]!);
      const line = hidden.map((row) => row[c]!);
      if (
        protectLine(
          values,
          line,
          Array.from({ length: rows + 1 }, (_, i) => i),
        )
      ) {
        line.forEach((h, r) => (hidden[r]![c] = h));
        changed = true;
      }
    }
  }
  return {
    cells: cells.map((r, i) => r.map((n, c) => publish(n, hidden[i]![c]!))),
    rowTotals: cells.map((_, i) => publish(grid[i]![cols]!, hidden[i]![cols]!)),
    columnTotals: Array.from({ length: cols }, (_, c) => publish(grid[rows]![c]!, hidden[rows]![c]!)),
    total: publish(grid[rows]![cols]!, hidden[rows]![cols]!),
  };
}
