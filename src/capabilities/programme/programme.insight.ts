import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { suppressTable } from '../../platform/suppression.js';
import { londonToday, type Cell, type Figure } from '../insight/figures.js';
import type { InsightFilters } from '../insight/insight.repository.js';
import { seriesColumns } from '../insight/panel-figures.js';
import type { InsightPanel } from '../insight/panels.js';
import { ACTION_STATUSES, RAGS } from './programme.table.js';

/**
 * The programme's panel on the partnership dashboard (issue 7): a summary of where the programme
 * stands. Actions are counted as they are today, by status and RAG; milestones are those due in
 * the date range. The area filter keeps actions working in that area (and those covering the whole
 * partnership, which have no areas); the organisation filter keeps actions it leads.
 */

export const MILESTONE_STATES = ['onTime', 'late', 'overdue', 'notYetDue'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

export interface ProgrammeCounts {
  actions: { status: string; rag: string; n: number }[];
  milestones: { state: MilestoneState; n: number }[];
}

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

function actionFilter(partnershipId: string, f: Pick<InsightFilters, 'areaId' | 'organisationId'>): SQL {
  return sql.join(
    [
      sql`a.partnership_id = ${partnershipId}`,
      ...(f.areaId ? [sql`(cardinality(a.area_ids) = 0 or ${f.areaId}::uuid = any(a.area_ids))`] : []),
      ...(f.organisationId ? [sql`a.lead_organisation_id = ${f.organisationId}`] : []),
    ],
    sql` and `,
  );
}

export const programmeInsightRepository = {
  async counts(tx: Tx, partnershipId: string, f: InsightFilters, now: Date): Promise<ProgrammeCounts> {
    const where = actionFilter(partnershipId, f);
    const today = londonToday(now);
    const actions = await rows<{ status: string; rag: string; n: number }>(
      tx,
      sql`select a.status, a.rag, count(*)::int as n from programme_actions a where ${where} group by 1, 2`,
    );
    // The same rule as the programme's overdue list (rules.ts): not done and past its due date, on an
    // action still open. A finished action's undone milestones are no longer owed and are left out.
    const milestones = await rows<{ state: MilestoneState; n: number }>(
      tx,
      sql`select state, count(*)::int as n from (
            select case
              when ms.done_at is not null
                and (ms.done_at at time zone 'Europe/London')::date <= ms.due_date then 'onTime'
              when ms.done_at is not null then 'late'
              when a.status in ('done', 'dropped') then null
              when ms.due_date < ${today}::date then 'overdue'
              else 'notYetDue' end as state
            from programme_milestones ms join programme_actions a on a.id = ms.action_id
            where ${where} and ms.due_date >= ${f.from}::date and ms.due_date <= ${f.to}::date
          ) x where state is not null group by 1`,
    );
    return {
      actions: actions.map((r) => ({ status: r.status, rag: r.rag, n: Number(r.n) })),
      milestones: milestones.map((r) => ({ state: r.state, n: Number(r.n) })),
    };
  },
};

/**
 * Actions by status and RAG are one table with its row and column totals, suppressed together.
 * Milestones are one series. "Not yet due" is a row only when the range reaches today: before that
 * it is known to be empty, and a row known to be empty would protect nothing while seeming to.
 */
export function programmeFigures(counts: ProgrammeCounts, range: { to: string }, today: string): Figure[] {
  const n = (status: string, rag: string) =>
    counts.actions.find((a) => a.status === status && a.rag === rag)?.n ?? 0;
  const table = suppressTable(ACTION_STATUSES.map((s) => RAGS.map((r) => n(s, r))));
  const states = MILESTONE_STATES.filter((s) => s !== 'notYetDue' || range.to >= today);
  const milestones = seriesColumns(
    states.map((s) => ({ key: s, label: `programme.insight.milestones.${s}`, translate: true })),
    [states.map((s) => counts.milestones.find((m) => m.state === s)?.n ?? 0)],
  );
  return [
    {
      id: 'programme-actions',
      title: 'programme.insight.actions.title',
      description: 'programme.insight.actions.description',
      rowHeader: 'programme.insight.columns.status',
      charts: [{ kind: 'bar', from: RAGS.length }],
      columns: [
        ...RAGS.map((r) => ({ key: r, label: `programme.rag.${r}`, unit: 'count' as const })),
        { key: 'total', label: 'insight.columns.total', unit: 'count' as const },
      ],
      rows: ACTION_STATUSES.map((s, i) => ({
        key: s,
        label: `programme.status.${s}`,
        translate: true,
        cells: [...table.cells[i]!, table.rowTotals[i]!] satisfies Cell[],
      })),
      totals: {
        key: 'total',
        label: 'insight.columns.total',
        translate: true,
        cells: [...table.columnTotals, table.total],
      },
    },
    {
      id: 'programme-milestones',
      title: 'programme.insight.milestones.title',
      description: 'programme.insight.milestones.description',
      rowHeader: 'programme.insight.columns.milestone',
      charts: [{ kind: 'bar', from: 0 }],
      columns: [{ key: 'milestones', label: 'programme.insight.columns.milestones', unit: 'count' }],
      ...milestones,
    },
  ];
}

export const programmeInsightPanel: InsightPanel = {
  id: 'programme',
  permission: 'insight.view',
  async figures(tx, { actor, filters, now }) {
    const counts = await programmeInsightRepository.counts(tx, actor.partnershipId, filters, now);
    return programmeFigures(counts, filters, londonToday(now));
  },
};
