import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { paths, withQuery } from '../../platform/paths.js';
import { TOPICS } from '../concerns/vocabulary.js';
import { MAX_BYTES } from './geojson.js';
import { buildMapView, countText } from './map-view.js';
import { boundaryOf, MultipartError, parseMultipart, type UploadedFile } from './multipart.js';
import { importForm, mapQuery } from './places.schema.js';
import { MEASURES, PERIODS, type PlacesService } from './places.service.js';

/** Room for the largest boundary file we accept plus the form around it. */
export const UPLOAD_LIMIT = MAX_BYTES + 1024 * 1024;

const isFile = (v: unknown): v is UploadedFile =>
  typeof v === 'object' && v !== null && typeof (v as UploadedFile).content === 'string';

/** Staff pages: the map of concerns by area, and the admins' boundary import. */
export function placesPages(app: FastifyInstance, places: PlacesService) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  // The upload form posts multipart/form-data so a file input works without JavaScript. This parser is
  // registered in this plugin's scope only.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
    (request, body, done) => {
      const boundary = boundaryOf(request.headers['content-type']);
      try {
        if (!boundary) throw new MultipartError('no boundary');
        done(null, parseMultipart(body as Buffer, boundary));
      } catch (err) {
        if (!(err instanceof MultipartError)) throw err;
        done(Object.assign(new Error('The form could not be read.'), { statusCode: 400 }), undefined);
      }
    },
  );

  app.get(paths.places.map(), { preHandler: requireStaff('places.view') }, async (request, reply) => {
    const filters = mapQuery.parse(request.query ?? {});
    const result = await places.map(actor(request), filters);
    if (!result.ok) return reply.sendError('forbidden');
    const t = request.t;
    const view = buildMapView(result.areas, t, request.lang);
    const measure = t(`places.map.measures.${filters.measure}`);
    const topic = filters.topic ? t(`share.vocab.topic.${filters.topic}`) : undefined;
    const period = t(`places.map.periods.${filters.period}`);
    const title = topic
      ? t('places.map.titleTopic', { measure, topic, period })
      : t('places.map.titleAll', { measure, period });
    return reply.view('places/views/map.njk', {
      pageTitle: t('places.map.pageTitle'),
      mapTitle: title,
      filters,
      measures: MEASURES,
      periods: PERIODS,
      topics: TOPICS,
      view,
      unplaced: countText(result.unplaced, t, request.lang),
      attributions: result.attributions,
      mayImport: request.staff!.roles.includes('partnership_admin'),
    });
  });

  async function renderImport(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
      values?: Record<string, unknown>;
    } = {},
  ) {
    const result = await places.imports(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const done = (request.query as { done?: string } | undefined)?.done;
    const t = request.t;
    return reply.view('places/views/import.njk', {
      pageTitle: t('places.import.title'),
      imports: result.imports,
      done: extra.errors ? undefined : result.imports.find((i) => i.id === done),
      errors: extra.errors ?? [],
      fieldErrors: extra.fieldErrors ?? {},
      values: extra.values ?? { group: t('places.import.defaultGroup') },
    });
  }

  const manage = { preHandler: requireStaff('places.manage') };
  app.get(paths.places.import(), manage, async (request, reply) => renderImport(request, reply));

  app.post(paths.places.import(), { ...manage, bodyLimit: UPLOAD_LIMIT }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const t = request.t;
    const values = Object.fromEntries(
      Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== 'geojson'),
    );
    const parsed = parseForm(importForm, values, t);
    const file = isFile(body.file) && body.file.content.trim() !== '' ? body.file : undefined;
    const pasted = typeof body.geojson === 'string' && body.geojson.trim() !== '' ? body.geojson : undefined;
    const errors: FieldError[] = [];
    const fieldErrors: Record<string, string> = {};
    if (!file && !pasted) {
      const text = t('places.import.errors.fileRequired');
      errors.push({ href: '#file', text });
      fieldErrors.file = text;
    }
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      Object.assign(fieldErrors, parsed.byField);
    }
    if (errors.length > 0 || !parsed.ok) {
      reply.code(400);
      return renderImport(request, reply, { errors, fieldErrors, values });
    }
    const outcome = await places.importBoundaries(actor(request), {
      ...parsed.value,
      filename: file?.filename || t('places.import.pastedName'),
      text: file?.content ?? pasted!,
    });
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
      const text = t('places.import.problem', {
        detail: t(`places.import.problems.${outcome.detail.key}`, outcome.detail.vars),
      });
      reply.code(400);
      return renderImport(request, reply, {
        errors: [{ href: '#file', text }],
        fieldErrors: { file: text },
        values,
      });
    }
    return reply.redirect(withQuery(paths.places.import(), { done: outcome.summary.importId }));
  });
}
