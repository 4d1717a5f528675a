import { and, asc, desc, eq, gte, isNull, lte, ne, or, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { areas } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';
import type { BBox, MultiPolygon } from './geo.js';
import { areaBoundaries, boundaryImports } from './places.table.js';

export type Measure = 'all' | 'open' | 'overdue' | 'urgent';

export interface MeasureFilters {
  measure: Measure;
  topic?: string | undefined;
  since?: Date | undefined;
  now: Date;
}

export const placesRepository = {
  /** Every area with its boundary, if it has one. */
  listAreas(tx: Tx) {
    return tx
      .select({
        id: areas.id,
        code: areas.code,
        name: areas.name,
        groupName: areas.groupName,
        geometry: areaBoundaries.geometry,
        minLng: areaBoundaries.minLng,
        minLat: areaBoundaries.minLat,
        maxLng: areaBoundaries.maxLng,
        maxLat: areaBoundaries.maxLat,
      })
      .from(areas)
      .leftJoin(areaBoundaries, eq(areaBoundaries.areaId, areas.id))
      .orderBy(asc(areas.groupName), asc(areas.name));
  },

  async findArea(tx: Tx, id: string) {
    const [row] = await tx
      .select({
        id: areas.id,
        code: areas.code,
        name: areas.name,
        groupName: areas.groupName,
        geometry: areaBoundaries.geometry,
      })
      .from(areas)
      .leftJoin(areaBoundaries, eq(areaBoundaries.areaId, areas.id))
      .where(eq(areas.id, id));
    return row;
  },

  /** Areas whose bounding box holds the point: the few worth a point-in-polygon test. */
  candidatesAt(tx: Tx, lng: number, lat: number) {
    return tx
      .select({
        id: areas.id,
        code: areas.code,
        geometry: areaBoundaries.geometry,
        minLng: areaBoundaries.minLng,
        minLat: areaBoundaries.minLat,
        maxLng: areaBoundaries.maxLng,
        maxLat: areaBoundaries.maxLat,
      })
      .from(areaBoundaries)
      .innerJoin(areas, eq(areas.id, areaBoundaries.areaId))
      .where(
        and(
          lte(areaBoundaries.minLng, lng),
          gte(areaBoundaries.maxLng, lng),
          lte(areaBoundaries.minLat, lat),
          gte(areaBoundaries.maxLat, lat),
        ),
      );
  },

  async insertArea(tx: Tx, row: { partnershipId: string; code: string; name: string; groupName: string }) {
    const [created] = await tx.insert(areas).values(row).returning({ id: areas.id });
    return created!.id;
  },

  async insertImport(tx: Tx, row: typeof boundaryImports.$inferInsert) {
    const [created] = await tx.insert(boundaryImports).values(row).returning({ id: boundaryImports.id });
    return created!.id;
  },

  async upsertBoundary(
    tx: Tx,
    row: { partnershipId: string; areaId: string; importId: string; geometry: MultiPolygon; bbox: BBox },
  ) {
    const values = {
      partnershipId: row.partnershipId,
      areaId: row.areaId,
      importId: row.importId,
      geometry: row.geometry,
      ...row.bbox,
      updatedAt: new Date(),
    };
    await tx
      .insert(areaBoundaries)
      .values(values)
      .onConflictDoUpdate({
        target: areaBoundaries.areaId,
        set: {
          importId: values.importId,
          geometry: values.geometry,
          minLng: values.minLng,
          minLat: values.minLat,
          maxLng: values.maxLng,
          maxLat: values.maxLat,
          updatedAt: values.updatedAt,
        },
      });
  },

  listImports(tx: Tx, limit = 10) {
    return tx.select().from(boundaryImports).orderBy(desc(boundaryImports.createdAt)).limit(limit);
  },

  /** Attributions the map must show: those of every import still supplying a boundary. */
  listAttributionsInUse(tx: Tx) {
    return tx
      .selectDistinct({ attribution: boundaryImports.attribution })
      .from(boundaryImports)
      .where(
        sql`exists (select 1 from ${areaBoundaries} where ${areaBoundaries.importId} = ${boundaryImports.id})`,
      )
      .orderBy(asc(boundaryImports.attribution));
  },

  /** Concerns counted by area for a measure; those with no area come back under a null area id. */
  countByArea(tx: Tx, f: MeasureFilters) {
    // Merged duplicates were counted once already, under the concern they joined.
    const where: SQL[] = [ne(concerns.status, 'duplicate')];
    if (f.topic) where.push(eq(concerns.topic, f.topic));
    if (f.since) where.push(gte(concerns.createdAt, f.since));
    if (f.measure === 'open') where.push(isNull(concerns.closedAt));
    if (f.measure === 'urgent') where.push(eq(concerns.urgent, true));
    if (f.measure === 'overdue') {
      // The same rule as the triage queue's "overdue" filter.
      where.push(isNull(concerns.closedAt));
      where.push(
        or(
          lt(concerns.respondDueAt, f.now),
          and(isNull(concerns.firstResponseAt), lt(concerns.acknowledgeDueAt, f.now)),
        )!,
      );
    }
    return tx
      .select({ areaId: concerns.areaId, count: sql<number>`count(*)::int` })
      .from(concerns)
      .where(and(...where))
      .groupBy(concerns.areaId);
  },
};
