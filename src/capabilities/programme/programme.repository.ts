import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../platform/db/index.js';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, organisations } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';
import {
  concernThemes,
  programmeActions,
  programmeLinks,
  programmeMilestones,
  programmeOptOuts,
  programmePriorities,
  programmeThemes,
  programmeUpdates,
} from './programme.table.js';

export type PriorityRow = typeof programmePriorities.$inferSelect;
export type ThemeRow = typeof programmeThemes.$inferSelect;
export type ActionRow = typeof programmeActions.$inferSelect;
export type ActionInsert = typeof programmeActions.$inferInsert;
export type MilestoneRow = typeof programmeMilestones.$inferSelect;
export type UpdateRow = typeof programmeUpdates.$inferSelect;

const leadOrg = alias(organisations, 'lead_org');
const leadStaff = alias(staff, 'lead_staff');

/** Concerns merged into another are counted once, under the one they were merged into. */
const counted = ne(concerns.status, 'duplicate');

export const programmeRepository = {
  // --- Priorities and themes ------------------------------------------------------------------

  listPriorities(tx: Tx) {
    return tx
      .select()
      .from(programmePriorities)
      .orderBy(asc(programmePriorities.position), asc(programmePriorities.title));
  },

  async findPriority(tx: Tx, id: string) {
    const [row] = await tx.select().from(programmePriorities).where(eq(programmePriorities.id, id));
    return row;
  },

  async insertPriority(tx: Tx, row: typeof programmePriorities.$inferInsert) {
    const [created] = await tx.insert(programmePriorities).values(row).onConflictDoNothing().returning();
    return created;
  },

  async updatePriority(tx: Tx, id: string, values: Partial<typeof programmePriorities.$inferInsert>) {
    await tx.update(programmePriorities).set(values).where(eq(programmePriorities.id, id));
  },

  listThemes(tx: Tx) {
    return tx.select().from(programmeThemes).orderBy(asc(programmeThemes.name));
  },

  async findTheme(tx: Tx, id: string) {
    const [row] = await tx.select().from(programmeThemes).where(eq(programmeThemes.id, id));
    return row;
  },

  async insertTheme(tx: Tx, row: typeof programmeThemes.$inferInsert) {
    const [created] = await tx.insert(programmeThemes).values(row).onConflictDoNothing().returning();
    return created;
  },

  async updateTheme(tx: Tx, id: string, values: Partial<typeof programmeThemes.$inferInsert>) {
    await tx.update(programmeThemes).set(values).where(eq(programmeThemes.id, id));
  },

  // --- Tagging concerns -----------------------------------------------------------------------

  async themeIdsForConcern(tx: Tx, concernId: string): Promise<string[]> {
    const rows = await tx
      .select({ themeId: concernThemes.themeId })
      .from(concernThemes)
      .where(eq(concernThemes.concernId, concernId));
    return rows.map((r) => r.themeId);
  },

  async addConcernThemes(tx: Tx, rows: (typeof concernThemes.$inferInsert)[]) {
    if (rows.length > 0) await tx.insert(concernThemes).values(rows).onConflictDoNothing();
  },

  async removeConcernThemes(tx: Tx, concernId: string, themeIds: string[]) {
    if (themeIds.length === 0) return;
    await tx
      .delete(concernThemes)
      .where(and(eq(concernThemes.concernId, concernId), inArray(concernThemes.themeId, themeIds)));
  },

  /** Concerns tagged with each theme (optionally only those in an area). */
  async themeCounts(tx: Tx, areaId?: string): Promise<Map<string, number>> {
    const rows = await tx
      .select({ themeId: concernThemes.themeId, n: sql<number>`count(*)::int` })
      .from(concernThemes)
      .innerJoin(concerns, eq(concerns.id, concernThemes.concernId))
      .where(and(counted, areaId ? eq(concerns.areaId, areaId) : undefined))
      .groupBy(concernThemes.themeId);
    return new Map(rows.map((r) => [r.themeId, Number(r.n)]));
  },

  // --- Actions --------------------------------------------------------------------------------

  listActions(tx: Tx, where: { priorityId?: string; organisationId?: string; leadStaffId?: string } = {}) {
    return tx
      .select({
        action: programmeActions,
        priorityTitle: programmePriorities.title,
        leadOrganisationName: leadOrg.name,
        leadStaffName: leadStaff.name,
      })
      .from(programmeActions)
      .innerJoin(programmePriorities, eq(programmePriorities.id, programmeActions.priorityId))
      .innerJoin(leadOrg, eq(leadOrg.id, programmeActions.leadOrganisationId))
      .leftJoin(leadStaff, eq(leadStaff.id, programmeActions.leadStaffId))
      .where(
        and(
          where.priorityId ? eq(programmeActions.priorityId, where.priorityId) : undefined,
          where.organisationId
            ? sql`(${programmeActions.leadOrganisationId} = ${where.organisationId} or ${where.organisationId} = any(${programmeActions.partnerOrganisationIds}))`
            : undefined,
          where.leadStaffId ? eq(programmeActions.leadStaffId, where.leadStaffId) : undefined,
        ),
      )
      .orderBy(asc(programmePriorities.position), asc(programmeActions.dueDate), asc(programmeActions.title));
  },

  async findAction(tx: Tx, id: string) {
    const [row] = await tx
      .select({
        action: programmeActions,
        priorityTitle: programmePriorities.title,
        leadOrganisationName: leadOrg.name,
        leadStaffName: leadStaff.name,
      })
      .from(programmeActions)
      .innerJoin(programmePriorities, eq(programmePriorities.id, programmeActions.priorityId))
      .innerJoin(leadOrg, eq(leadOrg.id, programmeActions.leadOrganisationId))
      .leftJoin(leadStaff, eq(leadStaff.id, programmeActions.leadStaffId))
      .where(eq(programmeActions.id, id));
    return row;
  },

  /** Locks the action row, so two updates to one action are told to residents one after the other. */
  async lockAction(tx: Tx, id: string): Promise<ActionRow | undefined> {
    const [row] = await tx.select().from(programmeActions).where(eq(programmeActions.id, id)).for('update');
    return row;
  },

  async insertAction(tx: Tx, row: ActionInsert): Promise<ActionRow> {
    const [created] = await tx.insert(programmeActions).values(row).returning();
    return created!;
  },

  async updateAction(tx: Tx, id: string, values: Partial<ActionInsert>) {
    await tx
      .update(programmeActions)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(programmeActions.id, id));
  },

  // --- Milestones and updates -----------------------------------------------------------------

  listMilestones(tx: Tx, actionIds: string[]) {
    if (actionIds.length === 0) return Promise.resolve([] as MilestoneRow[]);
    return tx
      .select()
      .from(programmeMilestones)
      .where(inArray(programmeMilestones.actionId, actionIds))
      .orderBy(asc(programmeMilestones.dueDate), asc(programmeMilestones.title));
  },

  async insertMilestone(tx: Tx, row: typeof programmeMilestones.$inferInsert) {
    const [created] = await tx.insert(programmeMilestones).values(row).returning();
    return created!;
  },

  async completeMilestone(tx: Tx, actionId: string, id: string, at: Date): Promise<boolean> {
    const rows = await tx
      .update(programmeMilestones)
      .set({ doneAt: at })
      .where(
        and(
          eq(programmeMilestones.id, id),
          eq(programmeMilestones.actionId, actionId),
          isNull(programmeMilestones.doneAt),
        ),
      )
      .returning({ id: programmeMilestones.id });
    return rows.length > 0;
  },

  listUpdates(tx: Tx, actionIds: string[], publicOnly = false) {
    if (actionIds.length === 0) return Promise.resolve([] as (UpdateRow & { staffName: string | null })[]);
    return tx
      .select({
        id: programmeUpdates.id,
        partnershipId: programmeUpdates.partnershipId,
        actionId: programmeUpdates.actionId,
        body: programmeUpdates.body,
        links: programmeUpdates.links,
        figures: programmeUpdates.figures,
        visibility: programmeUpdates.visibility,
        staffId: programmeUpdates.staffId,
        createdAt: programmeUpdates.createdAt,
        staffName: staff.name,
      })
      .from(programmeUpdates)
      .leftJoin(staff, eq(staff.id, programmeUpdates.staffId))
      .where(
        and(
          inArray(programmeUpdates.actionId, actionIds),
          publicOnly ? eq(programmeUpdates.visibility, 'public') : undefined,
        ),
      )
      .orderBy(desc(programmeUpdates.createdAt), desc(programmeUpdates.id));
  },

  async insertUpdate(tx: Tx, row: typeof programmeUpdates.$inferInsert): Promise<UpdateRow> {
    const [created] = await tx.insert(programmeUpdates).values(row).returning();
    return created!;
  },

  // --- Links between concerns and actions -----------------------------------------------------

  async link(tx: Tx, row: typeof programmeLinks.$inferInsert): Promise<boolean> {
    const rows = await tx
      .insert(programmeLinks)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: programmeLinks.concernId });
    return rows.length > 0;
  },

  async unlink(tx: Tx, actionId: string, concernId: string): Promise<boolean> {
    const rows = await tx
      .delete(programmeLinks)
      .where(and(eq(programmeLinks.actionId, actionId), eq(programmeLinks.concernId, concernId)))
      .returning({ id: programmeLinks.concernId });
    return rows.length > 0;
  },

  /** What shaped an action: its linked concerns, with their area and themes (no personal data). */
  async linkedConcerns(tx: Tx, actionId: string) {
    const rows = await tx
      .select({
        id: concerns.id,
        reference: concerns.reference,
        kind: concerns.kind,
        topic: concerns.topic,
        status: concerns.status,
        createdAt: concerns.createdAt,
        areaName: areas.name,
        leadOrganisationId: concerns.leadOrganisationId,
        consentToShare: concerns.consentToShare,
        linkedAt: programmeLinks.createdAt,
        themes: sql<
          string[]
        >`coalesce((select array_agg(t.name order by t.name) from ${concernThemes} ct join ${programmeThemes} t on t.id = ct.theme_id where ct.concern_id = ${concerns.id}), '{}')`,
      })
      .from(programmeLinks)
      .innerJoin(concerns, eq(concerns.id, programmeLinks.concernId))
      .leftJoin(areas, eq(areas.id, concerns.areaId))
      .where(eq(programmeLinks.actionId, actionId))
      .orderBy(desc(concerns.createdAt));
    return rows;
  },

  /** How many counted concerns shaped each action (optionally only those from an area). */
  async linkCounts(tx: Tx, areaId?: string): Promise<Map<string, number>> {
    const rows = await tx
      .select({ actionId: programmeLinks.actionId, n: sql<number>`count(*)::int` })
      .from(programmeLinks)
      .innerJoin(concerns, eq(concerns.id, programmeLinks.concernId))
      .where(and(counted, areaId ? eq(concerns.areaId, areaId) : undefined))
      .groupBy(programmeLinks.actionId);
    return new Map(rows.map((r) => [r.actionId, Number(r.n)]));
  },

  actionsForConcern(tx: Tx, concernId: string) {
    return tx
      .select({ id: programmeActions.id, title: programmeActions.title, status: programmeActions.status })
      .from(programmeLinks)
      .innerJoin(programmeActions, eq(programmeActions.id, programmeLinks.actionId))
      .where(eq(programmeLinks.concernId, concernId))
      .orderBy(asc(programmeActions.title));
  },

  /** The people to tell about an action: linked concerns' contact choices (never shown on a page). */
  recipients(tx: Tx, actionId: string) {
    return tx
      .select({
        concernId: concerns.id,
        anonymous: concerns.anonymous,
        contactEmail: concerns.contactEmail,
        preferredContact: concerns.preferredContact,
        language: concerns.language,
        status: concerns.status,
      })
      .from(programmeLinks)
      .innerJoin(concerns, eq(concerns.id, programmeLinks.concernId))
      .where(eq(programmeLinks.actionId, actionId))
      .orderBy(asc(programmeLinks.createdAt), asc(concerns.id));
  },

  // --- Opt-outs -------------------------------------------------------------------------------

  async optedOut(tx: Tx, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await tx
      .select({ h: programmeOptOuts.addressHash })
      .from(programmeOptOuts)
      .where(inArray(programmeOptOuts.addressHash, hashes));
    return new Set(rows.map((r) => r.h));
  },

  async optOut(tx: Tx, partnershipId: string, addressHash: string) {
    await tx.insert(programmeOptOuts).values({ partnershipId, addressHash }).onConflictDoNothing();
  },

  // --- Choices for forms ----------------------------------------------------------------------

  listOrganisations(tx: Tx) {
    return tx
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.active, true))
      .orderBy(asc(organisations.name));
  },

  listStaff(tx: Tx) {
    return tx
      .select({ id: staff.id, name: staff.name, organisationId: staff.organisationId })
      .from(staff)
      .where(eq(staff.active, true))
      .orderBy(asc(staff.name));
  },

  listAreas(tx: Tx) {
    return tx.select({ id: areas.id, name: areas.name }).from(areas).orderBy(asc(areas.name));
  },
};
