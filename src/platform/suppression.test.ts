import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressEach, suppressSeries, suppressTable, type Published } from './suppression.js';

const WITHHELD_CAP = 12; // above any generated count, so the true table is always among the candidates

/** Every value the attacker's knowledge allows for a hidden cell. */
function domain(p: Published): number[] {
  if (p.state === 'shown') return [p.value];
  const [lo, hi] = p.state === 'small' ? [0, 4] : [5, WITHHELD_CAP];
  return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
}

function consistent(p: Published, value: number): boolean {
  if (p.state === 'shown') return p.value === value;
  return p.state === 'small' ? value < 5 : value >= 5;
}

/** Brute force: all tables consistent with what was published; the values each hidden cell can take. */
function possibleTables(published: ReturnType<typeof suppressTable>, rows: number, cols: number) {
  const seen = new Map<string, Set<number>>();
  const note = (key: string, v: number) => (seen.get(key) ?? seen.set(key, new Set()).get(key)!).add(v);
  const cells = published.cells.flat();
  const values = new Array<number>(cells.length).fill(0);
  const visit = (k: number) => {
    if (k < cells.length) {
      for (const v of domain(cells[k]!)) {
        values[k] = v;
        visit(k + 1);
      }
      return;
    }
    const at = (r: number, c: number) => values[r * cols + c]!;
    const rowTotals = Array.from({ length: rows }, (_, r) =>
      [...Array(cols).keys()].reduce((s, c) => s + at(r, c), 0),
    );
    const colTotals = Array.from({ length: cols }, (_, c) =>
      [...Array(rows).keys()].reduce((s, r) => s + at(r, c), 0),
    );
    const total = rowTotals.reduce((a, b) => a + b, 0);
    if (!rowTotals.every((v, r) => consistent(published.rowTotals[r]!, v))) return;
    if (!colTotals.every((v, c) => consistent(published.columnTotals[c]!, v))) return;
    if (!consistent(published.total, total)) return;
    values.forEach((v, k) => note(`c${k}`, v));
    rowTotals.forEach((v, r) => note(`r${r}`, v));
    colTotals.forEach((v, c) => note(`k${c}`, v));
    note('t', total);
  };
  visit(0);
  return seen;
}

const count = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9 }));

describe('small-number suppression', () => {
  it('shows counts of 5 and over and hides everything below', () => {
    expect(suppressEach([0, 4, 5, 12])).toEqual([
      { state: 'small' },
      { state: 'small' },
      { state: 'shown', value: 5 },
      { state: 'shown', value: 12 },
    ]);
  });

  it('withholds a second cell when a single small cell could be found from the total', () => {
    const { cells, total } = suppressSeries([3, 20, 9]);
    expect(cells).toEqual([{ state: 'small' }, { state: 'shown', value: 20 }, { state: 'withheld' }]);
    expect(total).toEqual({ state: 'shown', value: 32 });
  });

  it('does not let two hidden cells of 1 be worked out from their total', () => {
    // With 30 and the total 32 shown, the two small cells are known to sum to 2; that leaves 0+2,
    // 1+1 and 2+0, so neither is recoverable and no more need hiding. The check is the brute force below.
    const { cells } = suppressSeries([1, 1, 30]);
    expect(cells.filter((c) => c.state !== 'shown').length).toBeGreaterThanOrEqual(2);
  });

  it('never shows a wrong number and never shows a count below 5', () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 1, maxLength: 8 }), (counts) => {
        const { cells, total } = suppressSeries(counts);
        cells.forEach((p, i) => {
          if (p.state === 'shown') expect(p.value).toBe(counts[i]);
          if (counts[i]! < 5) expect(p.state).toBe('small');
        });
        if (total.state === 'shown') expect(total.value).toBe(counts.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('leaves every hidden value of a series unrecoverable (brute force)', () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 1, maxLength: 6 }), (counts) => {
        const published = suppressSeries(counts);
        // A series is a one-row table whose column totals are the cells themselves.
        const asTable = {
          cells: [published.cells],
          rowTotals: [published.total],
          columnTotals: published.cells,
          total: published.total,
        };
        const possible = possibleTables(asTable, 1, counts.length);
        published.cells.forEach((p, k) => {
          if (p.state !== 'shown')
            expect(possible.get(`c${k}`)!.size, `cell ${k} of ${counts}`).toBeGreaterThan(1);
        });
        if (published.total.state !== 'shown') expect(possible.get('t')!.size).toBeGreaterThan(1);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves every hidden value of a table with margins unrecoverable (brute force)', () => {
    const table = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .filter(([r, c]) => r * c <= 6)
      .chain(([r, c]) =>
        fc.array(fc.array(count, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
      );
    fc.assert(
      fc.property(table, (cells) => {
        const rows = cells.length;
        const cols = cells[0]!.length;
        const published = suppressTable(cells);
        const possible = possibleTables(published, rows, cols);
        const label = JSON.stringify(cells);
        published.cells.flat().forEach((p, k) => {
          if (p.state !== 'shown')
            expect(possible.get(`c${k}`)!.size, `cell ${k} of ${label}`).toBeGreaterThan(1);
          else expect(p.value).toBe(cells.flat()[k]);
        });
        published.rowTotals.forEach((p, r) => {
          if (p.state !== 'shown')
            expect(possible.get(`r${r}`)!.size, `row ${r} of ${label}`).toBeGreaterThan(1);
        });
        published.columnTotals.forEach((p, c) => {
          if (p.state !== 'shown')
            expect(possible.get(`k${c}`)!.size, `col ${c} of ${label}`).toBeGreaterThan(1);
        });
        if (published.total.state !== 'shown') expect(possible.get('t')!.size).toBeGreaterThan(1);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps big tables readable: only the cells that need it are hidden', () => {
    const cells = Array.from({ length: 20 }, (_, r) =>
      Array.from({ length: 8 }, (_, c) => 10 + ((r * 7 + c * 3) % 40)),
    );
    cells[3]![2] = 2;
    const published = suppressTable(cells);
    const hidden = published.cells.flat().filter((p) => p.state !== 'shown').length;
    expect(published.cells[3]![2]).toEqual({ state: 'small' });
    expect(hidden).toBeGreaterThanOrEqual(4); // a small cell needs a full cycle of four to hide it
    expect(hidden).toBeLessThan(10);
    expect(published.total.state).toBe('shown');
  });
});
