import type { Tx } from '../../platform/db/index.js';
import { concernsRepository } from './concerns.repository.js';
import { normaliseReference } from './reference.js';
import { canView, type ConcernAccessFacts, type Viewer } from './visibility.js';

/**
 * A concern by its reference, only if the viewer may see it, with what decided that. Every
 * capability that opens a concern for staff (the concern page, its emails, its files) asks here,
 * so the visibility rule is applied the same way everywhere.
 */
export async function findVisibleConcern(tx: Tx, viewer: Viewer, reference: string) {
  const ref = normaliseReference(reference);
  if (!ref) return undefined;
  const concern = await concernsRepository.findByReference(tx, ref);
  if (!concern) return undefined;
  const shares = await concernsRepository.listShares(tx, concern.id);
  const facts: ConcernAccessFacts = {
    sharedWith: shares.map((s) => s.organisationId),
    leadOrganisationId: concern.leadOrganisationId,
    consentToShare: concern.consentToShare,
  };
  return canView(viewer, facts) ? { concern, shares, facts } : undefined;
}
