import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffActor, type Actor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Published } from '../../platform/suppression.js';
import { hostJson, memberJson, referralJson, subjectAccessJson } from './resettlement.export.js';
import type { PublishedRate } from './resettlement.rules.js';
import {
  assignInput,
  attendanceInput,
  bookingInput,
  closeInput,
  goalInput,
  goalStatusInput,
  hostInput,
  householdInput,
  memberInput,
  needsInput,
  referralInput,
  referralOutcomeInput,
  sessionInput,
} from './resettlement.schema.js';
import type { HouseholdDetail, ResettlementService } from './resettlement.service.js';
import { SCHEMES } from './resettlement.vocabulary.js';

const TAGS = ['Resettlement'];
const problem = z.object({
  error: z.string(),
  message: z.string(),
  correlationId: z.string(),
  problem: z.string().optional().describe('Why an action was refused, e.g. full or unknownArea'),
});
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idParams = z.object({ id: z.string().regex(UUID) });
const subParams = z.object({ id: z.string().regex(UUID), sub: z.string().regex(UUID) });
const okResponse = z.object({ ok: z.literal(true), id: z.string().optional() });
const anyObject = z.record(z.string(), z.unknown());

const ID = '__id__';
const SUB = '__sub__';
const route = (url: string) => url.replace(ID, ':id').replace(SUB, ':sub');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function householdJson(d: HouseholdDetail) {
  const h = d.household;
  return {
    id: h.id,
    reference: h.reference,
    scheme: h.scheme,
    schemeOther: h.schemeOther,
    name: h.name,
    arrivalDate: h.arrivalDate,
    address: h.address,
    area: h.areaId ? { id: h.areaId, name: d.areaName } : null,
    caseworker: h.caseworkerStaffId ? { id: h.caseworkerStaffId, name: d.caseworkerName } : null,
    interpreterNeeded: h.interpreterNeeded,
    interpreterLanguage: h.interpreterLanguage,
    moveOnDeadline: h.moveOnDeadline,
    lawfulBasis: h.lawfulBasis,
    consentGiven: h.consentGiven,
    consentDate: h.consentDate,
    consentNotes: h.consentNotes,
    notes: h.notes,
    status: h.status,
    closedAt: iso(h.closedAt),
    closureReason: h.closureReason,
    retentionUntil: h.retentionUntil,
    members: d.members.map(memberJson),
    host: d.host ? hostJson(d.host) : null,
    needs: d.needs.map((n) => ({ ...n, updatedAt: iso(n.updatedAt) })),
    goals: d.goals.map((g) => ({
      id: g.id,
      domain: g.domain,
      goal: g.goal,
      owner: g.owner,
      dueDate: g.dueDate,
      status: g.status,
    })),
    referrals: d.referrals.map(referralJson),
    sessions: d.bookings.map((b) => ({
      sessionId: b.session.id,
      memberId: b.booking.memberId,
      topic: b.session.topic,
      startsAt: b.session.startsAt.toISOString(),
      attended: b.booking.attended,
      feedback: b.booking.feedback,
    })),
  };
}

const published = (p: Published): number | 'fewer than 5' | 'withheld' =>
  p.state === 'shown' ? p.value : p.state === 'small' ? 'fewer than 5' : 'withheld';
const rate = (r: PublishedRate) => ({
  percent: r.percent.state === 'shown' ? r.percent.value : null,
  base: published(r.base),
});
const publishedCount = z.union([z.number(), z.enum(['fewer than 5', 'withheld'])]);
const publishedRate = z.object({
  percent: z.number().nullable().describe('null when suppressed'),
  base: publishedCount,
});
const outcomeRow = z.object({
  households: publishedCount,
  gpRegistered: publishedRate,
  esolEnrolled: publishedRate,
  inWorkOrTraining: publishedRate,
  childrenInSchool: publishedRate,
  sessionsAttended: publishedCount,
});

/**
 * The JSON API for resettlement casework: everything the pages do. Guards run on request, before
 * validation, so a caller without the resettlement roles gets 403 whatever they send.
 */
export function resettlementApi(app: FastifyInstance, resettlement: ResettlementService) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const cases = requireStaff('resettlement.cases');
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const p = paths.api.resettlement;
  type Outcome = { ok: true; id?: string } | { ok: false; problem: string };

  function refuse(request: FastifyRequest, reply: FastifyReply, outcome: { ok: false; problem: string }) {
    if (outcome.problem === 'notFound') return reply.sendError('notFound');
    if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
    return reply.code(400).send({
      error: 'badRequest',
      problem: outcome.problem,
      message: request.t(`resettlement.problems.${outcome.problem}`),
      correlationId: request.correlationId,
    });
  }
  const done = (request: FastifyRequest, reply: FastifyReply, outcome: Outcome, status = 200) =>
    outcome.ok
      ? reply.code(status).send({ ok: true as const, ...(outcome.id ? { id: outcome.id } : {}) })
      : refuse(request, reply, outcome);

  /**
   * A POST that hands its body to the service and answers `{ ok, id? }` or the refusal: every change
   * the API makes. `params` are the path's ids (none, :id, or :id and :sub); `status` is 201 when it
   * creates something, whose id is then in the answer.
   */
  function command<P extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUndefined>(
    url: string,
    def: {
      summary: string;
      params?: P;
      body?: B;
      status?: 200 | 201;
      run: (actor: Actor, params: z.output<P>, body: z.output<B>) => Promise<Outcome>;
    },
  ) {
    const status = def.status ?? 200;
    api.post(
      route(url),
      {
        onRequest: cases,
        schema: {
          tags: TAGS,
          summary: def.summary,
          ...(def.params ? { params: def.params } : {}),
          ...(def.body ? { body: def.body } : {}),
          response: { [status]: okResponse, ...errors },
        },
      },
      async (request, reply) =>
        done(
          request,
          reply,
          await def.run(actor(request), request.params as z.output<P>, request.body as z.output<B>),
          status,
        ),
    );
  }

  api.get(
    p.caseload(),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'My households, upcoming deadlines and overdue referrals',
        querystring: z.object({
          all: z.enum(['yes', 'no']).optional().describe('yes: the whole team’s caseload'),
        }),
        response: { 200: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const r = await resettlement.caseload(actor(request), { all: request.query.all === 'yes' });
      if (!r.ok) return refuse(request, reply, r);
      return {
        households: r.households.map((h) => ({
          id: h.household.id,
          reference: h.household.reference,
          name: h.household.name,
          scheme: h.household.scheme,
          members: h.members,
        })),
        deadlines: r.deadlines,
        overdueReferrals: r.overdueReferrals.map((o) => ({
          householdReference: o.householdReference,
          householdId: o.referral.householdId,
          referralId: o.referral.id,
          service: o.referral.service,
          responseDueOn: o.referral.responseDueOn,
        })),
      };
    },
  );

  api.get(
    p.households(),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'List households',
        querystring: z.object({
          scheme: z.enum(SCHEMES).optional(),
          status: z.enum(['open', 'closed']).optional(),
          mine: z.enum(['yes', 'no']).optional(),
        }),
        response: {
          200: z.object({
            households: z.array(
              z.object({
                id: z.string(),
                reference: z.string(),
                name: z.string(),
                scheme: z.string(),
                status: z.string(),
                members: z.number(),
                caseworker: z.string().nullable(),
                area: z.string().nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const r = await resettlement.listHouseholds(actor(request), {
        scheme: request.query.scheme,
        status: request.query.status,
        mine: request.query.mine === 'yes',
      });
      if (!r.ok) return refuse(request, reply, r);
      return {
        households: r.households.map((h) => ({
          id: h.household.id,
          reference: h.household.reference,
          name: h.household.name,
          scheme: h.household.scheme,
          status: h.household.status,
          members: Number(h.members),
          caseworker: h.caseworkerName,
          area: h.areaName,
        })),
      };
    },
  );

  command(p.households(), {
    summary: 'Create a household',
    body: householdInput,
    status: 201,
    run: (a, _, body) => resettlement.createHousehold(a, body),
  });

  api.get(
    route(p.household(ID)),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'A household, with members, host, needs, plan, referrals and sessions (audited)',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const r = await resettlement.household(actor(request), request.params.id);
      return r.ok ? householdJson(r) : refuse(request, reply, r);
    },
  );

  command(p.household(ID), {
    summary: 'Change a household’s details',
    params: idParams,
    body: householdInput,
    run: (a, { id }, body) => resettlement.updateHousehold(a, id, body),
  });

  command(p.close(ID), {
    summary: 'Close a case and set its retention date',
    params: idParams,
    body: closeInput,
    run: (a, { id }, body) => resettlement.close(a, id, body),
  });

  command(p.reopen(ID), {
    summary: 'Reopen a closed case',
    params: idParams,
    run: (a, { id }) => resettlement.reopen(a, id),
  });

  command(p.assign(ID), {
    summary: 'Change the caseworker (resettlement managers)',
    params: idParams,
    body: assignInput,
    run: (a, { id }, body) => resettlement.assign(a, id, body.caseworkerStaffId),
  });

  command(p.members(ID), {
    summary: 'Add a household member',
    params: idParams,
    body: memberInput,
    status: 201,
    run: (a, { id }, body) => resettlement.addMember(a, id, body),
  });

  command(p.member(ID, SUB), {
    summary: 'Change a household member',
    params: subParams,
    body: memberInput,
    run: (a, { id, sub }, body) => resettlement.updateMember(a, id, sub, body),
  });

  command(p.host(ID), {
    summary: 'Record the host (Homes for Ukraine)',
    params: idParams,
    body: hostInput,
    run: (a, { id }, body) => resettlement.saveHost(a, id, body),
  });

  command(p.needs(ID), {
    summary: 'Save the needs assessment (any of the nine domains)',
    params: idParams,
    body: needsInput.partial(),
    run: (a, { id }, body) => resettlement.saveNeeds(a, id, body),
  });

  command(p.goals(ID), {
    summary: 'Add a goal to the support plan',
    params: idParams,
    body: goalInput,
    status: 201,
    run: (a, { id }, body) => resettlement.addGoal(a, id, body),
  });

  command(p.goal(ID, SUB), {
    summary: 'Change a goal’s status',
    params: subParams,
    body: goalStatusInput,
    run: (a, { id, sub }, body) => resettlement.setGoalStatus(a, id, sub, body.status),
  });

  command(p.referrals(ID), {
    summary: 'Refer to a partner service',
    params: idParams,
    body: referralInput,
    status: 201,
    run: (a, { id }, body) => resettlement.addReferral(a, id, body),
  });

  command(p.referral(ID, SUB), {
    summary: 'Record a referral’s outcome',
    params: subParams,
    body: referralOutcomeInput,
    run: (a, { id, sub }, body) => resettlement.recordReferralOutcome(a, id, sub, body),
  });

  api.get(
    route(p.subjectAccess(ID)),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'Subject access export: everything held about one household',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const r = await resettlement.subjectAccess(actor(request), request.params.id);
      return r.ok ? subjectAccessJson(r) : refuse(request, reply, r);
    },
  );

  api.get(
    p.sessions(),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'Integration and information sessions',
        response: { 200: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const r = await resettlement.sessions(actor(request));
      if (!r.ok) return refuse(request, reply, r);
      return {
        sessions: r.sessions.map((s) => ({
          id: s.id,
          topic: s.topic,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          venue: s.venue,
          languages: s.languages,
          interpreter: s.interpreter,
          capacity: s.capacity,
          booked: s.booked,
          cancelled: s.cancelled,
        })),
      };
    },
  );

  command(p.sessions(), {
    summary: 'Add a session (date and times in UK local time)',
    body: sessionInput,
    status: 201,
    run: (a, _, body) => resettlement.createSession(a, body),
  });

  api.get(
    route(p.session(ID)),
    {
      onRequest: cases,
      schema: {
        tags: TAGS,
        summary: 'A session with its bookings (audited)',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const r = await resettlement.session(actor(request), request.params.id);
      if (!r.ok) return refuse(request, reply, r);
      return {
        id: r.session.id,
        topic: r.session.topic,
        startsAt: r.session.startsAt.toISOString(),
        endsAt: r.session.endsAt.toISOString(),
        venue: r.session.venue,
        languages: r.session.languages,
        interpreter: r.session.interpreter,
        capacity: r.session.capacity,
        bookings: r.bookings.map((b) => ({
          memberId: b.booking.memberId,
          name: b.memberName,
          householdId: b.booking.householdId,
          householdReference: b.householdReference,
          attended: b.booking.attended,
          feedback: b.booking.feedback,
        })),
      };
    },
  );

  command(p.bookings(ID), {
    summary: 'Book household members onto a session',
    params: idParams,
    body: bookingInput,
    run: (a, { id }, body) => resettlement.book(a, id, body.memberIds),
  });

  command(p.attendance(ID), {
    summary: 'Record attendance and feedback',
    params: idParams,
    body: attendanceInput,
    run: (a, { id }, body) => resettlement.recordAttendance(a, id, body),
  });

  api.get(
    p.outcomes(),
    {
      onRequest: requireStaff('resettlement.outcomes'),
      schema: {
        tags: TAGS,
        summary: 'Outcomes per scheme, aggregate and suppressed',
        description:
          'Counts below 5 read "fewer than 5"; counts that could reveal them read "withheld"; percentages that could reveal them are null.',
        response: {
          200: z.object({ schemes: z.record(z.string(), outcomeRow), total: outcomeRow }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const r = await resettlement.outcomes(actor(request));
      if (!r.ok) return refuse(request, reply, r);
      const row = (o: (typeof r.outcomes.rows)[keyof typeof r.outcomes.rows]) => ({
        households: published(o.households),
        gpRegistered: rate(o.gp),
        esolEnrolled: rate(o.esol),
        inWorkOrTraining: rate(o.work),
        childrenInSchool: rate(o.school),
        sessionsAttended: published(o.sessionsAttended),
      });
      return {
        schemes: Object.fromEntries(r.outcomes.schemes.map((s) => [s, row(r.outcomes.rows[s])])),
        total: row(r.outcomes.total),
      };
    },
  );
}
