import type { Tx } from '../db/index.js';
import type { Actor } from '../auth/actor.js';
import { auditRepository } from './audit.repository.js';

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes an audit record inside the caller's transaction, so the record and the change it
 * describes are committed together or not at all.
 */
export async function audit(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
  await auditRepository.insert(tx, {
    partnershipId: actor.partnershipId,
    actorStaffId: actor.staffId,
    actorOrganisationId: actor.organisationId,
    actorLabel: actor.label,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId ?? null,
    correlationId: actor.correlationId,
    details: event.details ?? {},
  });
}

export function auditTrail(tx: Tx, entityType: string, entityId: string) {
  return auditRepository.listForEntity(tx, entityType, entityId);
}
