import { and, arrayOverlaps, desc, eq, gte } from 'drizzle-orm';
import { staff } from '../../platform/auth/auth.table.js';
import type { Tx } from '../../platform/db/index.js';
import { areas } from '../../platform/tenancy/tenancy.table.js';
import { tensionReports } from './tension.table.js';

export type TensionReportRow = typeof tensionReports.$inferSelect;

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
        areaId: tensionReports.areaId,
        reportedOn: tensionReports.reportedOn,
        reviewDate: tensionReports.reviewDate,
        level: tensionReports.level,
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
        reviewDate: tensionReports.reviewDate,
        escalatedAt: tensionReports.escalatedAt,
      })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .where(options.areaId ? eq(tensionReports.areaId, options.areaId) : undefined)
      .orderBy(desc(tensionReports.reportedOn), desc(tensionReports.createdAt))
      .limit(options.limit);
  },

  async find(tx: Tx, id: string) {
    const [row] = await tx
      .select({ report: tensionReports, areaName: areas.name, reportedByName: staff.name })
      .from(tensionReports)
      .innerJoin(areas, eq(areas.id, tensionReports.areaId))
      .leftJoin(staff, eq(staff.id, tensionReports.reportedByStaffId))
      .where(eq(tensionReports.id, id));
    return row;
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
