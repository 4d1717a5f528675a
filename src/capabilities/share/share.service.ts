import { createHmac, timingSafeEqual } from 'node:crypto';
import { Last, type Database } from '../../platform/db/index.js';
import { createBatcher } from '../../platform/db/batch.js';
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

/** A resident's press of "Send": their draft's token hash, with the request's language and correlation id. */
interface Submission {
  hash: string;
  language: string;
  correlationId: string;
}

/**
 * Up to 32 submissions share a transaction, and two such transactions per partnership run at once,
 * so one batch's checks and mail are made while the other is at the database.
 */
const SUBMIT_BATCHES = { max: 32, inFlight: 2 };

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

  /**
   * Sends drafts in one transaction: their rows locked as it opens, each checked and made into a
   * concern, then every concern stored and every sent draft deleted, with the COMMIT. A draft that is
   * not complete is left as it was, for its resident to finish. Each submission gets its own outcome.
   * On a server it is two round trips, whatever the number of drafts.
   */
  async function sendTogether(partnershipId: string, items: Submission[]): Promise<SubmitOutcome[]> {
    const knownAreas = new Set((await areas(partnershipId)).map((area) => area.id));
    return db.tenantWith(
      partnershipId,
      shareRepository.lockOpening([...new Set(items.map((item) => item.hash))]),
      async (tx, drafts) => {
        const outcomes: SubmitOutcome[] = [];
        const sent: string[] = [];
        const stores: (() => Promise<void>)[] = [];
        for (const item of items) {
          const answers = drafts.get(item.hash);
          // The same draft twice in one batch is a double click: the second finds it already sent.
          if (!answers || sent.includes(item.hash)) {
            outcomes.push({ ok: false, problem: 'noDraft' });
            continue;
          }
          const missing = firstMissingStep(answers);
          const parsed = completeAnswers.safeParse(answers);
          if (missing || !parsed.success) {
            outcomes.push({ ok: false, problem: 'incomplete', step: missing ?? 'kind' });
            continue;
          }
          const a = parsed.data;
          const { created, store } = await concerns.prepareIn(
            tx,
            publicActor(partnershipId, item.correlationId),
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
              language: item.language,
            },
          );
          sent.push(item.hash);
          stores.push(store);
          outcomes.push({ ok: true, created, answers: a });
        }
        if (sent.length === 0) return outcomes;
        // The transaction's last statements: COMMIT goes with them.
        return new Last(() =>
          Promise.all([shareRepository.removeSent(tx, sent), ...stores.map((store) => store())]).then(
            () => outcomes,
          ),
        );
      },
    );
  }

  /** One submission in its own transaction, drawing a new reference on the rare clash (about 1 in 10^14). */
  async function sendAlone(partnershipId: string, item: Submission): Promise<SubmitOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await sendTogether(partnershipId, [item]))[0]!;
      } catch (err) {
        if (isUniqueViolation(err) && attempt < 3) continue;
        throw err;
      }
    }
  }

  const submitBatched = createBatcher<Submission, SubmitOutcome>(async (partnershipId, items) => {
    if (items.length > 1) {
      try {
        const outcomes = await sendTogether(partnershipId, items);
        return outcomes.map((value) => ({ status: 'fulfilled', value }));
      } catch {
        // The transaction was rolled back whole. Each is sent again on its own, so one
        // submission's failure (a reference clash, say) is not everyone's.
      }
    }
    return Promise.allSettled(items.map((item) => sendAlone(partnershipId, item)));
  }, SUBMIT_BATCHES);

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
     * concern is stored, so a double click or a refresh cannot submit twice. Submissions that arrive
     * together are stored together (see sendTogether).
     */
    async submit(
      partnershipId: string,
      token: string | undefined,
      language: string,
      correlationId: string,
    ): Promise<SubmitOutcome> {
      if (!token) return { ok: false, problem: 'noDraft' };
      return submitBatched(partnershipId, { hash: hashToken(token), language, correlationId });
    },
  };
}

export type ShareService = ReturnType<typeof createShareService>;
