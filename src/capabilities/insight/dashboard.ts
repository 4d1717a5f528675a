import { suppressEach, suppressSeries, suppressTable } from '../../platform/suppression.js';
import { CHANNELS, EQUALITY_QUESTIONS, TOPICS } from '../concerns/vocabulary.js';
import { medianDays, share, type Cell, type Figure, type FigureRow } from './figures.js';
import type { CountRow, ResponseRow } from './insight.repository.js';

/**
 * Turns the raw counts into the dashboard's figures. Pure: the service reads, this shapes and
 * suppresses, so the rules are unit tested without a database.
 */

export interface Lookup {
  periods: string[];
  areas: { id: string; name: string; groupName: string }[];
  organisations: { id: string; name: string }[];
}

/**
 * Places and channels are published as one count each (concerns and suggestions together) with
 * their total: splitting them by kind would add a column of near-empty cells, and hiding those
 * would hide the counts that matter too.
 */
const RAISED_COLUMNS = [{ key: 'raised', label: 'insight.columns.raised', unit: 'count' as const }];
const NO_AREA = '';

function sum(list: readonly number[]) {
  return list.reduce((s, n) => s + n, 0);
}

/** A table of counts with its row and column totals, suppressed as one table. */
function countTable(
  rowDefs: { key: string; label: string; translate?: boolean }[],
  counts: number[][],
): { rows: FigureRow[]; totals: FigureRow } {
  const t = suppressTable(counts);
  return {
    rows: rowDefs.map((r, i) => ({ ...r, cells: [...t.cells[i]!, t.rowTotals[i]!] })),
    totals: {
      key: 'total',
      label: 'insight.columns.total',
      translate: true,
      cells: [...t.columnTotals, t.total],
    },
  };
}

/** One count per row with the total beneath, suppressed as a series. */
function countSeries(
  rowDefs: { key: string; label: string; translate?: boolean }[],
  counts: number[],
): { rows: FigureRow[]; totals: FigureRow } {
  const series = suppressSeries(counts);
  return {
    rows: rowDefs.map((r, i) => ({ ...r, cells: [series.cells[i]!] })),
    totals: { key: 'total', label: 'insight.columns.total', translate: true, cells: [series.total] },
  };
}

export function dashboardFigures(
  counts: CountRow[],
  open: { organisationId: string | null; open: number; overdue: number; urgent: number }[],
  responses: ResponseRow[],
  lookup: Lookup,
): Figure[] {
  // 1. Topics over time.
  const time = new Map<string, number>();
  for (const r of counts) if (r.dimension === 'time') time.set(`${r.topic}|${r.period}`, r.n);
  const overTime = countTable(
    TOPICS.map((topic) => ({ key: topic, label: `share.vocab.topic.${topic}`, translate: true })),
    TOPICS.map((topic) => lookup.periods.map((p) => time.get(`${topic}|${p}`) ?? 0)),
  );

  // 2. Areas (wards) and their groups (districts), concerns and suggestions.
  const areaCounts = new Map<string, number>();
  for (const r of counts) {
    if (r.dimension !== 'area') continue;
    const key = r.areaId ?? NO_AREA;
    areaCounts.set(key, (areaCounts.get(key) ?? 0) + r.n);
  }
  const areaRows = [
    ...lookup.areas.map((a) => ({ key: a.id, label: a.name })),
    { key: NO_AREA, label: 'insight.rows.noArea', translate: true },
  ];
  const byArea = countSeries(
    areaRows,
    areaRows.map((a) => areaCounts.get(a.key) ?? 0),
  );
  const groups = [...new Set(lookup.areas.map((a) => a.groupName))];
  const groupCounts = new Map<string, number>();
  for (const a of lookup.areas) {
    groupCounts.set(a.groupName, (groupCounts.get(a.groupName) ?? 0) + (areaCounts.get(a.id) ?? 0));
  }
  const groupRows = [
    ...groups.map((g) => ({ key: g, label: g })),
    { key: NO_AREA, label: 'insight.rows.noArea', translate: true },
  ];
  const byGroup = countSeries(
    groupRows,
    groupRows.map((g) =>
      g.key === NO_AREA ? (areaCounts.get(NO_AREA) ?? 0) : (groupCounts.get(g.key) ?? 0),
    ),
  );

  // 3. Channels, and the sources staff recorded (the partner or forum it came through).
  const channelCounts = new Map<string, number>();
  const sourceCounts = new Map<string, number>();
  for (const r of counts) {
    if (r.dimension !== 'channel') continue;
    const key = r.channel ?? 'web';
    channelCounts.set(key, (channelCounts.get(key) ?? 0) + r.n);
    if (r.source) sourceCounts.set(`${key}|${r.source}`, (sourceCounts.get(`${key}|${r.source}`) ?? 0) + r.n);
  }
  const byChannel = countSeries(
    CHANNELS.map((c) => ({ key: c, label: `concerns.vocab.channel.${c}`, translate: true })),
    CHANNELS.map((c) => channelCounts.get(c) ?? 0),
  );
  const sources = [...sourceCounts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  const sourceSeries = suppressSeries(sources.map(([, n]) => n));

  // 4. Urgent concerns raised in the range.
  const urgentRaised = sum(counts.filter((r) => r.dimension === 'urgent' && r.urgent).map((r) => r.n));

  // 5. Organisations: open and overdue now; response against targets for the range.
  const orgRows = [
    ...lookup.organisations.map((o) => ({ key: o.id, label: o.name })),
    { key: NO_AREA, label: 'insight.rows.notRouted', translate: true },
  ];
  const openOf = new Map(open.map((o) => [o.organisationId ?? NO_AREA, o]));
  const openCells = suppressEach(orgRows.map((o) => openOf.get(o.key)?.open ?? 0));
  const overdueCells = suppressEach(orgRows.map((o) => openOf.get(o.key)?.overdue ?? 0));
  const urgentOpen = suppressEach([sum(open.map((o) => o.urgent)), urgentRaised]);

  const responseOf = new Map(responses.map((r) => [r.organisationId, r]));
  const responseRows: FigureRow[] = lookup.organisations.map((o) => {
    const r = responseOf.get(o.id);
    const responded = suppressEach([r?.responded ?? 0])[0]!;
    return {
      key: o.id,
      label: o.name,
      cells: [
        responded,
        medianDays(r?.medianHours ?? null, r?.responded ?? 0),
        share(r?.ackWithin ?? 0, r?.ackDue ?? 0),
        share(r?.respondWithin ?? 0, r?.respondDue ?? 0),
      ] satisfies Cell[],
    };
  });

  return [
    {
      id: 'overTime',
      title: 'insight.figures.overTime.title',
      description: 'insight.figures.overTime.description',
      rowHeader: 'insight.columns.topic',
      charts: [
        { kind: 'column', from: 'totalsRow' },
        { kind: 'bar', from: lookup.periods.length },
      ],
      columns: [
        ...lookup.periods.map((p) => ({ key: p, label: p, unit: 'count' as const, period: true })),
        { key: 'total', label: 'insight.columns.total', unit: 'count' as const },
      ],
      ...overTime,
    },
    {
      id: 'byDistrict',
      title: 'insight.figures.byDistrict.title',
      description: 'insight.figures.byDistrict.description',
      rowHeader: 'insight.columns.district',
      charts: [{ kind: 'bar', from: 0 }],
      columns: RAISED_COLUMNS,
      ...byGroup,
    },
    {
      id: 'byArea',
      title: 'insight.figures.byArea.title',
      description: 'insight.figures.byArea.description',
      rowHeader: 'insight.columns.area',
      charts: [],
      columns: RAISED_COLUMNS,
      ...byArea,
      // Busiest first, so the areas that raised most are at the top; suppressed rows sort as small.
      rows: sortByLast(byArea.rows),
    },
    {
      id: 'byChannel',
      title: 'insight.figures.byChannel.title',
      description: 'insight.figures.byChannel.description',
      rowHeader: 'insight.columns.channel',
      charts: [{ kind: 'bar', from: 0 }],
      columns: RAISED_COLUMNS,
      ...byChannel,
    },
    {
      id: 'bySource',
      title: 'insight.figures.bySource.title',
      description: 'insight.figures.bySource.description',
      rowHeader: 'insight.columns.source',
      charts: [],
      columns: [{ key: 'count', label: 'insight.columns.count', unit: 'count' }],
      rows: sources.map(([key], i) => {
        const [channel, source] = key.split('|') as [string, string];
        return {
          key,
          label: source,
          note: `concerns.vocab.channel.${channel}`,
          cells: [sourceSeries.cells[i]!],
        };
      }),
      totals: { key: 'total', label: 'insight.columns.total', translate: true, cells: [sourceSeries.total] },
    },
    {
      id: 'urgent',
      title: 'insight.figures.urgent.title',
      description: 'insight.figures.urgent.description',
      rowHeader: 'insight.columns.measure',
      charts: [],
      columns: [{ key: 'count', label: 'insight.columns.count', unit: 'count' }],
      rows: [
        { key: 'openNow', label: 'insight.rows.urgentOpen', translate: true, cells: [urgentOpen[0]!] },
        { key: 'raised', label: 'insight.rows.urgentRaised', translate: true, cells: [urgentOpen[1]!] },
      ],
    },
    {
      id: 'openByOrganisation',
      title: 'insight.figures.openByOrganisation.title',
      description: 'insight.figures.openByOrganisation.description',
      rowHeader: 'insight.columns.organisation',
      charts: [{ kind: 'bar', from: 1 }],
      columns: [
        { key: 'open', label: 'insight.columns.open', unit: 'count' },
        { key: 'overdue', label: 'insight.columns.overdue', unit: 'count' },
      ],
      rows: orgRows.map((o, i) => ({ ...o, cells: [openCells[i]!, overdueCells[i]!] })),
    },
    {
      id: 'responseTimes',
      title: 'insight.figures.responseTimes.title',
      description: 'insight.figures.responseTimes.description',
      rowHeader: 'insight.columns.organisation',
      charts: [{ kind: 'bar', from: 2, percent: true }],
      columns: [
        { key: 'responded', label: 'insight.columns.responded', unit: 'count' },
        { key: 'medianDays', label: 'insight.columns.medianDays', unit: 'days' },
        { key: 'acknowledgedOnTime', label: 'insight.columns.acknowledgedOnTime', unit: 'percent' },
        { key: 'closedOnTime', label: 'insight.columns.closedOnTime', unit: 'percent' },
      ],
      rows: responseRows,
    },
  ];
}

function rank(cell: Cell | undefined): number {
  if (!cell) return -1;
  if (cell.state === 'shown') return cell.value;
  return cell.state === 'none' ? -1 : 2.5;
}

function sortByLast(rows: FigureRow[]): FigureRow[] {
  return [...rows].sort(
    (x, y) =>
      rank(y.cells[y.cells.length - 1]) - rank(x.cells[x.cells.length - 1]) || x.label.localeCompare(y.label),
  );
}

// ---------------------------------------------------------------------------------------------
// Equality monitoring

export type Question = keyof typeof EQUALITY_QUESTIONS;
export const QUESTIONS = Object.keys(EQUALITY_QUESTIONS) as Question[];

/** The answers that describe someone (not "prefer not to say"); population figures exist for these. */
export function categoriesOf(question: Question): string[] {
  return EQUALITY_QUESTIONS[question].filter((c) => c !== 'prefer_not');
}

export interface PopulationFigure {
  characteristic: string;
  category: string;
  people: number;
  source: string;
}

/**
 * For each question: how many concerns came from people in each category, their share of those who
 * said, and the category's share of the population. The people who did not say (preferred not to,
 * or skipped the question) are one more cell of the same series, so the series adds up to every
 * concern in the range and secondary suppression protects it as a whole. Shares are shown only when
 * that "did not say" cell is shown: otherwise the shares would reveal how many did say.
 */
export function equalityFigures(
  answers: { question: string; answer: string; n: number }[],
  total: number,
  population: PopulationFigure[],
): Figure[] {
  return QUESTIONS.map((question) => {
    const categories = categoriesOf(question);
    const counts = categories.map(
      (c) => answers.find((a) => a.question === question && a.answer === c)?.n ?? 0,
    );
    const said = sum(counts);
    const series = suppressSeries([...counts, total - said]);
    const declined = series.cells[categories.length]!;
    const sharesShown = declined.state === 'shown' && said > 0;
    const pop = population.filter((p) => p.characteristic === question);
    const popTotal = sum(pop.map((p) => p.people));
    const rowsOut: FigureRow[] = categories.map((category, i) => {
      const cell = series.cells[i]!;
      const people = pop.find((p) => p.category === category)?.people;
      const shareOfSaid: Cell =
        sharesShown && cell.state === 'shown'
          ? { state: 'shown', value: Math.round((1000 * counts[i]!) / said) / 10 }
          : cell.state === 'shown'
            ? { state: 'withheld' }
            : { state: cell.state };
      const popShare: Cell =
        people !== undefined && popTotal > 0
          ? { state: 'shown', value: Math.round((1000 * people) / popTotal) / 10 }
          : { state: 'none' };
      // Reach: 1 means the group raises concerns in proportion to its share of the population.
      const reach: Cell =
        shareOfSaid.state === 'shown' && popShare.state === 'shown' && popShare.value > 0
          ? { state: 'shown', value: Math.round((100 * shareOfSaid.value) / popShare.value) / 100 }
          : { state: 'none' };
      return {
        key: category,
        label: `share.equality.answers.${question}.${category}`,
        translate: true,
        cells: [cell, shareOfSaid, popShare, reach],
      };
    });
    return {
      id: `equality-${question}`,
      title: `insight.equality.questions.${question}`,
      description: 'insight.equality.figureDescription',
      rowHeader: 'insight.columns.category',
      charts: [{ kind: 'bar', from: 1, percent: true, compare: 2 }],
      columns: [
        { key: 'concerns', label: 'insight.columns.concerns', unit: 'count' },
        { key: 'shareOfSaid', label: 'insight.columns.shareOfSaid', unit: 'percent' },
        { key: 'population', label: 'insight.columns.populationShare', unit: 'percent' },
        { key: 'reach', label: 'insight.columns.reach', unit: 'ratio' },
      ],
      rows: [
        ...rowsOut,
        {
          key: 'notSaid',
          label: 'insight.rows.notSaid',
          translate: true,
          cells: [declined, { state: 'none' }, { state: 'none' }, { state: 'none' }],
        },
      ],
      totals: {
        key: 'total',
        label: 'insight.columns.total',
        translate: true,
        cells: [series.total, { state: 'none' }, { state: 'none' }, { state: 'none' }],
      },
      source: pop[0]?.source,
    };
  });
}
