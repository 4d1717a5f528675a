import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { staff } from '../../platform/auth/auth.table.js';
import { organisations, partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';

/** The few lookups notifications need: who to write to, and what is overdue. */
export const notificationsRepository = {
  /** Partnerships are readable by the app role (they are looked up by host before a tenant is known). */
  async findPartnership(tx: Tx, id: string) {
    const [row] = await tx
      .select({
        name: partnerships.name,
        shortName: partnerships.shortName,
        inboundAddresses: partnerships.inboundAddresses,
      })
      .from(partnerships)
      .where(eq(partnerships.id, id));
    return row;
  },

  async findStaffContact(tx: Tx, id: string) {
    const [row] = await tx
      .select({ id: staff.id, email: staff.email, active: staff.active })
      .from(staff)
      .where(eq(staff.id, id));
    return row;
  },

  async findOrganisation(tx: Tx, id: string) {
    const [row] = await tx
      .select({ id: organisations.id, name: organisations.name, inboxEmail: organisations.inboxEmail })
      .from(organisations)
      .where(and(eq(organisations.id, id), eq(organisations.active, true)));
    return row;
  },

  /** Active organisation leads, with their organisation, for the daily digest. */
  listLeads(tx: Tx) {
    return tx
      .select({
        email: staff.email,
        organisationId: organisations.id,
        organisationName: organisations.name,
      })
      .from(staff)
      .innerJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(and(eq(staff.organisationLead, true), eq(staff.active, true), eq(organisations.active, true)))
      .orderBy(asc(organisations.name), asc(staff.email));
  },

  /** Open concerns led by an organisation that are past a target (the same rule as the queue's). */
  listOverdueLedBy(tx: Tx, organisationId: string, now: Date) {
    return tx
      .select({
        reference: concerns.reference,
        topic: concerns.topic,
        acknowledgeDueAt: concerns.acknowledgeDueAt,
        respondDueAt: concerns.respondDueAt,
        firstResponseAt: concerns.firstResponseAt,
      })
      .from(concerns)
      .where(
        and(
          eq(concerns.leadOrganisationId, organisationId),
          isNull(concerns.closedAt),
          or(
            lt(concerns.respondDueAt, now),
            and(isNull(concerns.firstResponseAt), lt(concerns.acknowledgeDueAt, now)),
          ),
        ),
      )
      .orderBy(asc(concerns.respondDueAt), asc(concerns.reference));
  },
};
