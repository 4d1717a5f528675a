import { createHmac, timingSafeEqual } from 'node:crypto';
import { Last, type Database } from '../../platform/db/index.js';
import { publicActor } from '../../platform/auth/actor.js';
import { hashToken, newSecretToken } from '../../platform/auth/tokens.js';
import type { Translate } from '../../platform/i18n/index.js';
import { enqueueMail, mailDomain } from '../../platform/mail/mailer.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import {
  isUniqueViolation,
  type ConcernsService,
  type CreatedConcern,
} from '../concerns/concerns.service.js';
import { createMailRenderer } from '../notifications/mail-renderer.js';
import { shareRepository } from './share.repository.js';
import { completeAnswers, type CompleteAnswers } from './share.schema.js';

/** Drafts last a week, so someone interrupted can come back to their answers. */
export const DRAFT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The question pages in order; the first one whose answer is missing is where to resume. */
export const STEPS = [
  'kind',
  'topic',
  'details',
  'where',
  'groups',
  'who',
  'contact',
  'consent',
  'equality',
] as const;
export type Step = (typeof STEPS)[number];

const STEP_DONE: Record<Step, (a: Record<string, unknown>) => boolean> = {
  kind: (a) => typeof a.kind === 'string',
  topic: (a) => typeof a.topic === 'string',
  details: (a) => typeof a.description === 'string',
  where: (a) => a.whereAnswered === true,
  groups: (a) => Array.isArray(a.affectedGroups),
  who: (a) => typeof a.forGroup === 'string',
  contact: (a) => typeof a.contactMode === 'string',
  consent: (a) => typeof a.consentToShare === 'string',
  equality: (a) => a.equalityAnswered === true,
};

/**
 * What was typed on a page saved for later that did not pass its rules yet (a description too long,
 * an email address half typed), kept as typed so that coming back loses nothing. Keyed by page.
 */
export const PENDING_KEY = '_pending';
export type Pending = Partial<Record<Step, Record<string, string | string[]>>>;

export function pendingFor(answers: Record<string, unknown>, step: Step): Record<string, unknown> {
  return ((answers[PENDING_KEY] as Pending | undefined) ?? {})[step] ?? {};
}

export function firstMissingStep(answers: Record<string, unknown>): Step | undefined {
  return STEPS.find((s) => !STEP_DONE[s](answers));
}

export type SubmitOutcome =
  | { ok: true; created: CreatedConcern; answers: CompleteAnswers }
  | { ok: false; problem: 'incomplete'; step: Step }
  | { ok: false; problem: 'noDraft' };

/** Thrown inside the submit transaction to roll it back (keeping the draft) with an expected outcome. */
class KeepDraft extends Error {
  constructor(readonly outcome: SubmitOutcome) {
    super('draft kept');
  }
}

export type ResumeLink = { secret: string; expiresAt: Date };

export interface ShareOptions {
  /** Keys the resume links' hashes, as tracking codes are keyed. */
  secret: string;
  mailFrom: string;
}

export function createShareService(db: Database, concerns: ConcernsService, options: ShareOptions) {
  const hashResume = (secret: string) =>
    createHmac('sha256', options.secret).update(`resume:${secret}`).digest('hex');
  const sameHash = (a: string, b: string) => {
    const ab = Buffer.from(a, 'hex');
    const bb = Buffer.from(b, 'hex');
    return ab.length === bb.length && timingSafeEqual(ab, bb);
  };
  const renderer = createMailRenderer();
  const domain = mailDomain(options.mailFrom);

  // The partnership's areas, read on every where page and every submission, change rarely.
  const areaCache = new Map<
    string,
    { at: number; list: Awaited<ReturnType<typeof tenancyRepository.listAreas>> }
  >();
  async function areas(partnershipId: string) {
    const cached = areaCache.get(partnershipId);
    if (cached && Date.now() - cached.at < 60_000) return cached.list;
    const list = await db.tenant(partnershipId, (tx) => tenancyRepository.listAreas(tx));
    areaCache.set(partnershipId, { at: Date.now(), list });
    return list;
  }

  return {
    async load(partnershipId: string, token: string | undefined): Promise<Record<string, unknown>> {
      if (!token) return {};
      const row = await db.tenant(partnershipId, (tx) => shareRepository.find(tx, hashToken(token)));
      return row?.answers ?? {};
    },

    /**
     * Merges one page's answers into the draft. A page answered properly forgets what was kept as
     * typed for it; a page saved for later with answers that do not pass yet keeps them as `pending`.
     */
    async save(
      partnershipId: string,
      token: string,
      answers: Record<string, unknown>,
      page?: { step: Step; pending?: Record<string, string | string[]> },
    ): Promise<Record<string, unknown>> {
      return db.tenant(partnershipId, async (tx) => {
        const hash = hashToken(token);
        const existing = (await shareRepository.find(tx, hash))?.answers ?? {};
        const merged: Record<string, unknown> = { ...existing, ...answers };
        if (page) {
          const pending: Pending = { ...((existing[PENDING_KEY] as Pending | undefined) ?? {}) };
          if (page.pending && Object.keys(page.pending).length > 0) pending[page.step] = page.pending;
          else delete pending[page.step];
          if (Object.keys(pending).length > 0) merged[PENDING_KEY] = pending;
          else delete merged[PENDING_KEY];
        }
        await shareRepository.upsert(
          tx,
          partnershipId,
          hash,
          merged,
          new Date(Date.now() + DRAFT_LIFETIME_MS),
        );
        return merged;
      });
    },

    /**
     * The link to come back with. Its secret is kept only as a keyed hash, so the one already given
     * to this browser (`current`) is reused when it still matches; otherwise a new one replaces it.
     */
    async resumeLink(
      partnershipId: string,
      token: string,
      current: string | undefined,
    ): Promise<ResumeLink | undefined> {
      return db.tenant(partnershipId, async (tx) => {
        const hash = hashToken(token);
        const draft = await shareRepository.find(tx, hash);
        if (!draft) return undefined;
        if (current && draft.resumeHash && sameHash(hashResume(current), draft.resumeHash)) {
          return { secret: current, expiresAt: draft.expiresAt };
        }
        const secret = newSecretToken();
        await shareRepository.setResumeHash(tx, hash, hashResume(secret));
        return { secret, expiresAt: draft.expiresAt };
      });
    },

    /** What the "saved" page needs about a resume link: when it ends, and the email given, if any. */
    async savedDraft(
      partnershipId: string,
      secret: string,
    ): Promise<{ expiresAt: Date; email: string | undefined } | undefined> {
      const draft = await db.tenant(partnershipId, (tx) =>
        shareRepository.findByResumeHash(tx, hashResume(secret)),
      );
      if (!draft) return undefined;
      const email = draft.answers.contactMode === 'named' ? draft.answers.contactEmail : undefined;
      return { expiresAt: draft.expiresAt, email: typeof email === 'string' ? email : undefined };
    },

    /**
     * Opens a resume link: the draft moves to a new cookie token for this browser, so a browser that
     * held it before no longer does. The link itself keeps working until the draft is sent or expires.
     */
    async resume(
      partnershipId: string,
      secret: string,
    ): Promise<{ token: string; answers: Record<string, unknown> } | undefined> {
      return db.tenant(partnershipId, async (tx) => {
        const draft = await shareRepository.findByResumeHash(tx, hashResume(secret));
        if (!draft) return undefined;
        const token = newSecretToken();
        await shareRepository.moveToToken(
          tx,
          draft.id,
          hashToken(token),
          new Date(Date.now() + DRAFT_LIFETIME_MS),
        );
        return { token, answers: draft.answers };
      });
    },

    /** Emails the resume link to the address the resident already gave in this draft, and only there. */
    async emailResumeLink(
      partnershipId: string,
      secret: string,
      message: { url: string; lang: string; dir: 'ltr' | 'rtl'; t: Translate; date: string },
    ): Promise<{ ok: true; email: string } | { ok: false; problem: 'notFound' | 'noEmail' }> {
      return db.tenant(partnershipId, async (tx) => {
        const draft = await shareRepository.findByResumeHash(tx, hashResume(secret));
        if (!draft) return { ok: false, problem: 'notFound' } as const;
        const email = draft.answers.contactMode === 'named' ? draft.answers.contactEmail : undefined;
        if (typeof email !== 'string' || email === '') return { ok: false, problem: 'noEmail' } as const;
        const { t } = message;
        const rendered = renderer.render({
          lang: message.lang,
          dir: message.dir,
          subject: t('share.resumeEmail.subject'),
          heading: t('share.resumeEmail.heading'),
          paragraphs: [t('share.resumeEmail.body'), t('share.resumeEmail.expires', { date: message.date })],
          link: { text: t('share.resumeEmail.link'), href: message.url },
          after: [t('share.resumeEmail.private'), t('share.resumeEmail.notYou')],
        });
        await enqueueMail(
          tx,
          {
            partnershipId,
            to: email,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            language: message.lang,
            headers: { 'Auto-Submitted': 'auto-generated' },
            purpose: 'share.resume',
          },
          { domain },
        );
        return { ok: true, email } as const;
      });
    },

    /** Housekeeping across all partnerships: forget drafts nobody came back to. */
    async purgeExpired(): Promise<void> {
      await db.system((tx) => shareRepository.removeExpired(tx));
    },

    areas,

    /**
     * Turns a complete draft into a concern. The draft is deleted in the same transaction as the
     * concern is stored, so a double click or a refresh cannot submit twice.
     */
    async submit(
      partnershipId: string,
      token: string | undefined,
      language: string,
      correlationId: string,
    ): Promise<SubmitOutcome> {
      if (!token) return { ok: false, problem: 'noDraft' };
      const hash = hashToken(token);
      const knownAreas = new Set((await areas(partnershipId)).map((area) => area.id));
      // One transaction: take the draft, check it, store the concern. If anything is wrong the draft
      // is put back by the rollback, so nothing is stored half-way and the resident can carry on.
      // On a server it is two round trips: BEGIN with the draft taken, then the concern with COMMIT.
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.tenantWith<Record<string, unknown> | undefined, SubmitOutcome>(
            partnershipId,
            shareRepository.takeOpening(hash),
            async (tx, answers) => {
              if (!answers) return { ok: false, problem: 'noDraft' };
              const missing = firstMissingStep(answers);
              const parsed = completeAnswers.safeParse(answers);
              if (missing || !parsed.success) {
                throw new KeepDraft({ ok: false, problem: 'incomplete', step: missing ?? 'kind' });
              }
              const a = parsed.data;
              const { created, store } = await concerns.prepareIn(
                tx,
                publicActor(partnershipId, correlationId),
                {
                  kind: a.kind,
                  topic: a.topic,
                  description: a.description,
                  areaId: a.areaId && knownAreas.has(a.areaId) ? a.areaId : undefined,
                  placeDescription: a.placeDescription,
                  whenText: a.whenText,
                  affectedGroups: a.affectedGroups,
                  forGroup: a.forGroup === 'yes',
                  groupName: a.groupName,
                  anonymous: a.contactMode === 'anonymous',
                  contactName: a.contactName,
                  contactEmail: a.contactEmail,
                  contactPhone: a.contactPhone,
                  preferredContact: a.preferredContact,
                  consentToShare: a.consentToShare === 'yes',
                  equality: a.equality,
                  channel: 'web',
                  language,
                },
              );
              // Storing the concern is the transaction's last statement: COMMIT goes with it.
              return new Last(() => store().then((): SubmitOutcome => ({ ok: true, created, answers: a })));
            },
          );
        } catch (err) {
          if (err instanceof KeepDraft) return err.outcome;
          // A reference clash (about 1 in 10^14) rolls everything back; draw again.
          if (isUniqueViolation(err) && attempt < 3) continue;
          throw err;
        }
      }
    },
  };
}

export type ShareService = ReturnType<typeof createShareService>;
