import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';

/** A community forum: who it is for, who runs it, how to join and how it meets. */
export const forums = pgTable(
  'forums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** In the public address, /forums/<slug>; unique within the partnership. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** Protected characteristics it serves (concerns' AFFECTED_GROUPS). */
    characteristics: text('characteristics').array().notNull().default([]),
    description: text('description').notNull(),
    /** Community co-chairs, named as they wish to be named publicly. */
    coChairs: text('co_chairs'),
    howToJoin: text('how_to_join').notNull(),
    /** Where and how it usually meets, in plain words ("monthly, Tuesday evenings, Northampton"). */
    meetingPattern: text('meeting_pattern').notNull(),
    accessibility: text('accessibility').array().notNull().default([]),
    /** Anything more about access the list does not say. */
    accessibilityNotes: text('accessibility_notes'),
    published: boolean('published').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('forums_partnership_slug').on(t.partnershipId, t.slug)],
);

/** Staff who facilitate a forum (role forum_facilitator), shown publicly by name. */
export const forumFacilitators = pgTable(
  'forum_facilitators',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    forumId: uuid('forum_id')
      .notNull()
      .references(() => forums.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id),
  },
  (t) => [primaryKey({ columns: [t.forumId, t.staffId] })],
);

/** A resident asking to join, from the public page; facilitators contact, approve or decline. */
export const forumJoinRequests = pgTable(
  'forum_join_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    forumId: uuid('forum_id')
      .notNull()
      .references(() => forums.id, { onDelete: 'cascade' }),
    /** Null once the person's data is removed (declined long ago, or left the forum). */
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    preferredContact: text('preferred_contact', { enum: ['email', 'phone'] }),
    participation: text('participation').notNull(),
    accessNeeds: text('access_needs').array().notNull().default([]),
    accessNotes: text('access_notes'),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['new', 'contacted', 'approved', 'declined'] })
      .notNull()
      .default('new'),
    contactNote: text('contact_note'),
    declineReason: text('decline_reason'),
    handledByStaffId: uuid('handled_by_staff_id').references(() => staff.id),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('forum_join_requests_forum').on(t.partnershipId, t.forumId, t.status, t.createdAt)],
);

/** Special category answers a person chose to give when joining, kept apart like concern_equality. */
export const forumJoinEquality = pgTable('forum_join_equality', {
  requestId: uuid('request_id')
    .primaryKey()
    .references(() => forumJoinRequests.id, { onDelete: 'cascade' }),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  answers: jsonb('answers').$type<Record<string, string>>().notNull(),
});

/** A forum member: consent, how to reach them and what they need to take part. */
export const forumMembers = pgTable(
  'forum_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    forumId: uuid('forum_id')
      .notNull()
      .references(() => forums.id, { onDelete: 'cascade' }),
    joinRequestId: uuid('join_request_id').references(() => forumJoinRequests.id),
    /** Personal data: all null once the member has left (the row stays so attendance still counts). */
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    preferredContact: text('preferred_contact', { enum: ['email', 'phone'] }),
    participation: text('participation'),
    accessNeeds: text('access_needs').array().notNull().default([]),
    accessNotes: text('access_notes'),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    status: text('status', { enum: ['active', 'left'] })
      .notNull()
      .default('active'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [index('forum_members_forum').on(t.partnershipId, t.forumId, t.status)],
);

/** A meeting: in person at a venue (with its access information), online, or both. */
export const forumMeetings = pgTable(
  'forum_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    forumId: uuid('forum_id')
      .notNull()
      .references(() => forums.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    venueName: text('venue_name'),
    venueAddress: text('venue_address'),
    venueAccess: text('venue_access'),
    onlineUrl: text('online_url'),
    agenda: text('agenda'),
    minutes: text('minutes'),
    /** People who came without giving their names: counted only. */
    guestCount: integer('guest_count').notNull().default(0),
    /** Shown on the public page and in the calendar feeds. */
    public: boolean('public').notNull().default(true),
    cancelled: boolean('cancelled').notNull().default(false),
    /** Why it was cancelled, as facilitators chose to tell the public; shown beside "Cancelled". */
    cancelReason: text('cancel_reason'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledByStaffId: uuid('cancelled_by_staff_id').references(() => staff.id),
    /**
     * iCalendar SEQUENCE: raised with each change calendar apps must apply (cancelling), because
     * they keep the copy with the highest SEQUENCE and would otherwise ignore the change.
     */
    sequence: integer('sequence').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('forum_meetings_forum').on(t.partnershipId, t.forumId, t.startsAt),
    index('forum_meetings_upcoming')
      .on(t.partnershipId, t.startsAt)
      .where(sql`public and not cancelled`),
  ],
);

/** Members who attended a meeting. Kept when a member leaves, so attendance still counts. */
export const forumAttendance = pgTable(
  'forum_attendance',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => forumMeetings.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => forumMembers.id),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.memberId] })],
);

/**
 * An issue raised at a meeting, and the concern or suggestion it became: the link between the forum
 * and the main pipeline. The concern holds the full text and its progress; this holds the line the
 * forum publishes, and never who raised it when they asked to stay anonymous.
 */
export const forumIssues = pgTable(
  'forum_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    forumId: uuid('forum_id')
      .notNull()
      .references(() => forums.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => forumMeetings.id, { onDelete: 'cascade' }),
    concernId: uuid('concern_id')
      .notNull()
      .unique()
      .references(() => concerns.id),
    summary: text('summary').notNull(),
    anonymous: boolean('anonymous').notNull(),
    raisedByMemberId: uuid('raised_by_member_id').references(() => forumMembers.id),
    /** Shown, with its progress, on the public forum page. */
    public: boolean('public').notNull().default(true),
    createdByStaffId: uuid('created_by_staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('forum_issues_meeting').on(t.partnershipId, t.meetingId, t.createdAt)],
);
