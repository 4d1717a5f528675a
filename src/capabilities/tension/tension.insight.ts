import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { Tx } from '../../platform/db/index.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { londonToday, type Figure } from '../insight/figures.js';
import type { InsightPanel } from '../insight/panels.js';
import { canSeeTension } from './tension.access.js';
import { tensionRepository } from './tension.repository.js';
import { addDays, rank, recentWeeks, weeklyPicture, type AreaPicture, type Trend } from './tension.rules.js';
import { TENSION_LEVELS, type TensionLevel } from './vocabulary.js';

/**
 * The tension picture on the partnership dashboard (issue 7), for those allowed to see tension and
 * no one else: the same rule as every tension page (tension.access.ts), and every view audited like
 * the tension page's. It shows each area's level for the last weeks of the date range and its trend,
 * by the weekly picture's own rules (tension.rules.ts).
 *
 * Levels are assessments of places, not counts of people, so they are shown as the tension page
 * shows them to the same people; the panel publishes no count.
 */

/** As many weeks as the tension page shows by default. */
export const PANEL_WEEKS = 6;

const LEVELS = ['none', ...TENSION_LEVELS] as const;
const TRENDS: readonly Trend[] = ['rising', 'steady', 'falling'];

async function mayAccess(tx: Tx, actor: Actor): Promise<boolean> {
  const organisation = actor.organisationId
    ? await tenancyRepository.findOrganisation(tx, actor.organisationId)
    : undefined;
  return canSeeTension({ roles: actor.roles, organisationKind: organisation?.kind ?? null });
}

/** One row per area with tension in the weeks, highest level now first; levels as categories. */
export function tensionFigure(
  picture: { weeks: string[]; areas: AreaPicture[] },
  names: ReadonlyMap<string, string>,
): Figure {
  const levelColumns = picture.weeks.map((monday) => ({
    key: monday,
    label: monday,
    unit: 'category' as const,
    period: true,
    interval: 'week' as const,
    labels: LEVELS.map((l) => `tension.vocab.level.${l}`),
  }));
  return {
    id: 'tension-picture',
    title: 'tension.insight.title',
    description: 'tension.insight.description',
    rowHeader: 'insight.columns.area',
    charts:
      picture.areas.length > 0
        ? [{ kind: 'bar', from: picture.weeks.length - 1, max: LEVELS.length - 1 }]
        : [],
    columns: [
      ...levelColumns,
      {
        key: 'trend',
        label: 'tension.picture.trend',
        unit: 'category',
        labels: TRENDS.map((t) => `tension.vocab.trend.${t}`),
      },
    ],
    rows: picture.areas.map((a) => ({
      key: a.areaId,
      label: names.get(a.areaId) ?? '',
      cells: [
        ...a.levels.map((l) => ({ state: 'shown' as const, value: rank(l) })),
        { state: 'shown' as const, value: TRENDS.indexOf(a.trend) },
      ],
    })),
  };
}

export const tensionInsightPanel: InsightPanel = {
  id: 'tension',
  permission: 'insight.view',
  visible: mayAccess,
  async figures(tx, { actor, filters, now }) {
    // The picture as it stood at the end of the range (or today, for a range that runs on).
    const today = londonToday(now);
    const end = filters.to < today ? filters.to : today;
    const weeks = recentWeeks(end, PANEL_WEEKS);
    const facts = (
      await tensionRepository.facts(tx, {
        ...(filters.areaId ? { areaId: filters.areaId } : {}),
        reviewedSince: addDays(weeks[0]!, -7),
      })
    )
      .filter((f) => f.reportedOn <= end)
      .map((f) => ({ ...f, level: f.level as TensionLevel }));
    const picture = weeklyPicture(facts, end, PANEL_WEEKS);
    const names = new Map((await tenancyRepository.listAreas(tx)).map((a) => [a.id, a.name]));
    await audit(tx, actor, {
      action: 'tension.picture.viewed',
      entityType: 'tension_report',
      details: { via: 'insight', weeks: picture.weeks, areas: picture.areas.map((a) => a.areaId) },
    });
    return [tensionFigure(picture, names)];
  },
};
