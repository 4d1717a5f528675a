import { and, desc, eq, gte, isNotNull, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { organisations } from '../../platform/tenancy/tenancy.table.js';
import { concerns, concernShares } from '../concerns/concerns.table.js';
import { concernSuggestions, suggestionModels } from './suggestions.table.js';

export type SuggestionRow = typeof concernSuggestions.$inferSelect;
export type ModelRow = typeof suggestionModels.$inferSelect;

export const suggestionsRepository = {
  /** The model in use: its id and age only, to decide whether the cached copy is still current. */
  async latestModelHeader(tx: Tx) {
    const [row] = await tx
      .select({ id: suggestionModels.id, createdAt: suggestionModels.createdAt })
      .from(suggestionModels)
      .orderBy(desc(suggestionModels.createdAt))
      .limit(1);
    return row;
  },

  async findModel(tx: Tx, id: string) {
    const [row] = await tx.select().from(suggestionModels).where(eq(suggestionModels.id, id));
    return row;
  },

  /** Recent models without their weights, for the admin page's history. */
  listModels(tx: Tx, limit = 5) {
    return tx
      .select({
        id: suggestionModels.id,
        trigger: suggestionModels.trigger,
        trainedByStaffId: suggestionModels.trainedByStaffId,
        examples: suggestionModels.examples,
        heldOut: suggestionModels.heldOut,
        evaluation: suggestionModels.evaluation,
        createdAt: suggestionModels.createdAt,
      })
      .from(suggestionModels)
      .orderBy(desc(suggestionModels.createdAt))
      .limit(limit);
  },

  async insertModel(tx: Tx, row: typeof suggestionModels.$inferInsert) {
    const [created] = await tx.insert(suggestionModels).values(row).returning({ id: suggestionModels.id });
    return created!.id;
  },

  /** Old models go once newer ones exist; suggestions they made keep their figures, not the link. */
  async pruneModels(tx: Tx, keep: number) {
    const kept = await tx
      .select({ id: suggestionModels.id })
      .from(suggestionModels)
      .orderBy(desc(suggestionModels.createdAt))
      .limit(keep);
    if (kept.length < keep) return;
    await tx.delete(suggestionModels).where(
      notInArray(
        suggestionModels.id,
        kept.map((k) => k.id),
      ),
    );
  },

  /**
   * What the classifier learns from: triaged concerns (a lead organisation chosen by staff), newest
   * first, with whether staff decided on a suggestion for them. Duplicates repeat another concern's
   * words, and inactive organisations can no longer lead, so both are left out.
   */
  trainingExamples(tx: Tx, limit: number) {
    return tx
      .select({
        id: concerns.id,
        description: concerns.description,
        topic: concerns.topic,
        lead: concerns.leadOrganisationId,
        decision: concernSuggestions.decision,
      })
      .from(concerns)
      .innerJoin(
        organisations,
        and(eq(organisations.id, concerns.leadOrganisationId), eq(organisations.active, true)),
      )
      .leftJoin(concernSuggestions, eq(concernSuggestions.concernId, concerns.id))
      .where(and(isNotNull(concerns.leadOrganisationId), ne(concerns.status, 'duplicate')))
      .orderBy(desc(concerns.createdAt))
      .limit(limit);
  },

  async findForConcern(tx: Tx, concernId: string) {
    const [row] = await tx
      .select()
      .from(concernSuggestions)
      .where(eq(concernSuggestions.concernId, concernId));
    return row;
  },

  /** Stores or replaces a suggestion that nobody has decided on yet. */
  async upsertUndecided(tx: Tx, row: typeof concernSuggestions.$inferInsert) {
    const { concernId: _c, partnershipId: _p, ...changes } = row;
    await tx
      .insert(concernSuggestions)
      .values(row)
      .onConflictDoUpdate({
        target: concernSuggestions.concernId,
        set: { ...changes, createdAt: new Date() },
        setWhere: isNull(concernSuggestions.decision),
      });
  },

  async recordDecision(
    tx: Tx,
    concernId: string,
    decision: {
      decision: 'accepted' | 'changed' | 'dismissed';
      decidedTopic: string | null;
      decidedLeadOrganisationId: string | null;
      decidedByStaffId: string | null;
    },
  ) {
    const updated = await tx
      .update(concernSuggestions)
      .set({ ...decision, decidedAt: new Date() })
      .where(and(eq(concernSuggestions.concernId, concernId), isNull(concernSuggestions.decision)))
      .returning({ concernId: concernSuggestions.concernId });
    return updated.length === 1;
  },

  /**
   * New concerns still waiting for a suggestion: none yet, or an undecided one from an older model
   * (or from before any model existed).
   */
  pending(tx: Tx, modelId: string, limit: number) {
    return tx
      .select({ id: concerns.id, description: concerns.description })
      .from(concerns)
      .leftJoin(concernSuggestions, eq(concernSuggestions.concernId, concerns.id))
      .where(
        and(
          eq(concerns.status, 'new'),
          or(
            isNull(concernSuggestions.concernId),
            and(
              isNull(concernSuggestions.decision),
              or(isNull(concernSuggestions.modelId), ne(concernSuggestions.modelId, modelId)),
            ),
          ),
        ),
      )
      .orderBy(desc(concerns.createdAt))
      .limit(limit);
  },

  supportingOrganisations(tx: Tx, concernId: string) {
    return tx
      .select({ organisationId: concernShares.organisationId })
      .from(concernShares)
      .where(and(eq(concernShares.concernId, concernId), eq(concernShares.role, 'supporting')));
  },

  /** How staff decided, since a date: the live measure of whether suggestions help. */
  decisionCounts(tx: Tx, since: Date) {
    return tx
      .select({ decision: concernSuggestions.decision, count: sql<number>`count(*)::int` })
      .from(concernSuggestions)
      .where(and(isNotNull(concernSuggestions.decision), gte(concernSuggestions.decidedAt, since)))
      .groupBy(concernSuggestions.decision);
  },

  async decisionsSince(tx: Tx, since: Date) {
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(concernSuggestions)
      .where(and(isNotNull(concernSuggestions.decision), gte(concernSuggestions.decidedAt, since)));
    return row?.count ?? 0;
  },
};
