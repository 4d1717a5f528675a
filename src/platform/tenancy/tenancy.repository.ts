import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { areas, organisations, partnerships, responseTargets } from './tenancy.table.js';

export const tenancyRepository = {
  listPartnerships(tx: Tx) {
    return tx
      .select({
        id: partnerships.id,
        slug: partnerships.slug,
        name: partnerships.name,
        shortName: partnerships.shortName,
        hostnames: partnerships.hostnames,
        inboundAddresses: partnerships.inboundAddresses,
      })
      .from(partnerships)
      .orderBy(asc(partnerships.createdAt));
  },

  listOrganisations(tx: Tx) {
    return tx
      .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(eq(organisations.active, true))
      .orderBy(asc(organisations.name));
  },

  listAreas(tx: Tx) {
    return tx
      .select({ id: areas.id, code: areas.code, name: areas.name, groupName: areas.groupName })
      .from(areas)
      .orderBy(asc(areas.groupName), asc(areas.name));
  },

  async findArea(tx: Tx, id: string) {
    const [row] = await tx.select().from(areas).where(eq(areas.id, id));
    return row;
  },

  async findOrganisation(tx: Tx, id: string) {
    const [row] = await tx
      .select()
      .from(organisations)
      .where(and(eq(organisations.id, id), eq(organisations.active, true)));
    return row;
  },

  listResponseTargets(tx: Tx) {
    return tx
      .select({
        topic: responseTargets.topic,
        acknowledgeWorkingDays: responseTargets.acknowledgeWorkingDays,
        respondWorkingDays: responseTargets.respondWorkingDays,
      })
      .from(responseTargets);
  },
};
