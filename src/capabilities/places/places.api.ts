import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import { problemResponse } from '../concerns/concerns.schema.js';
import {
  apiImportBody,
  apiMapQuery,
  areaParams,
  areaResponse,
  areasResponse,
  importResponse,
  mapResponse,
} from './places.schema.js';
import type { PlacesService } from './places.service.js';
import { UPLOAD_LIMIT } from './places.routes.js';

const TAGS = ['Places'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };

/** The JSON API for areas, their boundaries, the boundary import and the counts behind the map. */
export function placesApi(app: FastifyInstance, places: PlacesService) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  api.get(
    paths.api.areas(),
    {
      onRequest: requireStaff('places.view'),
      schema: {
        tags: TAGS,
        summary: 'List areas, with whether each has a boundary and its bounding box',
        response: { 200: areasResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await places.areas(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return {
        items: result.areas.map((a) => ({
          id: a.id,
          code: a.code,
          name: a.name,
          group: a.groupName,
          hasBoundary: a.geometry !== null,
          bbox:
            a.minLng === null
              ? null
              : { minLng: a.minLng, minLat: a.minLat!, maxLng: a.maxLng!, maxLat: a.maxLat! },
        })),
        attributions: result.attributions,
      };
    },
  );

  api.get(
    decodeURIComponent(paths.api.area(':id')),
    {
      onRequest: requireStaff('places.view'),
      schema: {
        tags: TAGS,
        summary: 'One area as a GeoJSON Feature (geometry null when it has no boundary)',
        params: areaParams,
        response: { 200: areaResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await places.area(actor(request), request.params.id);
      if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
      const a = result.area;
      return {
        type: 'Feature' as const,
        id: a.id,
        properties: { code: a.code, name: a.name, group: a.groupName },
        geometry: a.geometry ? { type: 'MultiPolygon' as const, coordinates: a.geometry } : null,
      };
    },
  );

  api.post(
    paths.api.areaBoundaries(),
    {
      onRequest: requireStaff('places.manage'),
      bodyLimit: UPLOAD_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Import area boundaries from GeoJSON',
        description:
          'Polygon and MultiPolygon features in longitude/latitude (WGS84). Each is matched to an area by code, then by name; unmatched features become new areas in `group`. All or nothing.',
        body: apiImportBody,
        response: { 200: importResponse, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const outcome = await places.importBoundaries(actor(request), {
        filename: b.filename,
        text: typeof b.geojson === 'string' ? b.geojson : JSON.stringify(b.geojson),
        attribution: b.attribution,
        group: b.group,
        codeProperty: b.codeProperty || undefined,
        nameProperty: b.nameProperty || undefined,
      });
      if (!outcome.ok) {
        if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
        return reply.code(400).send({
          error: 'badRequest',
          problem: outcome.detail.key,
          message: request.t(`places.import.problems.${outcome.detail.key}`, outcome.detail.vars),
          correlationId: request.correlationId,
        });
      }
      return outcome.summary;
    },
  );

  api.get(
    paths.api.placesMap(),
    {
      onRequest: requireStaff('places.view'),
      schema: {
        tags: TAGS,
        summary: 'Concerns counted by area for a measure (counts below 5 are not given)',
        querystring: apiMapQuery,
        response: { 200: mapResponse, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const result = await places.map(actor(request), q);
      if (!result.ok) return reply.sendError('forbidden');
      return {
        measure: q.measure,
        topic: q.topic ?? null,
        period: q.period,
        areas: result.areas.map((a) => ({ id: a.id, code: a.code, name: a.name, count: a.cell })),
        unplaced: result.unplaced,
        attributions: result.attributions,
      };
    },
  );
}
