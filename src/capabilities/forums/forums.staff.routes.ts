import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { staffActor, type Actor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { paths, type ForumMeetingAction, type ForumRequestAction } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { formatReference } from '../concerns/reference.js';
import { AFFECTED_GROUPS, EQUALITY_QUESTIONS, KINDS, TOPICS } from '../concerns/vocabulary.js';
import { londonToUtc, isRealDate, parseTime } from './forums.rules.js';
import { forumRoute, meetingView, problemKey, ROUTE } from './forums.routes.js';
import {
  attendanceForm,
  cancelForm,
  contactForm,
  declineForm,
  forumForm,
  isGuid,
  issueForm,
  meetingForm,
  minutesForm,
  type ForumForm,
  type MeetingForm,
} from './forums.schema.js';
import { ACCESSIBILITY } from './forums.vocabulary.js';

const { slug: SLUG, id: ID } = ROUTE;
const FLASH_COOKIE = 'heard_forums_flash';

/** Ids of the first box of each checkbox or radio group on the forum form, for the error summary. */
const FORUM_IDS = {
  characteristics: 'characteristics',
  facilitatorStaffIds: 'facilitatorStaffIds',
  accessibility: 'accessibility',
  published: 'published',
};

/** A submitted form's checkbox values: absent, one, or many. */
const asList = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []) as string[];

/** The form's values as the service takes them; cleared optional fields are cleared, not kept. */
function forumInput(v: ForumForm) {
  return {
    name: v.name,
    characteristics: v.characteristics,
    description: v.description,
    facilitatorStaffIds: v.facilitatorStaffIds,
    coChairs: v.coChairs ?? null,
    howToJoin: v.howToJoin,
    meetingPattern: v.meetingPattern,
    accessibility: v.accessibility,
    accessibilityNotes: v.accessibilityNotes ?? null,
    published: v.published === 'yes',
  };
}

type Outcome = { ok: true } | { ok: false; problem: string };

/** A meeting form's date and times as instants, or the field that is wrong. */
export function meetingTimes(
  v: MeetingForm,
): { ok: true; startsAt: Date; endsAt: Date } | { ok: false; field: string; message: string } {
  if (!isRealDate(v.year, v.month, v.day))
    return { ok: false, field: 'day', message: 'forums.errors.dateInvalid' };
  const start = parseTime(v.startTime);
  if (!start) return { ok: false, field: 'startTime', message: 'forums.errors.timeInvalid' };
  const end = parseTime(v.endTime);
  if (!end) return { ok: false, field: 'endTime', message: 'forums.errors.timeInvalid' };
  return {
    ok: true,
    startsAt: londonToUtc(v.year, v.month, v.day, start.hour, start.minute),
    endsAt: londonToUtc(v.year, v.month, v.day, end.hour, end.minute),
  };
}

/** The facilitators' pages: forums, join requests, members, meetings, attendance and issues. */
export function forumStaffRoutes(app: FastifyInstance, services: Services, secureCookies: boolean) {
  const actor = (request: FastifyRequest): Actor => staffActor(request.staff!, request.correlationId);
  const guard = { preHandler: requireStaff('forums.manage') };
  const to = (request: FastifyRequest) => request.t('forums.common.to');

  function setFlash(reply: FastifyReply, message: string, reference?: string) {
    reply.setCookie(FLASH_COOKIE, JSON.stringify({ message, reference }), {
      path: '/staff',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      signed: true,
      maxAge: 5 * 60,
    });
  }

  function takeFlash(request: FastifyRequest, reply: FastifyReply) {
    const raw = request.cookies[FLASH_COOKIE];
    if (!raw) return undefined;
    reply.clearCookie(FLASH_COOKIE, { path: '/staff' });
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return undefined;
    try {
      const v = JSON.parse(unsigned.value) as { message?: unknown; reference?: unknown };
      return typeof v.message === 'string'
        ? { message: v.message, reference: typeof v.reference === 'string' ? v.reference : undefined }
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Forbidden and not found are told apart only by status; neither says whether a forum exists. */
  function refused(reply: FastifyReply, problem: string) {
    return reply.sendError(problem === 'forbidden' ? 'forbidden' : 'notFound');
  }

  // ---------------------------------------------------------------------------------------------
  // Forums and the facilitators' forum page
  // ---------------------------------------------------------------------------------------------

  app.get(paths.forums.staff.list(), guard, async (request, reply) => {
    const result = await services.forums.overview(actor(request));
    if (!result.ok) return refused(reply, result.problem);
    return reply.view('forums/views/staff-list.njk', {
      pageTitle: request.t('forums.staff.listTitle'),
      mayCreate: result.mayCreate,
      forums: result.forums.map((f) => ({
        ...f,
        nextMeeting: f.nextMeeting ? meetingView(f.nextMeeting, request.lang, to(request)) : undefined,
      })),
    });
  });

  app.get(forumRoute(paths.forums.staff.forum(SLUG)), guard, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const result = await services.forums.forumPage(actor(request), slug);
    if (!result.ok) return refused(reply, result.problem);
    const now = Date.now();
    const meetings = result.meetings.map((m) => ({
      ...meetingView(m, request.lang, to(request)),
      memberAttendance: m.memberAttendance,
      issues: m.issues.map((i) => ({ ...i, reference: formatReference(i.reference) })),
    }));
    return reply.view('forums/views/staff-forum.njk', {
      pageTitle: result.forum.name,
      flash: takeFlash(request, reply),
      forum: result.forum,
      canEdit: result.canEdit,
      requests: result.requests,
      members: result.members,
      upcoming: meetings.filter((m) => m.endsAt.getTime() >= now).reverse(),
      past: meetings.filter((m) => m.endsAt.getTime() < now),
      openIssues: result.openIssues.map((i) => ({ ...i, reference: formatReference(i.reference) })),
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Creating a forum (admins) and editing its details (admins and its own facilitators)
  // ---------------------------------------------------------------------------------------------

  function renderForumForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      forum?: { name: string; slug: string };
      facilitators: readonly { id: string; name: string }[];
      values: Record<string, unknown>;
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
    },
  ) {
    const editing = options.forum !== undefined;
    return reply.view('forums/views/forum-form.njk', {
      pageTitle: editing
        ? request.t('forums.admin.editTitle', { forum: options.forum!.name })
        : request.t('forums.admin.newTitle'),
      forum: options.forum,
      formAction: editing ? paths.forums.staff.editForum(options.forum!.slug) : paths.forums.staff.newForum(),
      backUrl: editing ? paths.forums.staff.forum(options.forum!.slug) : paths.forums.staff.list(),
      facilitators: options.facilitators,
      groups: AFFECTED_GROUPS,
      accessibility: ACCESSIBILITY,
      values: options.values,
      chosen: {
        characteristics: asList(options.values.characteristics),
        facilitatorStaffIds: asList(options.values.facilitatorStaffIds),
        accessibility: asList(options.values.accessibility),
      },
      errors: options.errors,
      fieldErrors: options.fieldErrors ?? {},
    });
  }

  /** The service's refusals of a forum's details, as a message on the field they are about. */
  function forumProblem(
    request: FastifyRequest,
    problem: 'slugTaken' | 'notAFacilitator',
    slug?: string,
  ): { errors: FieldError[]; fieldErrors: Record<string, string> } {
    if (problem === 'slugTaken') {
      const text = request.t('forums.admin.errors.slugTaken', {
        address: paths.forums.forum(slug ?? ''),
      });
      return { errors: [{ href: '#name', text }], fieldErrors: { name: text } };
    }
    const text = request.t('forums.admin.errors.notAFacilitator');
    return {
      errors: [{ href: `#${FORUM_IDS.facilitatorStaffIds}`, text }],
      fieldErrors: { facilitatorStaffIds: text },
    };
  }

  const adminGuard = { preHandler: requireStaff('forums.admin') };

  app.get(paths.forums.staff.newForum(), adminGuard, async (request, reply) => {
    const result = await services.forums.newForumForm(actor(request));
    if (!result.ok) return refused(reply, result.problem);
    return renderForumForm(request, reply, { facilitators: result.facilitators, values: {} });
  });

  app.post(paths.forums.staff.newForum(), adminGuard, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = await services.forums.newForumForm(actor(request));
    if (!form.ok) return refused(reply, form.problem);
    const fail = (errors: FieldError[], fieldErrors: Record<string, string>) => {
      reply.code(400);
      return renderForumForm(request, reply, {
        facilitators: form.facilitators,
        values: body,
        errors,
        fieldErrors,
      });
    };
    const parsed = parseForm(forumForm, body, request.t, FORUM_IDS);
    if (!parsed.ok) return fail(parsed.errors, parsed.byField);
    const { coChairs, accessibilityNotes, ...rest } = forumInput(parsed.value);
    const outcome = await services.forums.createForum(actor(request), {
      ...rest,
      coChairs: coChairs ?? undefined,
      accessibilityNotes: accessibilityNotes ?? undefined,
    });
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden') return refused(reply, outcome.problem);
      const shown = forumProblem(request, outcome.problem, 'slug' in outcome ? outcome.slug : undefined);
      return fail(shown.errors, shown.fieldErrors);
    }
    setFlash(reply, 'forum.created');
    return reply.redirect(paths.forums.staff.forum(outcome.forum.slug), 303);
  });

  app.get(forumRoute(paths.forums.staff.editForum(SLUG)), guard, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const result = await services.forums.forumForEdit(actor(request), slug);
    if (!result.ok) return refused(reply, result.problem);
    const f = result.forum;
    return renderForumForm(request, reply, {
      forum: f,
      facilitators: result.facilitators,
      values: {
        name: f.name,
        characteristics: f.characteristics,
        description: f.description,
        facilitatorStaffIds: result.facilitatorIds,
        coChairs: f.coChairs ?? '',
        howToJoin: f.howToJoin,
        meetingPattern: f.meetingPattern,
        accessibility: f.accessibility,
        accessibilityNotes: f.accessibilityNotes ?? '',
        published: f.published ? 'yes' : 'no',
      },
    });
  });

  app.post(forumRoute(paths.forums.staff.editForum(SLUG)), guard, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const current = await services.forums.forumForEdit(actor(request), slug);
    if (!current.ok) return refused(reply, current.problem);
    const fail = (errors: FieldError[], fieldErrors: Record<string, string>) => {
      reply.code(400);
      return renderForumForm(request, reply, {
        forum: current.forum,
        facilitators: current.facilitators,
        values: body,
        errors,
        fieldErrors,
      });
    };
    const parsed = parseForm(forumForm, body, request.t, FORUM_IDS);
    if (!parsed.ok) return fail(parsed.errors, parsed.byField);
    const outcome = await services.forums.editForum(actor(request), slug, forumInput(parsed.value));
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden' || outcome.problem === 'notFound')
        return refused(reply, outcome.problem);
      const shown = forumProblem(request, outcome.problem, 'slug' in outcome ? outcome.slug : undefined);
      return fail(shown.errors, shown.fieldErrors);
    }
    setFlash(reply, outcome.changed.length > 0 ? 'forum.saved' : 'forum.unchanged');
    return reply.redirect(paths.forums.staff.forum(slug), 303);
  });

  // ---------------------------------------------------------------------------------------------
  // Join requests
  // ---------------------------------------------------------------------------------------------

  async function renderRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    if (!isGuid(id)) return reply.sendError('notFound');
    const result = await services.forums.joinRequest(actor(request), slug, id);
    if (!result.ok) return refused(reply, result.problem);
    const equality = result.equality
      ? (Object.keys(EQUALITY_QUESTIONS) as (keyof typeof EQUALITY_QUESTIONS)[])
          .filter((q) => result.equality![q])
          .map((q) => ({ question: q, answer: result.equality![q]! }))
      : undefined;
    return reply.view('forums/views/request.njk', {
      pageTitle: request.t('forums.request.title', { name: result.request.name ?? '' }),
      forum: result.forum,
      joinRequest: result.request,
      equality,
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(forumRoute(paths.forums.staff.request(SLUG, ID)), guard, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    return renderRequest(request, reply, slug, id);
  });

  function requestAction<S extends z.ZodType>(
    action: ForumRequestAction,
    schema: S | undefined,
    run: (a: Actor, slug: string, id: string, value: z.output<S>) => Promise<Outcome>,
    field: string,
  ) {
    app.post(
      forumRoute(paths.forums.staff.requestAction(SLUG, ID, action)),
      guard,
      async (request, reply) => {
        const { slug, id } = request.params as { slug: string; id: string };
        if (!isGuid(id)) return reply.sendError('notFound');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const rerender = (status: number, errors: FieldError[], byField: Record<string, string>) => {
          reply.code(status);
          return renderRequest(request, reply, slug, id, {
            errors,
            fieldErrors: { [action]: byField },
            values: { [action]: body },
          });
        };
        let value = {} as z.output<S>;
        if (schema) {
          const parsed = parseForm(schema, body, request.t, { [field]: `${action}-${field}` });
          if (!parsed.ok) return rerender(400, parsed.errors, parsed.byField);
          value = parsed.value;
        }
        const outcome = await run(actor(request), slug, id, value);
        if (!outcome.ok) {
          if (outcome.problem === 'notFound' || outcome.problem === 'forbidden')
            return refused(reply, outcome.problem);
          const text = request.t(problemKey(outcome.problem));
          return rerender(400, [{ href: `#${action}-${field}`, text }], { [field]: text });
        }
        setFlash(reply, `request.${action}`);
        return reply.redirect(paths.forums.staff.forum(slug), 303);
      },
    );
  }

  requestAction('approve', undefined, (a, slug, id) => services.forums.approve(a, slug, id), 'submit');
  requestAction(
    'contact',
    contactForm,
    (a, slug, id, v) => services.forums.markContacted(a, slug, id, v.note),
    'note',
  );
  requestAction(
    'decline',
    declineForm,
    (a, slug, id, v) => services.forums.decline(a, slug, id, v.reason),
    'reason',
  );

  // ---------------------------------------------------------------------------------------------
  // Members
  // ---------------------------------------------------------------------------------------------

  app.get(forumRoute(paths.forums.staff.member(SLUG, ID)), guard, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    if (!isGuid(id)) return reply.sendError('notFound');
    const result = await services.forums.member(actor(request), slug, id);
    if (!result.ok) return refused(reply, result.problem);
    return reply.view('forums/views/member.njk', {
      pageTitle: result.member.name ?? request.t('forums.member.formerMember'),
      forum: result.forum,
      member: result.member,
    });
  });

  app.post(forumRoute(paths.forums.staff.memberLeave(SLUG, ID)), guard, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    if (!isGuid(id)) return reply.sendError('notFound');
    const result = await services.forums.removeMember(actor(request), slug, id);
    if (!result.ok) return refused(reply, result.problem);
    setFlash(reply, 'member.left');
    return reply.redirect(paths.forums.staff.forum(slug), 303);
  });

  // ---------------------------------------------------------------------------------------------
  // Meetings
  // ---------------------------------------------------------------------------------------------

  const MEETING_IDS = { public: 'public', day: 'meeting-day', month: 'meeting-day', year: 'meeting-day' };

  async function renderNewMeeting(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Record<string, unknown> = {},
  ) {
    const result = await services.forums.forumSummary(actor(request), slug);
    if (!result.ok) return refused(reply, result.problem);
    return reply.view('forums/views/meeting-new.njk', {
      pageTitle: request.t('forums.meetingNew.title'),
      forum: result.forum,
      values: { public: 'yes' },
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(forumRoute(paths.forums.staff.newMeeting(SLUG)), guard, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    return renderNewMeeting(request, reply, slug);
  });

  app.post(forumRoute(paths.forums.staff.newMeeting(SLUG)), guard, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fail = (errors: FieldError[], byField: Record<string, string>) => {
      reply.code(400);
      return renderNewMeeting(request, reply, slug, { values: body, errors, fieldErrors: byField });
    };
    const parsed = parseForm(meetingForm, body, request.t, MEETING_IDS);
    if (!parsed.ok) {
      // The three date boxes share one message, linked to the first.
      const seen = new Set<string>();
      const errors = parsed.errors.filter((e) => !seen.has(e.href) && seen.add(e.href));
      const date = parsed.byField.day ?? parsed.byField.month ?? parsed.byField.year;
      return fail(errors, { ...parsed.byField, ...(date ? { date } : {}) });
    }
    const times = meetingTimes(parsed.value);
    if (!times.ok) {
      const text = request.t(times.message);
      const field = times.field === 'day' ? 'date' : times.field;
      return fail([{ href: times.field === 'day' ? '#meeting-day' : `#${times.field}`, text }], {
        [field]: text,
      });
    }
    const v = parsed.value;
    const outcome = await services.forums.scheduleMeeting(actor(request), slug, {
      title: v.title,
      startsAt: times.startsAt,
      endsAt: times.endsAt,
      venueName: v.venueName,
      venueAddress: v.venueAddress,
      venueAccess: v.venueAccess,
      onlineUrl: v.onlineUrl,
      agenda: v.agenda,
      public: v.public === 'yes',
    });
    if (!outcome.ok) {
      if (outcome.problem === 'forbidden' || outcome.problem === 'notFound')
        return refused(reply, outcome.problem);
      const field = outcome.problem === 'placeRequired' ? 'venueName' : 'endTime';
      const text = request.t(problemKey(outcome.problem));
      return fail([{ href: `#${field}`, text }], { [field]: text });
    }
    setFlash(reply, 'meeting.scheduled');
    return reply.redirect(paths.forums.staff.meeting(slug, outcome.meeting.id), 303);
  });

  async function renderMeeting(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    if (!isGuid(id)) return reply.sendError('notFound');
    const result = await services.forums.meeting(actor(request), slug, id);
    if (!result.ok) return refused(reply, result.problem);
    const flash = takeFlash(request, reply);
    return reply.view('forums/views/meeting.njk', {
      pageTitle: `${result.meeting.title}: ${result.forum.name}`,
      flash: flash ? { ...flash, reference: flash.reference } : undefined,
      forum: result.forum,
      canCancel: result.canCancel,
      meeting: meetingView(result.meeting, request.lang, to(request)),
      members: result.members,
      formerMembersAttended: result.formerMembersAttended,
      attended: result.members.filter((m) => m.attended).length + result.formerMembersAttended,
      issues: result.issues.map((i) => ({ ...i, reference: formatReference(i.reference) })),
      kinds: KINDS,
      topics: TOPICS,
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(forumRoute(paths.forums.staff.meeting(SLUG, ID)), guard, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    return renderMeeting(request, reply, slug, id);
  });

  function meetingAction<S extends z.ZodType>(
    action: ForumMeetingAction,
    schema: S,
    ids: Record<string, string>,
    run: (
      a: Actor,
      slug: string,
      id: string,
      value: z.output<S>,
    ) => Promise<Outcome & { reference?: string }>,
    problemField: string,
  ) {
    app.post(
      forumRoute(paths.forums.staff.meetingAction(SLUG, ID, action)),
      guard,
      async (request, reply) => {
        const { slug, id } = request.params as { slug: string; id: string };
        if (!isGuid(id)) return reply.sendError('notFound');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const rerender = (errors: FieldError[], byField: Record<string, string>) => {
          reply.code(400);
          return renderMeeting(request, reply, slug, id, {
            errors,
            fieldErrors: { [action]: byField },
            values: { [action]: body },
          });
        };
        const parsed = parseForm(schema, body, request.t, ids);
        if (!parsed.ok) return rerender(parsed.errors, parsed.byField);
        const outcome = await run(actor(request), slug, id, parsed.value);
        if (!outcome.ok) {
          if (outcome.problem === 'notFound' || outcome.problem === 'forbidden')
            return refused(reply, outcome.problem);
          // A cancelled meeting's forms are not shown: the message goes to the top of the page.
          const href = outcome.problem === 'meetingCancelled' ? '#cancelled' : `#${ids[problemField]}`;
          const text = request.t(problemKey(outcome.problem));
          return rerender([{ href, text }], { [problemField]: text });
        }
        setFlash(
          reply,
          `meeting.${action}`,
          outcome.reference ? formatReference(outcome.reference) : undefined,
        );
        return reply.redirect(paths.forums.staff.meeting(slug, id), 303);
      },
    );
  }

  meetingAction(
    'attendance',
    attendanceForm,
    { memberIds: 'attendance-memberIds', guestCount: 'attendance-guestCount' },
    (a, slug, id, v) => services.forums.recordAttendance(a, slug, id, v),
    'memberIds',
  );

  meetingAction(
    'minutes',
    minutesForm,
    { minutes: 'minutes-minutes' },
    (a, slug, id, v) => services.forums.recordMinutes(a, slug, id, v.minutes),
    'minutes',
  );

  meetingAction(
    'issues',
    issueForm,
    {
      kind: 'issues-kind',
      topic: 'issues-topic',
      summary: 'issues-summary',
      details: 'issues-details',
      raisedBy: 'issues-raisedBy',
      public: 'issues-public',
    },
    (a, slug, id, v) =>
      services.forums.raiseIssue(a, slug, id, {
        kind: v.kind,
        topic: v.topic,
        summary: v.summary,
        details: v.details,
        raisedByMemberId: v.raisedBy === 'anonymous' ? undefined : v.raisedBy,
        public: v.public === 'yes',
      }),
    'raisedBy',
  );

  // ---------------------------------------------------------------------------------------------
  // Cancelling a meeting (admins and the forum's own facilitators), after a confirmation page
  // ---------------------------------------------------------------------------------------------

  async function renderCancel(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    const result = await services.forums.meetingToCancel(actor(request), slug, id);
    if (!result.ok) return refused(reply, result.problem);
    // Cancelled already (a second tab, or the back button): the meeting page says so.
    if (result.allowed === 'already') return reply.redirect(paths.forums.staff.meeting(slug, id), 303);
    return reply.view('forums/views/meeting-cancel.njk', {
      pageTitle: request.t('forums.cancel.title', { meeting: result.meeting.title }),
      forum: result.forum,
      meeting: meetingView(result.meeting, request.lang, to(request)),
      held: result.allowed === 'meetingHeld',
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(forumRoute(paths.forums.staff.meetingAction(SLUG, ID, 'cancel')), guard, async (request, reply) => {
    const { slug, id } = request.params as { slug: string; id: string };
    if (!isGuid(id)) return reply.sendError('notFound');
    return renderCancel(request, reply, slug, id);
  });

  app.post(
    forumRoute(paths.forums.staff.meetingAction(SLUG, ID, 'cancel')),
    guard,
    async (request, reply) => {
      const { slug, id } = request.params as { slug: string; id: string };
      if (!isGuid(id)) return reply.sendError('notFound');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseForm(cancelForm, body, request.t);
      if (!parsed.ok) {
        reply.code(400);
        return renderCancel(request, reply, slug, id, {
          values: body,
          errors: parsed.errors,
          fieldErrors: parsed.byField,
        });
      }
      const outcome = await services.forums.cancelMeeting(actor(request), slug, id, parsed.value.reason);
      if (!outcome.ok) {
        if (outcome.problem === 'forbidden' || outcome.problem === 'notFound')
          return refused(reply, outcome.problem);
        reply.code(400);
        return renderCancel(request, reply, slug, id, {
          errors: [{ href: '#cancel-held', text: request.t(problemKey(outcome.problem)) }],
        });
      }
      setFlash(reply, 'meeting.cancelled');
      return reply.redirect(paths.forums.staff.meeting(slug, id), 303);
    },
  );
}
