import { aliasedTable, and, arrayOverlaps, asc, desc, eq, gte, isNull, ne } from 'drizzle-orm';
import { staff } from '../../platform/auth/auth.table.js';
import type { Tx } from '../../platform/db/index.js';
import { areas } from '../../platform/tenancy/tenancy.table.js';
import { tensionReportEvents, tensionReports } from './tension.table.js';

export type TensionReportRow = typeof tensionReports.$inferSelect;
export type TensionReportEventRow = typeof tensionReportEvents.$inferSelect;

const closer = aliasedTable(staff, 'closer');

/** Every query of tension monitoring; callers pass a tenant transaction, so RLS applies. */
export const tensionRepository = {
  async insert(tx: Tx, row: typeof tensionReports.$inferInsert) {
    const [created] = await tx.insert(tensionReports).values(row).returning();
    return created!;
  },

  /** Facts for the weekly picture and escalation: one area's, or every area's, since a day. */
  facts(tx: Tx, options: { areaId?: string; reviewedSince: string }) {
    return tx
      .select({
        id: tensionReports.id,
        areaId: tensionReports.areaId,
        reportedOn: tensionReports.reportedOn,
        reviewDate: tensionReports.reviewDate,
        level: tensionReports.level,
        closedAt: tensionReports.closedAt,
      })
      .from(tensionReports)
      .where(
        and(
          options.areaId ? eq(tensionReports.areaId, options.areaId) : undefined,
          // Reports whose review date passed before the window cannot affect it.
          gte(tensionReports.reviewDate, options.reviewedSince),
        ),
      );
  },

  list(tx: Tx, options: { areaId?: string; limit: number }) {
    return tx
      .select({
        id: tensionReports.id,
        areaId: tensionReports.areaId,
        areaName: areas.name,
        reportedOn: tensionReports.reportedOn,
        source: tensionReports.source,
        category: tensionReports.category,
        assessment: tensionReports.assessment,
        level: tensionReports.level,
        summary: tensionReports.summary,
        actions: tensionReports.actions,
        reviewDate: tensionReports.reviewDate,
        escalatedAt: tensionReports.escalatedAt,
        version: tensionReports.version,
        updatedAt: tensionReports.updatedAt,
        closedAt: tensionReports.closedAt,
        closedReason: tensionReports.closedReason,
        closedNote: tensionReports.closedNote,
        mergedIntoId: tensionReports.mergedIntoId,
      })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .where(options.areaId ? eq(tensionReports.areaId, options.areaId) : undefined)
      .orderBy(desc(tensionReports.reportedOn), desc(tensionReports.createdAt))
      .limit(options.limit);
  },

  async find(tx: Tx, id: string) {
    const [row] = await tx
      .select({
        report: tensionReports,
        areaName: areas.name,
        reportedByName: staff.name,
        closedByName: closer.name,
      })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .leftJoin(staff, eq(staff.id, tensionReports.reportedByStaffId))
      .leftJoin(closer, eq(closer.id, tensionReports.closedByStaffId))
      .where(eq(tensionReports.id, id));
    return row;
  },

  /** The report, locked until the transaction ends: two edits of one report run one after the other. */
  async findForUpdate(tx: Tx, id: string) {
    const [row] = await tx.select().from(tensionReports).where(eq(tensionReports.id, id)).for('update');
    return row;
  },

  async update(tx: Tx, id: string, values: Partial<typeof tensionReports.$inferInsert>) {
    const [row] = await tx.update(tensionReports).set(values).where(eq(tensionReports.id, id)).returning();
    return row!;
  },

  /** Reports a report can be merged into: the open ones other than itself, most recent first. */
  mergeTargets(tx: Tx, exceptId: string) {
    return tx
      .select({
        id: tensionReports.id,
        areaName: areas.name,
        reportedOn: tensionReports.reportedOn,
        category: tensionReports.category,
        level: tensionReports.level,
      })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .where(and(isNull(tensionReports.closedAt), ne(tensionReports.id, exceptId)))
      .orderBy(desc(tensionReports.reportedOn), desc(tensionReports.createdAt))
      .limit(100);
  },

  /** Reports closed as merged into this one. */
  mergedInto(tx: Tx, id: string) {
    return tx
      .select({
        id: tensionReports.id,
        areaName: areas.name,
        reportedOn: tensionReports.reportedOn,
        category: tensionReports.category,
      })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .where(eq(tensionReports.mergedIntoId, id))
      .orderBy(desc(tensionReports.reportedOn));
  },

  async insertEvent(tx: Tx, row: typeof tensionReportEvents.$inferInsert) {
    const [created] = await tx.insert(tensionReportEvents).values(row).returning();
    return created!;
  },

  /** A report's history, oldest first, with who made each change. */
  events(tx: Tx, reportId: string) {
    return tx
      .select({ event: tensionReportEvents, staffName: staff.name })
      .from(tensionReportEvents)
      .leftJoin(staff, eq(staff.id, tensionReportEvents.staffId))
      .where(eq(tensionReportEvents.reportId, reportId))
      .orderBy(asc(tensionReportEvents.createdAt), asc(tensionReportEvents.id));
  },

  /** Active staff holding any of these roles: the partnership leads. */
  leads(tx: Tx, roles: readonly string[]) {
    return tx
      .select({ id: staff.id, name: staff.name, email: staff.email })
      .from(staff)
      .where(and(eq(staff.active, true), arrayOverlaps(staff.roles, [...roles])))
      .orderBy(staff.email);
  },
};
