import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/forms.js';
import { TOPICS } from '../concerns/vocabulary.js';
import { MEASURES, PERIODS } from './places.service.js';

/** The map's choices; anything unknown falls back to the default rather than failing the page. */
export const mapQuery = z.object({
  measure: z.enum(MEASURES).catch('all'),
  topic: z.enum(TOPICS).optional().catch(undefined),
  period: z.enum(PERIODS).catch('year'),
});
export type MapQuery = z.infer<typeof mapQuery>;

/** The upload form's text fields (the file itself is read apart: it may arrive as a file or pasted). */
export const importForm = z.object({
  attribution: requiredText(
    1000,
    'places.import.errors.attributionRequired',
    'places.import.errors.attributionTooLong',
  ),
  group: requiredText(100, 'places.import.errors.groupRequired', 'places.import.errors.groupTooLong'),
  codeProperty: optionalText(60, 'places.import.errors.propertyTooLong'),
  nameProperty: optionalText(60, 'places.import.errors.propertyTooLong'),
});

// --- API ---

const published = z
  .discriminatedUnion('state', [
    z.object({ state: z.literal('shown'), value: z.number().int() }),
    z.object({ state: z.literal('small') }),
    z.object({ state: z.literal('withheld') }),
  ])
  .describe('A count as published: shown, "small" (fewer than 5) or withheld to protect a small count');

const bbox = z.object({ minLng: z.number(), minLat: z.number(), maxLng: z.number(), maxLat: z.number() });

export const areasResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      group: z.string(),
      hasBoundary: z.boolean(),
      bbox: bbox.nullable(),
    }),
  ),
  attributions: z.array(z.string()),
});

export const areaParams = z.object({ id: z.uuid() });

export const areaResponse = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  properties: z.object({ code: z.string(), name: z.string(), group: z.string() }),
  geometry: z
    .object({
      type: z.literal('MultiPolygon'),
      coordinates: z.array(z.array(z.array(z.array(z.number())))),
    })
    .nullable(),
});

export const apiImportBody = z.object({
  filename: z.string().trim().min(1).max(200).default('api-upload.geojson'),
  geojson: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .describe(
      'A GeoJSON FeatureCollection (or Feature) of Polygon/MultiPolygon boundaries, as an object or a string',
    ),
  attribution: z.string().trim().min(1).max(1000),
  group: z.string().trim().min(1).max(100),
  codeProperty: z.string().trim().max(60).optional(),
  nameProperty: z.string().trim().max(60).optional(),
});

export const importResponse = z.object({
  importId: z.string(),
  features: z.number().int(),
  updated: z.number().int(),
  added: z.number().int(),
  addedNames: z.array(z.string()),
});

export const apiMapQuery = z.object({
  measure: z.enum(MEASURES).default('all'),
  topic: z.enum(TOPICS).optional(),
  period: z.enum(PERIODS).default('year'),
});

export const mapResponse = z.object({
  measure: z.enum(MEASURES),
  topic: z.string().nullable(),
  period: z.enum(PERIODS),
  areas: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), count: published })),
  unplaced: published,
  attributions: z.array(z.string()),
});
