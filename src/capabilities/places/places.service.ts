import type { Database, Tx } from '../../platform/db/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import { suppressEach, type Published } from '../../platform/suppression.js';
import { locate, type BBox, type MultiPolygon } from './geo.js';
import { parseBoundaries, type BoundaryFeature, type ImportProblem } from './geojson.js';
import { placesRepository, type Measure } from './places.repository.js';

export const MEASURES = ['all', 'open', 'overdue', 'urgent'] as const satisfies readonly Measure[];
export const PERIODS = ['quarter', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

const DAY = 24 * 3_600_000;
const PERIOD_DAYS: Record<Period, number | undefined> = { quarter: 91, year: 365, all: undefined };

export interface MapFilters {
  measure: Measure;
  topic?: string | undefined;
  period: Period;
}

export interface ImportInput {
  filename: string;
  text: string;
  attribution: string;
  /** The group new areas join (e.g. a district); matched areas keep theirs. */
  group: string;
  codeProperty?: string | undefined;
  nameProperty?: string | undefined;
}

export interface ImportSummary {
  importId: string;
  features: number;
  updated: number;
  added: number;
  addedNames: string[];
}

/** Names compared loosely: "St. David's" matches "St Davids", "&" matches "and". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Which existing area each feature is: by code first (ONS codes are stable), then by name when the
 * name is unambiguous and that area is not already taken by another feature.
 */
export function matchFeatures<A extends { id: string; code: string; name: string }>(
  features: readonly BoundaryFeature[],
  existing: readonly A[],
): { feature: BoundaryFeature; area: A | undefined }[] {
  const byCode = new Map(existing.map((a) => [a.code.toLowerCase(), a]));
  const byName = new Map<string, A[]>();
  for (const a of existing) byName.set(nameKey(a.name), [...(byName.get(nameKey(a.name)) ?? []), a]);
  const taken = new Set<string>();
  const matched = features.map((feature) => {
    const area = feature.code ? byCode.get(feature.code.toLowerCase()) : undefined;
    if (area) taken.add(area.id);
    return { feature, area };
  });
  return matched.map(({ feature, area }) => {
    if (area || !feature.name) return { feature, area };
    const candidates = (byName.get(nameKey(feature.name)) ?? []).filter((a) => !taken.has(a.id));
    // A feature whose code is another area's is not a rename of this one.
    const byNameArea =
      candidates.length === 1 && !(feature.code && byCode.has(feature.code.toLowerCase()))
        ? candidates[0]
        : undefined;
    if (byNameArea) taken.add(byNameArea.id);
    return { feature, area: byNameArea };
  });
}

/**
 * The area a point is in, for a concern that came with a location but no area. Runs inside the
 * caller's transaction, so row-level security limits it to the concern's own partnership.
 */
export async function locateArea(tx: Tx, latitude: number, longitude: number): Promise<string | null> {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  const candidates = await placesRepository.candidatesAt(tx, longitude, latitude);
  const found = locate(
    longitude,
    latitude,
    candidates.map((c) => ({
      id: c.id,
      code: c.code,
      geometry: c.geometry,
      bbox: { minLng: c.minLng, minLat: c.minLat, maxLng: c.maxLng, maxLat: c.maxLat },
    })),
  );
  return found?.id ?? null;
}

export interface MapArea {
  id: string;
  code: string;
  name: string;
  groupName: string;
  geometry: MultiPolygon | null;
  bbox: BBox | null;
  cell: Published;
}

/** Imports boundaries in one transaction: every feature lands, or (on any problem) none does. */
async function importInto(
  tx: Tx,
  actor: Actor,
  input: ImportInput,
  features: BoundaryFeature[],
): Promise<ImportSummary> {
  const existing = await placesRepository.listAreas(tx);
  const matched = matchFeatures(features, existing);
  const importId = await placesRepository.insertImport(tx, {
    partnershipId: actor.partnershipId,
    filename: input.filename,
    attribution: input.attribution,
    features: features.length,
    updated: matched.filter((m) => m.area).length,
    added: matched.filter((m) => !m.area).length,
    importedByStaffId: actor.staffId,
  });
  const addedNames: string[] = [];
  for (const { feature, area } of matched) {
    let areaId = area?.id;
    if (!areaId) {
      const name = feature.name ?? feature.code!;
      areaId = await placesRepository.insertArea(tx, {
        partnershipId: actor.partnershipId,
        code: feature.code ?? name,
        name,
        groupName: input.group,
      });
      addedNames.push(name);
    }
    await placesRepository.upsertBoundary(tx, {
      partnershipId: actor.partnershipId,
      areaId,
      importId,
      geometry: feature.geometry,
      bbox: feature.bbox,
    });
  }
  const summary = {
    importId,
    features: features.length,
    updated: features.length - addedNames.length,
    added: addedNames.length,
    addedNames,
  };
  await audit(tx, actor, {
    action: 'places.boundaries.imported',
    entityType: 'boundary_import',
    entityId: importId,
    details: {
      filename: input.filename,
      features: summary.features,
      updated: summary.updated,
      added: summary.added,
    },
  });
  return summary;
}

export function createPlacesService(db: Database) {
  return {
    async importBoundaries(
      actor: Actor,
      input: ImportInput,
    ): Promise<
      | { ok: true; summary: ImportSummary }
      | { ok: false; problem: 'forbidden' }
      | { ok: false; problem: 'invalidFile'; detail: ImportProblem }
    > {
      if (!can(actor.roles, 'places.manage')) return { ok: false, problem: 'forbidden' };
      const parsed = parseBoundaries(input.text, {
        codeProperty: input.codeProperty,
        nameProperty: input.nameProperty,
      });
      if (!parsed.ok) return { ok: false, problem: 'invalidFile', detail: parsed.problem };
      const summary = await db.tenant(actor.partnershipId, (tx) =>
        importInto(tx, actor, input, parsed.features),
      );
      return { ok: true, summary };
    },

    /** The import page: recent imports. */
    async imports(actor: Actor) {
      if (!can(actor.roles, 'places.manage')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        imports: await placesRepository.listImports(tx),
      }));
    },

    /**
     * The choropleth's data: each area with its boundary and its count for the measure, suppressed.
     * Counts below 5 are shown as "fewer than 5" even to staff: the map is made to be printed and
     * shared at partnership meetings, and a small count in a small ward can point at a person.
     */
    async map(actor: Actor, filters: MapFilters, now: Date = new Date()) {
      if (!can(actor.roles, 'places.view')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const days = PERIOD_DAYS[filters.period];
        const [areaRows, counts, attributions] = [
          await placesRepository.listAreas(tx),
          await placesRepository.countByArea(tx, {
            measure: filters.measure,
            topic: filters.topic,
            since: days ? new Date(now.getTime() - days * DAY) : undefined,
            now,
          }),
          await placesRepository.listAttributionsInUse(tx),
        ];
        const byArea = new Map(counts.map((c) => [c.areaId, c.count]));
        const raw = areaRows.map((a) => byArea.get(a.id) ?? 0);
        const unplaced = byArea.get(null) ?? 0;
        // Published with no totals, so the small-number rule alone protects each figure.
        const [unplacedCell, ...cells] = suppressEach([unplaced, ...raw]);
        const areas: MapArea[] = areaRows.map((a, i) => ({
          id: a.id,
          code: a.code,
          name: a.name,
          groupName: a.groupName,
          geometry: a.geometry,
          bbox:
            a.minLng === null
              ? null
              : { minLng: a.minLng, minLat: a.minLat!, maxLng: a.maxLng!, maxLat: a.maxLat! },
          cell: cells[i]!,
        }));
        return {
          ok: true as const,
          areas,
          unplaced: unplacedCell!,
          attributions: attributions.map((a) => a.attribution),
        };
      });
    },

    async areas(actor: Actor) {
      if (!can(actor.roles, 'places.view')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        areas: await placesRepository.listAreas(tx),
        attributions: (await placesRepository.listAttributionsInUse(tx)).map((a) => a.attribution),
      }));
    },

    async area(actor: Actor, id: string) {
      if (!can(actor.roles, 'places.view')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const area = await placesRepository.findArea(tx, id);
        return area ? { ok: true as const, area } : { ok: false as const, problem: 'notFound' as const };
      });
    },
  };
}

export type PlacesService = ReturnType<typeof createPlacesService>;

/** For the seed and the CLI: an import as the system, inside a transaction the caller holds. */
export async function importBoundariesIn(
  tx: Tx,
  actor: Actor,
  input: ImportInput,
): Promise<{ ok: true; summary: ImportSummary } | { ok: false; detail: ImportProblem }> {
  const parsed = parseBoundaries(input.text, {
    codeProperty: input.codeProperty,
    nameProperty: input.nameProperty,
  });
  if (!parsed.ok) return { ok: false, detail: parsed.problem };
  return { ok: true, summary: await importInto(tx, actor, input, parsed.features) };
}
