import ExcelJS from 'exceljs';
import type { RenderedFigure } from './render.js';

/** A table to download: the header and rows exactly as the page shows them. */
export interface ExportTable {
  title: string;
  header: string[];
  /** Numbers stay numbers in a spreadsheet; suppressed cells are their words ("<5"). */
  rows: (string | number)[][];
  notes: string[];
}

export function figureTable(f: RenderedFigure, notes: string[]): ExportTable {
  const line = (r: RenderedFigure['rows'][number]) => [
    r.note ? `${r.label} (${r.note})` : r.label,
    ...r.cells.map((c) => (c.value !== null && c.unit === 'count' ? c.value : c.text)),
  ];
  return {
    title: f.title,
    header: [f.rowHeader, ...f.columns.map((c) => c.label)],
    rows: [...f.rows.map(line), ...(f.totals ? [line(f.totals)] : [])],
    notes: f.source ? [...notes, f.source] : notes,
  };
}

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written
 * with a leading apostrophe, so a description typed by a resident can never become a formula.
 */
function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : neutralise(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(table: Pick<ExportTable, 'header' | 'rows'>): string {
  return [table.header, ...table.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(table: ExportTable): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Heard';
  const sheet = book.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  sheet.addRow(table.header).font = { bold: true };
  for (const r of table.rows) sheet.addRow(r.map((v) => (typeof v === 'number' ? v : neutralise(v))));
  if (table.notes.length > 0) {
    sheet.addRow([]);
    for (const n of table.notes) sheet.addRow([n]);
  }
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? 40 : 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
