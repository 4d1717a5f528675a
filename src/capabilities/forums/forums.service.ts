import type { Actor } from '../../platform/auth/actor.js';
import { publicActor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { concernsRepository } from '../concerns/concerns.repository.js';
import { isUniqueViolation, type ConcernsService } from '../concerns/concerns.service.js';
import type { AffectedGroup, Kind, Topic } from '../concerns/vocabulary.js';
import { forumsRepository, type ForumRow, type MeetingRow } from './forums.repository.js';
import {
  anonymisedMember,
  anonymisedRequest,
  cancelAllowed,
  cancelledMeeting,
  changedForumFields,
  checkMeeting,
  forumSlug,
  issueIsPublic,
  keptAnswers,
  mayEditForum,
  nameClashes,
  recordsRefused,
  requestActionAllowed,
  type ForumFields,
  type RequestAction,
} from './forums.rules.js';
import type { Accessibility, ContactPreference, Participation } from './forums.vocabulary.js';

type Problem<P extends string> = { ok: false; problem: P };

export interface NewForum {
  name: string;
  slug?: string | undefined;
  characteristics: AffectedGroup[];
  description: string;
  coChairs?: string | undefined;
  howToJoin: string;
  meetingPattern: string;
  accessibility: Accessibility[];
  accessibilityNotes?: string | undefined;
  facilitatorStaffIds?: string[] | undefined;
  published?: boolean | undefined;
}

/**
 * An edit: the fields given change, the others stay (the form gives all; the API may give some).
 * null clears an optional field. The address (slug) never changes, so links and calendar
 * subscriptions keep working after a rename.
 */
export interface ForumChanges {
  name?: string | undefined;
  characteristics?: AffectedGroup[] | undefined;
  description?: string | undefined;
  coChairs?: string | null | undefined;
  howToJoin?: string | undefined;
  meetingPattern?: string | undefined;
  accessibility?: Accessibility[] | undefined;
  accessibilityNotes?: string | null | undefined;
  facilitatorStaffIds?: string[] | undefined;
  published?: boolean | undefined;
}

export interface NewJoinRequest {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  preferredContact?: ContactPreference | undefined;
  participation: Participation;
  accessNeeds: Accessibility[];
  accessNotes?: string | undefined;
  /** Only what the person chose to answer; "prefer not to say" is an answer, a blank is not. */
  equality?: Record<string, string | undefined> | undefined;
  /** For seeding history. */
  createdAt?: Date | undefined;
}

export interface NewMeeting {
  title: string;
  startsAt: Date;
  endsAt: Date;
  venueName?: string | undefined;
  venueAddress?: string | undefined;
  venueAccess?: string | undefined;
  onlineUrl?: string | undefined;
  agenda?: string | undefined;
  public?: boolean | undefined;
}

export interface NewIssue {
  kind: Kind;
  topic: Topic;
  /** The line the forum publishes: no names, nothing that identifies anyone. */
  summary: string;
  /** What was said, in full: becomes the concern's description. */
  details: string;
  areaId?: string | undefined;
  /** A member who asked to be named as raising it; otherwise it is anonymous. */
  raisedByMemberId?: string | undefined;
  public?: boolean | undefined;
  createdAt?: Date | undefined;
}

/** What the forum sees of a concern: its status and the public updates, as Check progress shows them. */
export interface IssueProgress {
  id: string;
  meetingId: string;
  summary: string;
  kind: string;
  reference: string;
  status: string;
  open: boolean;
  anonymous: boolean;
  public: boolean;
  createdAt: Date;
  updates: { body: string | null; createdAt: Date }[];
}

const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

export function createForumsService(db: Database, deps: { concerns: ConcernsService }) {
  const mayManage = (actor: Actor) => actor.staffId !== null && can(actor.roles, 'forums.manage');
  const mayCreate = (actor: Actor) => actor.staffId !== null && can(actor.roles, 'forums.admin');

  /**
   * Runs fn on a forum of the actor's partnership, if the actor may manage forums. With `editing`
   * (changes to the forum itself, cancelling its meetings) only admins and the forum's own
   * facilitators may. Another partnership's forum is not found; another forum's facilitator is refused.
   */
  async function withForum<T>(
    actor: Actor,
    slug: string,
    fn: (tx: Tx, forum: ForumRow) => Promise<T>,
    options: { editing?: boolean } = {},
  ): Promise<T | Problem<'forbidden'> | Problem<'notFound'>> {
    if (!mayManage(actor)) return { ok: false, problem: 'forbidden' };
    return db.tenant(actor.partnershipId, async (tx) => {
      const forum = await forumsRepository.findForumBySlug(tx, slug);
      if (!forum) return { ok: false as const, problem: 'notFound' as const };
      if (options.editing && !(await canEdit(tx, actor, forum.id)))
        return { ok: false as const, problem: 'forbidden' as const };
      return fn(tx, forum);
    });
  }

  const EDITING = { editing: true } as const;

  /** withForum (editing) on one of its meetings, and whether it may be cancelled: nothing recorded on it. */
  async function withMeetingToCancel<T>(
    actor: Actor,
    slug: string,
    meetingId: string,
    fn: (
      tx: Tx,
      forum: ForumRow,
      found: { meeting: MeetingRow; allowed: ReturnType<typeof cancelAllowed> },
    ) => Promise<T>,
  ) {
    return withForum(
      actor,
      slug,
      async (tx, forum) => {
        const meeting = await forumsRepository.findMeeting(tx, forum.id, meetingId);
        if (!meeting) return { ok: false as const, problem: 'notFound' as const };
        const allowed = cancelAllowed(meeting, {
          attendees: (await forumsRepository.attendeeIds(tx, meeting.id)).length,
          issues: await forumsRepository.countIssues(tx, meeting.id),
        });
        return fn(tx, forum, { meeting, allowed });
      },
      EDITING,
    );
  }

  /** Whether an actor may edit a forum, to offer the link; inside a withForum transaction. */
  async function canEdit(tx: Tx, actor: Actor, forumId: string): Promise<boolean> {
    const facilitatesIt = actor.staffId
      ? await forumsRepository.isFacilitator(tx, forumId, actor.staffId)
      : false;
    return mayEditForum(actor.roles, facilitatesIt);
  }

  /** The chosen facilitators, if every one of them holds the facilitator role in this partnership. */
  async function checkFacilitators(tx: Tx, chosen: readonly string[]): Promise<boolean> {
    const known = new Set((await forumsRepository.listFacilitatorStaff(tx)).map((f) => f.id));
    return chosen.every((id) => known.has(id));
  }

  /**
   * Each issue with the progress of its concern. A merged duplicate shows the progress of the concern
   * it joined, as Check progress does; only public updates are read, never notes or who raised it.
   */
  async function issuesWithProgress(
    tx: Tx,
    forumId: string,
    options: { meetingIds?: readonly string[]; publicOnly: boolean },
  ): Promise<IssueProgress[]> {
    const rows = await forumsRepository.listIssues(tx, { forumId, meetingIds: options.meetingIds });
    const out: IssueProgress[] = [];
    for (const r of rows) {
      if (options.publicOnly && !issueIsPublic(r)) continue;
      const shown = r.duplicateOfId ? await concernsRepository.findById(tx, r.duplicateOfId) : undefined;
      const concernId = shown?.id ?? r.concernId;
      const events = await concernsRepository.listEvents(tx, concernId, 'public');
      out.push({
        id: r.id,
        meetingId: r.meetingId,
        summary: r.summary,
        kind: r.kind,
        reference: r.reference,
        status: shown?.status ?? r.status,
        open: (shown?.closedAt ?? r.closedAt) === null,
        anonymous: r.anonymous,
        public: r.public,
        createdAt: r.createdAt,
        updates: events
          .filter((e) => e.kind === 'public_update')
          .map((e) => ({ body: e.body, createdAt: e.createdAt })),
      });
    }
    return out;
  }

  async function decorate(tx: Tx, list: ForumRow[]) {
    const names = await forumsRepository.facilitatorNames(
      tx,
      list.map((f) => f.id),
    );
    return list.map((f) => ({ ...f, facilitators: names.get(f.id) ?? [] }));
  }

  async function handleRequest(
    actor: Actor,
    slug: string,
    requestId: string,
    action: RequestAction,
    text?: string,
  ) {
    return withForum(actor, slug, async (tx, forum) => {
      const request = await forumsRepository.findJoinRequest(tx, forum.id, requestId);
      if (!request) return { ok: false as const, problem: 'notFound' as const };
      const allowed = requestActionAllowed(request.status, action);
      if (allowed === 'already') return { ok: true as const, memberId: undefined };
      if (allowed === 'no') return { ok: false as const, problem: 'alreadyDecided' as const };
      const now = new Date();
      let memberId: string | undefined;
      if (action === 'approve') {
        const member = await forumsRepository.insertMember(tx, {
          partnershipId: actor.partnershipId,
          forumId: forum.id,
          joinRequestId: request.id,
          name: request.name,
          email: request.email,
          phone: request.phone,
          preferredContact: request.preferredContact,
          participation: request.participation,
          accessNeeds: request.accessNeeds,
          accessNotes: request.accessNotes,
          consentAt: request.consentAt,
          joinedAt: now,
        });
        memberId = member.id;
        await forumsRepository.updateJoinRequest(tx, request.id, {
          status: 'approved',
          handledByStaffId: actor.staffId,
          handledAt: now,
        });
      } else if (action === 'contact') {
        const note = request.contactNote ? `${request.contactNote}\n\n${text}` : text;
        await forumsRepository.updateJoinRequest(tx, request.id, {
          status: 'contacted',
          contactNote: note,
          handledByStaffId: actor.staffId,
          handledAt: now,
        });
      } else {
        // A declined person is not a member: their equality answers are no longer needed.
        await forumsRepository.deleteJoinEquality(tx, request.id);
        await forumsRepository.updateJoinRequest(tx, request.id, {
          status: 'declined',
          declineReason: text,
          handledByStaffId: actor.staffId,
          handledAt: now,
        });
      }
      await audit(tx, actor, {
        action: `forum.request.${action === 'approve' ? 'approved' : action === 'contact' ? 'contacted' : 'declined'}`,
        entityType: 'forum_join_request',
        entityId: request.id,
        details: { forum: forum.slug, ...(memberId ? { memberId } : {}) },
      });
      return { ok: true as const, memberId };
    });
  }

  async function createForumIn(tx: Tx, actor: Actor, input: NewForum) {
    const slug = input.slug ?? forumSlug(input.name);
    if (nameClashes(await forumsRepository.listForumNames(tx), { name: input.name, slug }))
      return { ok: false as const, problem: 'slugTaken' as const, slug };
    const chosen = [...new Set(input.facilitatorStaffIds ?? [])];
    if (!(await checkFacilitators(tx, chosen)))
      return { ok: false as const, problem: 'notAFacilitator' as const };
    const forum = await forumsRepository.insertForum(tx, {
      partnershipId: actor.partnershipId,
      slug,
      name: input.name,
      characteristics: input.characteristics,
      description: input.description,
      coChairs: input.coChairs ?? null,
      howToJoin: input.howToJoin,
      meetingPattern: input.meetingPattern,
      accessibility: input.accessibility,
      accessibilityNotes: input.accessibilityNotes ?? null,
      published: input.published ?? true,
    });
    await forumsRepository.addFacilitators(tx, actor.partnershipId, forum.id, chosen);
    await audit(tx, actor, {
      action: 'forum.created',
      entityType: 'forum',
      entityId: forum.id,
      details: { slug, facilitators: chosen },
    });
    return { ok: true as const, forum, facilitators: await forumsRepository.staffNames(tx, chosen) };
  }

  async function editForumIn(tx: Tx, actor: Actor, forum: ForumRow, changes: ForumChanges) {
    const name = changes.name ?? forum.name;
    if (
      name !== forum.name &&
      nameClashes(await forumsRepository.listForumNames(tx), { name, slug: forum.slug }, forum.id)
    )
      return { ok: false as const, problem: 'slugTaken' as const, slug: forumSlug(name) };
    const before = await forumsRepository.facilitatorIds(tx, forum.id);
    const chosen = changes.facilitatorStaffIds ? [...new Set(changes.facilitatorStaffIds)] : before;
    const added = chosen.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !chosen.includes(id));
    // Only newly named facilitators must hold the role: one who has since lost it can stay named
    // until someone takes them off, rather than every other change being refused.
    if (!(await checkFacilitators(tx, added)))
      return { ok: false as const, problem: 'notAFacilitator' as const };
    const next: ForumFields = {
      name,
      characteristics: changes.characteristics ?? forum.characteristics,
      description: changes.description ?? forum.description,
      coChairs: changes.coChairs === undefined ? forum.coChairs : changes.coChairs || null,
      howToJoin: changes.howToJoin ?? forum.howToJoin,
      meetingPattern: changes.meetingPattern ?? forum.meetingPattern,
      accessibility: changes.accessibility ?? forum.accessibility,
      accessibilityNotes:
        changes.accessibilityNotes === undefined
          ? forum.accessibilityNotes
          : changes.accessibilityNotes || null,
      published: changes.published ?? forum.published,
    };
    const changed: string[] = changedForumFields(forum, next);
    if (added.length > 0 || removed.length > 0) changed.push('facilitators');
    const facilitators = await forumsRepository.staffNames(tx, chosen);
    // Saving the form unchanged changes nothing, and so records nothing.
    if (changed.length === 0) return { ok: true as const, forum, facilitators, changed };
    const updated = await forumsRepository.updateForum(tx, forum.id, {
      ...next,
      characteristics: [...next.characteristics],
      accessibility: [...next.accessibility],
    });
    await forumsRepository.removeFacilitators(tx, forum.id, removed);
    await forumsRepository.addFacilitators(tx, actor.partnershipId, forum.id, added);
    await audit(tx, actor, {
      action: 'forum.edited',
      entityType: 'forum',
      entityId: forum.id,
      details: {
        slug: forum.slug,
        changed,
        ...(added.length ? { facilitatorsAdded: added } : {}),
        ...(removed.length ? { facilitatorsRemoved: removed } : {}),
      },
    });
    return { ok: true as const, forum: updated, facilitators, changed };
  }

  async function raiseIssueIn(tx: Tx, actor: Actor, forum: ForumRow, meetingId: string, input: NewIssue) {
    const meeting: MeetingRow | undefined = await forumsRepository.findMeeting(tx, forum.id, meetingId);
    if (!meeting) return { ok: false as const, problem: 'notFound' as const };
    const refused = recordsRefused(meeting);
    if (refused) return { ok: false as const, problem: refused };
    let raisedBy: Awaited<ReturnType<typeof forumsRepository.findMember>>;
    if (input.raisedByMemberId) {
      raisedBy = await forumsRepository.findMember(tx, forum.id, input.raisedByMemberId);
      if (!raisedBy || raisedBy.status !== 'active')
        return { ok: false as const, problem: 'unknownMember' as const };
    }
    // The foreign key alone would accept another partnership's area; row-level security here does not.
    if (input.areaId && !(await tenancyRepository.findArea(tx, input.areaId)))
      return { ok: false as const, problem: 'unknownArea' as const };
    const named = raisedBy !== undefined;
    const created = await deps.concerns.createIn(tx, actor, {
      kind: input.kind,
      topic: input.topic,
      description: input.details,
      areaId: input.areaId,
      affectedGroups: forum.characteristics as AffectedGroup[],
      forGroup: true,
      groupName: forum.name,
      anonymous: !named,
      contactName: raisedBy?.name ?? undefined,
      contactEmail: raisedBy?.email ?? undefined,
      contactPhone: raisedBy?.phone ?? undefined,
      preferredContact: raisedBy?.preferredContact ?? undefined,
      // Members agreed to the forum contacting them, not to partners doing so.
      consentToShare: false,
      channel: 'forum',
      source: `forum: ${forum.name}`,
      language: 'en',
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    });
    await forumsRepository.insertIssue(tx, {
      partnershipId: actor.partnershipId,
      forumId: forum.id,
      meetingId: meeting.id,
      concernId: created.id,
      summary: input.summary,
      anonymous: !named,
      raisedByMemberId: raisedBy?.id ?? null,
      public: input.public ?? true,
      createdByStaffId: actor.staffId,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    });
    await audit(tx, actor, {
      action: 'forum.issue.raised',
      entityType: 'forum_meeting',
      entityId: meeting.id,
      details: { forum: forum.slug, reference: created.reference, anonymous: !named },
    });
    return { ok: true as const, reference: created.reference, urgent: created.urgent };
  }

  return {
    createForumIn,
    raiseIssueIn,

    // ------------------------------------------------------------------------------------------
    // Public: the partnership's forums webpage, join requests and calendars
    // ------------------------------------------------------------------------------------------

    /** Every published forum with its next meetings. */
    async publicList(partnershipId: string, now = new Date()) {
      return db.tenant(partnershipId, async (tx) => {
        const list = await decorate(tx, await forumsRepository.listForums(tx, { publishedOnly: true }));
        const upcoming = await forumsRepository.listPublicMeetings(tx, {
          from: now,
          forumIds: list.map((f) => f.id),
        });
        return list.map((f) => ({
          ...f,
          nextMeetings: upcoming.filter((m) => m.forumId === f.id).slice(0, 2),
        }));
      });
    },

    /** One forum's public page: who runs it, access, meetings, and what happened to what it raised. */
    async publicForum(partnershipId: string, slug: string, now = new Date()) {
      return db.tenant(partnershipId, async (tx) => {
        const found = await forumsRepository.findForumBySlug(tx, slug);
        if (!found || !found.published) return { ok: false as const, problem: 'notFound' as const };
        const [forum] = await decorate(tx, [found]);
        // Cancelled meetings stay on the forum's own page, marked, so nobody who planned to come
        // is left wondering; they leave the "next meetings" everywhere else.
        const upcoming = await forumsRepository.listPublicMeetings(tx, {
          from: now,
          forumIds: [found.id],
          limit: 6,
          includeCancelled: true,
        });
        // What we heard: the latest meetings at which issues were raised, with what became of them.
        const issues = await issuesWithProgress(tx, found.id, { publicOnly: true });
        const meetings = await forumsRepository.listMeetings(tx, found.id);
        const heard = meetings
          .filter((m) => m.public && !m.cancelled && issues.some((i) => i.meetingId === m.id))
          .slice(0, 4)
          .map((m) => ({ ...m, issues: issues.filter((i) => i.meetingId === m.id) }));
        return { ok: true as const, forum: forum!, upcoming, heard };
      });
    },

    /** Whether a published forum exists, for the join form. */
    async publicForumName(partnershipId: string, slug: string) {
      return db.tenant(partnershipId, async (tx) => {
        const forum = await forumsRepository.findForumBySlug(tx, slug);
        return forum?.published
          ? { name: forum.name, slug: forum.slug, accessibility: forum.accessibility }
          : undefined;
      });
    },

    /**
     * A resident asks to join. Equality answers are kept apart, and only those given. Sending the same
     * form twice within a few minutes stores one request.
     */
    async requestToJoin(partnershipId: string, slug: string, input: NewJoinRequest, correlationId: string) {
      const actor = publicActor(partnershipId, correlationId);
      return db.tenant(partnershipId, async (tx) => {
        const forum = await forumsRepository.findForumBySlug(tx, slug);
        if (!forum?.published) return { ok: false as const, problem: 'notFound' as const };
        const email = input.email?.trim().toLowerCase() || null;
        const phone = input.phone?.trim() || null;
        const now = input.createdAt ?? new Date();
        const duplicate = await forumsRepository.findRecentDuplicate(
          tx,
          forum.id,
          { email, phone },
          new Date(now.getTime() - DUPLICATE_WINDOW_MS),
        );
        if (duplicate) return { ok: true as const, requestId: duplicate.id, forumName: forum.name };
        const created = await forumsRepository.insertJoinRequest(
          tx,
          {
            partnershipId,
            forumId: forum.id,
            name: input.name,
            email,
            phone,
            preferredContact: input.preferredContact ?? (email ? 'email' : 'phone'),
            participation: input.participation,
            accessNeeds: input.accessNeeds,
            accessNotes: input.accessNotes ?? null,
            consentAt: now,
            createdAt: now,
          },
          keptAnswers(input.equality ?? {}),
        );
        await audit(tx, actor, {
          action: 'forum.request.created',
          entityType: 'forum_join_request',
          entityId: created.id,
          details: { forum: forum.slug },
        });
        return { ok: true as const, requestId: created.id, forumName: forum.name };
      });
    },

    /** Public meetings for a calendar feed: all forums, or one. Includes a month of past meetings. */
    async calendar(partnershipId: string, slug?: string, now = new Date()) {
      return db.tenant(partnershipId, async (tx) => {
        let forumId: string | undefined;
        let forumName: string | undefined;
        if (slug) {
          const forum = await forumsRepository.findForumBySlug(tx, slug);
          if (!forum?.published) return { ok: false as const, problem: 'notFound' as const };
          forumId = forum.id;
          forumName = forum.name;
        }
        const since = new Date(now.getTime() - 31 * 24 * 60 * 60 * 1000);
        const meetings = await forumsRepository.listCalendarMeetings(tx, since, forumId);
        return { ok: true as const, forumName, meetings };
      });
    },

    // ------------------------------------------------------------------------------------------
    // Staff: facilitators and admins
    // ------------------------------------------------------------------------------------------

    /** Creates a forum: partnership admins (also the demo seed and tests). */
    async createForum(actor: Actor, input: NewForum) {
      if (!mayCreate(actor)) return { ok: false as const, problem: 'forbidden' as const };
      try {
        return await db.tenant(actor.partnershipId, (tx) => createForumIn(tx, actor, input));
      } catch (err) {
        // Two forums of one name created at once: the second meets the unique address.
        if (isUniqueViolation(err))
          return {
            ok: false as const,
            problem: 'slugTaken' as const,
            slug: input.slug ?? forumSlug(input.name),
          };
        throw err;
      }
    },

    /** What the new forum form offers: staff who can be named as facilitators. */
    async newForumForm(actor: Actor) {
      if (!mayCreate(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        facilitators: await forumsRepository.listFacilitatorStaff(tx),
      }));
    },

    /**
     * A forum's details for its edit form, with the staff who can be named as facilitators (and any
     * named who have since lost the role, so the form does not silently drop them).
     */
    async forumForEdit(actor: Actor, slug: string) {
      return withForum(
        actor,
        slug,
        async (tx, forum) => {
          const chosen = await forumsRepository.facilitatorIds(tx, forum.id);
          const eligible = await forumsRepository.listFacilitatorStaff(tx);
          const named = await forumsRepository.staffNames(
            tx,
            chosen.filter((id) => !eligible.some((e) => e.id === id)),
          );
          return {
            ok: true as const,
            forum,
            facilitatorIds: chosen,
            facilitators: [...eligible, ...named].sort((a, b) => a.name.localeCompare(b.name)),
          };
        },
        EDITING,
      );
    },

    /** Edits a forum's details: admins, and the forum's own facilitators. Audited with what changed. */
    async editForum(actor: Actor, slug: string, changes: ForumChanges) {
      return withForum(actor, slug, (tx, forum) => editForumIn(tx, actor, forum, changes), EDITING);
    },

    /** The staff list of forums, with members, open requests and the next meeting. */
    async overview(actor: Actor, now = new Date()) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const list = await decorate(tx, await forumsRepository.listForums(tx));
        const members = await forumsRepository.countMembers(tx);
        const requests = await forumsRepository.countOpenRequests(tx);
        const upcoming = await forumsRepository.listPublicMeetings(tx, {
          from: now,
          forumIds: list.map((f) => f.id),
        });
        return {
          ok: true as const,
          mayCreate: mayCreate(actor),
          forums: list.map((f) => ({
            ...f,
            memberCount: members.get(f.id) ?? 0,
            openRequests: requests.get(f.id) ?? 0,
            nextMeeting: upcoming.find((m) => m.forumId === f.id),
          })),
        };
      });
    },

    /**
     * The facilitators' forum page: open join requests, members, meetings with "what we heard", and
     * open issues with their status. Reading members' and requesters' details is audited.
     */
    async forumPage(actor: Actor, slug: string) {
      return withForum(actor, slug, async (tx, found) => {
        const [forum] = await decorate(tx, [found]);
        const requests = await forumsRepository.listJoinRequests(tx, found.id, ['new', 'contacted']);
        const members = await forumsRepository.listMembers(tx, found.id);
        const meetings = await forumsRepository.listMeetings(tx, found.id);
        const attendance = await forumsRepository.attendanceCounts(
          tx,
          meetings.map((m) => m.id),
        );
        const issues = await issuesWithProgress(tx, found.id, { publicOnly: false });
        await audit(tx, actor, {
          action: 'forum.viewed',
          entityType: 'forum',
          entityId: found.id,
          details: { members: members.map((m) => m.id), requests: requests.map((r) => r.id) },
        });
        return {
          ok: true as const,
          forum: forum!,
          canEdit: await canEdit(tx, actor, found.id),
          requests,
          members,
          meetings: meetings.map((m) => ({
            ...m,
            memberAttendance: attendance.get(m.id) ?? 0,
            issues: issues.filter((i) => i.meetingId === m.id),
          })),
          openIssues: issues.filter((i) => i.open),
        };
      });
    },

    /** Join requests of a forum in the given states (the API's list). Audited: they hold contact details. */
    async listRequests(actor: Actor, slug: string, statuses: readonly string[]) {
      return withForum(actor, slug, async (tx, forum) => {
        const requests = await forumsRepository.listJoinRequests(tx, forum.id, statuses);
        await audit(tx, actor, {
          action: 'forum.requests.viewed',
          entityType: 'forum',
          entityId: forum.id,
          details: { requests: requests.map((r) => r.id) },
        });
        return { ok: true as const, forum, requests };
      });
    },

    /** Active members of a forum (the API's list). Audited. */
    async listMembers(actor: Actor, slug: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const members = await forumsRepository.listMembers(tx, forum.id);
        await audit(tx, actor, {
          action: 'forum.members.viewed',
          entityType: 'forum',
          entityId: forum.id,
          details: { members: members.map((m) => m.id) },
        });
        return { ok: true as const, forum, members };
      });
    },

    /** One join request; equality answers only for the roles that may see them, and that read audited. */
    async joinRequest(actor: Actor, slug: string, requestId: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const request = await forumsRepository.findJoinRequest(tx, forum.id, requestId);
        if (!request) return { ok: false as const, problem: 'notFound' as const };
        const equality = can(actor.roles, 'equality.view')
          ? await forumsRepository.findJoinEquality(tx, request.id)
          : undefined;
        await audit(tx, actor, {
          action: 'forum.request.viewed',
          entityType: 'forum_join_request',
          entityId: request.id,
          details: { forum: forum.slug, equalityShown: equality !== undefined },
        });
        return { ok: true as const, forum, request, equality };
      });
    },

    approve: (actor: Actor, slug: string, requestId: string) =>
      handleRequest(actor, slug, requestId, 'approve'),
    markContacted: (actor: Actor, slug: string, requestId: string, note: string) =>
      handleRequest(actor, slug, requestId, 'contact', note),
    decline: (actor: Actor, slug: string, requestId: string, reason: string) =>
      handleRequest(actor, slug, requestId, 'decline', reason),

    /** One member's record. Audited. */
    async member(actor: Actor, slug: string, memberId: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const member = await forumsRepository.findMember(tx, forum.id, memberId);
        if (!member) return { ok: false as const, problem: 'notFound' as const };
        await audit(tx, actor, {
          action: 'forum.member.viewed',
          entityType: 'forum_member',
          entityId: member.id,
          details: { forum: forum.slug },
        });
        return { ok: true as const, forum, member };
      });
    },

    /**
     * A member leaves: their name, contact details, access needs and any equality answers are removed,
     * from the member record and the request they joined through. Attendance still counts. Issues
     * they asked to be named on (found by the link kept when each was raised, not by matching
     * details) lose their contact details too, and become anonymous: the concern, its text and its
     * history stay, with an entry saying why the details went.
     */
    async removeMember(actor: Actor, slug: string, memberId: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const member = await forumsRepository.findMember(tx, forum.id, memberId);
        if (!member) return { ok: false as const, problem: 'notFound' as const };
        if (member.status === 'left') return { ok: true as const, concernsAnonymised: 0 };
        await forumsRepository.updateMember(tx, member.id, anonymisedMember(new Date()));
        if (member.joinRequestId) {
          await forumsRepository.deleteJoinEquality(tx, member.joinRequestId);
          await forumsRepository.updateJoinRequest(tx, member.joinRequestId, anonymisedRequest());
        }
        const raised = await forumsRepository.listIssuesRaisedBy(tx, member.id);
        let concernsAnonymised = 0;
        for (const issue of raised) {
          await forumsRepository.anonymiseIssue(tx, issue.id);
          const removed = await deps.concerns.removeContactIn(tx, actor, issue.concernId, {
            reason: 'forum_member_left',
            forum: forum.name,
          });
          if (removed) concernsAnonymised++;
        }
        await audit(tx, actor, {
          action: 'forum.member.removed',
          entityType: 'forum_member',
          entityId: member.id,
          details: { forum: forum.slug, issuesAnonymised: raised.length },
        });
        return { ok: true as const, concernsAnonymised };
      });
    },

    async scheduleMeeting(actor: Actor, slug: string, input: NewMeeting) {
      const problem = checkMeeting(input);
      if (problem) return { ok: false as const, problem };
      return withForum(actor, slug, async (tx, forum) => {
        const meeting = await forumsRepository.insertMeeting(tx, {
          partnershipId: actor.partnershipId,
          forumId: forum.id,
          title: input.title,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          venueName: input.venueName ?? null,
          venueAddress: input.venueAddress ?? null,
          venueAccess: input.venueAccess ?? null,
          onlineUrl: input.onlineUrl ?? null,
          agenda: input.agenda ?? null,
          public: input.public ?? true,
        });
        await audit(tx, actor, {
          action: 'forum.meeting.scheduled',
          entityType: 'forum_meeting',
          entityId: meeting.id,
          details: { forum: forum.slug, startsAt: input.startsAt.toISOString() },
        });
        return { ok: true as const, meeting };
      });
    },

    /** A meeting with its attendance (members ticked), members to tick, and issues with progress. */
    async meeting(actor: Actor, slug: string, meetingId: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const meeting = await forumsRepository.findMeeting(tx, forum.id, meetingId);
        if (!meeting) return { ok: false as const, problem: 'notFound' as const };
        const members = await forumsRepository.listMembers(tx, forum.id);
        const attendees = await forumsRepository.attendeeIds(tx, meeting.id);
        const issues = await issuesWithProgress(tx, forum.id, {
          meetingIds: [meeting.id],
          publicOnly: false,
        });
        await audit(tx, actor, {
          action: 'forum.meeting.viewed',
          entityType: 'forum_meeting',
          entityId: meeting.id,
          details: { forum: forum.slug },
        });
        const present = new Set(attendees);
        const editable = await canEdit(tx, actor, forum.id);
        return {
          ok: true as const,
          forum,
          canEdit: editable,
          canCancel:
            editable &&
            cancelAllowed(meeting, { attendees: attendees.length, issues: issues.length }) === 'ok',
          meeting,
          members: members.map((m) => ({ id: m.id, name: m.name, attended: present.has(m.id) })),
          // Members who attended and have since left still count, without their names.
          formerMembersAttended: attendees.filter((id) => !members.some((m) => m.id === id)).length,
          issues,
        };
      });
    },

    /** Attendance: the members ticked (replacing the last record) and guests counted without names. */
    async recordAttendance(
      actor: Actor,
      slug: string,
      meetingId: string,
      input: { memberIds: readonly string[]; guestCount: number },
    ) {
      return withForum(actor, slug, async (tx, forum) => {
        const meeting = await forumsRepository.findMeeting(tx, forum.id, meetingId);
        if (!meeting) return { ok: false as const, problem: 'notFound' as const };
        const refused = recordsRefused(meeting);
        if (refused) return { ok: false as const, problem: refused };
        const members = await forumsRepository.listMembers(tx, forum.id);
        const activeIds = new Set(members.map((m) => m.id));
        if (input.memberIds.some((id) => !activeIds.has(id)))
          return { ok: false as const, problem: 'unknownMember' as const };
        // Former members who attended stay on the record: their leaving does not rewrite history.
        const kept = (await forumsRepository.attendeeIds(tx, meeting.id)).filter((id) => !activeIds.has(id));
        const ids = [...new Set([...input.memberIds, ...kept])];
        await forumsRepository.replaceAttendance(tx, actor.partnershipId, meeting.id, ids);
        await forumsRepository.updateMeeting(tx, meeting.id, { guestCount: input.guestCount });
        await audit(tx, actor, {
          action: 'forum.meeting.attendance',
          entityType: 'forum_meeting',
          entityId: meeting.id,
          details: { members: input.memberIds.length, guests: input.guestCount },
        });
        return { ok: true as const, members: ids.length, guests: input.guestCount };
      });
    },

    async recordMinutes(actor: Actor, slug: string, meetingId: string, minutes: string) {
      return withForum(actor, slug, async (tx, forum) => {
        const meeting = await forumsRepository.findMeeting(tx, forum.id, meetingId);
        if (!meeting) return { ok: false as const, problem: 'notFound' as const };
        const refused = recordsRefused(meeting);
        if (refused) return { ok: false as const, problem: refused };
        await forumsRepository.updateMeeting(tx, meeting.id, { minutes });
        await audit(tx, actor, {
          action: 'forum.meeting.minutes',
          entityType: 'forum_meeting',
          entityId: meeting.id,
        });
        return { ok: true as const };
      });
    },

    /**
     * An issue raised at a meeting becomes a concern or suggestion in the main pipeline (channel
     * forum, source "forum: <name>"), in the same transaction as the link to it, so it is triaged,
     * routed and answered like any other and the forum can follow it.
     */
    async raiseIssue(actor: Actor, slug: string, meetingId: string, input: NewIssue) {
      return withForum(actor, slug, (tx, forum) => raiseIssueIn(tx, actor, forum, meetingId, input));
    },

    /** A meeting for the cancel page: admins, and the forum's own facilitators. */
    async meetingToCancel(actor: Actor, slug: string, meetingId: string) {
      return withMeetingToCancel(actor, slug, meetingId, async (_tx, forum, found) => ({
        ok: true as const,
        forum: { name: forum.name, slug: forum.slug },
        ...found,
      }));
    },

    /**
     * Cancels a meeting, with an optional reason shown publicly. It stays on the forum's page marked
     * cancelled, leaves "next meetings", and the calendar feeds send it as cancelled with a higher
     * SEQUENCE so calendar apps update their copy. Cancelling twice is the same as once.
     */
    async cancelMeeting(actor: Actor, slug: string, meetingId: string, reason?: string) {
      return withMeetingToCancel(actor, slug, meetingId, async (tx, forum, { meeting, allowed }) => {
        if (allowed === 'already') return { ok: true as const, meeting };
        if (allowed !== 'ok') return { ok: false as const, problem: allowed };
        const values = cancelledMeeting(meeting, { staffId: actor.staffId, reason, now: new Date() });
        await forumsRepository.updateMeeting(tx, meeting.id, values);
        await audit(tx, actor, {
          action: 'forum.meeting.cancelled',
          entityType: 'forum_meeting',
          entityId: meeting.id,
          details: {
            forum: forum.slug,
            startsAt: meeting.startsAt.toISOString(),
            ...(reason ? { reason } : {}),
          },
        });
        return { ok: true as const, meeting: { ...meeting, ...values } };
      });
    },

    /** A forum's name and address, for staff forms. */
    async forumSummary(actor: Actor, slug: string) {
      return withForum(actor, slug, async (_tx, forum) => ({
        ok: true as const,
        forum: { name: forum.name, slug: forum.slug },
      }));
    },
  };
}

export type ForumsService = ReturnType<typeof createForumsService>;
