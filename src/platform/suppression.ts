/**
 * Small-number suppression for published counts. Placeholder written against the lead's agreed API
 * until the shared module lands on main; it is replaced by main's version on merge.
 */
export type Published = { state: 'shown'; value: number } | { state: 'small' } | { state: 'withheld' };

const THRESHOLD = 5;
const isSmall = (n: number) => n > 0 && n < THRESHOLD;

export function suppressEach(counts: readonly number[]): Published[] {
  return counts.map((n) => (isSmall(n) ? { state: 'small' } : { state: 'shown', value: n }));
}

/** Counts published with their total: if exactly one cell is small, the next smallest is withheld too. */
export function suppressSeries(counts: readonly number[]): { cells: Published[]; total: Published } {
  const cells = suppressEach(counts);
  const total = counts.reduce((s, n) => s + n, 0);
  const hidden = cells.filter((c) => c.state !== 'shown').length;
  if (hidden === 1) {
    let pick = -1;
    counts.forEach((n, i) => {
      if (cells[i]!.state === 'shown' && (pick === -1 || n < counts[pick]!)) pick = i;
    });
    if (pick >= 0) cells[pick] = { state: 'withheld' };
  }
  const totalCell: Published = isSmall(total) ? { state: 'small' } : { state: 'shown', value: total };
  return { cells, total: totalCell };
}

export function suppressTable(cells: readonly (readonly number[])[]): {
  cells: Published[][];
  rowTotals: Published[];
  columnTotals: Published[];
  total: Published;
} {
  const rows = cells.map((r) => suppressSeries(r));
  const columns = (cells[0] ?? []).map((_, j) => suppressSeries(cells.map((r) => r[j]!)));
  const out = rows.map((r, i) =>
    r.cells.map((c, j) =>
      c.state === 'shown' && columns[j]!.cells[i]!.state !== 'shown' ? columns[j]!.cells[i]! : c,
    ),
  );
  const grand = cells.flat().reduce((s, n) => s + n, 0);
  return {
    cells: out,
    rowTotals: rows.map((r) => r.total),
    columnTotals: columns.map((c) => c.total),
    total: isSmall(grand) ? { state: 'small' } : { state: 'shown', value: grand },
  };
}
