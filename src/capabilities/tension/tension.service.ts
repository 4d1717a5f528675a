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
import {
  addDays,
  currentLevel,
  escalates,
  recentWeeks,
  weeklyPicture,
  type ReportFact,
} from './tension.rules.js';
import type { TensionAssessment, TensionCategory, TensionLevel, TensionSource } from './vocabulary.js';

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

export const ESCALATION_PURPOSE = 'tension.escalation';

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
    input: NewTensionReport,
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
        const facts: ReportFact[] = (
          await tensionRepository.facts(tx, { areaId: area.id, reviewedSince: addDays(today, -400) })
        ).map((f) => ({ ...f, level: f.level as TensionLevel }));
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
        const facts = (await tensionRepository.facts(tx, { reviewedSince: addDays(window[0]!, -7) })).map(
          (f) => ({
            ...f,
            level: f.level as TensionLevel,
          }),
        );
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

    async detail(actor: Actor, id: string) {
      return guarded(actor, async (tx) => {
        const found = await tensionRepository.find(tx, id);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        await audit(tx, actor, {
          action: 'tension.report.viewed',
          entityType: 'tension_report',
          entityId: id,
        });
        return { ok: true as const, ...found };
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
