import ExcelJS from 'exceljs';
import type { Translate } from '../../platform/i18n/index.js';
import type { PackRow } from './programme.service.js';

/**
 * The meeting pack as CSV and XLSX. Both are built from the same rows as the printable page, so the
 * three never disagree. Headings come from the locale; statuses and RAG are written as words.
 */
export const PACK_COLUMNS = [
  'priority',
  'title',
  'leadOrganisation',
  'leadOfficer',
  'status',
  'progress',
  'rag',
  'ragReason',
  'startDate',
  'dueDate',
  'overdueMilestones',
  'nextMilestone',
  'linkedConcerns',
] as const;

function cells(row: PackRow, t: Translate): (string | number)[] {
  return [
    row.priority,
    row.title,
    row.leadOrganisation,
    row.leadOfficer,
    t(`programme.status.${row.status}`),
    row.progress,
    t(`programme.rag.${row.rag}`),
    row.ragReason,
    row.startDate,
    row.dueDate,
    row.overdueMilestones.map((m) => `${m.title} (${m.dueDate})`).join('; '),
    row.nextMilestone ? `${row.nextMilestone.title} (${row.nextMilestone.dueDate})` : '',
    row.linkedConcerns,
  ];
}

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs a cell as a formula. */
function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function packCsv(rows: readonly PackRow[], t: Translate): string {
  const header = PACK_COLUMNS.map((c) => t(`programme.pack.columns.${c}`));
  return (
    [header, ...rows.map((r) => cells(r, t))].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n'
  );
}

export async function packXlsx(rows: readonly PackRow[], t: Translate, generatedOn: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Heard';
  const sheet = book.addWorksheet(t('programme.pack.sheet'));
  sheet.columns = PACK_COLUMNS.map((c) => ({
    header: t(`programme.pack.columns.${c}`),
    key: c,
    width: c === 'title' || c === 'ragReason' || c === 'overdueMilestones' ? 40 : 18,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) sheet.addRow(cells(r, t));
  const about = book.addWorksheet(t('programme.pack.aboutSheet'));
  about.addRow([t('programme.pack.generatedOn'), generatedOn]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
