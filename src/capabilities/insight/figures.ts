import type { Published } from '../../platform/suppression.js';

/**
 * A figure is one table of the dashboard (and its chart): what the page shows, what the API returns
 * and what an export writes are all the same figure, so they cannot disagree. Every count in a
 * figure has already been through small-number suppression.
 */
export type Cell = Published | { state: 'none' };

/**
 * 'category': not a number but one of a fixed list (a tension level, a trend); the cell's value is
 * the position in the column's `labels`, so a category is never mistaken for a count.
 */
export type Unit = 'count' | 'percent' | 'days' | 'ratio' | 'category';

export interface FigureColumn {
  key: string;
  /** A translation key; for a period column, the period's first day (YYYY-MM-DD). */
  label: string;
  unit: Unit;
  period?: boolean;
  /** A period column's own length, when it is not the dashboard's (the tension picture is weekly). */
  interval?: Interval;
  /** For a 'category' column: the translation key of each value, in order. */
  labels?: readonly string[];
}

export interface FigureRow {
  key: string;
  /** Text (an area's or organisation's name), or a translation key when `translate` is set. */
  label: string;
  translate?: boolean;
  /** A translation key shown beside the label, e.g. the channel a source came through. */
  note?: string;
  cells: Cell[];
}

/**
 * A chart drawn from a figure: bars for each row's value in column `from`, or columns (one per
 * period) from the totals row. `compare` draws a second, outlined bar for another column (e.g. the
 * population share beside the share of concerns).
 */
export interface ChartSpec {
  kind: 'bar' | 'column';
  from: number | 'totalsRow';
  percent?: boolean;
  compare?: number;
  /** The scale's top, for values with a fixed range (a category's last position). */
  max?: number;
}

export interface Figure {
  id: string;
  /** Translation keys. */
  title: string;
  description: string;
  rowHeader: string;
  charts: ChartSpec[];
  columns: FigureColumn[];
  rows: FigureRow[];
  totals?: FigureRow;
  /** Where reference figures came from, shown under the table. */
  source?: string | undefined;
}

export const shown = (value: number): Cell => ({ state: 'shown', value });

/** The number a chart may draw, or null when the cell is suppressed or empty. */
export function valueOf(cell: Cell | undefined): number | null {
  return cell && cell.state === 'shown' ? cell.value : null;
}

/**
 * A proportion num/den, published only when it cannot reveal a small count: the denominator must be
 * 5 or more, and both the part inside and the part outside must be 0 or 5 or more.
 */
export function share(num: number, den: number): Cell {
  if (den === 0) return { state: 'none' };
  if (den < 5) return { state: 'small' };
  const rest = den - num;
  if ((num > 0 && num < 5) || (rest > 0 && rest < 5)) return { state: 'withheld' };
  return { state: 'shown', value: Math.round((1000 * num) / den) / 10 };
}

/** A median time in days, published only when it summarises 5 or more concerns. */
export function medianDays(hours: number | null, count: number): Cell {
  if (count === 0 || hours === null) return { state: 'none' };
  if (count < 5) return { state: 'small' };
  return { state: 'shown', value: Math.round((10 * hours) / 24) / 10 };
}

// ---------------------------------------------------------------------------------------------
// Periods: London calendar weeks (Monday first) or months, as YYYY-MM-DD of their first day.

export type Interval = 'week' | 'month';

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function periodStart(day: string, interval: Interval): string {
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every period touching [from, to], in order, so empty weeks appear as zeros rather than vanishing. */
export function periods(from: string, to: string, interval: Interval): string[] {
  const out: string[] = [];
  let p = periodStart(from, interval);
  while (p <= to) {
    out.push(p);
    if (interval === 'week') p = addDays(p, 7);
    else {
      const d = new Date(`${p}T12:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + 1);
      p = d.toISOString().slice(0, 10);
    }
  }
  return out;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonToday(now: Date = new Date()): string {
  return londonDate.format(now);
}

export { addDays };

/** The last complete calendar quarter before `today`: from its first day to its last. */
export function lastQuarter(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const [year, quarter] = q === 0 ? [y - 1, 3] : [y, q - 1];
  const start = `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
  const next = quarter === 3 ? `${year + 1}-01-01` : `${year}-${String(quarter * 3 + 4).padStart(2, '0')}-01`;
  return { from: start, to: addDays(next, -1) };
}

/** A cell as text for CSV, XLSX and the page, with the suppression words given by the caller. */
export function cellText(cell: Cell, unit: Unit, words: { small: string; withheld: string; none: string }) {
  if (cell.state === 'small') return words.small;
  if (cell.state === 'withheld') return words.withheld;
  if (cell.state === 'none') return words.none;
  if (unit === 'percent') return `${cell.value.toFixed(1)}%`;
  if (unit === 'days') return cell.value.toFixed(1);
  if (unit === 'ratio') return cell.value.toFixed(2);
  return String(cell.value);
}
