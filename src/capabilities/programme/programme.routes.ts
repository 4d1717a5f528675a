import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { dateInputAnchor } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { formatReference, normaliseReference } from '../concerns/reference.js';
import { packCsv, packXlsx } from './programme.export.js';
import {
  actionForm,
  concernLinkForm,
  concernThemesForm,
  linkForm,
  milestoneForm,
  priorityForm,
  progressForm,
  themeForm,
  updateForm,
  type ActionForm,
} from './programme.schema.js';
import type { ActionInput } from './programme.service.js';
import { ACTION_STATUSES, RAGS } from './programme.table.js';

const FLASH_COOKIE = 'heard_programme_flash';
const ID = '__id__';
const SUB = '__sub__';
const route = (url: string) => url.replace(ID, ':id').replace(SUB, ':sub');

export function actionInput(v: ActionForm): ActionInput {
  return {
    priorityId: v.priorityId,
    title: v.title,
    description: v.description,
    leadOrganisationId: v.leadOrganisationId,
    leadStaffId: v.leadStaffId,
    partnerOrganisationIds: v.partnerOrganisationIds,
    areaIds: v.areaIds,
    startDate: v.startDate,
    dueDate: v.dueDate,
    public: v.public === 'yes',
  };
}

/** Staff pages of the programme: overview, my actions, overdue, by organisation, meeting pack, themes. */
export function programmePages(app: FastifyInstance, services: Services, secureCookies: boolean) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const svc = services.programme;

  function setFlash(reply: FastifyReply, message: string) {
    reply.setCookie(FLASH_COOKIE, message, {
      path: '/staff',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      signed: true,
      maxAge: 5 * 60,
    });
  }
  function takeFlash(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const raw = request.cookies[FLASH_COOKIE];
    if (!raw) return undefined;
    reply.clearCookie(FLASH_COOKIE, { path: '/staff' });
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value && /^[a-zA-Z]+$/.test(unsigned.value)
      ? unsigned.value
      : undefined;
  }

  const problemText = (request: FastifyRequest, problem: string) =>
    request.t(`programme.problems.${problem}`);

  // --- Lists ----------------------------------------------------------------------------------------

  app.get(
    paths.staff.programme.home(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.overview(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('programme/views/overview.njk', {
        pageTitle: request.t('programme.overview.title'),
        flash: takeFlash(request, reply),
        priorities: result.priorities,
        may: result.may,
      });
    },
  );

  app.get(
    paths.staff.programme.mine(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.mine(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('programme/views/mine.njk', {
        pageTitle: request.t('programme.mine.title'),
        led: result.led,
        organisation: result.organisation,
      });
    },
  );

  app.get(
    paths.staff.programme.overdue(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.overdueMilestones(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('programme/views/overdue.njk', {
        pageTitle: request.t('programme.overdue.title'),
        items: result.items,
      });
    },
  );

  app.get(
    paths.staff.programme.organisations(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.byOrganisation(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('programme/views/organisations.njk', {
        pageTitle: request.t('programme.organisations.title'),
        organisations: result.organisations,
      });
    },
  );

  // --- Meeting pack ---------------------------------------------------------------------------------

  app.get(
    paths.staff.programme.pack(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.pack(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('programme/views/pack.njk', {
        pageTitle: request.t('programme.pack.title'),
        rows: result.rows,
        generatedOn: result.generatedOn,
        summary: {
          red: result.rows.filter((r) => r.rag === 'red').length,
          amber: result.rows.filter((r) => r.rag === 'amber').length,
          green: result.rows.filter((r) => r.rag === 'green').length,
          overdueMilestones: result.rows.reduce((n, r) => n + r.overdueMilestones.length, 0),
        },
      });
    },
  );

  app.get(
    paths.staff.programme.packCsv(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.pack(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="programme-${result.generatedOn}.csv"`)
        .send(packCsv(result.rows, request.t));
    },
  );

  app.get(
    paths.staff.programme.packXlsx(),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const result = await svc.pack(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="programme-${result.generatedOn}.xlsx"`)
        .send(await packXlsx(result.rows, request.t, result.generatedOn));
    },
  );

  // --- Themes and priorities ------------------------------------------------------------------------

  async function renderThemes(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const result = await svc.themesPage(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply.view('programme/views/themes.njk', {
      pageTitle: request.t('programme.themes.title'),
      priorities: result.priorities,
      flash: takeFlash(request, reply),
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(
    paths.staff.programme.themes(),
    { preHandler: requireStaff('programme.manage') },
    (request, reply) => renderThemes(request, reply),
  );

  app.post(
    paths.staff.programme.themes(),
    { preHandler: requireStaff('programme.manage') },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const ids = {
        name: 'theme-name',
        priorityId: 'theme-priorityId',
        publicSummary: 'theme-publicSummary',
      };
      const parsed = parseForm(themeForm, body, request.t, ids);
      const fail = (errors: FieldError[], byField: Record<string, string>) => {
        reply.code(400);
        return renderThemes(request, reply, {
          errors,
          fieldErrors: { theme: byField },
          values: { theme: body },
        });
      };
      if (!parsed.ok) return fail(parsed.errors, parsed.byField);
      const outcome = await svc.saveTheme(actor(request), undefined, parsed.value);
      if (!outcome.ok) {
        const field = outcome.problem === 'invalidChoice' ? 'priorityId' : 'name';
        const text = problemText(request, outcome.problem);
        return fail([{ href: `#${ids[field]}`, text }], { [field]: text });
      }
      setFlash(reply, 'themeSaved');
      return reply.redirect(paths.staff.programme.themes());
    },
  );

  app.post(
    paths.staff.programme.priorities(),
    { preHandler: requireStaff('programme.manage') },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const ids = {
        title: 'priority-title',
        publicSummary: 'priority-publicSummary',
        position: 'priority-position',
      };
      const parsed = parseForm(priorityForm, body, request.t, ids);
      const fail = (errors: FieldError[], byField: Record<string, string>) => {
        reply.code(400);
        return renderThemes(request, reply, {
          errors,
          fieldErrors: { priority: byField },
          values: { priority: body },
        });
      };
      if (!parsed.ok) return fail(parsed.errors, parsed.byField);
      const outcome = await svc.savePriority(actor(request), undefined, parsed.value);
      if (!outcome.ok) {
        const text = problemText(request, outcome.problem);
        return fail([{ href: '#priority-title', text }], { title: text });
      }
      setFlash(reply, 'prioritySaved');
      return reply.redirect(paths.staff.programme.themes());
    },
  );

  /** One edit page serves a theme or a priority, so the two stay alike. */
  function editPage(kind: 'theme' | 'priority') {
    const url = kind === 'theme' ? paths.staff.programme.theme(ID) : paths.staff.programme.priority(ID);
    const schema = kind === 'theme' ? themeForm : priorityForm;
    const ids: Record<string, string> =
      kind === 'theme'
        ? { name: 'name', priorityId: 'priorityId', publicSummary: 'publicSummary' }
        : { title: 'title', publicSummary: 'publicSummary', position: 'position' };

    async function render(
      request: FastifyRequest,
      reply: FastifyReply,
      values?: Record<string, unknown>,
      errors?: FieldError[],
      byField?: Record<string, string>,
    ) {
      const { id } = request.params as { id: string };
      const result = await svc.themesPage(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      const priority = result.priorities.find((p) => p.id === id);
      const theme = result.priorities.flatMap((p) => p.themes).find((t) => t.id === id);
      const item = kind === 'theme' ? theme : priority;
      if (!item) return reply.sendError('notFound');
      return reply.view('programme/views/edit-list-item.njk', {
        pageTitle: request.t(`programme.edit.${kind}Title`),
        kind,
        item,
        priorities: result.priorities,
        values: values ?? item,
        errors,
        fieldErrors: byField ?? {},
        action: url.replace(ID, encodeURIComponent(id)),
      });
    }

    app.get(route(url), { preHandler: requireStaff('programme.manage') }, (request, reply) =>
      render(request, reply),
    );
    app.post(route(url), { preHandler: requireStaff('programme.manage') }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseForm(schema as z.ZodType, body, request.t, ids);
      if (!parsed.ok) {
        reply.code(400);
        return render(request, reply, body, parsed.errors, parsed.byField);
      }
      const outcome =
        kind === 'theme'
          ? await svc.saveTheme(actor(request), id, parsed.value as z.output<typeof themeForm>)
          : await svc.savePriority(actor(request), id, parsed.value as z.output<typeof priorityForm>);
      if (!outcome.ok) {
        if (outcome.problem === 'notFound') return reply.sendError('notFound');
        const field =
          outcome.problem === 'invalidChoice' ? 'priorityId' : kind === 'theme' ? 'name' : 'title';
        const text = problemText(request, outcome.problem);
        reply.code(400);
        return render(request, reply, body, [{ href: `#${ids[field]}`, text }], { [field]: text });
      }
      setFlash(reply, kind === 'theme' ? 'themeSaved' : 'prioritySaved');
      return reply.redirect(paths.staff.programme.themes());
    });
  }
  editPage('theme');
  editPage('priority');

  // --- Creating and editing actions -----------------------------------------------------------------

  async function renderActionForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      id?: string;
      values: Record<string, unknown>;
      errors?: FieldError[];
      byField?: Record<string, string>;
    },
  ) {
    const choices = await svc.choices(actor(request));
    const asList = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []) as string[];
    return reply.view('programme/views/action-form.njk', {
      pageTitle: request.t(options.id ? 'programme.actionForm.editTitle' : 'programme.actionForm.newTitle'),
      id: options.id,
      formAction: options.id
        ? paths.staff.programme.actionEdit(options.id)
        : paths.staff.programme.newAction(),
      backUrl: options.id ? paths.staff.programme.action(options.id) : paths.staff.programme.home(),
      choices,
      values: options.values,
      partners: asList(options.values.partnerOrganisationIds),
      chosenAreas: asList(options.values.areaIds),
      errors: options.errors,
      fieldErrors: options.byField ?? {},
    });
  }

  const actionIds = {
    priorityId: 'priorityId',
    leadOrganisationId: 'leadOrganisationId',
    partnerOrganisationIds: 'partnerOrganisationIds',
    areaIds: 'areaIds',
    public: 'public',
  };

  async function saveAction(request: FastifyRequest, reply: FastifyReply, id?: string) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(actionForm, body, request.t, actionIds);
    if (!parsed.ok) {
      reply.code(400);
      return renderActionForm(request, reply, {
        id,
        values: body,
        errors: parsed.errors,
        byField: parsed.byField,
      });
    }
    const input = actionInput(parsed.value);
    const outcome = id
      ? await svc.editAction(actor(request), id, input)
      : await svc.createAction(actor(request), input);
    if (!outcome.ok) {
      if (outcome.problem === 'notFound') return reply.sendError('notFound');
      if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
      const field = outcome.problem === 'datesOutOfOrder' ? 'dueDate' : 'priorityId';
      const text = problemText(request, outcome.problem);
      reply.code(400);
      return renderActionForm(request, reply, {
        id,
        values: body,
        // A date is three boxes: the link goes to the first.
        errors: [{ href: `#${field === 'dueDate' ? dateInputAnchor(field) : field}`, text }],
        byField: { [field]: text },
      });
    }
    setFlash(reply, id ? 'actionSaved' : 'actionCreated');
    const savedId = 'id' in outcome && typeof outcome.id === 'string' ? outcome.id : id!;
    return reply.redirect(paths.staff.programme.action(savedId));
  }

  app.get(
    paths.staff.programme.newAction(),
    { preHandler: requireStaff('programme.manage') },
    (request, reply) => renderActionForm(request, reply, { values: { public: 'yes' } }),
  );
  app.post(
    paths.staff.programme.newAction(),
    { preHandler: requireStaff('programme.manage') },
    (request, reply) => saveAction(request, reply),
  );

  app.get(
    route(paths.staff.programme.actionEdit(ID)),
    { preHandler: requireStaff('programme.manage') },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const detail = await svc.action(actor(request), id);
      if (!detail.ok) return reply.sendError('notFound');
      const a = detail.action;
      return renderActionForm(request, reply, {
        id,
        values: {
          ...a,
          leadStaffId: a.leadStaffId ?? '',
          startDate: a.startDate ?? '',
          dueDate: a.dueDate ?? '',
          public: a.public ? 'yes' : 'no',
        },
      });
    },
  );
  app.post(
    route(paths.staff.programme.actionEdit(ID)),
    { preHandler: requireStaff('programme.manage') },
    (request, reply) => saveAction(request, reply, (request.params as { id: string }).id),
  );

  // --- The action page and its forms ----------------------------------------------------------------

  async function renderAction(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    const detail = await svc.action(actor(request), id);
    if (!detail.ok) return reply.sendError(detail.problem === 'forbidden' ? 'forbidden' : 'notFound');
    return reply.view('programme/views/action.njk', {
      pageTitle: detail.action.title,
      d: detail,
      linked: detail.linked.map((l) => ({
        ...l,
        reference: formatReference(l.reference),
        href: paths.staff.concerns.show(formatReference(l.reference)),
      })),
      statuses: ACTION_STATUSES,
      rags: RAGS,
      flash: takeFlash(request, reply),
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(
    route(paths.staff.programme.action(ID)),
    { preHandler: requireStaff('programme.view') },
    (request, reply) => renderAction(request, reply, (request.params as { id: string }).id),
  );

  type Step = 'progress' | 'updates' | 'milestones' | 'links' | 'unlink';
  function step<S extends z.ZodType>(def: {
    step: Step;
    schema: S;
    ids: Record<string, string>;
    run: (
      request: FastifyRequest,
      id: string,
      value: z.output<S>,
    ) => Promise<{ ok: true } | { ok: false; problem: string }>;
    done: (value: z.output<S>) => string;
    problemFields?: Record<string, string>;
  }) {
    app.post(
      route(paths.staff.programme.actionDo(ID, def.step)),
      { preHandler: requireStaff('programme.view') },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const body = (request.body ?? {}) as Record<string, unknown>;
        const rerender = (status: number, errors: FieldError[], byField: Record<string, string>) => {
          reply.code(status);
          return renderAction(request, reply, id, {
            errors,
            fieldErrors: { [def.step]: byField },
            values: { [def.step]: body },
          });
        };
        const parsed = parseForm(def.schema, body, request.t, def.ids);
        if (!parsed.ok) return rerender(400, parsed.errors, parsed.byField);
        const outcome = await def.run(request, id, parsed.value);
        if (!outcome.ok) {
          if (outcome.problem === 'notFound') return reply.sendError('notFound');
          const field = def.problemFields?.[outcome.problem] ?? Object.keys(def.ids)[0]!;
          const text = problemText(request, outcome.problem);
          return rerender(
            outcome.problem === 'forbidden' ? 403 : 400,
            [{ href: `#${def.ids[field]}`, text }],
            {
              [field]: text,
            },
          );
        }
        setFlash(reply, def.done(parsed.value));
        return reply.redirect(paths.staff.programme.action(id));
      },
    );
  }

  step({
    step: 'progress',
    schema: progressForm,
    ids: {
      status: 'progress-status',
      statusReason: 'progress-statusReason',
      progress: 'progress-progress',
      rag: 'progress-rag',
      ragReason: 'progress-ragReason',
    },
    run: (request, id, v) => svc.setProgress(actor(request), id, v),
    done: () => 'progressSaved',
    problemFields: {
      statusNotAllowed: 'status',
      dropReasonRequired: 'statusReason',
      ragReasonRequired: 'ragReason',
      progressOutOfRange: 'progress',
    },
  });

  step({
    step: 'updates',
    schema: updateForm,
    ids: {
      body: 'update-body',
      links: 'update-links',
      figures: 'update-figures',
      visibility: 'update-visibility',
    },
    run: (request, id, v) => svc.addUpdate(actor(request), id, v),
    done: (v) => (v.visibility === 'public' ? 'publicUpdateAdded' : 'internalUpdateAdded'),
    problemFields: { actionNotPublic: 'visibility' },
  });

  step({
    step: 'milestones',
    schema: milestoneForm,
    ids: { title: 'milestone-title', dueDate: 'milestone-dueDate' },
    run: (request, id, v) => svc.addMilestone(actor(request), id, v),
    done: () => 'milestoneAdded',
  });

  step({
    step: 'links',
    schema: linkForm,
    ids: { reference: 'link-reference' },
    run: (request, id, v) => svc.link(actor(request), id, v.reference),
    done: () => 'concernLinked',
  });

  step({
    step: 'unlink',
    schema: linkForm,
    ids: { reference: 'link-reference' },
    run: (request, id, v) => svc.unlink(actor(request), id, v.reference),
    done: () => 'concernUnlinked',
  });

  app.post(
    route(paths.staff.programme.milestoneDone(ID, SUB)),
    { preHandler: requireStaff('programme.view') },
    async (request, reply) => {
      const { id, sub } = request.params as { id: string; sub: string };
      const outcome = await svc.completeMilestone(actor(request), id, sub);
      if (!outcome.ok) return reply.sendError(outcome.problem === 'forbidden' ? 'forbidden' : 'notFound');
      setFlash(reply, 'milestoneDone');
      return reply.redirect(paths.staff.programme.action(id));
    },
  );

  // --- From the concern page: themes and links ------------------------------------------------------

  const backToConcern = (reply: FastifyReply, ref: string) =>
    reply.redirect(`${paths.staff.concerns.show(formatReference(normaliseReference(ref) ?? ref))}#programme`);

  app.post(
    route(paths.staff.programme.concernThemes(ID)),
    { preHandler: requireStaff('programme.link') },
    async (request, reply) => {
      const { id: ref } = request.params as { id: string };
      const parsed = concernThemesForm.safeParse(request.body ?? {});
      if (!parsed.success) return reply.sendError('badRequest');
      const outcome = await svc.tagConcern(actor(request), ref, parsed.data.themes);
      if (!outcome.ok)
        return reply.sendError(outcome.problem === 'invalidChoice' ? 'badRequest' : 'notFound');
      return backToConcern(reply, ref);
    },
  );

  app.post(
    route(paths.staff.programme.concernLink(ID)),
    { preHandler: requireStaff('programme.link') },
    async (request, reply) => {
      const { id: ref } = request.params as { id: string };
      const parsed = concernLinkForm.safeParse(request.body ?? {});
      if (!parsed.success) return reply.sendError('badRequest', request.t('programme.errors.actionRequired'));
      const outcome = await svc.link(actor(request), parsed.data.actionId, ref);
      if (!outcome.ok) return reply.sendError('notFound');
      return backToConcern(reply, ref);
    },
  );
}
