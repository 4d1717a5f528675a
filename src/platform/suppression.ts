// TEMPORARY stand-in for the lead's shared module (same API); deleted before merging main.
export type Published = { state: 'shown'; value: number } | { state: 'small' } | { state: 'withheld' };
const pub = (n: number): Published => (n > 0 && n < 5 ? { state: 'small' } : { state: 'shown', value: n });
export function suppressEach(counts: readonly number[]): Published[] {
  return counts.map(pub);
}
export function suppressSeries(counts: readonly number[]): { cells: Published[]; total: Published } {
  const cells = counts.map(pub);
  const small = cells.filter((c) => c.state === 'small').length;
  if (small === 1) {
    const i = cells.findIndex((c, j) => c.state === 'shown' && counts[j]! > 0);
    if (i >= 0) cells[i] = { state: 'withheld' };
  }
  return { cells, total: pub(counts.reduce((a, b) => a + b, 0)) };
}
export function suppressTable(cells: readonly (readonly number[])[]) {
  return {
    cells: cells.map((r) => r.map(pub)),
    rowTotals: cells.map((r) => pub(r.reduce((a, b) => a + b, 0))),
    columnTotals: (cells[0] ?? []).map((_, j) => pub(cells.reduce((a, r) => a + r[j]!, 0))),
    total: pub(cells.flat().reduce((a, b) => a + b, 0)),
  };
}
