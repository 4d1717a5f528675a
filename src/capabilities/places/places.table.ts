import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, partnerships } from '../../platform/tenancy/tenancy.table.js';
import type { MultiPolygon } from './geo.js';

/**
 * One upload of boundary data: where it came from and the attribution its licence requires, which the
 * map shows for as long as any of its boundaries are in use.
 */
export const boundaryImports = pgTable(
  'boundary_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    filename: text('filename').notNull(),
    attribution: text('attribution').notNull(),
    features: integer('features').notNull(),
    updated: integer('updated').notNull(),
    added: integer('added').notNull(),
    importedByStaffId: uuid('imported_by_staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('boundary_imports_partnership').on(t.partnershipId, t.createdAt.desc())],
);

/**
 * An area's boundary, kept apart from `areas` so a partnership without boundaries loses nothing. No
 * PostGIS (it must run on PGlite): the geometry is GeoJSON MultiPolygon coordinates in jsonb, and the
 * bounding box in plain columns lets a point lookup fetch only the few candidate areas.
 */
export const areaBoundaries = pgTable(
  'area_boundaries',
  {
    areaId: uuid('area_id')
      .primaryKey()
      .references(() => areas.id, { onDelete: 'cascade' }),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    importId: uuid('import_id')
      .notNull()
      .references(() => boundaryImports.id),
    geometry: jsonb('geometry').$type<MultiPolygon>().notNull(),
    minLng: doublePrecision('min_lng').notNull(),
    minLat: doublePrecision('min_lat').notNull(),
    maxLng: doublePrecision('max_lng').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('area_boundaries_bbox').on(t.partnershipId, t.minLng, t.maxLng)],
);
