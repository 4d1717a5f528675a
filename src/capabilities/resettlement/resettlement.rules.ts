import { suppressSeries, type Published } from '../../platform/suppression.js';
import type { AgeBand, EnglishLevel, ReferralOutcome, Scheme } from './resettlement.vocabulary.js';
import { SCHEMES } from './resettlement.vocabulary.js';

/**
 * The rules of resettlement casework that do not need a database: ages, deadlines, overdue
 * referrals, retention, and the outcome measures with small-number suppression.
 */

/** Dates are calendar days (YYYY-MM-DD) in the UK; compare them as strings, which sort correctly. */
export type IsoDate = string;

export function isoDate(d: Date): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February becomes 28 February in a year that has none.
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function bandForAge(age: number): AgeBand {
  if (age < 5) return '0_4';
  if (age < 11) return '5_10';
  if (age < 16) return '11_15';
  if (age < 18) return '16_17';
  if (age < 25) return '18_24';
  if (age < 65) return '25_64';
  return '65_plus';
}

/** A member's age band: from the date of birth when known, else the band recorded. */
export function memberBand(m: { dateOfBirth: IsoDate | null; ageBand: string | null }, on: IsoDate) {
  if (m.dateOfBirth) return bandForAge(ageOn(m.dateOfBirth, on));
  return (m.ageBand as AgeBand | null) ?? null;
}

/** School age in England runs to 18 (education or training), from reception at about 5. */
export const isSchoolAge = (band: AgeBand | null) => band === '5_10' || band === '11_15' || band === '16_17';
export const isChild = (band: AgeBand | null) => band === '0_4' || isSchoolAge(band);
export const isWorkingAge = (band: AgeBand | null) => band === '18_24' || band === '25_64';
/** ESOL is for people 16 and over. */
export const isEsolAge = (band: AgeBand | null) =>
  band === '16_17' || isWorkingAge(band) || band === '65_plus';
export const needsEnglish = (level: EnglishLevel | string | null) => level !== 'fluent';

/** How many days ahead the caseworker's "upcoming deadlines" look. */
export const DEADLINE_WINDOW_DAYS = 42;

export type DeadlineKind = 'move_on' | 'visa_expiry' | 'accommodation_check';
export interface Deadline {
  kind: DeadlineKind;
  date: IsoDate;
  householdId: string;
  householdReference: string;
  householdName: string;
  /** The member whose visa it is, for visa expiries. */
  memberName?: string | undefined;
  overdue: boolean;
}

/** Deadlines from today up to the window's end, and those already passed, soonest first. */
export function upcomingDeadlines(
  candidates: readonly Omit<Deadline, 'overdue'>[],
  today: IsoDate,
  windowDays = DEADLINE_WINDOW_DAYS,
): Deadline[] {
  const end = addDays(today, windowDays);
  return candidates
    .filter((c) => c.date <= end)
    .map((c) => ({ ...c, overdue: c.date < today }))
    .sort((x, y) => x.date.localeCompare(y.date) || x.householdReference.localeCompare(y.householdReference));
}

/** A referral is overdue when the partner has not answered by the date they were due to. */
export function isReferralOverdue(
  r: { outcome: ReferralOutcome | string; responseDueOn: IsoDate | null },
  today: IsoDate,
) {
  return r.outcome === 'awaiting' && r.responseDueOn !== null && r.responseDueOn < today;
}

/** Default retention: two years after the case closes, unless the caseworker records otherwise. */
export const RETENTION_YEARS = 2;
export function defaultRetention(closedOn: IsoDate): IsoDate {
  return addYears(closedOn, RETENTION_YEARS);
}

/** A case is anonymised once it is closed and its retention date has passed. */
export function isDueForAnonymisation(
  h: { status: string; retentionUntil: IsoDate | null; anonymisedAt: Date | null },
  today: IsoDate,
): boolean {
  return (
    h.status === 'closed' && h.anonymisedAt === null && h.retentionUntil !== null && h.retentionUntil < today
  );
}

// ---- Outcomes ----

export interface OutcomePerson {
  scheme: Scheme;
  band: AgeBand | null;
  englishLevel: string | null;
  education: string | null;
  workStatus: string | null;
  gpRegistered: boolean;
  esolEnrolled: boolean;
  sessionsAttended: number;
}

export interface OutcomeCounts {
  households: number;
  people: number;
  gpRegistered: number;
  esolEligible: number;
  esolEnrolled: number;
  workingAge: number;
  inWorkOrTraining: number;
  schoolAge: number;
  inSchool: number;
  sessionsAttended: number;
}

const zero = (): OutcomeCounts => ({
  households: 0,
  people: 0,
  gpRegistered: 0,
  esolEligible: 0,
  esolEnrolled: 0,
  workingAge: 0,
  inWorkOrTraining: 0,
  schoolAge: 0,
  inSchool: 0,
  sessionsAttended: 0,
});

const IN_WORK_OR_TRAINING = new Set(['employed', 'self_employed', 'training']);
const IN_SCHOOL = new Set(['school', 'college']);

/** Raw counts per scheme. Never published as they are: see publishOutcomes. */
export function countOutcomes(
  households: readonly { scheme: Scheme }[],
  people: readonly OutcomePerson[],
): Record<Scheme, OutcomeCounts> {
  const out = Object.fromEntries(SCHEMES.map((s) => [s, zero()])) as Record<Scheme, OutcomeCounts>;
  for (const h of households) out[h.scheme].households += 1;
  for (const p of people) {
    const c = out[p.scheme];
    c.people += 1;
    if (p.gpRegistered) c.gpRegistered += 1;
    if (isEsolAge(p.band) && needsEnglish(p.englishLevel)) {
      c.esolEligible += 1;
      if (p.esolEnrolled) c.esolEnrolled += 1;
    }
    if (isWorkingAge(p.band)) {
      c.workingAge += 1;
      if (p.workStatus && IN_WORK_OR_TRAINING.has(p.workStatus)) c.inWorkOrTraining += 1;
    }
    if (isSchoolAge(p.band)) {
      c.schoolAge += 1;
      if (p.education && IN_SCHOOL.has(p.education)) c.inSchool += 1;
    }
    c.sessionsAttended += p.sessionsAttended;
  }
  return out;
}

export type PublishedPercent = { state: 'shown'; value: number } | { state: 'suppressed' };
/** A measure published as a percentage of a base; the count behind the percentage is never published. */
export interface PublishedRate {
  base: Published;
  percent: PublishedPercent;
}
export interface OutcomeRow {
  households: Published;
  gp: PublishedRate;
  esol: PublishedRate;
  work: PublishedRate;
  school: PublishedRate;
  sessionsAttended: Published;
}
export interface PublishedOutcomes {
  schemes: Scheme[];
  rows: Record<Scheme, OutcomeRow>;
  total: OutcomeRow;
}

/**
 * A percentage is published only when its numerator, its base and the number who do not meet it
 * (base − numerator) would each be shown after suppression, totals included: "96% of 100" would
 * otherwise reveal that 4 are not registered, and a percentage of a hidden count could be worked back
 * to the count. Percentages are whole numbers, which also blurs any differencing.
 */
function rates(numerators: number[], bases: number[]): { cells: PublishedRate[]; total: PublishedRate } {
  const num = suppressSeries(numerators);
  const base = suppressSeries(bases);
  const rest = suppressSeries(bases.map((d, i) => d - numerators[i]!));
  const rate = (n: Published, d: Published, r: Published): PublishedRate => ({
    base: d,
    percent:
      n.state === 'shown' && d.state === 'shown' && r.state === 'shown' && d.value > 0
        ? { state: 'shown', value: Math.round((n.value / d.value) * 100) }
        : { state: 'suppressed' },
  });
  return {
    cells: numerators.map((_, i) => rate(num.cells[i]!, base.cells[i]!, rest.cells[i]!)),
    total: rate(num.total, base.total, rest.total),
  };
}

/** The outcome measures per scheme and in total, every count and percentage suppressed as needed. */
export function publishOutcomes(counts: Record<Scheme, OutcomeCounts>): PublishedOutcomes {
  const schemes = [...SCHEMES];
  const col = (f: (c: OutcomeCounts) => number) => schemes.map((s) => f(counts[s]));
  const households = suppressSeries(col((c) => c.households));
  const sessions = suppressSeries(col((c) => c.sessionsAttended));
  const gp = rates(
    col((c) => c.gpRegistered),
    col((c) => c.people),
  );
  const esol = rates(
    col((c) => c.esolEnrolled),
    col((c) => c.esolEligible),
  );
  const work = rates(
    col((c) => c.inWorkOrTraining),
    col((c) => c.workingAge),
  );
  const school = rates(
    col((c) => c.inSchool),
    col((c) => c.schoolAge),
  );
  const rows = Object.fromEntries(
    schemes.map((s, i) => [
      s,
      {
        households: households.cells[i]!,
        gp: gp.cells[i]!,
        esol: esol.cells[i]!,
        work: work.cells[i]!,
        school: school.cells[i]!,
        sessionsAttended: sessions.cells[i]!,
      },
    ]),
  ) as Record<Scheme, OutcomeRow>;
  return {
    schemes,
    rows,
    total: {
      households: households.total,
      gp: gp.total,
      esol: esol.total,
      work: work.total,
      school: school.total,
      sessionsAttended: sessions.total,
    },
  };
}
