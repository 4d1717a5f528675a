import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm } from '../../platform/forms.js';
import { dateInputAnchor } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { londonToday } from '../engagement/engagement.dates.js';
import { addDays } from './tension.rules.js';
import { pictureQuery, reportFromForm, tensionForm } from './tension.schema.js';
import { TENSION_ASSESSMENTS, TENSION_CATEGORIES, TENSION_LEVELS, TENSION_SOURCES } from './vocabulary.js';

const ID = '__id__';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signed in, and allowed to see tension (tension.access); everyone else gets 403 on every route. */
export function requireTension(services: Services): preHandlerAsyncHookHandler {
  const signedIn = requireStaff();
  return async function guard(request, reply) {
    await signedIn.call(this, request, reply);
    if (reply.sent) return;
    const ok = await services.tension.mayAccess(staffActor(request.staff!, request.correlationId));
    if (!ok) return reply.sendError('forbidden');
  };
}

export function tensionPages(app: FastifyInstance, services: Services) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const guard = requireTension(services);

  app.get(paths.staff.tension.picture(), { preHandler: guard }, async (request, reply) => {
    const q = pictureQuery.parse(request.query ?? {});
    const result = await services.tension.picture(actor(request), q.weeks);
    if (!result.ok) return reply.sendError('forbidden');
    return reply.view('tension/views/picture.njk', {
      pageTitle: request.t('tension.picture.title'),
      ...result,
      q,
      weekLabels: result.weeks.map((w) =>
        new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
          new Date(`${w}T00:00:00Z`),
        ),
      ),
    });
  });

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const result = await services.tension.areas(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const today = londonToday();
    return reply.view('tension/views/new.njk', {
      pageTitle: request.t('tension.new.title'),
      areas: result.areas,
      sources: TENSION_SOURCES,
      categories: TENSION_CATEGORIES,
      assessments: TENSION_ASSESSMENTS,
      levels: TENSION_LEVELS,
      values: { reportedOn: today, reviewDate: addDays(today, 7) },
      ...extra,
    });
  }

  app.get(paths.staff.tension.new(), { preHandler: guard }, (request, reply) => renderForm(request, reply));

  app.post(paths.staff.tension.new(), { preHandler: guard }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ids = { source: 'source', category: 'category', assessment: 'assessment', level: 'level' };
    const parsed = parseForm(tensionForm, body, request.t, ids);
    const rerender = (errors: { href: string; text: string }[], byField: Record<string, string>) => {
      reply.code(400);
      return renderForm(request, reply, { values: body, errors, fieldErrors: byField });
    };
    if (!parsed.ok) return rerender(parsed.errors, parsed.byField);
    const outcome = await services.tension.report(actor(request), reportFromForm(parsed.value));
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
      const field = { unknownArea: 'areaId', inFuture: 'reportedOn', reviewBeforeReport: 'reviewDate' }[
        outcome.problem
      ];
      const text = request.t(`tension.problems.${outcome.problem}`);
      const anchor = field === 'areaId' ? field : dateInputAnchor(field);
      return rerender([{ href: `#${anchor}`, text }], { [field]: text });
    }
    return reply.redirect(
      paths.staff.tension.report(outcome.id, { saved: outcome.escalated ? 'escalated' : 'yes' }),
    );
  });

  app.get(
    paths.staff.tension.report(ID).replace(ID, ':id'),
    { preHandler: guard },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!GUID.test(id)) return reply.sendError('notFound');
      const result = await services.tension.detail(actor(request), id);
      if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
      const saved = (request.query as { saved?: string } | undefined)?.saved;
      return reply.view('tension/views/report.njk', {
        pageTitle: request.t('tension.report.title', { area: result.areaName }),
        ...result,
        saved: saved === 'yes' || saved === 'escalated' ? saved : undefined,
      });
    },
  );
}
