import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import type { Database, Tx } from '../../platform/db/index.js';
import type { PartnershipDirectory } from '../../platform/tenancy/tenancy.service.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { findVisibleConcern } from '../concerns/concerns.access.js';
import type { ConcernsService } from '../concerns/concerns.service.js';
import { canTriage } from '../concerns/visibility.js';
import { isOneOf, TOPICS, type Topic } from '../concerns/vocabulary.js';
import { isOpen } from '../concerns/workflow.js';
import { compile, predict, trainAndEvaluate, type Classifier, type Evaluation } from './model.js';
import { suggestionsRepository, type SuggestionRow } from './suggestions.repository.js';

/** The newest concerns are the best guide to how the partnership triages now; older ones add little. */
const MAX_TRAINING_EXAMPLES = 3000;
/** Models kept for the admin page's history. */
const MODELS_KEPT = 5;
const PENDING_BATCH = 500;
const HOUR = 3_600_000;
/** The schedule: retrain daily, or within the hour once staff have made new decisions. */
const RETRAIN_AFTER = 24 * HOUR;
const RETRAIN_AFTER_DECISIONS = HOUR;

export type Decision = 'accept' | 'change' | 'dismiss';

export interface DecisionInput {
  decision: Decision;
  topic?: string | undefined;
  leadOrganisationId?: string | undefined;
}

/** A problem from a step inside the decision's transaction: thrown so everything before it is undone. */
class Rollback extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

export const systemActor = (partnershipId: string): Actor => ({
  partnershipId,
  staffId: null,
  organisationId: null,
  roles: [],
  label: 'system',
  correlationId: randomUUID(),
});

export function createSuggestionsService(
  db: Database,
  deps: { concerns: ConcernsService; partnerships: PartnershipDirectory },
) {
  // Parsing a model is the costly part of a suggestion; keep each partnership's current one compiled.
  const cache = new Map<string, { modelId: string; classifier: Classifier }>();

  async function currentClassifier(tx: Tx, partnershipId: string) {
    const header = await suggestionsRepository.latestModelHeader(tx);
    if (!header) return undefined;
    const cached = cache.get(partnershipId);
    if (cached?.modelId === header.id) return cached;
    const row = await suggestionsRepository.findModel(tx, header.id);
    if (!row) return undefined;
    const fresh = { modelId: row.id, classifier: compile(row.model) };
    cache.set(partnershipId, fresh);
    return fresh;
  }

  /** Works out and stores the suggestion for one concern with the current model. */
  async function suggestIn(
    tx: Tx,
    partnershipId: string,
    concern: { id: string; description: string },
    current?: { modelId: string; classifier: Classifier },
  ) {
    const model = current ?? (await currentClassifier(tx, partnershipId));
    const prediction = model
      ? predict(model.classifier, concern.description)
      : { withheld: 'noModel' as const };
    await suggestionsRepository.upsertUndecided(tx, {
      concernId: concern.id,
      partnershipId,
      modelId: model?.modelId ?? null,
      topic: prediction.topic?.label ?? null,
      topicConfidence: prediction.topic?.confidence ?? null,
      leadOrganisationId: prediction.lead?.label ?? null,
      leadConfidence: prediction.lead?.confidence ?? null,
      withheldReason: prediction.withheld ?? null,
    });
  }

  async function suggestPendingIn(tx: Tx, partnershipId: string) {
    const current = await currentClassifier(tx, partnershipId);
    if (!current) return 0;
    const pending = await suggestionsRepository.pending(tx, current.modelId, PENDING_BATCH);
    for (const concern of pending) await suggestIn(tx, partnershipId, concern, current);
    return pending.length;
  }

  async function retrain(actor: Actor, trigger: 'schedule' | 'admin' | 'seed') {
    const rows = await db.tenant(actor.partnershipId, (tx) =>
      suggestionsRepository.trainingExamples(tx, MAX_TRAINING_EXAMPLES),
    );
    // Training happens outside any transaction: it takes a second or two and holds no locks.
    const { model, evaluation } = await trainAndEvaluate(
      rows.map((r) => ({
        id: r.id,
        text: r.description,
        topic: r.topic,
        lead: r.lead,
        // A label staff confirmed or corrected against a suggestion is the surest there is.
        weight: r.decision ? 2 : 1,
      })),
    );
    return db.tenant(actor.partnershipId, async (tx) => {
      const modelId = await suggestionsRepository.insertModel(tx, {
        partnershipId: actor.partnershipId,
        trigger,
        trainedByStaffId: actor.staffId,
        examples: evaluation.examples,
        heldOut: evaluation.heldOut,
        evaluation: evaluation as unknown as Record<string, unknown>,
        model,
      });
      await suggestionsRepository.pruneModels(tx, MODELS_KEPT);
      await audit(tx, actor, {
        action: 'suggestions.model.trained',
        entityType: 'suggestion_model',
        entityId: modelId,
        details: { trigger, examples: evaluation.examples, heads: Object.keys(model.heads) },
      });
      const suggested = await suggestPendingIn(tx, actor.partnershipId);
      return { ok: true as const, modelId, evaluation, suggested };
    });
  }

  return {
    retrain,

    /** On demand, from the admin page or the API. */
    async retrainNow(actor: Actor) {
      if (!can(actor.roles, 'suggestions.manage'))
        return { ok: false as const, problem: 'forbidden' as const };
      return retrain(actor, 'admin');
    },

    /**
     * The housekeeping timer's job: retrain each partnership's classifier when it is due, and make
     * sure every new concern has its suggestion. Returns the partnerships retrained.
     */
    async scheduled(now: Date = new Date()) {
      const retrained: string[] = [];
      for (const p of await deps.partnerships.all()) {
        const due = await db.tenant(p.id, async (tx) => {
          const header = await suggestionsRepository.latestModelHeader(tx);
          if (!header) return true;
          const age = now.getTime() - header.createdAt.getTime();
          if (age >= RETRAIN_AFTER) return true;
          return (
            age >= RETRAIN_AFTER_DECISIONS &&
            (await suggestionsRepository.decisionsSince(tx, header.createdAt)) > 0
          );
        });
        if (due) {
          await retrain(systemActor(p.id), 'schedule');
          retrained.push(p.id);
        } else {
          await db.tenant(p.id, (tx) => suggestPendingIn(tx, p.id));
        }
      }
      return retrained;
    },

    /**
     * The suggestion panel on the concern page, for those who triage; undefined for everyone else.
     * A new concern without a suggestion gets one now, so none waits for the schedule.
     */
    async forConcern(actor: Actor, reference: string) {
      if (!canTriage(actor)) return undefined;
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return undefined;
        const { concern } = found;
        let row: SuggestionRow | undefined = await suggestionsRepository.findForConcern(tx, concern.id);
        if (concern.status === 'new' && (!row || row.decision === null)) {
          const current = await currentClassifier(tx, actor.partnershipId);
          if (!row || (current && row.modelId !== current.modelId)) {
            await suggestIn(tx, actor.partnershipId, concern, current);
            row = await suggestionsRepository.findForConcern(tx, concern.id);
          }
        }
        if (!row) return undefined;
        const organisations = await tenancyRepository.listOrganisations(tx);
        const orgName = (id: string | null) => organisations.find((o) => o.id === id)?.name ?? null;
        return {
          topic: row.topic,
          topicConfidence: row.topicConfidence,
          lead: row.leadOrganisationId
            ? { id: row.leadOrganisationId, name: orgName(row.leadOrganisationId) }
            : null,
          leadConfidence: row.leadConfidence,
          withheldReason: row.withheldReason,
          decision: row.decision,
          decidedTopic: row.decidedTopic,
          decidedLead: row.decidedLeadOrganisationId
            ? { id: row.decidedLeadOrganisationId, name: orgName(row.decidedLeadOrganisationId) }
            : null,
          decidedAt: row.decidedAt,
          mayDecide:
            row.decision === null &&
            isOpen(concern.status) &&
            (row.topic !== null || row.leadOrganisationId !== null),
          currentTopic: concern.topic,
          currentLead: concern.leadOrganisationId,
          organisations,
          topics: TOPICS,
        };
      });
    },

    /**
     * Staff accept or change a suggestion (or dismiss it). Accepting or changing sets the topic and
     * lead through the concerns service, so its rules, events and audit apply; the decision is
     * recorded in the same transaction, and a second submit of the same form changes nothing.
     */
    async decide(actor: Actor, reference: string, input: DecisionInput) {
      if (!canTriage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      try {
        return await db.tenant(actor.partnershipId, async (tx) => {
          const found = await findVisibleConcern(tx, actor, reference);
          if (!found) return { ok: false as const, problem: 'notFound' as const };
          const { concern } = found;
          const row = await suggestionsRepository.findForConcern(tx, concern.id);
          if (!row) return { ok: false as const, problem: 'noSuggestion' as const };
          if (row.decision !== null) return { ok: true as const, already: true };
          let topic: Topic | undefined;
          let lead: string | undefined;
          if (input.decision === 'accept') {
            topic = row.topic && isOneOf(TOPICS, row.topic) ? row.topic : undefined;
            lead = row.leadOrganisationId ?? undefined;
            if (!topic && !lead) return { ok: false as const, problem: 'noSuggestion' as const };
          } else if (input.decision === 'change') {
            if (!input.topic || !isOneOf(TOPICS, input.topic))
              return { ok: false as const, problem: 'topicRequired' as const };
            if (!input.leadOrganisationId) return { ok: false as const, problem: 'leadRequired' as const };
            topic = input.topic;
            lead = input.leadOrganisationId;
          }
          if (topic) {
            const changed = await deps.concerns.changeTopicIn(tx, actor, concern.reference, topic);
            if (!changed.ok) throw new Rollback(changed.problem);
          }
          if (lead && lead !== concern.leadOrganisationId) {
            const supporting = (await suggestionsRepository.supportingOrganisations(tx, concern.id))
              .map((s) => s.organisationId)
              .filter((o) => o !== lead);
            const shared = await deps.concerns.shareIn(tx, actor, concern.reference, lead, supporting);
            if (!shared.ok) throw new Rollback(shared.problem);
          }
          const decision =
            input.decision === 'accept' ? 'accepted' : input.decision === 'change' ? 'changed' : 'dismissed';
          await suggestionsRepository.recordDecision(tx, concern.id, {
            decision,
            decidedTopic: topic ?? null,
            decidedLeadOrganisationId: lead ?? null,
            decidedByStaffId: actor.staffId,
          });
          await audit(tx, actor, {
            action: 'suggestion.decided',
            entityType: 'concern',
            entityId: concern.id,
            details: {
              decision,
              suggested: { topic: row.topic, lead: row.leadOrganisationId },
              chosen: { topic: topic ?? null, lead: lead ?? null },
            },
          });
          return { ok: true as const, already: false };
        });
      } catch (err) {
        if (err instanceof Rollback) return { ok: false as const, problem: err.problem };
        throw err;
      }
    },

    /** The admin page: how the current model did on held-back data, and how staff have decided. */
    async overview(actor: Actor, now: Date = new Date()) {
      if (!can(actor.roles, 'suggestions.manage'))
        return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const models = await suggestionsRepository.listModels(tx, MODELS_KEPT);
        const decisions = await suggestionsRepository.decisionCounts(
          tx,
          new Date(now.getTime() - 90 * 24 * HOUR),
        );
        const organisations = await tenancyRepository.listOrganisations(tx);
        return {
          ok: true as const,
          models: models.map((m) => ({ ...m, evaluation: m.evaluation as unknown as Evaluation })),
          decisions: Object.fromEntries(decisions.map((d) => [d.decision!, d.count])) as Partial<
            Record<'accepted' | 'changed' | 'dismissed', number>
          >,
          organisationNames: Object.fromEntries(organisations.map((o) => [o.id, o.name])) as Record<
            string,
            string
          >,
        };
      });
    },
  };
}

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;
