import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { formatReference } from '../concerns/reference.js';
import type { ForumRow } from './forums.repository.js';
import { forumRoute, problemKey, ROUTE } from './forums.routes.js';
import {
  apiAttendanceBody,
  apiCancelBody,
  apiContactBody,
  apiDeclineBody,
  apiForumBody,
  apiForumPatch,
  apiIssueBody,
  apiMeetingBody,
  apiRequestsQuery,
  attendanceResponse,
  cancelResponse,
  forumResponse,
  forumsResponse,
  issueResponse,
  meetingParams,
  meetingResponse,
  meetingsResponse,
  membersResponse,
  problemResponse,
  requestActionResponse,
  requestParams,
  requestsResponse,
  slugParams,
} from './forums.schema.js';
import type { IssueProgress } from './forums.service.js';

const { slug: SLUG, id: ID } = ROUTE;
const TAGS = ['Forums'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** A refused action: 404 for what the caller cannot see, 403 for not allowed, else 400 saying why. */
function refuse(request: FastifyRequest, reply: FastifyReply, problem: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  return reply.code(problem === 'forbidden' ? 403 : 400).send({
    error: problem === 'forbidden' ? 'forbidden' : 'badRequest',
    problem,
    message: request.t(problemKey(problem)),
    correlationId: request.correlationId,
  });
}

function issueJson(i: IssueProgress) {
  return {
    id: i.id,
    summary: i.summary,
    kind: i.kind,
    reference: formatReference(i.reference),
    status: i.status,
    anonymous: i.anonymous,
    public: i.public,
    updates: i.updates.map((u) => ({ body: u.body, at: iso(u.createdAt) })),
  };
}

function forumJson(forum: ForumRow, facilitators: readonly { id: string; name: string }[]) {
  return {
    slug: forum.slug,
    name: forum.name,
    characteristics: forum.characteristics as never[],
    description: forum.description,
    facilitators: facilitators.map((f) => ({ id: f.id, name: f.name })),
    coChairs: forum.coChairs,
    howToJoin: forum.howToJoin,
    meetingPattern: forum.meetingPattern,
    accessibility: forum.accessibility as never[],
    accessibilityNotes: forum.accessibilityNotes,
    published: forum.published,
    updatedAt: iso(forum.updatedAt),
  };
}

/**
 * The JSON API for what the facilitators' pages do, described by zod schemas so it appears at
 * /api/docs. Guards run on request, so a caller with no credentials always gets 401.
 */
export function forumsApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const guard = requireStaff('forums.manage');

  api.get(
    paths.forums.api.forums(),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'List the partnership’s forums',
        description: 'Forum facilitators and partnership admins.',
        response: { 200: forumsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.forums.overview(actor(request));
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        items: result.forums.map((f) => ({
          slug: f.slug,
          name: f.name,
          characteristics: f.characteristics as never[],
          description: f.description,
          facilitators: f.facilitators,
          coChairs: f.coChairs,
          howToJoin: f.howToJoin,
          meetingPattern: f.meetingPattern,
          accessibility: f.accessibility,
          published: f.published,
          memberCount: f.memberCount,
          openRequests: f.openRequests,
          nextMeeting: f.nextMeeting ? iso(f.nextMeeting.startsAt) : null,
        })),
      };
    },
  );

  api.post(
    paths.forums.api.forums(),
    {
      onRequest: requireStaff('forums.admin'),
      schema: {
        tags: TAGS,
        summary: 'Create a forum',
        description:
          'Partnership admins. Its address (slug) is made from the name and must be unique in the partnership (problem slugTaken). Audited.',
        body: apiForumBody,
        response: { 201: forumResponse, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await services.forums.createForum(actor(request), {
        name: b.name,
        characteristics: b.characteristics,
        description: b.description,
        facilitatorStaffIds: b.facilitatorStaffIds,
        coChairs: b.coChairs || undefined,
        howToJoin: b.howToJoin,
        meetingPattern: b.meetingPattern,
        accessibility: b.accessibility,
        accessibilityNotes: b.accessibilityNotes || undefined,
        published: b.published,
      });
      if (!r.ok) return refuse(request, reply, r.problem);
      return reply.code(201).send(forumJson(r.forum, r.facilitators));
    },
  );

  api.patch(
    forumRoute(paths.forums.api.forum(SLUG)),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Edit a forum’s details',
        description:
          'Partnership admins, and the forum’s own facilitators. Only the fields given change; null or an empty string clears coChairs or accessibilityNotes. The address stays the same when the name changes. Audited with the fields changed.',
        params: slugParams,
        body: apiForumPatch,
        response: { 200: forumResponse, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await services.forums.editForum(actor(request), request.params.slug, {
        ...b,
        ...(b.coChairs !== undefined ? { coChairs: b.coChairs || null } : {}),
        ...(b.accessibilityNotes !== undefined ? { accessibilityNotes: b.accessibilityNotes || null } : {}),
      });
      if (!r.ok) return refuse(request, reply, r.problem);
      return forumJson(r.forum, r.facilitators);
    },
  );

  api.get(
    forumRoute(paths.forums.api.requests(SLUG)),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Join requests of a forum',
        description:
          'Contact details and access needs; reading them is audited. Equality answers are not included.',
        params: slugParams,
        querystring: apiRequestsQuery,
        response: { 200: requestsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const statuses = request.query.status === 'open' ? ['new', 'contacted'] : [request.query.status];
      const result = await services.forums.listRequests(actor(request), request.params.slug, statuses);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        items: result.requests.map((r) => ({
          id: r.id,
          name: r.name,
          email: r.email,
          phone: r.phone,
          preferredContact: r.preferredContact,
          participation: r.participation,
          accessNeeds: r.accessNeeds,
          accessNotes: r.accessNotes,
          status: r.status,
          contactNote: r.contactNote,
          declineReason: r.declineReason,
          createdAt: iso(r.createdAt),
        })),
      };
    },
  );

  const actionResult = (r: { ok: true; memberId?: string | undefined }) => ({
    ok: true as const,
    memberId: r.memberId ?? null,
  });

  api.post(
    forumRoute(paths.forums.api.requestAction(SLUG, ID, 'approve')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Approve a join request: the person becomes a member',
        params: requestParams,
        response: { 200: requestActionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.forums.approve(actor(request), request.params.slug, request.params.id);
      return r.ok ? actionResult(r) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    forumRoute(paths.forums.api.requestAction(SLUG, ID, 'contact')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Mark a join request as contacted, with a note',
        params: requestParams,
        body: apiContactBody,
        response: { 200: requestActionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.forums.markContacted(
        actor(request),
        request.params.slug,
        request.params.id,
        request.body.note,
      );
      return r.ok ? actionResult(r) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    forumRoute(paths.forums.api.requestAction(SLUG, ID, 'decline')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Decline a join request, with a reason',
        params: requestParams,
        body: apiDeclineBody,
        response: { 200: requestActionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.forums.decline(
        actor(request),
        request.params.slug,
        request.params.id,
        request.body.reason,
      );
      return r.ok ? actionResult(r) : refuse(request, reply, r.problem);
    },
  );

  api.get(
    forumRoute(paths.forums.api.members(SLUG)),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Members of a forum',
        description: 'Contact preferences and access needs; reading them is audited.',
        params: slugParams,
        response: { 200: membersResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.forums.listMembers(actor(request), request.params.slug);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        items: result.members.map((m) => ({
          id: m.id,
          name: m.name,
          email: m.email,
          phone: m.phone,
          preferredContact: m.preferredContact,
          participation: m.participation,
          accessNeeds: m.accessNeeds,
          accessNotes: m.accessNotes,
          consentAt: isoOrNull(m.consentAt),
          joinedAt: iso(m.joinedAt),
        })),
      };
    },
  );

  api.get(
    forumRoute(paths.forums.api.meetings(SLUG)),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Meetings of a forum, newest first, with attendance and issues raised',
        params: slugParams,
        response: { 200: meetingsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.forums.forumPage(actor(request), request.params.slug);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        items: result.meetings.map((m) => ({
          id: m.id,
          title: m.title,
          startsAt: iso(m.startsAt),
          endsAt: iso(m.endsAt),
          venueName: m.venueName,
          venueAddress: m.venueAddress,
          venueAccess: m.venueAccess,
          onlineUrl: m.onlineUrl,
          agenda: m.agenda,
          minutes: m.minutes,
          guestCount: m.guestCount,
          memberAttendance: m.memberAttendance,
          public: m.public,
          cancelled: m.cancelled,
          cancelReason: m.cancelReason,
          issues: m.issues.map(issueJson),
        })),
      };
    },
  );

  api.post(
    forumRoute(paths.forums.api.meetings(SLUG)),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Schedule a meeting',
        params: slugParams,
        body: apiMeetingBody,
        response: { 201: meetingResponse, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await services.forums.scheduleMeeting(actor(request), request.params.slug, {
        title: b.title,
        startsAt: new Date(b.startsAt),
        endsAt: new Date(b.endsAt),
        venueName: b.venueName || undefined,
        venueAddress: b.venueAddress || undefined,
        venueAccess: b.venueAccess || undefined,
        onlineUrl: b.onlineUrl || undefined,
        agenda: b.agenda || undefined,
        public: b.public,
      });
      if (!r.ok) return refuse(request, reply, r.problem);
      const m = r.meeting;
      return reply.code(201).send({
        id: m.id,
        title: m.title,
        startsAt: iso(m.startsAt),
        endsAt: iso(m.endsAt),
        venueName: m.venueName,
        venueAddress: m.venueAddress,
        venueAccess: m.venueAccess,
        onlineUrl: m.onlineUrl,
        agenda: m.agenda,
        minutes: m.minutes,
        guestCount: m.guestCount,
        memberAttendance: 0,
        public: m.public,
        cancelled: m.cancelled,
        cancelReason: m.cancelReason,
        issues: [],
      });
    },
  );

  api.post(
    forumRoute(paths.forums.api.meetingAction(SLUG, ID, 'cancel')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Cancel a meeting',
        description:
          'Partnership admins, and the forum’s own facilitators. It stays on the forum’s public page marked cancelled, with the reason if given, and the calendar feeds send it as STATUS:CANCELLED with a higher SEQUENCE. Cancelling again changes nothing. A meeting with attendance, minutes or issues recorded cannot be cancelled (problem meetingHeld). Audited.',
        params: meetingParams,
        body: apiCancelBody,
        response: { 200: cancelResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.forums.cancelMeeting(
        actor(request),
        request.params.slug,
        request.params.id,
        request.body.reason || undefined,
      );
      if (!r.ok) return refuse(request, reply, r.problem);
      return {
        id: r.meeting.id,
        cancelled: true as const,
        cancelledAt: isoOrNull(r.meeting.cancelledAt),
        cancelReason: r.meeting.cancelReason,
        sequence: r.meeting.sequence,
      };
    },
  );

  api.post(
    forumRoute(paths.forums.api.meetingAction(SLUG, ID, 'attendance')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Record attendance: members present, and guests counted without names',
        params: meetingParams,
        body: apiAttendanceBody,
        response: { 200: attendanceResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.forums.recordAttendance(
        actor(request),
        request.params.slug,
        request.params.id,
        request.body,
      );
      return r.ok
        ? { ok: true as const, members: r.members, guests: r.guests }
        : refuse(request, reply, r.problem);
    },
  );

  api.post(
    forumRoute(paths.forums.api.meetingAction(SLUG, ID, 'issues')),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Raise an issue from a meeting: it becomes a concern or suggestion (channel forum)',
        params: meetingParams,
        body: apiIssueBody,
        response: { 201: issueResponse, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await services.forums.raiseIssue(actor(request), request.params.slug, request.params.id, {
        kind: b.kind,
        topic: b.topic,
        summary: b.summary,
        details: b.details,
        raisedByMemberId: b.raisedByMemberId,
        areaId: b.areaId,
        public: b.public,
      });
      if (!r.ok) return refuse(request, reply, r.problem);
      return reply.code(201).send({ reference: formatReference(r.reference), urgent: r.urgent });
    },
  );
}
