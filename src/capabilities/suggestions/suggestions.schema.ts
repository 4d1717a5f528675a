import { z } from 'zod';

/** The decision form on the concern page: accept, change (with the chosen topic and lead) or dismiss. */
export const decideForm = z.object({
  decision: z.enum(['accept', 'change', 'dismiss'], { message: 'suggestions.errors.decision' }),
  topic: z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined)),
  lead: z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined)),
});

// --- API ---

const guess = z.object({ value: z.string(), confidence: z.number() }).nullable();

export const suggestionResponse = z.object({
  reference: z.string(),
  topic: guess.describe('Suggested topic and the model’s confidence (0–1); null when it did not suggest one'),
  leadOrganisation: z
    .object({ id: z.string(), name: z.string().nullable(), confidence: z.number() })
    .nullable(),
  withheldReason: z
    .enum(['noModel', 'unfamiliarText', 'lowConfidence'])
    .nullable()
    .describe('Why nothing was suggested, when nothing was'),
  decision: z.enum(['accepted', 'changed', 'dismissed']).nullable(),
  decidedTopic: z.string().nullable(),
  decidedLeadOrganisationId: z.string().nullable(),
  decidedAt: z.string().nullable(),
});

export const apiDecideBody = z.object({
  decision: z.enum(['accept', 'change', 'dismiss']),
  topic: z.string().optional().describe('With "change": the topic to set'),
  leadOrganisationId: z.string().optional().describe('With "change": the lead organisation to set'),
});

const headEvaluation = z.object({
  heldOut: z.number(),
  accuracy: z.number(),
  coverage: z.number(),
  accuracyWhenSuggested: z.number(),
  baseline: z.number(),
  labels: z.array(z.object({ label: z.string(), examples: z.number(), correct: z.number() })),
});

export const modelResponse = z.object({
  model: z
    .object({
      id: z.string(),
      trainedAt: z.string(),
      trigger: z.string(),
      examples: z.number(),
      heldOut: z.number(),
      topic: headEvaluation.nullable(),
      lead: headEvaluation.nullable(),
    })
    .nullable(),
  decisionsLast90Days: z.object({ accepted: z.number(), changed: z.number(), dismissed: z.number() }),
});
