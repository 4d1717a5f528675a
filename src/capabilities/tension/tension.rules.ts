import { TENSION_LEVELS, type TensionLevel } from './vocabulary.js';

/**
 * The rules of the weekly tension picture, kept apart from the database so they can be tested alone.
 *
 * Weeks run Monday to Sunday. An area's level for a week is the highest level reported in that week.
 * A week with no report keeps the level of the week before while the latest report's review date has
 * not yet passed (the assessment still stands until it is reviewed); once it has, the level is "none".
 * The trend compares a week with the week before: rising, steady or falling. A closed report stops
 * counting from the week it was closed (that week included): the weeks before keep it, so the picture
 * of the past does not change, and from then on the area's level is what the other reports make it.
 */
export type WeekLevel = TensionLevel | 'none';
export type Trend = 'rising' | 'steady' | 'falling';

export interface ReportFact {
  id?: string;
  areaId: string;
  /** yyyy-mm-dd */
  reportedOn: string;
  reviewDate: string;
  level: TensionLevel;
  /** The day (London) the report was closed, if it was. */
  closedOn?: string | null;
}

/** Whether a report counts in the week starting `monday`: not once the week it was closed begins. */
export function countsInWeek(report: Pick<ReportFact, 'closedOn'>, monday: string): boolean {
  return !report.closedOn || weekStart(report.closedOn) > monday;
}

export function rank(level: WeekLevel): number {
  return level === 'none' ? 0 : TENSION_LEVELS.indexOf(level) + 1;
}

export function higher(a: WeekLevel, b: WeekLevel): WeekLevel {
  return rank(a) >= rank(b) ? a : b;
}

/** The Monday (yyyy-mm-dd) of the week holding a date. */
export function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return addDays(day, -back);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Mondays of the last `count` weeks, oldest first, ending with the week holding `today`. */
export function recentWeeks(today: string, count: number): string[] {
  const last = weekStart(today);
  return Array.from({ length: count }, (_, i) => addDays(last, -7 * (count - 1 - i)));
}

export function trendOf(previous: WeekLevel, current: WeekLevel): Trend {
  const d = rank(current) - rank(previous);
  return d > 0 ? 'rising' : d < 0 ? 'falling' : 'steady';
}

/** Levels for one area, one per week in `weeks` (Mondays, oldest first), from every report up to the last. */
export function weeklyLevels(reports: readonly ReportFact[], weeks: readonly string[]): WeekLevel[] {
  const all = [...reports].sort((a, b) => a.reportedOn.localeCompare(b.reportedOn));
  const result: WeekLevel[] = [];
  for (const monday of weeks) {
    const sunday = addDays(monday, 6);
    const sorted = all.filter((r) => countsInWeek(r, monday));
    const inWeek = sorted.filter((r) => r.reportedOn >= monday && r.reportedOn <= sunday);
    if (inWeek.length > 0) {
      result.push(inWeek.reduce<WeekLevel>((acc, r) => higher(acc, r.level), 'none'));
      continue;
    }
    // Nothing new this week: the latest earlier assessment stands until its review date.
    const before = sorted.filter((r) => r.reportedOn < monday);
    const latestDay = before[before.length - 1]?.reportedOn;
    const latest = before.filter((r) => r.reportedOn === latestDay);
    const standing = latest.filter((r) => r.reviewDate >= monday);
    result.push(standing.reduce<WeekLevel>((acc, r) => higher(acc, r.level), 'none'));
  }
  return result;
}

/** An area's level in the week holding `today`, from the reports so far. */
export function currentLevel(reports: readonly ReportFact[], today: string): WeekLevel {
  return weeklyLevels(reports, [weekStart(today)])[0]!;
}

/** A new report escalates when it lifts its area to high or critical from something lower. */
export function escalates(before: WeekLevel, after: WeekLevel): boolean {
  return rank(after) >= rank('high') && rank(after) > rank(before);
}

/**
 * Whether an edit tells the leads. The same rule as a new report, on the area the report is in after
 * the edit: its level this week before the edit (with the report as it was, if it was in that area)
 * against its level after. Once only: a report that already told the leads of a level does not tell
 * them again when an edit takes it down and back up to that level, only when it goes higher.
 */
export function escalationOnEdit(input: {
  /** The area's other reports (not the one edited). */
  others: readonly ReportFact[];
  /** The report as it was, when it was already in this area; null when the edit moved it here. */
  was: ReportFact | null;
  /** The report as edited. */
  now: ReportFact;
  today: string;
  /** The level the leads were last told of for this report, if any. */
  alreadyToldOf: TensionLevel | null;
}): { before: WeekLevel; after: WeekLevel; escalate: boolean } {
  const before = currentLevel(input.was ? [...input.others, input.was] : input.others, input.today);
  const after = currentLevel([...input.others, input.now], input.today);
  const higherThanTold = input.alreadyToldOf === null || rank(after) > rank(input.alreadyToldOf);
  return { before, after, escalate: escalates(before, after) && higherThanTold };
}

export interface AreaPicture {
  areaId: string;
  levels: WeekLevel[];
  current: WeekLevel;
  trend: Trend;
}

/** The picture for every area that had any tension in the window, highest current level first. */
export function weeklyPicture(
  reports: readonly ReportFact[],
  today: string,
  weekCount: number,
): {
  weeks: string[];
  areas: AreaPicture[];
} {
  const weeks = recentWeeks(today, weekCount);
  const byArea = new Map<string, ReportFact[]>();
  for (const r of reports) byArea.set(r.areaId, [...(byArea.get(r.areaId) ?? []), r]);
  const areas: AreaPicture[] = [];
  for (const [areaId, list] of byArea) {
    const levels = weeklyLevels(list, weeks);
    if (levels.every((l) => l === 'none')) continue;
    const current = levels[levels.length - 1]!;
    const previous = levels[levels.length - 2] ?? 'none';
    areas.push({ areaId, levels, current, trend: trendOf(previous, current) });
  }
  areas.sort((a, b) => rank(b.current) - rank(a.current) || a.areaId.localeCompare(b.areaId));
  return { weeks, areas };
}
