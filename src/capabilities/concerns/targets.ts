/**
 * Response targets in working days (Monday to Friday, excluding England and Wales bank holidays).
 * Urgent concerns are due by the end of the day they arrive, in UK time.
 */
export const DEFAULT_TARGETS = { acknowledgeWorkingDays: 2, respondWorkingDays: 10 };

// England and Wales bank holidays (GOV.UK). Extend as years are announced.
// prettier-ignore
const BANK_HOLIDAYS = new Set([
  '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
]);

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function londonDay(d: Date): string {
  return londonDate.format(d);
}

/**
 * UK clocks change at 01:00 UTC, on the hour, so the offset is the same throughout each UTC hour:
 * asking Intl once an hour, not three times for every new concern, saves a measurable share of intake.
 */
const offsetByHour = new Map<number, number>();

/** How far London's clock is ahead of UTC at instant `ms` (0 in winter, one hour in summer). */
function londonOffsetMs(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const at = hour * 3_600_000;
    const p = Object.fromEntries(
      londonClock.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]),
    );
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (offsetByHour.size > 10_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** `day` is a London calendar date, YYYY-MM-DD. */
function isWorkingDate(day: string): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !BANK_HOLIDAYS.has(day);
}

export function isWorkingDay(d: Date): boolean {
  return isWorkingDate(londonDay(d));
}

/**
 * Same London time of day, n working days later. Days are counted on the London calendar, not in
 * 24-hour steps, so a clock change neither moves the deadline by an hour nor counts a Sunday night
 * as Monday.
 */
export function addWorkingDays(from: Date, n: number): Date {
  // The London wall-clock time, held in a Date's UTC fields so calendar arithmetic ignores DST.
  const wall = new Date(from.getTime() + londonOffsetMs(from.getTime()));
  let added = 0;
  while (added < n) {
    wall.setUTCDate(wall.getUTCDate() + 1);
    if (isWorkingDate(wall.toISOString().slice(0, 10))) added++;
  }
  // Back to an instant. Clocks change early on Sunday mornings, never on a working day, so the
  // offset at the first guess is the right one.
  const guess = wall.getTime() - londonOffsetMs(wall.getTime());
  return new Date(wall.getTime() - londonOffsetMs(guess));
}

/** 23:59:59 UK time on the day `d` falls on. */
export function endOfLondonDay(d: Date): Date {
  const day = londonDay(d);
  // Try both UK offsets; pick the instant that is still the same London day.
  for (const offset of ['+00:00', '+01:00']) {
    const candidate = new Date(`${day}T23:59:59${offset}`);
    if (londonDay(candidate) === day) return candidate;
  }
  return new Date(`${day}T23:59:59Z`);
}

export interface Targets {
  acknowledgeWorkingDays: number;
  respondWorkingDays: number;
}

export function dueDates(createdAt: Date, urgent: boolean, targets: Targets = DEFAULT_TARGETS) {
  if (urgent) {
    const eod = endOfLondonDay(createdAt);
    return { acknowledgeDueAt: eod, respondDueAt: eod };
  }
  return {
    acknowledgeDueAt: addWorkingDays(createdAt, targets.acknowledgeWorkingDays),
    respondDueAt: addWorkingDays(createdAt, targets.respondWorkingDays),
  };
}

export function isOverdue(
  c: { acknowledgeDueAt: Date; respondDueAt: Date; firstResponseAt: Date | null; closedAt: Date | null },
  now: Date = new Date(),
): boolean {
  if (c.closedAt) return false;
  if (!c.firstResponseAt && c.acknowledgeDueAt < now) return true;
  return c.respondDueAt < now;
}
