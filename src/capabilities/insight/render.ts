import { intlLocale, type Translate } from '../../platform/i18n/index.js';
import { barChart, columnChart, type ChartBar } from './charts.js';
import { cellText, valueOf, type Cell, type Figure, type Unit } from './figures.js';

/** A figure in words: what the page, the CSV and the spreadsheet all show, cell for cell. */
export interface RenderedCell {
  text: string;
  /** The number, when shown (for spreadsheets and charts). */
  value: number | null;
  state: Cell['state'];
  unit: Unit;
}

export interface RenderedRow {
  key: string;
  label: string;
  note?: string | undefined;
  cells: RenderedCell[];
}

export interface RenderedFigure {
  id: string;
  title: string;
  description: string;
  rowHeader: string;
  columns: { key: string; label: string; unit: Unit }[];
  rows: RenderedRow[];
  totals?: RenderedRow | undefined;
  source?: string | undefined;
  /** Inline SVG built by charts.ts, every text escaped there. */
  charts: string[];
}

function periodLabel(day: string, lang: string, month: boolean): string {
  const d = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone: 'UTC',
    ...(month ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' }),
  }).format(d);
}

export function renderFigure(
  figure: Figure,
  t: Translate,
  lang: string,
  options: { monthly?: boolean; charts?: boolean } = {},
): RenderedFigure {
  const words = { small: t('insight.small'), withheld: t('insight.withheld'), none: t('insight.none') };
  const columns = figure.columns.map((c) => ({
    key: c.key,
    unit: c.unit,
    label: c.period
      ? periodLabel(c.label, lang, c.interval ? c.interval === 'month' : (options.monthly ?? false))
      : t(c.label),
  }));
  const row = (r: Figure['rows'][number]): RenderedRow => ({
    key: r.key,
    label: r.translate ? t(r.label) : r.label,
    note: r.note ? t(r.note) : undefined,
    cells: r.cells.map((cell, i) => {
      const unit = figure.columns[i]?.unit ?? 'count';
      const labels = figure.columns[i]?.labels;
      // A category is written as its name, never as its position in the list.
      const text =
        labels && cell.state === 'shown' ? t(labels[cell.value] ?? '') : cellText(cell, unit, words);
      return { text, value: valueOf(cell), state: cell.state, unit };
    }),
  });
  const rendered: RenderedFigure = {
    id: figure.id,
    title: t(figure.title),
    description: t(figure.description),
    rowHeader: t(figure.rowHeader),
    columns,
    rows: figure.rows.map(row),
    totals: figure.totals ? row(figure.totals) : undefined,
    source: figure.source,
    charts: [],
  };
  if (options.charts === false) return rendered;
  rendered.charts = figure.charts.map((spec, n) => {
    const text = {
      id: `chart-${figure.id}-${n}`,
      title:
        spec.kind === 'column'
          ? t('insight.charts.overTimeTitle', { figure: rendered.title })
          : t('insight.charts.barTitle', {
              figure: rendered.title,
              column: columns[spec.from as number]?.label ?? '',
            }),
      description: t('insight.charts.description'),
    };
    if (spec.kind === 'column' && rendered.totals) {
      const cells = rendered.totals.cells.slice(0, columns.length - 1);
      return columnChart(
        text,
        cells.map((c, i) => ({ label: columns[i]!.label, value: c.value, text: c.text })),
      );
    }
    const from = spec.from as number;
    const bars: ChartBar[] = rendered.rows
      .filter(
        (r) =>
          r.cells[from]?.state !== 'none' ||
          (spec.compare !== undefined && r.cells[spec.compare]?.state !== 'none'),
      )
      .map((r) => ({
        label: r.label,
        value: r.cells[from]!.value,
        text: r.cells[from]!.text,
        ...(spec.compare !== undefined
          ? { compare: { value: r.cells[spec.compare]!.value, text: r.cells[spec.compare]!.text } }
          : {}),
      }));
    return barChart(
      {
        ...text,
        ...(spec.compare !== undefined
          ? { legend: { main: columns[from]!.label, compare: columns[spec.compare]!.label } }
          : {}),
      },
      bars,
      spec.percent ? { max: 100 } : spec.max !== undefined ? { max: spec.max } : {},
    );
  });
  return rendered;
}
