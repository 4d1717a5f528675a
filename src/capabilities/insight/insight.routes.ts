import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireAnyPermission, requireStaff } from '../../platform/auth/auth.plugin.js';
import { can } from '../../platform/auth/permissions.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { datePartsFrom, DATE_PARTS, partName } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { queueRequest } from '../concerns/concerns.routes.js';
import { queueQuery } from '../concerns/concerns.schema.js';
import { formatReference } from '../concerns/reference.js';
import { QUESTIONS } from './dashboard.js';
import { figureTable, toCsv, toXlsx, type ExportTable } from './export.js';
import type { InsightFilters } from './insight.repository.js';
import {
  exportForm,
  exportQuery,
  filtersQuery,
  filtersToQuery,
  populationFields,
  populationForm,
  readFilterDates,
  resolveFilters,
} from './insight.schema.js';
import type { InsightService } from './insight.service.js';
import { renderFigure } from './render.js';
import { isTopicGroup, TOPIC_GROUPS } from './topic-groups.js';

const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The filters in words, for a page and for the notes at the foot of an export. */
function describeFilters(
  request: FastifyRequest,
  f: InsightFilters,
  choices: { areas: { id: string; name: string }[]; organisations: { id: string; name: string }[] },
): string[] {
  const t = request.t;
  const day = (d: string) =>
    new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${d}T12:00:00Z`));
  const out = [t('insight.filters.range', { from: day(f.from), to: day(f.to) })];
  if (f.areaId)
    out.push(t('insight.filters.areaIs', { area: choices.areas.find((a) => a.id === f.areaId)?.name ?? '' }));
  if (isTopicGroup(f.topic))
    out.push(
      t(`insight.topicGroups.${f.topic}.summary`, {
        topics: TOPIC_GROUPS[f.topic]
          .map((x) => t(`share.vocab.topic.${x}`))
          .join(t('insight.topicGroups.or')),
      }),
    );
  else if (f.topic) out.push(t('insight.filters.topicIs', { topic: t(`share.vocab.topic.${f.topic}`) }));
  if (f.organisationId)
    out.push(
      t('insight.filters.organisationIs', {
        organisation: choices.organisations.find((o) => o.id === f.organisationId)?.name ?? '',
      }),
    );
  return out;
}

export function insightPages(app: FastifyInstance, services: Services & { insight: InsightService }) {
  const insight = services.insight;
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  /**
   * A filtered page's filters from its query. A range date whose boxes do not hold a date is shown
   * as an error, with what was typed, while the figures fall back to the default range.
   */
  function pageFilters(request: FastifyRequest, defaults: 'quarter' | 'year') {
    const { query, problems } = readFilterDates(request.query);
    const filters = resolveFilters(filtersQuery.parse(query), new Date(), defaults);
    const errors: FieldError[] = [];
    const fieldErrors: Record<string, string> = {};
    const dateValues: Record<string, string> = { from: filters.from, to: filters.to };
    for (const p of problems) {
      const text = request.t(p.message, { name: request.t(`insight.filterDates.${p.field}`) });
      errors.push({ href: `#filter-${partName(p.field, p.part)}`, text });
      fieldErrors[p.field] = text;
      const typed = datePartsFrom(request.query, p.field);
      for (const part of DATE_PARTS) dateValues[partName(p.field, part)] = typed[part];
    }
    return { filters, errors, fieldErrors, dateValues };
  }

  async function filterContext(request: FastifyRequest, filters: InsightFilters) {
    const choices = await insight.choices(actor(request));
    return {
      filters,
      choices,
      filterSummary: describeFilters(request, filters, choices),
      presets: {
        quarter: {
          preset: 'quarter',
          area: filters.areaId,
          topic: filters.topic,
          organisation: filters.organisationId,
        },
        lastQuarter: {
          preset: 'lastQuarter',
          area: filters.areaId,
          topic: filters.topic,
          organisation: filters.organisationId,
        },
        year: {
          preset: 'year',
          area: filters.areaId,
          topic: filters.topic,
          organisation: filters.organisationId,
        },
      },
    };
  }

  const exportLinks = (request: FastifyRequest, filters: InsightFilters, id: string) =>
    can(request.staff!.roles, 'insight.export')
      ? paths.insight.exportFile({ ...filtersToQuery(filters), figure: id })
      : undefined;

  // -------------------------------------------------------------------------------------------
  // The dashboard
  // -------------------------------------------------------------------------------------------

  app.get(paths.insight.dashboard(), { preHandler: requireStaff('insight.view') }, async (request, reply) => {
    const { filters, ...dateProblems } = pageFilters(request, 'quarter');
    const result = await insight.dashboard(actor(request), filters);
    if (!result.ok) return reply.sendError('forbidden');
    const monthly = filters.interval === 'month';
    if (dateProblems.errors.length > 0) reply.code(400);
    return reply.view('insight/views/dashboard.njk', {
      pageTitle: request.t('insight.dashboard.title'),
      ...(await filterContext(request, filters)),
      ...dateProblems,
      figures: result.figures.map((f) => ({
        ...renderFigure(f, request.t, request.lang, { monthly }),
        exportUrl: exportLinks(request, filters, f.id),
      })),
      mayEquality: can(request.staff!.roles, 'insight.equality'),
      equalityUrl: paths.insight.equality(filtersToQuery(filters)),
      apiUrl: paths.api.insightDashboard(),
    });
  });

  // -------------------------------------------------------------------------------------------
  // Equality monitoring
  // -------------------------------------------------------------------------------------------

  app.get(
    paths.insight.equality(),
    { preHandler: requireStaff('insight.equality') },
    async (request, reply) => {
      // Equality answers are sparse: a year is the shortest range that usually says something.
      const { filters, ...dateProblems } = pageFilters(request, 'year');
      const result = await insight.equality(actor(request), filters);
      if (!result.ok) return reply.sendError('forbidden');
      if (dateProblems.errors.length > 0) reply.code(400);
      return reply.view('insight/views/equality.njk', {
        pageTitle: request.t('insight.equality.title'),
        ...(await filterContext(request, filters)),
        ...dateProblems,
        figures: result.figures.map((f) => ({
          ...renderFigure(f, request.t, request.lang),
          exportUrl: exportLinks(request, filters, f.id),
        })),
        mayPopulation: can(request.staff!.roles, 'insight.population'),
      });
    },
  );

  // -------------------------------------------------------------------------------------------
  // Population figures (admins)
  // -------------------------------------------------------------------------------------------

  async function renderPopulation(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const result = await insight.population(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    return reply.view('insight/views/population.njk', {
      pageTitle: request.t('insight.population.title'),
      sections: QUESTIONS.map((q) => {
        const rows = result.rows.filter((r) => r.characteristic === q);
        return {
          characteristic: q,
          source: rows[0]?.source ?? '',
          categories: populationFields(q).map((c) => ({
            category: c,
            people: rows.find((r) => r.category === c)?.people,
          })),
        };
      }),
      saved: saved && QUESTIONS.includes(saved as never) ? saved : undefined,
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(paths.insight.population(), { preHandler: requireStaff('insight.population') }, (request, reply) =>
    renderPopulation(request, reply),
  );

  app.post(
    paths.insight.population(),
    { preHandler: requireStaff('insight.population') },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const characteristic = typeof body.characteristic === 'string' ? body.characteristic : '';
      const fields = populationFields(characteristic);
      const ids: Record<string, string> = {
        characteristic: 'population',
        source: `pop-${characteristic}-source`,
      };
      for (const c of fields) ids[c] = `pop-${characteristic}-${c}`;
      // Only this characteristic's own categories are read; anything else in the body is ignored.
      const known = Object.fromEntries(
        Object.entries(body).filter(([k]) => k === 'characteristic' || k === 'source' || fields.includes(k)),
      );
      const parsed = parseForm(populationForm, known, request.t, ids);
      if (!parsed.ok) {
        reply.code(400);
        return renderPopulation(request, reply, {
          errors: parsed.errors,
          fieldErrors: { [characteristic]: parsed.byField },
          values: { [characteristic]: body },
        });
      }
      const { characteristic: q, source, ...figures } = parsed.value;
      const outcome = await insight.savePopulation(actor(request), {
        characteristic: q as (typeof QUESTIONS)[number],
        source,
        figures: figures as Record<string, number | undefined>,
      });
      if (!outcome.ok) return reply.sendError(outcome.problem === 'forbidden' ? 'forbidden' : 'badRequest');
      return reply.redirect(`${paths.insight.population()}?saved=${q}#population-${q}`);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Exports: a page that warns about personal data, then the file (POST, so it carries CSRF and
  // cannot be fetched by a stray link or prefetch)
  // -------------------------------------------------------------------------------------------

  async function buildExport(
    request: FastifyRequest,
    format: 'csv' | 'xlsx',
  ): Promise<
    { ok: true; table: ExportTable; name: string } | { ok: false; status: 'forbidden' | 'notFound' }
  > {
    const q = exportQuery.parse(request.query ?? {});
    const a = actor(request);
    if (q.list === 'queue') {
      const query = queueQuery.parse(request.query ?? {});
      const req = queueRequest(query);
      const result = await insight.exportQueue(a, req.filters, req.sort, format);
      if (!result.ok) return { ok: false, status: 'forbidden' };
      const t = request.t;
      const when = (d: Date | null) => (d ? d.toISOString() : '');
      return {
        ok: true,
        name: 'concerns-queue',
        table: {
          title: t('insight.export.queueTitle'),
          header: [
            t('insight.export.queue.reference'),
            t('insight.export.queue.kind'),
            t('insight.export.queue.topic'),
            t('insight.export.queue.status'),
            t('insight.export.queue.urgent'),
            t('insight.export.queue.overdue'),
            t('insight.export.queue.channel'),
            t('insight.export.queue.area'),
            t('insight.export.queue.lead'),
            t('insight.export.queue.received'),
            t('insight.export.queue.acknowledgeDue'),
            t('insight.export.queue.respondDue'),
            t('insight.export.queue.closed'),
            t('insight.export.queue.description'),
          ],
          rows: result.rows.map((r) => [
            formatReference(r.reference),
            t(`share.vocab.kind.${r.kind}`),
            t(`share.vocab.topic.${r.topic}`),
            t(`concerns.vocab.status.${r.status}`),
            r.urgent ? t('common.yes') : t('common.no'),
            r.overdue ? t('common.yes') : t('common.no'),
            t(`concerns.vocab.channel.${r.channel}`),
            r.areaName ?? '',
            r.leadOrganisationName ?? '',
            when(r.createdAt),
            when(r.acknowledgeDueAt),
            when(r.respondDueAt),
            when(r.closedAt),
            r.description,
          ]),
          notes: result.truncated ? [t('insight.export.truncated')] : [],
        },
      };
    }
    const filters = resolveFilters(q, new Date(), q.figure?.startsWith('equality-') ? 'year' : 'quarter');
    if (!q.figure) return { ok: false, status: 'notFound' };
    const result = await insight.exportFigure(a, filters, q.figure, format);
    if (!result.ok) return { ok: false, status: result.problem };
    const choices = await insight.choices(a);
    const rendered = renderFigure(result.figure, request.t, request.lang, {
      monthly: filters.interval === 'month',
      charts: false,
    });
    return {
      ok: true,
      name: `heard-${q.figure}-${filters.from}-to-${filters.to}`,
      table: figureTable(rendered, [
        ...describeFilters(request, filters, choices),
        request.t('insight.export.suppressionNote'),
      ]),
    };
  }

  /** Who may reach the export page at all; each export then checks its own permission. */
  const EXPORTERS = requireAnyPermission('insight.export', 'concerns.export');

  app.get(paths.insight.exportFile(), { preHandler: EXPORTERS }, async (request, reply) => {
    const q = exportQuery.parse(request.query ?? {});
    const roles = request.staff!.roles;
    const allowed =
      q.list === 'queue'
        ? can(roles, 'concerns.export') && can(roles, 'concerns.viewAll')
        : can(roles, 'insight.export') &&
          (!q.figure?.startsWith('equality-') || can(roles, 'insight.equality'));
    if (!allowed) return reply.sendError('forbidden');
    if (!q.list && !q.figure) return reply.sendError('notFound');
    return reply.view('insight/views/export.njk', {
      pageTitle: request.t('insight.export.title'),
      what: q.list === 'queue' ? request.t('insight.export.queueTitle') : request.t('insight.export.figure'),
      personal: q.list === 'queue',
      special: q.figure?.startsWith('equality-') ?? false,
      action: request.url,
      format: q.format,
      backUrl: q.list === 'queue' ? paths.staff.concerns.queue() : paths.insight.dashboard(),
    });
  });

  app.post(paths.insight.exportFile(), { preHandler: EXPORTERS }, async (request, reply) => {
    const parsed = parseForm(exportForm, request.body, request.t, { format: 'format-csv' });
    if (!parsed.ok) {
      reply.code(400);
      return reply.view('insight/views/export.njk', {
        pageTitle: request.t('insight.export.title'),
        what: request.t('insight.export.figure'),
        action: request.url,
        errors: parsed.errors,
        fieldErrors: parsed.byField,
        backUrl: paths.insight.dashboard(),
      });
    }
    const format = parsed.value.format;
    const built = await buildExport(request, format);
    if (!built.ok) return reply.sendError(built.status);
    const body = format === 'csv' ? toCsv(built.table) : await toXlsx(built.table);
    return reply
      .header('Content-Type', MIME[format])
      .header('Content-Disposition', `attachment; filename="${built.name}.${format}"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  });
}
