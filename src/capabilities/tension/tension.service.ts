import type { Config } from '../../config.js';
import type { Actor } from '../../platform/auth/actor.js';
import { PERMISSIONS } from '../../platform/auth/permissions.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { createI18n, type I18n } from '../../platform/i18n/index.js';
import { enqueueMail, mailDomain } from '../../platform/mail/mailer.js';
import { paths } from '../../platform/paths.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { createMailRenderer } from '../notifications/mail-renderer.js';
import { canSeeTension } from './tension.access.js';
import { tensionRepository } from './tension.repository.js';
import type { TensionReportRow } from './tension.repository.js';
import {
  addDays,
  currentLevel,
  escalates,
  escalationOnEdit,
  recentWeeks,
  weeklyPicture,
  type ReportFact,
} from './tension.rules.js';
import type { TensionFieldChange } from './tension.table.js';
import {
  TENSION_FIELDS,
  type TensionAssessment,
  type TensionCategory,
  type TensionCloseReason,
  type TensionLevel,
  type TensionSource,
} from './vocabulary.js';

export interface NewTensionReport {
  areaId: string;
  /** yyyy-mm-dd */
  reportedOn: string;
  source: TensionSource;
  category: TensionCategory;
  assessment: TensionAssessment;
  level: TensionLevel;
  summary: string;
  actions?: string | undefined;
  reviewDate: string;
}

/** An edit: the fields to change (the web form sends them all, the API only those it changes). */
export type TensionReportChanges = Partial<Omit<NewTensionReport, 'actions'>> & {
  /** null or empty clears the actions. */
  actions?: string | null | undefined;
};

export interface TensionClosure {
  reason: TensionCloseReason;
  note: string;
  /** The report this one was merged into; required when the reason is merged. */
  mergedIntoId?: string | undefined;
}

export const ESCALATION_PURPOSE = 'tension.escalation';

/** Free text is kept in the report's history, but never copied into the audit log. */
const FREE_TEXT = new Set(['summary', 'actions']);

/** The facts of the weekly rules from report rows: closed reports carry the London day they were closed. */
function toFacts(
  rows: {
    id: string;
    areaId: string;
    reportedOn: string;
    reviewDate: string;
    level: string;
    closedAt: Date | null;
  }[],
): ReportFact[] {
  return rows.map((f) => ({
    id: f.id,
    areaId: f.areaId,
    reportedOn: f.reportedOn,
    reviewDate: f.reviewDate,
    level: f.level as TensionLevel,
    closedOn: f.closedAt ? londonDay(f.closedAt) : null,
  }));
}

/** What an edit changes: each field whose value differs, with its value before and after. */
export function changedFields(
  current: Pick<TensionReportRow, (typeof TENSION_FIELDS)[number]>,
  next: Record<(typeof TENSION_FIELDS)[number], string | null>,
): TensionFieldChange[] {
  return TENSION_FIELDS.filter((f) => (current[f] ?? null) !== next[f]).map((field) => ({
    field,
    from: current[field] ?? null,
    to: next[field],
  }));
}

/** The calendar day in London, as yyyy-mm-dd. */
function londonDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

type Denied = { ok: false; problem: 'forbidden' };

/**
 * Community tension monitoring. Every entry point first asks tension.access (roles, and for agency
 * officers whether their organisation is the police); every read is audited. A report that lifts its
 * area to high or critical queues an email to each partnership lead in the same transaction, so the
 * leads are told if and only if the report is saved.
 */
export function createTensionService(
  db: Database,
  config: Pick<Config, 'publicUrl' | 'mailFrom'>,
  deps: { i18n?: I18n } = {},
) {
  const t = (deps.i18n ?? createI18n()).translator('en');
  const renderer = createMailRenderer();
  const domain = mailDomain(config.mailFrom);

  async function allowed(tx: Tx, actor: Actor): Promise<boolean> {
    const organisation = actor.organisationId
      ? await tenancyRepository.findOrganisation(tx, actor.organisationId)
      : undefined;
    return canSeeTension({ roles: actor.roles, organisationKind: organisation?.kind ?? null });
  }

  /** Runs fn only for those who may see tension; refusals are audited too, since someone tried. */
  function guarded<T>(actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T | Denied> {
    return db.tenant(actor.partnershipId, async (tx) => {
      if (!(await allowed(tx, actor))) {
        await audit(tx, actor, { action: 'tension.access.denied', entityType: 'tension_report' });
        return { ok: false as const, problem: 'forbidden' as const };
      }
      return fn(tx);
    });
  }

  async function notifyLeads(
    tx: Tx,
    actor: Actor,
    report: { id: string; level: TensionLevel },
    areaName: string,
    input: Pick<NewTensionReport, 'category' | 'assessment' | 'source' | 'reviewDate' | 'summary'>,
  ) {
    const leads = await tensionRepository.leads(tx, PERMISSIONS['tension.lead']);
    const level = t(`tension.vocab.level.${report.level}`);
    const link = `${config.publicUrl}${paths.staff.tension.report(report.id)}`;
    for (const lead of leads) {
      const rendered = renderer.render({
        lang: 'en',
        dir: 'ltr',
        subject: t('tension.mail.subject', { level, area: areaName }),
        heading: t('tension.mail.heading', { level, area: areaName }),
        paragraphs: [
          t('tension.mail.what', {
            category: t(`tension.vocab.category.${input.category}`),
            assessment: t(`tension.vocab.assessment.${input.assessment}`),
            source: t(`tension.vocab.source.${input.source}`),
          }),
          t('tension.mail.review', { date: input.reviewDate }),
        ],
        quote: input.summary,
        link: { text: t('tension.mail.link'), href: link },
        after: [t('tension.mail.why')],
      });
      await enqueueMail(
        tx,
        {
          partnershipId: actor.partnershipId,
          to: lead.email,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          headers: { 'Auto-Submitted': 'auto-generated' },
          purpose: ESCALATION_PURPOSE,
        },
        { domain },
      );
    }
    return leads.map((l) => l.id);
  }

  return {
    /** Whether this person may see anything of tension monitoring (pages and API check it first). */
    async mayAccess(actor: Actor): Promise<boolean> {
      return db.tenant(actor.partnershipId, async (tx) => {
        const ok = await allowed(tx, actor);
        // A refusal is audited too: someone without the need tried to look.
        if (!ok) await audit(tx, actor, { action: 'tension.access.denied', entityType: 'tension_report' });
        return ok;
      });
    },

    async report(actor: Actor, input: NewTensionReport, now = new Date()) {
      return guarded(actor, async (tx) => {
        const area = await tenancyRepository.findArea(tx, input.areaId);
        if (!area) return { ok: false as const, problem: 'unknownArea' as const };
        const today = londonDay(now);
        if (input.reportedOn > today) return { ok: false as const, problem: 'inFuture' as const };
        if (input.reviewDate < input.reportedOn)
          return { ok: false as const, problem: 'reviewBeforeReport' as const };
        // The area's level this week before and after the report decides whether it escalates.
        const facts = toFacts(
          await tensionRepository.facts(tx, { areaId: area.id, reviewedSince: addDays(today, -400) }),
        );
        const before = currentLevel(facts, today);
        const after = currentLevel([...facts, { ...input, areaId: area.id }], today);
        const escalation = escalates(before, after);
        const report = await tensionRepository.insert(tx, {
          partnershipId: actor.partnershipId,
          areaId: area.id,
          reportedOn: input.reportedOn,
          source: input.source,
          category: input.category,
          assessment: input.assessment,
          level: input.level,
          summary: input.summary,
          actions: input.actions ?? null,
          reviewDate: input.reviewDate,
          reportedByStaffId: actor.staffId,
          escalatedAt: escalation ? now : null,
          escalatedLevel: escalation ? after : null,
        });
        const notified = escalation
          ? await notifyLeads(tx, actor, { id: report.id, level: input.level }, area.name, input)
          : [];
        await audit(tx, actor, {
          action: 'tension.reported',
          entityType: 'tension_report',
          entityId: report.id,
          details: { areaId: area.id, level: input.level, before, after, escalated: escalation, notified },
        });
        return { ok: true as const, id: report.id, escalated: escalation, notified: notified.length };
      });
    },

    /** The weekly picture: each area with tension in the last `weeks` weeks, its levels and trend. */
    async picture(actor: Actor, weeks: number, now = new Date()) {
      return guarded(actor, async (tx) => {
        const today = londonDay(now);
        const window = recentWeeks(today, weeks);
        const facts = toFacts(await tensionRepository.facts(tx, { reviewedSince: addDays(window[0]!, -7) }));
        const picture = weeklyPicture(facts, today, weeks);
        const names = new Map((await tenancyRepository.listAreas(tx)).map((a) => [a.id, a.name]));
        const recent = await tensionRepository.list(tx, { limit: 20 });
        await audit(tx, actor, {
          action: 'tension.picture.viewed',
          entityType: 'tension_report',
          details: { weeks, areas: picture.areas.map((a) => a.areaId), reports: recent.map((r) => r.id) },
        });
        return {
          ok: true as const,
          weeks: picture.weeks,
          areas: picture.areas.map((a) => ({ ...a, areaName: names.get(a.areaId) ?? '' })),
          recent,
        };
      });
    },

    async list(actor: Actor, options: { areaId?: string | undefined; limit: number }) {
      return guarded(actor, async (tx) => {
        const items = await tensionRepository.list(tx, options);
        await audit(tx, actor, {
          action: 'tension.reports.viewed',
          entityType: 'tension_report',
          details: { areaId: options.areaId ?? null, shown: items.map((i) => i.id) },
        });
        return { ok: true as const, items };
      });
    },

    /** One report, with its history (edits and closure), and the reports it was merged into or from. */
    async detail(actor: Actor, id: string) {
      return guarded(actor, async (tx) => {
        const found = await tensionRepository.find(tx, id);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const areaNames = new Map((await tenancyRepository.listAreas(tx)).map((a) => [a.id, a.name]));
        const events = await tensionRepository.events(tx, id);
        const mergedInto = found.report.mergedIntoId
          ? await tensionRepository.find(tx, found.report.mergedIntoId)
          : undefined;
        const mergedHere = await tensionRepository.mergedInto(tx, id);
        await audit(tx, actor, {
          action: 'tension.report.viewed',
          entityType: 'tension_report',
          entityId: id,
        });
        return {
          ok: true as const,
          ...found,
          history: events.map(({ event, staffName }) => ({ ...event, staffName })),
          // The history keeps an area by its id; pages show its name.
          areaNames: Object.fromEntries(
            events
              .flatMap(({ event }) => event.changes.filter((c) => c.field === 'areaId'))
              .flatMap((c) => [c.from, c.to])
              .filter((a): a is string => a !== null)
              .map((a) => [a, areaNames.get(a) ?? a]),
          ),
          mergedInto: mergedInto
            ? {
                id: mergedInto.report.id,
                areaName: mergedInto.areaName,
                reportedOn: mergedInto.report.reportedOn,
                category: mergedInto.report.category,
              }
            : null,
          mergedHere,
        };
      });
    },

    /**
     * Edits a report. Every field can change; the result is checked as a new report is (a known area,
     * not in the future, reviewed on or after it was made). An edit of a copy older than the report
     * (`version`) is refused, as is an edit of a closed report. Each edit is kept in the report's
     * history and audited; one that raises its area to high or critical tells the leads, once.
     */
    async edit(
      actor: Actor,
      id: string,
      changes: TensionReportChanges,
      options: { version?: number | undefined } = {},
      now = new Date(),
    ) {
      return guarded(actor, async (tx) => {
        const current = await tensionRepository.findForUpdate(tx, id);
        if (!current) return { ok: false as const, problem: 'notFound' as const };
        if (current.closedAt) return { ok: false as const, problem: 'closed' as const };
        if (options.version !== undefined && options.version !== current.version)
          return { ok: false as const, problem: 'stale' as const, version: current.version };
        const next = {
          areaId: changes.areaId ?? current.areaId,
          reportedOn: changes.reportedOn ?? current.reportedOn,
          source: changes.source ?? (current.source as TensionSource),
          category: changes.category ?? (current.category as TensionCategory),
          assessment: changes.assessment ?? (current.assessment as TensionAssessment),
          level: changes.level ?? (current.level as TensionLevel),
          summary: changes.summary ?? current.summary,
          actions: changes.actions === undefined ? current.actions : changes.actions || null,
          reviewDate: changes.reviewDate ?? current.reviewDate,
        };
        const area = await tenancyRepository.findArea(tx, next.areaId);
        if (!area) return { ok: false as const, problem: 'unknownArea' as const };
        const today = londonDay(now);
        if (next.reportedOn > today) return { ok: false as const, problem: 'inFuture' as const };
        if (next.reviewDate < next.reportedOn)
          return { ok: false as const, problem: 'reviewBeforeReport' as const };
        const diff = changedFields(current, next);
        if (diff.length === 0)
          return {
            ok: true as const,
            id,
            changed: [],
            escalated: false,
            notified: 0,
            version: current.version,
          };

        const facts = toFacts(
          await tensionRepository.facts(tx, { areaId: area.id, reviewedSince: addDays(today, -400) }),
        );
        const fact = (r: typeof next | TensionReportRow): ReportFact => ({
          id,
          areaId: r.areaId,
          reportedOn: r.reportedOn,
          reviewDate: r.reviewDate,
          level: r.level as TensionLevel,
        });
        const { before, after, escalate } = escalationOnEdit({
          others: facts.filter((f) => f.id !== id),
          was: current.areaId === area.id ? fact(current) : null,
          now: fact(next),
          today,
          alreadyToldOf: current.escalatedLevel as TensionLevel | null,
        });
        const updated = await tensionRepository.update(tx, id, {
          ...next,
          version: current.version + 1,
          updatedAt: now,
          ...(escalate ? { escalatedAt: now, escalatedLevel: after } : {}),
        });
        const notified = escalate
          ? await notifyLeads(tx, actor, { id, level: after as TensionLevel }, area.name, next)
          : [];
        await tensionRepository.insertEvent(tx, {
          partnershipId: actor.partnershipId,
          reportId: id,
          kind: 'edited',
          staffId: actor.staffId,
          changes: diff,
          escalated: escalate,
        });
        await audit(tx, actor, {
          action: 'tension.report.edited',
          entityType: 'tension_report',
          entityId: id,
          details: {
            changes: diff.map((c) => (FREE_TEXT.has(c.field) ? { field: c.field } : c)),
            before,
            after,
            escalated: escalate,
            notified,
          },
        });
        return {
          ok: true as const,
          id,
          changed: diff.map((c) => c.field),
          escalated: escalate,
          notified: notified.length,
          version: updated.version,
        };
      });
    },

    /**
     * Closes a report: resolved, no longer relevant, or merged into another open report. It stays in
     * the list, marked closed, and stops counting in the weekly picture from the week it was closed.
     */
    async close(actor: Actor, id: string, closure: TensionClosure, now = new Date()) {
      return guarded(actor, async (tx) => {
        const current = await tensionRepository.findForUpdate(tx, id);
        if (!current) return { ok: false as const, problem: 'notFound' as const };
        if (current.closedAt) return { ok: false as const, problem: 'alreadyClosed' as const };
        let mergedIntoId: string | null = null;
        if (closure.reason === 'merged') {
          if (!closure.mergedIntoId) return { ok: false as const, problem: 'mergeTargetRequired' as const };
          const target =
            closure.mergedIntoId === id ? undefined : await tensionRepository.find(tx, closure.mergedIntoId);
          if (!target || target.report.closedAt)
            return { ok: false as const, problem: 'mergeTargetInvalid' as const };
          mergedIntoId = target.report.id;
        }
        const updated = await tensionRepository.update(tx, id, {
          closedAt: now,
          closedReason: closure.reason,
          closedNote: closure.note,
          closedByStaffId: actor.staffId,
          mergedIntoId,
          version: current.version + 1,
          updatedAt: now,
        });
        await tensionRepository.insertEvent(tx, {
          partnershipId: actor.partnershipId,
          reportId: id,
          kind: 'closed',
          staffId: actor.staffId,
          reason: closure.reason,
          note: closure.note,
          mergedIntoId,
        });
        await audit(tx, actor, {
          action: 'tension.report.closed',
          entityType: 'tension_report',
          entityId: id,
          details: { reason: closure.reason, mergedIntoId, areaId: current.areaId, level: current.level },
        });
        return { ok: true as const, id, closedAt: updated.closedAt!, version: updated.version };
      });
    },

    /** The report and the open reports it could be merged into, for the close form. */
    async closeChoices(actor: Actor, id: string) {
      return guarded(actor, async (tx) => {
        const found = await tensionRepository.find(tx, id);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const targets = await tensionRepository.mergeTargets(tx, id);
        await audit(tx, actor, {
          action: 'tension.report.viewed',
          entityType: 'tension_report',
          entityId: id,
          details: { for: 'close', targets: targets.map((r) => r.id) },
        });
        return { ok: true as const, ...found, targets };
      });
    },

    async areas(actor: Actor) {
      return guarded(actor, async (tx) => ({
        ok: true as const,
        areas: await tenancyRepository.listAreas(tx),
      }));
    },
  };
}

export type TensionService = ReturnType<typeof createTensionService>;
