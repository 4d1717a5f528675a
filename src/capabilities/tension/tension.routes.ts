import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { dateInputAnchor } from '../../platform/forms/date-input.js';
import type { Translate } from '../../platform/i18n/index.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { londonToday } from '../engagement/engagement.dates.js';
import { addDays } from './tension.rules.js';
import type { TensionFieldChange } from './tension.table.js';
import {
  changesFromForm,
  closeForm,
  closureFromForm,
  editForm,
  pictureQuery,
  reportFromForm,
  tensionForm,
} from './tension.schema.js';
import {
  TENSION_ASSESSMENTS,
  TENSION_CATEGORIES,
  TENSION_CLOSE_REASONS,
  TENSION_LEVELS,
  TENSION_SOURCES,
} from './vocabulary.js';

const ID = '__id__';
const route = (url: string) => url.replace(ID, ':id');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Radios: the error summary links to the first option. */
const RADIO_IDS = { source: 'source', category: 'category', assessment: 'assessment', level: 'level' };
/** What the report page confirms after a redirect. */
const SAVED = new Set(['yes', 'escalated', 'edited', 'editedEscalated', 'unchanged', 'closed']);

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

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const FIELD_LABELS: Record<string, string> = { areaId: 'area' };

/** One change in a report's history, as the page shows it: the field's label, and its values before and after. */
function describeChange(change: TensionFieldChange, areaNames: Record<string, string>, t: Translate) {
  const show = (value: string | null): string => {
    if (value === null || value === '') return t('tension.report.none');
    if (change.field === 'areaId') return areaNames[value] ?? value;
    if (change.field === 'reportedOn' || change.field === 'reviewDate')
      return dayFormat.format(new Date(`${value}T00:00:00Z`));
    if (['source', 'category', 'assessment', 'level'].includes(change.field))
      return t(`tension.vocab.${change.field}.${value}`);
    return value;
  };
  return {
    field: change.field,
    label: t(`tension.new.${FIELD_LABELS[change.field] ?? change.field}`),
    from: show(change.from),
    to: show(change.to),
    // Long text is shown in full, before the change, rather than "from … to …".
    text: change.field === 'summary' || change.field === 'actions',
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

  /** The report form: empty for a new report, or filled from a report being edited (`edit`). */
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      values?: Record<string, unknown>;
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
    } = {},
    edit?: { id: string },
  ) {
    const result = await services.tension.areas(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const today = londonToday();
    return reply.view('tension/views/new.njk', {
      pageTitle: request.t(edit ? 'tension.edit.title' : 'tension.new.title'),
      areas: result.areas,
      sources: TENSION_SOURCES,
      categories: TENSION_CATEGORIES,
      assessments: TENSION_ASSESSMENTS,
      levels: TENSION_LEVELS,
      values: { reportedOn: today, reviewDate: addDays(today, 7) },
      edit,
      ...extra,
    });
  }

  /** A problem the service found with a report's fields, shown against the field it is about. */
  function fieldProblem(request: FastifyRequest, problem: 'unknownArea' | 'inFuture' | 'reviewBeforeReport') {
    const field = { unknownArea: 'areaId', inFuture: 'reportedOn', reviewBeforeReport: 'reviewDate' }[
      problem
    ];
    const text = request.t(`tension.problems.${problem}`);
    // A date is three boxes: the link goes to the first.
    const anchor = field === 'areaId' ? field : dateInputAnchor(field);
    return { errors: [{ href: `#${anchor}`, text }], fieldErrors: { [field]: text } };
  }

  app.get(paths.staff.tension.new(), { preHandler: guard }, (request, reply) => renderForm(request, reply));

  app.post(paths.staff.tension.new(), { preHandler: guard }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(tensionForm, body, request.t, RADIO_IDS);
    if (!parsed.ok) {
      reply.code(400);
      return renderForm(request, reply, { values: body, errors: parsed.errors, fieldErrors: parsed.byField });
    }
    const outcome = await services.tension.report(actor(request), reportFromForm(parsed.value));
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
      reply.code(400);
      return renderForm(request, reply, { values: body, ...fieldProblem(request, outcome.problem) });
    }
    return reply.redirect(
      paths.staff.tension.report(outcome.id, { saved: outcome.escalated ? 'escalated' : 'yes' }),
    );
  });

  app.get(route(paths.staff.tension.report(ID)), { preHandler: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!GUID.test(id)) return reply.sendError('notFound');
    const result = await services.tension.detail(actor(request), id);
    if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    return reply.view('tension/views/report.njk', {
      pageTitle: request.t('tension.report.title', { area: result.areaName }),
      ...result,
      // Newest first, as people read a history; each change as people read it.
      history: [...result.history].reverse().map((e) => ({
        ...e,
        changes: e.changes.map((c) => describeChange(c, result.areaNames, request.t)),
      })),
      saved: SAVED.has(saved ?? '') ? saved : undefined,
    });
  });

  // Editing a report: every field, from a form filled with the report as it is now.
  app.get(route(paths.staff.tension.edit(ID)), { preHandler: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!GUID.test(id)) return reply.sendError('notFound');
    const result = await services.tension.detail(actor(request), id);
    if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
    // A closed report is not edited: its page says so.
    if (result.report.closedAt) return reply.redirect(paths.staff.tension.report(id));
    const r = result.report;
    return renderForm(
      request,
      reply,
      {
        values: {
          areaId: r.areaId,
          reportedOn: r.reportedOn,
          source: r.source,
          category: r.category,
          assessment: r.assessment,
          level: r.level,
          summary: r.summary,
          actions: r.actions ?? '',
          reviewDate: r.reviewDate,
          version: String(r.version),
        },
      },
      { id },
    );
  });

  app.post(route(paths.staff.tension.edit(ID)), { preHandler: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!GUID.test(id)) return reply.sendError('notFound');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const edit = { id };
    const parsed = parseForm(editForm, body, request.t, RADIO_IDS);
    if (!parsed.ok) {
      reply.code(400);
      return renderForm(
        request,
        reply,
        { values: body, errors: parsed.errors, fieldErrors: parsed.byField },
        edit,
      );
    }
    const { changes, version } = changesFromForm(parsed.value);
    const outcome = await services.tension.edit(actor(request), id, changes, { version });
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden' || outcome.problem === 'notFound')
        return reply.sendError(outcome.problem);
      switch (outcome.problem) {
        case 'closed':
          return reply.redirect(paths.staff.tension.report(id));
        case 'stale': {
          // Someone saved the report after this form was filled: keep what was typed, take their
          // version, and say so; saving again then replaces their edit knowingly.
          reply.code(409);
          const text = request.t('tension.problems.stale');
          return renderForm(
            request,
            reply,
            {
              values: { ...body, version: String(outcome.version) },
              // Not one field's fault: the link goes to the first field.
              errors: [{ href: '#areaId', text }],
              fieldErrors: {},
            },
            edit,
          );
        }
        default:
          reply.code(400);
          return renderForm(
            request,
            reply,
            { values: body, ...fieldProblem(request, outcome.problem) },
            edit,
          );
      }
    }
    const saved =
      outcome.changed.length === 0 ? 'unchanged' : outcome.escalated ? 'editedEscalated' : 'edited';
    return reply.redirect(paths.staff.tension.report(id, { saved }));
  });

  // Closing a report.
  async function renderClose(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      values?: Record<string, unknown>;
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
    } = {},
  ) {
    const result = await services.tension.closeChoices(actor(request), id);
    if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
    if (result.report.closedAt) return reply.redirect(paths.staff.tension.report(id));
    return reply.view('tension/views/close.njk', {
      pageTitle: request.t('tension.close.title', { area: result.areaName }),
      ...result,
      reasons: TENSION_CLOSE_REASONS,
      values: {},
      ...extra,
    });
  }

  app.get(route(paths.staff.tension.close(ID)), { preHandler: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!GUID.test(id)) return reply.sendError('notFound');
    return renderClose(request, reply, id);
  });

  app.post(route(paths.staff.tension.close(ID)), { preHandler: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!GUID.test(id)) return reply.sendError('notFound');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(closeForm, body, request.t, { reason: 'reason' });
    if (!parsed.ok) {
      reply.code(400);
      return renderClose(request, reply, id, {
        values: body,
        errors: parsed.errors,
        fieldErrors: parsed.byField,
      });
    }
    const outcome = await services.tension.close(actor(request), id, closureFromForm(parsed.value));
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden' || outcome.problem === 'notFound')
        return reply.sendError(outcome.problem);
      switch (outcome.problem) {
        case 'alreadyClosed':
          return reply.redirect(paths.staff.tension.report(id));
        default: {
          reply.code(400);
          const text = request.t(`tension.problems.${outcome.problem}`);
          return renderClose(request, reply, id, {
            values: body,
            errors: [{ href: '#mergedIntoId', text }],
            fieldErrors: { mergedIntoId: text },
          });
        }
      }
    }
    return reply.redirect(paths.staff.tension.report(id, { saved: 'closed' }));
  });
}
