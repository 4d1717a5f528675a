import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import { problemResponse } from '../concerns/concerns.schema.js';
import type { Figure } from './figures.js';
import { resolveFilters } from './insight.schema.js';
import { TOPIC_CHOICES, topicsOf } from './topic-groups.js';
import type { InsightService } from './insight.service.js';

const TAGS = ['Insight'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse };
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const guid = z.string().uuid();

const query = z.object({
  from: day.optional().describe('First day (London), YYYY-MM-DD; defaults to 90 days before `to`'),
  to: day.optional().describe('Last day (London), YYYY-MM-DD; defaults to today'),
  interval: z.enum(['week', 'month']).optional().describe('Periods for figures over time (default week)'),
  areaId: guid.optional(),
  topic: z
    .enum(TOPIC_CHOICES)
    .optional()
    .describe(
      'A topic, or hate_related for every hate topic together (hate_harassment, hate_disinformation)',
    ),
  organisationId: guid.optional().describe('Lead organisation'),
});

const cell = z
  .object({
    state: z.enum(['shown', 'small', 'withheld', 'none']),
    value: z.number().optional(),
  })
  .describe(
    'shown: value is the figure; small: 1 to 4 (published as "<5"); withheld: hidden so that no small figure can be worked out; none: not applicable',
  );

const row = z.object({ key: z.string(), label: z.string(), cells: z.array(cell) });
const figure = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  columns: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      unit: z.enum(['count', 'percent', 'days', 'ratio', 'category']),
      labels: z
        .array(z.string())
        .optional()
        .describe(
          'For unit category: the name of each value; a shown cell’s value is a position in this list',
        ),
    }),
  ),
  rows: z.array(row),
  totals: row.nullable(),
  source: z.string().nullable(),
});
const response = z.object({
  filters: z.object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['week', 'month']),
    areaId: z.string().nullable(),
    topic: z.string().nullable(),
    /** The topics the topic filter stands for (more than one for a group). */
    topics: z.array(z.string()).nullable(),
    organisationId: z.string().nullable(),
  }),
  figures: z.array(figure),
});

/** The dashboard's figures as JSON: the same suppressed figures the page shows, labels in English. */
export function insightApi(app: FastifyInstance, insight: InsightService) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  function json(request: FastifyRequest, figures: Figure[], f: ReturnType<typeof resolveFilters>) {
    const t = request.t;
    const rowJson = (r: Figure['rows'][number]) => ({
      key: r.key,
      label: r.translate ? t(r.label) : r.label,
      cells: r.cells.map((c) =>
        c.state === 'shown' ? { state: c.state, value: c.value } : { state: c.state },
      ),
    });
    return {
      filters: {
        from: f.from,
        to: f.to,
        interval: f.interval,
        areaId: f.areaId ?? null,
        topic: f.topic ?? null,
        topics: topicsOf(f.topic) ? [...topicsOf(f.topic)!] : null,
        organisationId: f.organisationId ?? null,
      },
      figures: figures.map((fig) => ({
        id: fig.id,
        title: t(fig.title),
        description: t(fig.description),
        columns: fig.columns.map((c) => ({
          key: c.key,
          label: c.period ? c.label : t(c.label),
          unit: c.unit,
          ...(c.labels ? { labels: c.labels.map((l) => t(l)) } : {}),
        })),
        rows: fig.rows.map(rowJson),
        totals: fig.totals ? rowJson(fig.totals) : null,
        source: fig.source ?? null,
      })),
    };
  }

  const filtersOf = (q: z.infer<typeof query>, defaults: 'quarter' | 'year') =>
    resolveFilters(
      {
        from: q.from,
        to: q.to,
        interval: q.interval,
        area: q.areaId,
        topic: q.topic,
        organisation: q.organisationId,
        preset: undefined,
      },
      new Date(),
      defaults,
    );

  api.get(
    paths.api.insightDashboard(),
    {
      onRequest: requireStaff('insight.view'),
      schema: {
        tags: TAGS,
        summary: 'The partnership dashboard’s figures',
        description: 'Analysts and partnership admins. Every count is suppressed as on the dashboard.',
        querystring: query,
        response: { 200: response, ...errors },
      },
    },
    async (request, reply) => {
      const f = filtersOf(request.query, 'quarter');
      const result = await insight.dashboard(actor(request), f);
      if (!result.ok) return reply.sendError('forbidden');
      return json(request, result.figures, f);
    },
  );

  api.get(
    paths.api.insightEquality(),
    {
      onRequest: requireStaff('insight.equality'),
      schema: {
        tags: TAGS,
        summary: 'Equality monitoring: who raises concerns, against the population',
        description: 'Suppressed aggregate figures; every request is written to the audit log.',
        querystring: query,
        response: { 200: response, ...errors },
      },
    },
    async (request, reply) => {
      const f = filtersOf(request.query, 'year');
      const result = await insight.equality(actor(request), f);
      if (!result.ok) return reply.sendError('forbidden');
      return json(request, result.figures, f);
    },
  );
}
