import type { Database } from '../../platform/db/index.js';
import { publicActor } from '../../platform/auth/actor.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import type { ConcernsService, CreatedConcern } from '../concerns/concerns.service.js';
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

export function firstMissingStep(answers: Record<string, unknown>): Step | undefined {
  return STEPS.find((s) => !STEP_DONE[s](answers));
}

export type SubmitOutcome =
  | { ok: true; created: CreatedConcern; answers: CompleteAnswers }
  | { ok: false; problem: 'incomplete'; step: Step }
  | { ok: false; problem: 'noDraft' };

export function createShareService(db: Database, concerns: ConcernsService) {
  return {
    async load(partnershipId: string, token: string | undefined): Promise<Record<string, unknown>> {
      if (!token) return {};
      const row = await db.tenant(partnershipId, (tx) => shareRepository.find(tx, hashToken(token)));
      return row?.answers ?? {};
    },

    /** Merges one page's answers into the draft. */
    async save(
      partnershipId: string,
      token: string,
      answers: Record<string, unknown>,
    ): Promise<Record<string, unknown>> {
      return db.tenant(partnershipId, async (tx) => {
        const hash = hashToken(token);
        const existing = (await shareRepository.find(tx, hash))?.answers ?? {};
        const merged = { ...existing, ...answers };
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

    /** Housekeeping across all partnerships: forget drafts nobody came back to. */
    async purgeExpired(): Promise<void> {
      await db.system((tx) => shareRepository.removeExpired(tx));
    },

    async areas(partnershipId: string) {
      return db.tenant(partnershipId, (tx) => tenancyRepository.listAreas(tx));
    },

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
      const draft = await db.tenant(partnershipId, (tx) => shareRepository.find(tx, hash));
      if (!draft) return { ok: false, problem: 'noDraft' };
      const missing = firstMissingStep(draft.answers);
      if (missing) return { ok: false, problem: 'incomplete', step: missing };
      const parsed = completeAnswers.safeParse(draft.answers);
      if (!parsed.success) return { ok: false, problem: 'incomplete', step: 'kind' };
      const a = parsed.data;
      const areaId = a.areaId
        ? await db.tenant(partnershipId, async (tx) => (await tenancyRepository.findArea(tx, a.areaId!))?.id)
        : undefined;
      const created = await concerns.create(
        publicActor(partnershipId, correlationId),
        {
          kind: a.kind,
          topic: a.topic,
          description: a.description,
          areaId,
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
        { within: (tx) => shareRepository.remove(tx, hash) },
      );
      return { ok: true, created, answers: a };
    },
  };
}

export type ShareService = ReturnType<typeof createShareService>;
