import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { suppressEach, suppressTable } from '../../platform/suppression.js';
import { equalityFigures, type PopulationFigure } from '../insight/dashboard.js';
import type { Figure } from '../insight/figures.js';
import { insightRepository, type InsightFilters } from '../insight/insight.repository.js';
import { seriesColumns } from '../insight/panel-figures.js';
import type { EqualityPanel, InsightPanel } from '../insight/panels.js';

/**
 * The forums' panels on the partnership dashboard (issue 7): meetings, attendance and issues raised
 * by forum, and who takes part by protected characteristic against the population. Forums serve the
 * whole partnership and have no area, so rows are forums and only the date range applies.
 */

export interface ForumActivityRow {
  forumId: string;
  name: string;
  meetings: number;
  members: number;
  guests: number;
  issues: number;
}

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Meetings held in the range: started on a London day in the range, already started by `now`, and
 * not cancelled. A meeting scheduled for later in the range has not been held yet.
 */
function held(partnershipId: string, f: Pick<InsightFilters, 'from' | 'to'>, now: Date): SQL {
  return sql`m.partnership_id = ${partnershipId} and not m.cancelled
    and m.starts_at >= (${f.from}::date::timestamp at time zone 'Europe/London')
    and m.starts_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/London')
    and m.starts_at <= ${now.toISOString()}::timestamptz`;
}

export const forumsInsightRepository = {
  /** Every forum, with its meetings held in the range, their attendance and the issues raised at them. */
  async activity(
    tx: Tx,
    partnershipId: string,
    f: Pick<InsightFilters, 'from' | 'to'>,
    now: Date,
  ): Promise<ForumActivityRow[]> {
    const result = await rows<{
      forum_id: string;
      name: string;
      meetings: number;
      members: number;
      guests: number;
      issues: number;
    }>(
      tx,
      sql`select fo.id as forum_id, fo.name,
            count(m.id)::int as meetings,
            coalesce(sum(att.n), 0)::int as members,
            coalesce(sum(m.guest_count), 0)::int as guests,
            coalesce(sum(iss.n), 0)::int as issues
          from forums fo
          left join forum_meetings m on m.forum_id = fo.id and ${held(partnershipId, f, now)}
          left join lateral (select count(*) as n from forum_attendance a where a.meeting_id = m.id) att on true
          left join lateral (select count(*) as n from forum_issues i where i.meeting_id = m.id) iss on true
          where fo.partnership_id = ${partnershipId}
          group by fo.id, fo.name
          order by fo.name, fo.id`,
    );
    return result.map((r) => ({
      forumId: r.forum_id,
      name: r.name,
      meetings: Number(r.meetings),
      members: Number(r.members),
      guests: Number(r.guests),
      issues: Number(r.issues),
    }));
  },

  /**
   * Who took part: each membership that attended at least one meeting held in the range, once, with
   * the equality answers the person chose to give when they asked to join. A member who has left has
   * no answers any more (they are deleted when they leave) and counts as not saying.
   */
  async participation(
    tx: Tx,
    partnershipId: string,
    f: Pick<InsightFilters, 'from' | 'to'>,
    now: Date,
  ): Promise<{ total: number; answers: { question: string; answer: string; n: number }[] }> {
    const taking = sql`select distinct fm.id, fm.join_request_id
      from forum_members fm
      join forum_attendance a on a.member_id = fm.id
      join forum_meetings m on m.id = a.meeting_id
      where fm.partnership_id = ${partnershipId} and ${held(partnershipId, f, now)}`;
    const [count] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from (${taking}) p`);
    const answers = await rows<{ question: string; answer: string; n: number }>(
      tx,
      sql`select e.key as question, e.value as answer, count(*)::int as n
          from (${taking}) p
          join forum_join_equality q on q.request_id = p.join_request_id
          cross join lateral jsonb_each_text(q.answers) as e(key, value)
          group by 1, 2`,
    );
    return {
      total: Number(count?.n ?? 0),
      answers: answers.map((r) => ({ question: r.question, answer: r.answer, n: Number(r.n) })),
    };
  },
};

const COLUMNS = [
  { key: 'meetings', label: 'forums.insight.columns.meetings', unit: 'count' as const },
  { key: 'members', label: 'forums.insight.columns.members', unit: 'count' as const },
  { key: 'guests', label: 'forums.insight.columns.guests', unit: 'count' as const },
  { key: 'attendance', label: 'forums.insight.columns.attendance', unit: 'count' as const },
  { key: 'issues', label: 'forums.insight.columns.issues', unit: 'count' as const },
];

/**
 * Meetings and issues are each a series with its total. Members and guests add up to the
 * attendance, both per forum and overall, so the three are one table with its margins and are
 * suppressed together: no hidden guest count can be had from a shown attendance.
 */
export function forumActivityFigure(activity: readonly ForumActivityRow[]): Figure {
  const defs = activity.map((a) => ({ key: a.forumId, label: a.name }));
  const meetingsAndIssues = seriesColumns(defs, [
    activity.map((a) => a.meetings),
    activity.map((a) => a.issues),
  ]);
  // With no forum there is no table, only its (empty) totals.
  const attendance =
    activity.length > 0
      ? suppressTable(activity.map((a) => [a.members, a.guests]))
      : { cells: [], rowTotals: [], columnTotals: suppressEach([0, 0]), total: suppressEach([0])[0]! };
  return {
    id: 'forums-activity',
    title: 'forums.insight.activity.title',
    description: 'forums.insight.activity.description',
    rowHeader: 'forums.insight.columns.forum',
    charts: [{ kind: 'bar', from: 3 }],
    columns: COLUMNS,
    rows: defs.map((d, i) => {
      const [meetings, issues] = meetingsAndIssues.rows[i]!.cells;
      const [members, guests] = attendance.cells[i]!;
      return { ...d, cells: [meetings!, members!, guests!, attendance.rowTotals[i]!, issues!] };
    }),
    totals: {
      key: 'total',
      label: 'insight.columns.total',
      translate: true,
      cells: [
        meetingsAndIssues.totals.cells[0]!,
        attendance.columnTotals[0]!,
        attendance.columnTotals[1]!,
        attendance.total,
        meetingsAndIssues.totals.cells[1]!,
      ],
    },
  };
}

/**
 * Equality monitoring's own figures, relabelled for forum members: the same series per question
 * (every answer, plus "did not say", adding up to everyone who took part), the same suppression and
 * the same comparison with the population. Ids start with "equality-" so exports treat them as
 * equality figures (special category, `insight.equality`).
 */
export function forumEqualityFigures(
  participation: { total: number; answers: { question: string; answer: string; n: number }[] },
  population: PopulationFigure[],
): Figure[] {
  return equalityFigures(participation.answers, participation.total, population).map((figure) => {
    const question = figure.id.slice('equality-'.length);
    return {
      ...figure,
      id: `equality-forums-${question}`,
      title: `forums.insight.equality.questions.${question}`,
      description: 'forums.insight.equality.description',
      columns: figure.columns.map((c, n) =>
        n === 0 ? { ...c, key: 'members', label: 'forums.insight.equality.members' } : c,
      ),
    };
  });
}

export const forumsInsightPanel: InsightPanel = {
  id: 'forums',
  permission: 'insight.view',
  async figures(tx, { actor, filters, now }) {
    const activity = await forumsInsightRepository.activity(tx, actor.partnershipId, filters, now);
    return [forumActivityFigure(activity)];
  },
};

export const forumsEqualityPanel: EqualityPanel = {
  id: 'forumsEquality',
  permission: 'insight.equality',
  async figures(tx, { actor, filters, now }) {
    const participation = await forumsInsightRepository.participation(tx, actor.partnershipId, filters, now);
    const population = await insightRepository.listPopulation(tx);
    return forumEqualityFigures(participation, population);
  },
};
