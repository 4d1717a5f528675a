import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { auditLog } from './audit.table.js';

export type AuditInsert = typeof auditLog.$inferInsert;

export const auditRepository = {
  async insert(tx: Tx, row: AuditInsert): Promise<void> {
    await tx.insert(auditLog).values(row);
  },
  listForEntity(tx: Tx, entityType: string, entityId: string) {
    return tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
      .orderBy(asc(auditLog.at), asc(auditLog.id));
  },
};
