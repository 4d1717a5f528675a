import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { can } from '../../platform/auth/permissions.js';
import { ICAL_CONTENT_TYPE } from '../../platform/calendar/ical.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { dateInputAnchor } from '../../platform/forms/date-input.js';
import { paths, withQuery } from '../../platform/paths.js';
import {
  outcomesCsv,
  outcomesTable,
  outcomesXlsx,
  sessionsCalendar,
  subjectAccessJson,
} from './resettlement.export.js';
import {
  assignInput,
  attendanceFromForm,
  attendanceInput,
  bookingInput,
  closePageInput,
  goalPageInput,
  goalStatusInput,
  hostPageInput,
  householdFilters,
  householdPageInput,
  memberPageInput,
  needsFromForm,
  needsInput,
  PAGE_DATE_FIELDS,
  referralPageInput,
  referralOutcomePageInput,
  sessionPageInput,
} from './resettlement.schema.js';
import type { ResettlementService } from './resettlement.service.js';
import * as vocab from './resettlement.vocabulary.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTICES = [
  'created',
  'updated',
  'memberAdded',
  'memberUpdated',
  'hostSaved',
  'needsSaved',
  'goalAdded',
  'goalUpdated',
  'referralAdded',
  'referralUpdated',
  'closed',
  'reopened',
  'assigned',
  'sessionCreated',
  'booked',
  'attendance',
];

/** Route patterns come from the same builders as links, with `:id`-style placeholders. */
const ID = '__id__';
const SUB = '__sub__';
const route = (url: string) => url.replace(ID, ':id').replace(SUB, ':sub');

/** Where a refusal from the service is shown on the form, so the error summary links to a field. */
const PROBLEM_FIELD: Record<string, string> = {
  unknownArea: 'areaId',
  unknownCaseworker: 'caseworkerStaffId',
  retentionInPast: 'retentionUntil',
  notHomesForUkraine: 'name',
  unknownMember: 'memberIds',
  full: 'memberIds',
  cancelled: 'memberIds',
  notBooked: 'memberIds',
};

type Outcome = { ok: true } | { ok: false; problem: string };

/** The staff pages of resettlement casework. Routes parse and render; the service decides. */
export function resettlementPages(app: FastifyInstance, resettlement: ResettlementService) {
  const cases = { preHandler: requireStaff('resettlement.cases') };
  const outcomesGuard = { preHandler: requireStaff('resettlement.outcomes') };
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const params = (request: FastifyRequest) => request.params as { id: string; sub?: string };
  const validIds = (request: FastifyRequest) => {
    const p = params(request);
    return UUID.test(p.id) && (p.sub === undefined || UUID.test(p.sub));
  };
  const notice = (request: FastifyRequest) => {
    const n = (request.query as Record<string, string | undefined>).notice;
    return n && NOTICES.includes(n) ? n : undefined;
  };
  const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

  /** A refusal: an error page for access, or the form again with the problem against its field. */
  function refused(
    request: FastifyRequest,
    reply: FastifyReply,
    outcome: Extract<Outcome, { ok: false }>,
    rerender: (errors: { errors: FieldError[]; fieldErrors: Record<string, string> }) => unknown,
  ) {
    if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
    if (outcome.problem === 'notFound') return reply.sendError('notFound');
    const field = PROBLEM_FIELD[outcome.problem] ?? 'form';
    const text = request.t(`resettlement.problems.${outcome.problem}`);
    // A date is three boxes: the link goes to the first.
    const anchor = PAGE_DATE_FIELDS.has(field) ? dateInputAnchor(field) : field;
    reply.code(400);
    return rerender({ errors: [{ href: `#${anchor}`, text }], fieldErrors: { [field]: text } });
  }

  const common = { vocab, DOMAINS: vocab.DOMAINS, DOMAIN_KEYS: vocab.DOMAIN_KEYS };

  type FormContext = {
    values: Record<string, unknown>;
    errors?: FieldError[];
    fieldErrors?: Record<string, string>;
  };

  /**
   * A form's POST: checked against its schema (the form again, errors linked to their fields), then
   * handed to the service; a refusal goes against its field (refused), success to `done`.
   */
  function formPost<S extends z.ZodType, O extends Outcome>(
    pattern: string,
    def: {
      schema: S;
      /** Fields whose first input's id differs from the field's name (radios, checkboxes). */
      ids?: Record<string, string>;
      form: (request: FastifyRequest, reply: FastifyReply, context: FormContext) => unknown;
      save: (request: FastifyRequest, value: z.output<S>) => Promise<O>;
      done: (request: FastifyRequest, outcome: Extract<O, { ok: true }>) => string;
    },
  ) {
    app.post(route(pattern), cases, async (request, reply) => {
      if (pattern.includes(ID) && !validIds(request)) return reply.sendError('notFound');
      const values = body(request);
      const parsed = parseForm(def.schema, values, request.t, def.ids);
      if (!parsed.ok) {
        reply.code(400);
        return def.form(request, reply, { values, errors: parsed.errors, fieldErrors: parsed.byField });
      }
      const outcome = await def.save(request, parsed.value);
      if (!outcome.ok)
        return refused(request, reply, outcome as Extract<Outcome, { ok: false }>, (e) =>
          def.form(request, reply, { values, ...e }),
        );
      return reply.redirect(def.done(request, outcome as Extract<O, { ok: true }>));
    });
  }

  /** A form's GET: the page, empty (or as the form fills it itself). */
  function formGet(
    pattern: string,
    form: (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) => unknown,
  ) {
    app.get(route(pattern), cases, async (request, reply) => {
      if (!validIds(request)) return reply.sendError('notFound');
      return form(request, reply, {});
    });
  }

  /** A form about a household: captioned with its name, with a link back to it. */
  function summaryForm(view: string, titleKey: string) {
    return async (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) => {
      const result = await resettlement.summary(actor(request), params(request).id);
      if (!result.ok) return reply.sendError(result.problem);
      return reply.view(view, {
        ...common,
        pageTitle: request.t(titleKey),
        household: result.household,
        values: {},
        ...context,
      });
    };
  }

  /** Back to the household, with a notice of what was done. */
  const toHousehold = (notice: string) => (request: FastifyRequest) =>
    withQuery(paths.resettlement.household(params(request).id), { notice });

  // ---- The caseworker's home ----

  app.get(paths.resettlement.home(), cases, async (request, reply) => {
    const result = await resettlement.caseload(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply.view('resettlement/views/home.njk', {
      ...common,
      pageTitle: request.t('resettlement.home.title'),
      households: result.households,
      deadlines: result.deadlines,
      overdueReferrals: result.overdueReferrals,
    });
  });

  // ---- Households ----

  app.get(paths.resettlement.households(), cases, async (request, reply) => {
    const filters = householdFilters.parse(request.query ?? {});
    const status = filters.status ?? 'open';
    const result = await resettlement.listHouseholds(actor(request), {
      scheme: filters.scheme,
      status: status === 'any' ? undefined : status,
      mine: filters.mine === 'yes',
    });
    if (!result.ok) return reply.sendError('forbidden');
    return reply.view('resettlement/views/households.njk', {
      ...common,
      pageTitle: request.t('resettlement.list.title'),
      households: result.households,
      filters: { ...filters, status },
    });
  });

  async function householdForm(
    request: FastifyRequest,
    reply: FastifyReply,
    context: {
      id?: string;
      values: Record<string, unknown>;
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
    },
  ) {
    const options = await resettlement.formOptions(actor(request));
    if (!options.ok) return reply.sendError('forbidden');
    return reply.view('resettlement/views/household-form.njk', {
      ...common,
      pageTitle: request.t(
        context.id ? 'resettlement.household.editTitle' : 'resettlement.household.newTitle',
      ),
      areas: options.areas,
      caseworkers: options.caseworkers,
      mayAssign: can(request.staff!.roles, 'resettlement.manage'),
      ...context,
    });
  }

  app.get(paths.resettlement.newHousehold(), cases, async (request, reply) =>
    householdForm(request, reply, { values: { lawfulBasis: 'public_task' } }),
  );

  formPost(paths.resettlement.newHousehold(), {
    schema: householdPageInput,
    ids: {
      scheme: 'scheme',
      lawfulBasis: 'lawfulBasis',
      consentGiven: 'consentGiven',
      interpreterNeeded: 'interpreterNeeded',
    },
    form: householdForm,
    save: (request, value) => resettlement.createHousehold(actor(request), value),
    done: (_request, outcome) => withQuery(paths.resettlement.household(outcome.id), { notice: 'created' }),
  });

  app.get(route(paths.resettlement.household(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const result = await resettlement.household(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    return reply.view('resettlement/views/household.njk', {
      ...common,
      pageTitle: result.household.name,
      ...result,
      notice: notice(request),
      mayAssign: can(request.staff!.roles, 'resettlement.manage'),
      caseworkers: can(request.staff!.roles, 'resettlement.manage')
        ? ((await resettlement.formOptions(actor(request))) as { caseworkers?: unknown }).caseworkers
        : [],
    });
  });

  app.get(route(paths.resettlement.edit(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const result = await resettlement.household(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    const h = result.household;
    return householdForm(request, reply, {
      id: h.id,
      values: {
        ...h,
        interpreterNeeded: h.interpreterNeeded ? 'yes' : 'no',
        consentGiven: h.consentGiven ? 'yes' : 'no',
      },
    });
  });

  formPost(paths.resettlement.edit(ID), {
    schema: householdPageInput,
    form: (request, reply, context) => householdForm(request, reply, { id: params(request).id, ...context }),
    save: (request, value) => resettlement.updateHousehold(actor(request), params(request).id, value),
    done: toHousehold('updated'),
  });

  // Closing asks why and until when; reopening and reassigning are one button each.
  async function closeForm(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const result = await resettlement.household(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    return reply.view('resettlement/views/close.njk', {
      pageTitle: request.t('resettlement.close.title'),
      household: result.household,
      values: {},
      ...context,
    });
  }

  formGet(paths.resettlement.close(ID), closeForm);

  formPost(paths.resettlement.close(ID), {
    schema: closePageInput,
    form: closeForm,
    save: (request, value) => resettlement.close(actor(request), params(request).id, value),
    done: toHousehold('closed'),
  });

  app.post(route(paths.resettlement.reopen(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const id = params(request).id;
    const outcome = await resettlement.reopen(actor(request), id);
    if (!outcome.ok)
      return outcome.problem === 'notClosed'
        ? reply.redirect(paths.resettlement.household(id))
        : reply.sendError(outcome.problem as 'forbidden' | 'notFound');
    return reply.redirect(withQuery(paths.resettlement.household(id), { notice: 'reopened' }));
  });

  app.post(route(paths.resettlement.assign(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const id = params(request).id;
    const parsed = assignInput.safeParse(body(request));
    if (!parsed.success) return reply.sendError('badRequest', request.t('resettlement.errors.caseworker'));
    const outcome = await resettlement.assign(actor(request), id, parsed.data.caseworkerStaffId);
    if (!outcome.ok) {
      if (outcome.problem === 'unknownCaseworker')
        return reply.sendError('badRequest', request.t('resettlement.problems.unknownCaseworker'));
      return reply.sendError(outcome.problem);
    }
    return reply.redirect(withQuery(paths.resettlement.household(id), { notice: 'assigned' }));
  });

  // ---- Members ----

  async function memberForm(
    request: FastifyRequest,
    reply: FastifyReply,
    context: Record<string, unknown> & { values: Record<string, unknown> },
  ) {
    const { id, sub } = params(request);
    const result = sub
      ? await resettlement.member(actor(request), id, sub)
      : await resettlement.summary(actor(request), id);
    if (!result.ok) return reply.sendError(result.problem as 'forbidden' | 'notFound');
    const member = 'member' in result ? (result.member as { id: string; name: string }) : undefined;
    return reply.view('resettlement/views/member-form.njk', {
      ...common,
      pageTitle: member
        ? request.t('resettlement.member.editTitle', { name: member.name })
        : request.t('resettlement.member.newTitle'),
      household: result.household,
      member,
      action: member ? paths.resettlement.member(id, member.id) : paths.resettlement.newMember(id),
      ...context,
    });
  }
  const memberIds = { relationship: 'relationship', languages: 'languages', ageBand: 'ageBand' };

  app.get(route(paths.resettlement.newMember(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    return memberForm(request, reply, { values: {} });
  });

  formPost(paths.resettlement.newMember(ID), {
    schema: memberPageInput,
    ids: memberIds,
    form: memberForm,
    save: (request, value) => resettlement.addMember(actor(request), params(request).id, value),
    done: toHousehold('memberAdded'),
  });

  app.get(route(paths.resettlement.member(ID, SUB)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const { id, sub } = params(request);
    const result = await resettlement.member(actor(request), id, sub!);
    if (!result.ok) return reply.sendError(result.problem);
    const m = result.member;
    return memberForm(request, reply, {
      values: { ...m, esolEnrolled: m.esolEnrolled ? 'yes' : '', gpRegistered: m.gpRegistered ? 'yes' : '' },
    });
  });

  formPost(paths.resettlement.member(ID, SUB), {
    schema: memberPageInput,
    ids: memberIds,
    form: memberForm,
    save: (request, value) =>
      resettlement.updateMember(actor(request), params(request).id, params(request).sub!, value),
    done: toHousehold('memberUpdated'),
  });

  // ---- Host (Homes for Ukraine) ----

  async function hostForm(
    request: FastifyRequest,
    reply: FastifyReply,
    context: Record<string, unknown> & { values?: Record<string, unknown> },
  ) {
    const result = await resettlement.host(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    return reply.view('resettlement/views/host-form.njk', {
      ...common,
      pageTitle: request.t('resettlement.host.title'),
      household: result.household,
      ...context,
      values: context.values ?? result.host ?? { checkStatus: 'not_started', arrangementStatus: 'active' },
    });
  }

  formGet(paths.resettlement.host(ID), hostForm);

  formPost(paths.resettlement.host(ID), {
    schema: hostPageInput,
    ids: { checkStatus: 'checkStatus', arrangementStatus: 'arrangementStatus' },
    form: hostForm,
    save: (request, value) => resettlement.saveHost(actor(request), params(request).id, value),
    done: toHousehold('hostSaved'),
  });

  // ---- Needs assessment ----

  async function needsForm(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const result = await resettlement.household(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    const values =
      context.values ??
      Object.fromEntries(
        result.needs.flatMap((n) => [
          [`${n.domain}Status`, n.status],
          [`${n.domain}Notes`, n.notes ?? ''],
          ...Object.entries(n.details).map(([k, v]) => [`${n.domain}-${k}`, v]),
        ]),
      );
    return reply.view('resettlement/views/needs-form.njk', {
      ...common,
      pageTitle: request.t('resettlement.needs.title'),
      household: result.household,
      ...context,
      values,
    });
  }

  formGet(paths.resettlement.needs(ID), needsForm);

  app.post(route(paths.resettlement.needs(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const id = params(request).id;
    const ids = Object.fromEntries(vocab.DOMAIN_KEYS.map((d) => [d, `${d}Status`]));
    const parsed = parseForm(needsInput, needsFromForm(body(request)), request.t, ids);
    if (!parsed.ok) {
      reply.code(400);
      const fieldErrors = Object.fromEntries(
        Object.entries(parsed.byField).map(([k, v]) => [`${k}Status`, v]),
      );
      return needsForm(request, reply, { values: body(request), errors: parsed.errors, fieldErrors });
    }
    const outcome = await resettlement.saveNeeds(actor(request), id, parsed.value);
    if (!outcome.ok) return reply.sendError(outcome.problem);
    return reply.redirect(withQuery(paths.resettlement.household(id), { notice: 'needsSaved' }));
  });

  // ---- Support plan ----

  const goalForm = summaryForm('resettlement/views/goal-form.njk', 'resettlement.goal.title');

  formGet(paths.resettlement.newGoal(ID), goalForm);

  formPost(paths.resettlement.newGoal(ID), {
    schema: goalPageInput,
    ids: { domain: 'domain' },
    form: goalForm,
    save: (request, value) => resettlement.addGoal(actor(request), params(request).id, value),
    done: toHousehold('goalAdded'),
  });

  app.post(route(paths.resettlement.goal(ID, SUB)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const { id, sub } = params(request);
    const parsed = goalStatusInput.safeParse(body(request));
    if (!parsed.success) return reply.sendError('badRequest', request.t('resettlement.errors.goalStatus'));
    const outcome = await resettlement.setGoalStatus(actor(request), id, sub!, parsed.data.status);
    if (!outcome.ok) return reply.sendError(outcome.problem);
    return reply.redirect(withQuery(paths.resettlement.household(id), { notice: 'goalUpdated' }));
  });

  // ---- Referrals ----

  const referralForm = summaryForm('resettlement/views/referral-form.njk', 'resettlement.referral.newTitle');

  formGet(paths.resettlement.newReferral(ID), referralForm);

  formPost(paths.resettlement.newReferral(ID), {
    schema: referralPageInput,
    ids: { domain: 'domain' },
    form: referralForm,
    save: (request, value) => resettlement.addReferral(actor(request), params(request).id, value),
    done: toHousehold('referralAdded'),
  });

  async function referralPage(
    request: FastifyRequest,
    reply: FastifyReply,
    context: Record<string, unknown>,
  ) {
    const { id, sub } = params(request);
    const result = await resettlement.referral(actor(request), id, sub!);
    if (!result.ok) return reply.sendError(result.problem);
    return reply.view('resettlement/views/referral.njk', {
      ...common,
      pageTitle: request.t('resettlement.referral.title', { service: result.referral.service }),
      household: result.household,
      referral: result.referral,
      values: result.referral,
      ...context,
    });
  }

  app.get(route(paths.resettlement.referral(ID, SUB)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    return referralPage(request, reply, {});
  });

  formPost(paths.resettlement.referral(ID, SUB), {
    schema: referralOutcomePageInput,
    ids: { outcome: 'outcome' },
    form: referralPage,
    save: (request, value) =>
      resettlement.recordReferralOutcome(actor(request), params(request).id, params(request).sub!, value),
    done: toHousehold('referralUpdated'),
  });

  // ---- Subject access ----

  app.get(route(paths.resettlement.exportHtml(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const result = await resettlement.subjectAccess(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    reply.header('Cache-Control', 'no-store');
    return reply.view('resettlement/views/export.njk', {
      ...common,
      pageTitle: request.t('resettlement.export.title', { reference: result.household.reference }),
      ...result,
    });
  });

  app.get(route(paths.resettlement.exportJson(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const result = await resettlement.subjectAccess(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    return reply
      .header('Cache-Control', 'no-store')
      .header(
        'Content-Disposition',
        `attachment; filename="subject-access-${result.household.reference}.json"`,
      )
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(subjectAccessJson(result), null, 2));
  });

  // ---- Sessions ----

  app.get(paths.resettlement.sessions(), cases, async (request, reply) => {
    const result = await resettlement.sessions(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const now = Date.now();
    return reply.view('resettlement/views/sessions.njk', {
      ...common,
      pageTitle: request.t('resettlement.sessions.title'),
      upcoming: result.sessions.filter((s) => s.endsAt.getTime() >= now),
      past: result.sessions.filter((s) => s.endsAt.getTime() < now).reverse(),
      notice: notice(request),
    });
  });

  app.get(paths.resettlement.calendar(), cases, async (request, reply) => {
    const result = await resettlement.calendar(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply
      .type(ICAL_CONTENT_TYPE)
      .header('Content-Disposition', 'inline; filename="resettlement-sessions.ics"')
      .send(sessionsCalendar(result.sessions, request.t, request.partnership));
  });

  const sessionFormPage = (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) =>
    reply.view('resettlement/views/session-form.njk', {
      ...common,
      pageTitle: request.t('resettlement.session.newTitle'),
      values: { languages: ['en'] },
      ...context,
    });

  app.get(paths.resettlement.newSession(), cases, async (request, reply) =>
    sessionFormPage(request, reply, {}),
  );

  formPost(paths.resettlement.newSession(), {
    schema: sessionPageInput,
    ids: { topic: 'topic', languages: 'languages' },
    form: sessionFormPage,
    save: (request, value) => resettlement.createSession(actor(request), value),
    done: (_request, outcome) =>
      withQuery(paths.resettlement.session(outcome.id), { notice: 'sessionCreated' }),
  });

  async function sessionPage(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const result = await resettlement.session(actor(request), params(request).id);
    if (!result.ok) return reply.sendError(result.problem);
    return reply.view('resettlement/views/session.njk', {
      ...common,
      pageTitle: request.t(`resettlement.vocab.topic.${result.session.topic}`),
      ...result,
      left: Math.max(0, result.session.capacity - result.bookings.length),
      notice: notice(request),
      values: {},
      ...context,
    });
  }

  formGet(paths.resettlement.session(ID), sessionPage);

  app.post(route(paths.resettlement.bookings(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const id = params(request).id;
    const parsed = parseForm(bookingInput, body(request), request.t, { memberIds: 'memberIds' });
    if (!parsed.ok) {
      reply.code(400);
      return sessionPage(request, reply, { errors: parsed.errors, fieldErrors: parsed.byField });
    }
    const outcome = await resettlement.book(actor(request), id, parsed.value.memberIds);
    if (!outcome.ok) return refused(request, reply, outcome, (e) => sessionPage(request, reply, e));
    return reply.redirect(withQuery(paths.resettlement.session(id), { notice: 'booked' }));
  });

  app.post(route(paths.resettlement.attendance(ID)), cases, async (request, reply) => {
    if (!validIds(request)) return reply.sendError('notFound');
    const id = params(request).id;
    const members = z
      .array(z.string().regex(UUID))
      .safeParse(([] as unknown[]).concat(body(request).memberId ?? []));
    if (!members.success) return reply.sendError('badRequest');
    const parsed = parseForm(attendanceInput, attendanceFromForm(body(request), members.data), request.t);
    if (!parsed.ok) {
      reply.code(400);
      return sessionPage(request, reply, {
        errors: parsed.errors.map((e) => ({ ...e, href: '#attendance' })),
        fieldErrors: {},
      });
    }
    const outcome = await resettlement.recordAttendance(actor(request), id, parsed.value);
    if (!outcome.ok) return refused(request, reply, outcome, (e) => sessionPage(request, reply, e));
    return reply.redirect(withQuery(paths.resettlement.session(id), { notice: 'attendance' }));
  });

  // ---- Outcomes (aggregate) ----

  app.get(paths.resettlement.outcomes(), outcomesGuard, async (request, reply) => {
    const result = await resettlement.outcomes(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply.view('resettlement/views/outcomes.njk', {
      pageTitle: request.t('resettlement.outcomes.title'),
      table: outcomesTable(result.outcomes, request.t),
    });
  });

  app.get(paths.resettlement.outcomesExport('csv'), outcomesGuard, async (request, reply) => {
    const result = await resettlement.outcomes(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="resettlement-outcomes.csv"')
      .send(outcomesCsv(result.outcomes, request.t));
  });

  app.get(paths.resettlement.outcomesExport('xlsx'), outcomesGuard, async (request, reply) => {
    const result = await resettlement.outcomes(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', 'attachment; filename="resettlement-outcomes.xlsx"')
      .send(await outcomesXlsx(result.outcomes, request.t));
  });
}
