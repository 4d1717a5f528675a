import ExcelJS from 'exceljs';
import { renderCalendar } from '../../platform/calendar/ical.js';
import type { Translate } from '../../platform/i18n/index.js';
import type { Published } from '../../platform/suppression.js';
import type { OutcomeRow, PublishedOutcomes, PublishedRate } from './resettlement.rules.js';
import type { HouseholdDetail, ResettlementService } from './resettlement.service.js';

/** Formats a published count: the number, "fewer than 5", or "withheld". */
export function countText(p: Published, t: Translate): string {
  if (p.state === 'shown') return String(p.value);
  return p.state === 'small' ? t('common.suppression.small') : t('common.suppression.withheld');
}

export function rateText(r: PublishedRate, t: Translate): string {
  if (r.percent.state === 'suppressed') return t('resettlement.suppressed');
  return t('resettlement.outcomes.ofBase', { percent: r.percent.value, base: countText(r.base, t) });
}

const MEASURES: { key: string; cell: (row: OutcomeRow, t: Translate) => string }[] = [
  { key: 'households', cell: (r, t) => countText(r.households, t) },
  { key: 'gp', cell: (r, t) => rateText(r.gp, t) },
  { key: 'esol', cell: (r, t) => rateText(r.esol, t) },
  { key: 'work', cell: (r, t) => rateText(r.work, t) },
  { key: 'school', cell: (r, t) => rateText(r.school, t) },
  { key: 'sessions', cell: (r, t) => countText(r.sessionsAttended, t) },
];

/** The outcomes as a table of text, measures down and schemes across: the page and both exports use it. */
export function outcomesTable(o: PublishedOutcomes, t: Translate): { head: string[]; rows: string[][] } {
  return {
    head: [
      t('resettlement.outcomes.measure'),
      ...o.schemes.map((s) => t(`resettlement.vocab.scheme.${s}`)),
      t('resettlement.outcomes.total'),
    ],
    rows: MEASURES.map((m) => [
      t(`resettlement.outcomes.${m.key}`),
      ...o.schemes.map((s) => m.cell(o.rows[s], t)),
      m.cell(o.total, t),
    ]),
  };
}

function csvField(value: string): string {
  // Quote every field; a leading =, +, - or @ is prefixed so spreadsheets never run it as a formula.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function outcomesCsv(o: PublishedOutcomes, t: Translate): string {
  const { head, rows } = outcomesTable(o, t);
  return [head, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export async function outcomesXlsx(o: PublishedOutcomes, t: Translate): Promise<Buffer> {
  const { head, rows } = outcomesTable(o, t);
  const book = new ExcelJS.Workbook();
  book.creator = 'Heard';
  const sheet = book.addWorksheet(t('resettlement.outcomes.sheet'));
  sheet.addRow(head).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? 48 : 26;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

type Sar = Extract<Awaited<ReturnType<ResettlementService['subjectAccess']>>, { ok: true }>;

/** A subject access export as plain JSON: this household's rows and audit trail, nothing else. */
export function subjectAccessJson(s: Sar) {
  const h = s.household;
  return {
    generatedAt: s.generatedAt.toISOString(),
    household: {
      reference: h.reference,
      scheme: h.scheme,
      schemeOther: h.schemeOther,
      name: h.name,
      arrivalDate: h.arrivalDate,
      address: h.address,
      area: s.areaName,
      caseworker: s.caseworkerName,
      interpreterNeeded: h.interpreterNeeded,
      interpreterLanguage: h.interpreterLanguage,
      moveOnDeadline: h.moveOnDeadline,
      lawfulBasis: h.lawfulBasis,
      consentGiven: h.consentGiven,
      consentDate: h.consentDate,
      consentNotes: h.consentNotes,
      notes: h.notes,
      status: h.status,
      closedAt: h.closedAt?.toISOString() ?? null,
      closureReason: h.closureReason,
      retentionUntil: h.retentionUntil,
      createdAt: h.createdAt.toISOString(),
      updatedAt: h.updatedAt.toISOString(),
    },
    members: s.members.map(memberJson),
    host: s.host ? hostJson(s.host) : null,
    needs: s.needs.map((n) => ({ ...n, updatedAt: n.updatedAt?.toISOString() ?? null })),
    supportPlan: s.goals.map((g) => ({
      domain: g.domain,
      goal: g.goal,
      owner: g.owner,
      dueDate: g.dueDate,
      status: g.status,
      createdAt: g.createdAt.toISOString(),
    })),
    referrals: s.referrals.map(referralJson),
    sessions: s.bookings.map((b) => ({
      member: b.memberName,
      topic: b.session.topic,
      startsAt: b.session.startsAt.toISOString(),
      venue: b.session.venue,
      attended: b.booking.attended,
      feedback: b.booking.feedback,
    })),
    auditTrail: s.trail.map((a) => ({
      at: a.at.toISOString(),
      actor: a.actorLabel,
      action: a.action,
      details: a.details,
    })),
  };
}

export function memberJson(m: HouseholdDetail['members'][number]) {
  return {
    id: m.id,
    name: m.name,
    dateOfBirth: m.dateOfBirth,
    ageBand: m.band,
    relationship: m.relationship,
    languages: m.languages,
    englishLevel: m.englishLevel,
    education: m.education,
    workStatus: m.workStatus,
    esolEnrolled: m.esolEnrolled,
    gpRegistered: m.gpRegistered,
    visaExpiry: m.visaExpiry,
  };
}

export function hostJson(h: NonNullable<HouseholdDetail['host']>) {
  return {
    name: h.name,
    email: h.email,
    phone: h.phone,
    address: h.address,
    checkStatus: h.checkStatus,
    checkDate: h.checkDate,
    arrangementStatus: h.arrangementStatus,
    notes: h.notes,
  };
}

export function referralJson(r: HouseholdDetail['referrals'][number]) {
  return {
    id: r.id,
    domain: r.domain,
    service: r.service,
    reason: r.reason,
    referredOn: r.referredOn,
    responseDueOn: r.responseDueOn,
    outcome: r.outcome,
    outcomeNotes: r.outcomeNotes,
    outcomeOn: r.outcomeOn,
    overdue: r.overdue,
  };
}

type CalendarSessions = Extract<
  Awaited<ReturnType<ResettlementService['calendar']>>,
  { ok: true }
>['sessions'];

/** The iCalendar feed of sessions: topic, time, venue, languages and interpreter; never who is booked. */
export function sessionsCalendar(
  sessions: CalendarSessions,
  t: Translate,
  partnership: { name: string; slug: string },
  now = new Date(),
): string {
  const languages = (codes: string[]) => codes.map((c) => t(`resettlement.vocab.language.${c}`)).join(', ');
  return renderCalendar({
    name: t('resettlement.sessions.calendarName', { partnership: partnership.name }),
    domain: `${partnership.slug}.heard`,
    now,
    events: sessions.map((s) => ({
      uid: `resettlement-session-${s.id}`,
      start: s.startsAt,
      end: s.endsAt,
      summary: t(`resettlement.vocab.topic.${s.topic}`),
      description: t('resettlement.sessions.calendarDescription', {
        languages: languages(s.languages),
        interpreter: s.interpreter ?? t('resettlement.sessions.noInterpreter'),
      }),
      location: s.venue,
      updatedAt: s.updatedAt,
      cancelled: s.cancelled,
    })),
  });
}
