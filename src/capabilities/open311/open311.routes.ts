import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { parseForm } from '../../platform/forms.js';
import { rateLimitKey } from '../../platform/http/rate-limit.js';
import type { Translate } from '../../platform/i18n/index.js';
import { paths, withQuery, type Open311Format } from '../../platform/paths.js';
import type { PartnershipDirectory } from '../../platform/tenancy/tenancy.service.js';
import { formatReference, normaliseReference } from '../concerns/reference.js';
import { isOneOf, TOPICS } from '../concerns/vocabulary.js';
import { isOpen } from '../concerns/workflow.js';
import {
  adminKeyForm,
  adminServicesForm,
  apiKeyOf,
  ATTRIBUTES,
  parseDate,
  parseRequestsQuery,
  parseSubmission,
  serviceCodeOf,
  splitFile,
  type Problem,
} from './open311.schema.js';
import { requestWindow, splitMedia, type Open311Service } from './open311.service.js';
import { CONTENT_TYPES, serialise, type Data } from './open311.xml.js';

const FORMATS: readonly Open311Format[] = ['xml', 'json'];

/** When this API's shape last changed, for discovery's changeset. */
const CHANGESET = '2026-11-26T00:00:00Z';

/**
 * Posting requests, per client address and key: ample for a FixMyStreet-style server relaying its
 * users' reports, but a runaway client is stopped.
 */
const POST_LIMIT = { max: 100, timeWindow: '10 minutes' };

/** Open311's statuses are open and closed; the mySociety update feed carries finer ones clients map. */
const UPDATE_STATUS: Record<string, string> = {
  new: 'open',
  triaged: 'investigating',
  assigned: 'action_scheduled',
  in_progress: 'in_progress',
  resolved: 'fixed',
  duplicate: 'duplicate',
  referred: 'not_councils_responsibility',
  no_further_action: 'no_further_action',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** W3C date-time without milliseconds, as the spec's examples write them. */
export function w3c(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Six decimal places (about 10 cm) is all the spec asks for and all that is published. */
function sixPlaces(n: number | null): number | null {
  return n === null ? null : Number(n.toFixed(6));
}

/** The format a URL asks for, so even a 404 for a path we do not know answers in it. */
function formatOf(url: string): Open311Format {
  return url.split('?')[0]!.endsWith('.json') ? 'json' : 'xml';
}

function send(reply: FastifyReply, format: Open311Format, root: string, data: Data, status = 200) {
  return reply
    .code(status)
    .type(CONTENT_TYPES[format])
    .send(serialise(format, root, data));
}

function fail(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  return send(reply, format, 'errors', [{ code: status, description }], status);
}

type RequestRow = Awaited<ReturnType<Open311Service['requests']>>[number];

export interface Open311ApiOptions {
  open311: Open311Service;
  partnerships: PartnershipDirectory;
  /** English: Open311 clients are machines, and the spec's text fields are read by English-speaking clients. */
  t: Translate;
  rateLimitSecret: string;
}

/** The GeoReport v2 endpoints; registered with the /open311/v2 prefix so errors and 404s are the spec's. */
export function open311Api(app: FastifyInstance, opts: Open311ApiOptions) {
  const { open311, t } = opts;
  const base = paths.open311.base();
  const rel = (full: string) => full.slice(base.length);
  const problem = (reply: FastifyReply, format: Open311Format, p: Problem) =>
    fail(reply, format, p.status, t(p.key, p.vars));
  // Public pages take their partnership from the host; so does this API, even for a signed-in browser.
  const partnershipOf = (request: FastifyRequest) => opts.partnerships.forHost(request.hostname);
  const serviceName = (topic: string) => t(`share.vocab.topic.${topic}`);
  const ipKey = rateLimitKey(opts.rateLimitSecret);
  /** A route pattern from a path builder: paths.open311.request(':file', …) → /requests/:file. */
  const fileRoute = (build: (param: string, f: Open311Format) => string) =>
    rel(decodeURIComponent(build(':file', 'xml'))).replace(/\.xml$/, '');

  // Bodies are read with URLSearchParams, which keeps repeated names such as attribute[code][] intact
  // and in order (the site-wide form parser would fold brackets into objects).
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const format = formatOf(request.url);
    const status = error.statusCode ?? 500;
    if (status === 429) return fail(reply, format, 429, t('open311.errors.tooMany'));
    if (status >= 400 && status < 500) {
      request.log.info({ err: error }, 'open311 client error');
      return fail(reply, format, 400, t('open311.errors.malformed'));
    }
    request.log.error({ err: error, correlationId: request.correlationId }, 'open311 error');
    return fail(reply, format, 500, t('open311.errors.server', { id: request.correlationId }));
  });

  app.setNotFoundHandler((request, reply) =>
    fail(reply, formatOf(request.url), 404, t('open311.errors.notFound')),
  );

  // Published data, so any site may read it from a browser.
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET') reply.header('Access-Control-Allow-Origin', '*');
  });

  function requestData(r: RequestRow): Data {
    // Residents' own words can name people, so only text a client sent here for publishing is
    // published; anything that came another way (web form, email, phone) shows the service name.
    const viaOpen311 = r.channel === 'open311';
    const { text, mediaUrl } = splitMedia(r.description);
    const open = isOpen(r.status);
    return {
      service_request_id: formatReference(r.reference),
      status: open ? 'open' : 'closed',
      status_notes: r.latestPublicUpdate,
      service_name: serviceName(r.topic),
      service_code: r.topic,
      description: viaOpen311 ? text : t('open311.requests.placeholder', { service: serviceName(r.topic) }),
      agency_responsible: r.agency,
      service_notice: null,
      requested_datetime: w3c(r.createdAt),
      updated_datetime: w3c(r.publicUpdatedAt),
      expected_datetime: open ? w3c(r.respondDueAt) : null,
      address: viaOpen311 ? r.placeDescription : r.areaName,
      address_id: null,
      zipcode: null,
      lat: viaOpen311 ? sixPlaces(r.latitude) : null,
      long: viaOpen311 ? sixPlaces(r.longitude) : null,
      media_url: viaOpen311 ? mediaUrl : null,
    };
  }

  for (const format of FORMATS) {
    app.get(rel(paths.open311.discovery(format)), async (request, reply) => {
      const partnership = await partnershipOf(request);
      const origin = `${request.protocol}://${request.host}`;
      return send(reply, format, 'discovery', {
        changeset: CHANGESET,
        contact: t('open311.discovery.contact', { partnership: partnership.name }),
        key_service: t('open311.discovery.keyService', { partnership: partnership.name }),
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${origin}${base}`,
            changeset: CHANGESET,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
    });

    app.get(rel(paths.open311.services(format)), async (request, reply) => {
      const partnership = await partnershipOf(request);
      const services = await open311.services(partnership.id);
      return send(
        reply,
        format,
        'services',
        services.map((s) => ({
          service_code: s.topic,
          service_name: serviceName(s.topic),
          description: [
            t(`open311.services.description.${s.topic}`),
            s.public ? t('open311.services.published') : t('open311.services.notPublished'),
          ].join(' '),
          metadata: true,
          type: 'realtime',
          keywords: s.keywords ?? t(`open311.services.keywords.${s.topic}`),
          group: t(`open311.services.group.${s.topic}`),
        })),
      );
    });

    app.post(
      rel(paths.open311.requests(format)),
      {
        config: {
          // The api_key authenticates; no cookie is involved, so there is nothing to forge.
          skipCsrf: true,
          rateLimit: {
            ...POST_LIMIT,
            // After parsing, so the key in the body can be part of the limit's key.
            hook: 'preHandler',
            keyGenerator: (request: FastifyRequest) => {
              const key = request.body instanceof URLSearchParams ? request.body.get('api_key') : null;
              return `open311:${ipKey(request)}:${key ? hashToken(key).slice(0, 16) : '-'}`;
            },
          },
        },
      },
      async (request, reply) => {
        const partnership = await partnershipOf(request);
        if (request.body !== undefined && !(request.body instanceof URLSearchParams))
          return fail(reply, format, 400, t('open311.errors.formRequired'));
        const body = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
        const auth = await open311.authenticate(partnership.id, apiKeyOf(body, request.query));
        if (!auth.ok) return fail(reply, format, 403, t(`open311.errors.key.${auth.problem}`));
        const code = serviceCodeOf(body);
        if (!code.ok) return problem(reply, format, code.problem);
        const parsed = parseSubmission(body, code.value);
        if (!parsed.ok) return problem(reply, format, parsed.problem);
        const created = await open311.submit(auth.key, parsed.value, request.correlationId);
        return send(reply, format, 'service_requests', [
          {
            service_request_id: formatReference(created.reference),
            token: created.token,
            service_notice: t('open311.requests.notice'),
            account_id: null,
          },
        ]);
      },
    );

    app.get(rel(paths.open311.requests(format)), async (request, reply) => {
      const partnership = await partnershipOf(request);
      const parsed = parseRequestsQuery(request.query);
      if (!parsed.ok) return problem(reply, format, parsed.problem);
      const q = parsed.value;
      // Asking by id overrides every other filter, the date window included, as the spec says.
      if (q.references) {
        const rows = await open311.requests(partnership.id, { references: q.references });
        return send(reply, format, 'service_requests', rows.map(requestData));
      }
      const window = requestWindow(q.start, q.end);
      if (!window.ok) return fail(reply, format, 400, t(`open311.errors.window.${window.problem}`));
      const rows = await open311.requests(partnership.id, {
        topics: q.topics,
        states: q.states,
        from: window.from,
        to: window.to,
      });
      return send(reply, format, 'service_requests', rows.map(requestData));
    });

    app.get(rel(paths.open311.updates(format)), async (request, reply) => {
      const partnership = await partnershipOf(request);
      const query = (request.query ?? {}) as Record<string, unknown>;
      const start = parseDate(query.start_date);
      if (!start.ok) return problem(reply, format, start.problem);
      const end = parseDate(query.end_date);
      if (!end.ok) return problem(reply, format, end.problem);
      const window = requestWindow(start.value, end.value);
      if (!window.ok) return fail(reply, format, 400, t(`open311.errors.window.${window.problem}`));
      const updates = await open311.updates(partnership.id, window.from, window.to);
      return send(
        reply,
        format,
        'service_requests_updates',
        updates.map((u) => ({
          update_id: u.id,
          service_request_id: formatReference(u.reference),
          status: UPDATE_STATUS[u.statusThen] ?? (isOpen(u.statusThen) ? 'open' : 'closed'),
          updated_datetime: w3c(u.createdAt),
          // Public updates are written by staff for the public; a status change says only what it is.
          description:
            u.kind === 'public_update'
              ? (u.body ?? '')
              : t('open311.updates.statusChanged', { status: t(`concerns.vocab.status.${u.statusThen}`) }),
          media_url: null,
        })),
      );
    });
  }

  app.get(fileRoute(paths.open311.service), async (request, reply) => {
    const { file } = request.params as { file: string };
    const split = splitFile(file);
    if (!split) return fail(reply, formatOf(request.url), 404, t('open311.errors.notFound'));
    const { name: code, format } = split;
    if (!isOneOf(TOPICS, code)) return fail(reply, format, 404, t('open311.errors.serviceUnknown'));
    return send(reply, format, 'service_definition', {
      service_code: code,
      attributes: ATTRIBUTES.map((a, i) => ({
        variable: true,
        code: a.code,
        datatype: a.datatype,
        required: false,
        datatype_description: t(`open311.attributes.${a.code}.datatypeDescription`),
        order: i + 1,
        description: t(`open311.attributes.${a.code}.description`),
        values: a.values.map((key) => ({
          key,
          name:
            a.code === 'affected_groups'
              ? t(`share.vocab.group.${key}`)
              : t(`open311.attributes.${a.code}.values.${key}`),
        })),
      })),
    });
  });

  app.get(fileRoute(paths.open311.request), async (request, reply) => {
    const { file } = request.params as { file: string };
    const split = splitFile(file);
    const format = split?.format ?? formatOf(request.url);
    const reference = split ? normaliseReference(split.name) : undefined;
    if (!reference) return fail(reply, format, 404, t('open311.errors.requestNotFound'));
    const partnership = await partnershipOf(request);
    const rows = await open311.requests(partnership.id, { references: [reference] });
    if (rows.length === 0) return fail(reply, format, 404, t('open311.errors.requestNotFound'));
    return send(reply, format, 'service_requests', rows.map(requestData));
  });

  app.get(fileRoute(paths.open311.token), async (request, reply) => {
    const { file } = request.params as { file: string };
    const split = splitFile(file);
    const format = split?.format ?? formatOf(request.url);
    const partnership = await partnershipOf(request);
    const reference = split ? await open311.referenceForToken(partnership.id, split.name) : undefined;
    if (!split || !reference) return fail(reply, format, 404, t('open311.errors.tokenNotFound'));
    return send(reply, format, 'service_requests', [
      { service_request_id: formatReference(reference), token: split.name },
    ]);
  });
}

/** The administration page: keys, and which topics are published. */
export function open311Admin(app: FastifyInstance, open311: Open311Service) {
  const admin = { preHandler: requireStaff('staff.manage') };
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const NOTICES = ['revoked', 'saved'];

  async function render(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown> = {}) {
    const settings = await open311.settings(actor(request));
    if (!settings.ok) return reply.sendError('forbidden');
    const notice = (request.query as Record<string, string | undefined>).notice;
    return reply.view('open311/views/admin.njk', {
      pageTitle: request.t('open311.admin.title'),
      keys: settings.keys,
      topics: settings.topics,
      sensitiveNames: settings.topics
        .filter((topic) => topic.sensitive)
        .map((topic) => request.t(`share.vocab.topic.${topic.topic}`))
        .join(', '),
      apiAddress: `${request.protocol}://${request.host}${paths.open311.discovery('json')}`,
      values: {},
      notice: notice && NOTICES.includes(notice) ? notice : undefined,
      ...context,
    });
  }

  app.get(paths.open311.admin(), admin, async (request, reply) => render(request, reply));

  app.post(paths.open311.adminKeys(), admin, async (request, reply) => {
    const parsed = parseForm(adminKeyForm, request.body, request.t);
    if (!parsed.ok) {
      reply.code(400);
      return render(request, reply, {
        values: request.body,
        errors: parsed.errors,
        fieldErrors: parsed.byField,
      });
    }
    const outcome = await open311.createKey(actor(request), parsed.value.name);
    if (!outcome.ok) return reply.sendError('forbidden');
    // Shown this once; the page must not be kept by the browser or anything in between.
    reply.header('Cache-Control', 'no-store');
    return render(request, reply, { created: { name: outcome.key.name, secret: outcome.secret } });
  });

  app.post(decodeURIComponent(paths.open311.adminKeyRevoke(':id')), admin, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) return reply.sendError('notFound');
    const outcome = await open311.revokeKey(actor(request), id);
    if (!outcome.ok) return reply.sendError(outcome.problem === 'forbidden' ? 'forbidden' : 'notFound');
    return reply.redirect(withQuery(paths.open311.admin(), { notice: 'revoked' }));
  });

  app.post(paths.open311.adminServices(), admin, async (request, reply) => {
    const parsed = parseForm(adminServicesForm, request.body, request.t, { topics: 'topics' });
    if (!parsed.ok) {
      reply.code(400);
      return render(request, reply, { errors: parsed.errors, fieldErrors: parsed.byField });
    }
    const outcome = await open311.setPublicTopics(actor(request), parsed.value.topics);
    if (!outcome.ok) return reply.sendError('forbidden');
    return reply.redirect(withQuery(paths.open311.admin(), { notice: 'saved' }));
  });
}
