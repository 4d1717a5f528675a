import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { Tx } from '../../platform/db/index.js';
import { compile, predict, trainAndEvaluate } from './model.js';
import { suggestionsRepository } from './suggestions.repository.js';

/**
 * The demo partnership's classifier, trained inside the seed's transaction on the concerns it has
 * just seeded, with a suggestion for each concern still waiting for triage.
 */
export async function seedSuggestionsDemo(tx: Tx, actor: Actor): Promise<void> {
  const rows = await suggestionsRepository.trainingExamples(tx, 3000);
  const { model, evaluation } = await trainAndEvaluate(
    rows.map((r) => ({ id: r.id, text: r.description, topic: r.topic, lead: r.lead })),
  );
  const modelId = await suggestionsRepository.insertModel(tx, {
    partnershipId: actor.partnershipId,
    trigger: 'seed',
    trainedByStaffId: null,
    examples: evaluation.examples,
    heldOut: evaluation.heldOut,
    evaluation: evaluation as unknown as Record<string, unknown>,
    model,
  });
  await audit(tx, actor, {
    action: 'suggestions.model.trained',
    entityType: 'suggestion_model',
    entityId: modelId,
    details: { trigger: 'seed', examples: evaluation.examples, heads: Object.keys(model.heads) },
  });
  const classifier = compile(model);
  for (const concern of await suggestionsRepository.pending(tx, modelId, 500)) {
    const p = predict(classifier, concern.description);
    await suggestionsRepository.upsertUndecided(tx, {
      concernId: concern.id,
      partnershipId: actor.partnershipId,
      modelId,
      topic: p.topic?.label ?? null,
      topicConfidence: p.topic?.confidence ?? null,
      leadOrganisationId: p.lead?.label ?? null,
      leadConfidence: p.lead?.confidence ?? null,
      withheldReason: p.withheld ?? null,
    });
  }
}
