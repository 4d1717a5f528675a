import type { EngagementType } from './vocabulary.js';

/**
 * The manager's view, worked out from plain facts so it can be tested alone: how many engagements of
 * each type happened in each area each month, and which areas have had no contact for N weeks.
 */
export interface CoverageFact {
  areaId: string;
  type: EngagementType;
  /** The London month, yyyy-mm. */
  month: string;
  count: number;
}

export interface AreaRef {
  id: string;
  name: string;
  groupName: string;
}

/** The last `count` months (yyyy-mm), oldest first, ending with the month holding `today` (yyyy-mm-dd). */
export function recentMonths(today: string, count: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export function coverageByArea(facts: readonly CoverageFact[], areas: readonly AreaRef[], months: string[]) {
  const rows = areas.map((area) => {
    const mine = facts.filter((f) => f.areaId === area.id);
    const perMonth = months.map((month) =>
      mine.filter((f) => f.month === month).reduce((n, f) => n + f.count, 0),
    );
    return { area, perMonth, total: perMonth.reduce((a, b) => a + b, 0) };
  });
  return rows.filter((r) => r.total > 0);
}

export function coverageByType(
  facts: readonly CoverageFact[],
  types: readonly EngagementType[],
  months: string[],
) {
  return types.map((type) => {
    const perMonth = months.map((month) =>
      facts.filter((f) => f.type === type && f.month === month).reduce((n, f) => n + f.count, 0),
    );
    return { type, perMonth, total: perMonth.reduce((a, b) => a + b, 0) };
  });
}

/**
 * Areas with no engagement in the last `weeks` weeks before `now`, with when they were last visited
 * (null for never), longest without contact first.
 */
export function areasWithoutContact(
  areas: readonly AreaRef[],
  lastContact: ReadonlyMap<string, Date>,
  weeks: number,
  now: Date,
): { area: AreaRef; lastContact: Date | null }[] {
  const cutoff = now.getTime() - weeks * 7 * 24 * 60 * 60 * 1000;
  return areas
    .map((area) => ({ area, lastContact: lastContact.get(area.id) ?? null }))
    .filter((a) => a.lastContact === null || a.lastContact.getTime() < cutoff)
    .sort(
      (a, b) =>
        (a.lastContact?.getTime() ?? 0) - (b.lastContact?.getTime() ?? 0) ||
        a.area.name.localeCompare(b.area.name),
    );
}
