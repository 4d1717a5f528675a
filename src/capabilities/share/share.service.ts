import type { Database } from '../../platform/db/index.js';
import { publicActor } from '../../platform/auth/actor.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import {
  isUniqueViolation,
  type ConcernsService,
  type CreatedConcern,
} from '../concerns/concerns.service.js';
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

/** Thrown inside the submit transaction to roll it back (keeping the draft) with an expected outcome. */
class KeepDraft extends Error {
  constructor(readonly outcome: SubmitOutcome) {
    super('draft kept');
  }
}

export function createShareService(db: Database, concerns: ConcernsService) {
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
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.tenant(partnershipId, async (tx) => {
            const answers = await shareRepository.take(tx, hash);
            if (!answers) return { ok: false, problem: 'noDraft' } as const;
            const missing = firstMissingStep(answers);
            const parsed = completeAnswers.safeParse(answers);
            if (missing || !parsed.success) {
              throw new KeepDraft({ ok: false, problem: 'incomplete', step: missing ?? 'kind' });
            }
            const a = parsed.data;
            const { row: _row, ...created } = await concerns.createIn(
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
            return { ok: true, created, answers: a } as const;
          });
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
