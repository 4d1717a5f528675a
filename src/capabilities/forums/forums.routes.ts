import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { ICAL_CONTENT_TYPE, renderCalendar, type CalendarEvent } from '../../platform/calendar/ical.js';
import { parseForm } from '../../platform/forms.js';
import { PUBLIC_POST_LIMIT } from '../../platform/http/rate-limit.js';
import { mailDomain } from '../../platform/mail/mailer.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { EQUALITY_QUESTIONS } from '../concerns/vocabulary.js';
import { meetingWhen } from './forums.format.js';
import type { MeetingRow } from './forums.repository.js';
import { EQUALITY_KEYS, joinForm } from './forums.schema.js';
import { ACCESSIBILITY, CONTACT_PREFERENCES, PARTICIPATION } from './forums.vocabulary.js';

/** Route patterns come from the same builders as links, with placeholders for the parameters. */
const SLUG = '__slug__';
const ID = '__id__';
export const forumRoute = (url: string) => url.replace(SLUG, ':slug').replace(ID, ':id');
export const ROUTE = { slug: SLUG, id: ID };

/**
 * The message for a refused action. Most problems' messages are under forums.problems, which residents
 * can meet and so are translated; those only staff meet (about meetings and forums they run) are
 * English-only under forums.staffProblems.
 */
const STAFF_ONLY_PROBLEMS: ReadonlySet<string> = new Set(['meetingCancelled', 'meetingHeld']);
export const problemKey = (problem: string) =>
  STAFF_ONLY_PROBLEMS.has(problem) ? `forums.staffProblems.${problem}` : `forums.problems.${problem}`;

/** Ids of the first input of each radio or checkbox group, so the error summary can link to them. */
export const JOIN_IDS: Record<string, string> = {
  preferredContact: 'preferredContact',
  participation: 'participation',
  accessNeeds: 'accessNeeds',
  consent: 'consent',
  ...Object.fromEntries(EQUALITY_KEYS.map((k) => [k, k])),
};

/** A meeting as pages show it: when in words, and where. */
export function meetingView(m: MeetingRow, lang: string, to: string) {
  return { ...m, when: meetingWhen(m.startsAt, m.endsAt, lang, to) };
}

/**
 * The public forum pages: no sign-in, no JavaScript needed. The partnership is the one serving this
 * host, as for the other resident pages.
 */
export function forumPublicRoutes(app: FastifyInstance, services: Services, config: Config) {
  const domain = mailDomain(config.mailFrom);
  const to = (request: FastifyRequest) => request.t('forums.common.to');

  function calendarEvents(
    meetings: Awaited<ReturnType<Services['forums']['calendar']>> & { ok: true },
    request: FastifyRequest,
  ): CalendarEvent[] {
    return meetings.meetings.map(({ meeting: m, forumName, forumSlug }) => {
      const where = [m.venueName, m.venueAddress].filter(Boolean).join(', ');
      const cancelled = request.t('forums.public.cancelled');
      const description = [
        // A cancelled meeting says so first, with the reason it was given, for apps that only grey it out.
        m.cancelled ? [cancelled, m.cancelReason].filter(Boolean).join(': ') : undefined,
        m.agenda ? `${request.t('forums.calendar.agenda')}\n${m.agenda}` : undefined,
        m.venueAccess ? `${request.t('forums.calendar.access')} ${m.venueAccess}` : undefined,
        m.onlineUrl ? `${request.t('forums.calendar.online')} ${m.onlineUrl}` : undefined,
      ]
        .filter(Boolean)
        .join('\n\n');
      return {
        uid: `forum-meeting-${m.id}`,
        start: m.startsAt,
        end: m.endsAt,
        summary: m.cancelled ? `${cancelled}: ${forumName}: ${m.title}` : `${forumName}: ${m.title}`,
        description: description || undefined,
        location: where || (m.onlineUrl ? request.t('forums.calendar.onlineOnly') : undefined),
        url: `${config.publicUrl}${paths.forums.forum(forumSlug)}`,
        updatedAt: m.updatedAt,
        cancelled: m.cancelled,
        sequence: m.sequence,
      };
    });
  }

  app.get(paths.forums.list(), async (request, reply) => {
    const list = await services.forums.publicList(request.partnership.id);
    return reply.view('forums/views/public-list.njk', {
      pageTitle: request.t('forums.public.listTitle'),
      forums: list.map((f) => ({
        ...f,
        nextMeetings: f.nextMeetings.map((m) => meetingView(m, request.lang, to(request))),
      })),
    });
  });

  app.get(paths.forums.calendar(), async (request, reply) => {
    const result = await services.forums.calendar(request.partnership.id);
    if (!result.ok) return reply.sendError('notFound');
    return reply
      .type(ICAL_CONTENT_TYPE)
      .header('Content-Disposition', 'inline; filename="forums.ics"')
      .send(
        renderCalendar({
          name: request.t('forums.calendar.allName', { partnership: request.partnership.shortName }),
          domain,
          events: calendarEvents(result, request),
        }),
      );
  });

  app.get(forumRoute(paths.forums.forum(SLUG)), async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const result = await services.forums.publicForum(request.partnership.id, slug);
    if (!result.ok) return reply.sendError('notFound');
    return reply.view('forums/views/public-forum.njk', {
      pageTitle: result.forum.name,
      forum: result.forum,
      upcoming: result.upcoming.map((m) => meetingView(m, request.lang, to(request))),
      heard: result.heard.map((m) => ({ ...meetingView(m, request.lang, to(request)), issues: m.issues })),
    });
  });

  app.get(forumRoute(paths.forums.forumCalendar(SLUG)), async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const result = await services.forums.calendar(request.partnership.id, slug);
    if (!result.ok) return reply.sendError('notFound');
    return reply
      .type(ICAL_CONTENT_TYPE)
      .header('Content-Disposition', `inline; filename="${slug.replace(/[^a-z0-9-]/g, '')}.ics"`)
      .send(
        renderCalendar({
          name: result.forumName!,
          domain,
          events: calendarEvents(result, request),
        }),
      );
  });

  async function renderJoin(
    request: FastifyRequest,
    reply: FastifyReply,
    forum: { name: string; slug: string },
    extra: Record<string, unknown> = {},
  ) {
    return reply.view('forums/views/join.njk', {
      pageTitle: request.t('forums.join.title', { forum: forum.name }),
      forum,
      participation: PARTICIPATION,
      contactPreferences: CONTACT_PREFERENCES,
      accessibility: ACCESSIBILITY,
      equalityQuestions: EQUALITY_QUESTIONS,
      values: {},
      ...extra,
    });
  }

  app.get(forumRoute(paths.forums.join(SLUG)), async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const forum = await services.forums.publicForumName(request.partnership.id, slug);
    if (!forum) return reply.sendError('notFound');
    return renderJoin(request, reply, forum);
  });

  app.post(
    forumRoute(paths.forums.join(SLUG)),
    { config: { rateLimit: PUBLIC_POST_LIMIT } },
    async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const forum = await services.forums.publicForumName(request.partnership.id, slug);
      if (!forum) return reply.sendError('notFound');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseForm(joinForm, body, request.t, JOIN_IDS);
      if (!parsed.ok) {
        reply.code(400);
        return renderJoin(request, reply, forum, {
          values: body,
          errors: parsed.errors,
          fieldErrors: parsed.byField,
        });
      }
      const v = parsed.value;
      const outcome = await services.forums.requestToJoin(
        request.partnership.id,
        slug,
        {
          name: v.name,
          email: v.email,
          phone: v.phone,
          preferredContact: v.preferredContact,
          participation: v.participation,
          accessNeeds: v.accessNeeds,
          accessNotes: v.accessNotes,
          equality: Object.fromEntries(EQUALITY_KEYS.map((k) => [k, v[k]])),
        },
        request.correlationId,
      );
      if (!outcome.ok) return reply.sendError('notFound');
      return reply.redirect(paths.forums.joinSent(slug), 303);
    },
  );

  app.get(forumRoute(paths.forums.joinSent(SLUG)), async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const forum = await services.forums.publicForumName(request.partnership.id, slug);
    if (!forum) return reply.sendError('notFound');
    return reply.view('forums/views/join-sent.njk', {
      pageTitle: request.t('forums.joinSent.title'),
      forum,
    });
  });
}
