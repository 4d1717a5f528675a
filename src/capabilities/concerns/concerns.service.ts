import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database, Tx } from '../../platform/db/index.js';
import type { OutboxInsert } from '../../platform/mail/outbox.repository.js';
import type { Actor } from '../../platform/auth/actor.js';
import { audit, auditTrail } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { findVisibleConcern } from './concerns.access.js';
import {
  concernsRepository,
  type ConcernRow,
  type QueueCursor,
  type QueueFilters,
  type QueueSort,
} from './concerns.repository.js';
import {
  generateReference,
  generateTrackingCode,
  normaliseReference,
  normaliseTrackingCode,
} from './reference.js';
import { DEFAULT_TARGETS, dueDates, isOverdue } from './targets.js';
import { detectUrgency } from './urgency.js';
import { detectWrittenLanguage } from './written-language.js';
import { canSeeContact, canSeeEquality, canTriage, canView, canWork, queueScope } from './visibility.js';
import type { AffectedGroup, Channel, Kind, Topic } from './vocabulary.js';
import { allowedNext, checkTransition, isClosure, isOpen, type Status } from './workflow.js';

export interface NewConcern {
  kind: Kind;
  topic: Topic;
  description: string;
  areaId?: string | undefined;
  placeDescription?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  /** Never shown in public feeds. */
  private?: boolean | undefined;
  open311Token?: string | undefined;
  whenText?: string | undefined;
  affectedGroups: AffectedGroup[];
  forGroup: boolean;
  groupName?: string | undefined;
  anonymous: boolean;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  preferredContact?: 'email' | 'phone' | undefined;
  consentToShare: boolean;
  equality?: Record<string, string> | undefined;
  channel: Channel;
  source?: string | undefined;
  language: string;
  /** For seeding history and for imports; defaults to now. */
  createdAt?: Date;
  /**
   * The Message-ID of the email the concern arrived in, so the acknowledgement is a reply to it. It
   * cannot be looked up while the acknowledgement is composed: the message is linked to the concern
   * only after the concern is stored.
   */
  inReplyTo?: string | undefined;
}

export interface CreatedConcern {
  id: string;
  reference: string;
  trackingCode: string;
  urgent: boolean;
}

export type Problem<P extends string> = { ok: false; problem: P };
export type Ok<T = object> = { ok: true } & T;

export interface QueueRequest {
  filters: Omit<QueueFilters, 'sharedWithOrganisationId'>;
  sort: QueueSort;
  cursor?: string | undefined;
  limit?: number;
}

export function encodeCursor(c: QueueCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string | undefined): QueueCursor | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<QueueCursor>;
    if (
      typeof v.urgent === 'boolean' &&
      typeof v.createdAt === 'string' &&
      typeof v.id === 'string' &&
      !Number.isNaN(Date.parse(v.createdAt)) &&
      /^[0-9a-f-]{36}$/.test(v.id)
    ) {
      return { urgent: v.urgent, createdAt: v.createdAt, id: v.id };
    }
  } catch {
    // A mangled cursor just means "from the start".
  }
  return undefined;
}

/**
 * Moves only triage may make: closing as a duplicate (a merge) and reopening a closed concern.
 * Used both to offer the choices and to refuse them, so the form never offers a refused move.
 */
function mayMove(actor: Actor, from: string, to: Status): boolean {
  if (canTriage(actor)) return true;
  return !(to === 'duplicate' || (isClosure(from) && to === 'triaged'));
}

/** What a resident may see on Check progress: status and public updates, nothing else. */
export interface ProgressView {
  reference: string;
  kind: string;
  status: string;
  createdAt: Date;
  updates: { body: string | null; createdAt: Date }[];
}

/**
 * What happened to a concern, told to whoever listens (notifications) inside the same transaction,
 * so a message is queued if and only if the change is committed.
 */
export type ConcernEvent =
  | { type: 'publicUpdate'; concern: ConcernRow; body: string }
  | { type: 'statusChanged'; concern: ConcernRow; from: string; to: string }
  | { type: 'assigned'; concern: ConcernRow; staffId: string }
  | { type: 'shared'; concern: ConcernRow; lead: string; supporting: readonly string[] };

export type ConcernEventListener = (tx: Tx, actor: Actor, event: ConcernEvent) => Promise<void>;

/** What is known of a concern before it is stored: enough to write to its resident. */
export type NewConcernFacts = Pick<
  ConcernRow,
  | 'id'
  | 'partnershipId'
  | 'reference'
  | 'kind'
  | 'topic'
  | 'language'
  | 'channel'
  | 'anonymous'
  | 'contactEmail'
  | 'respondDueAt'
> & { inReplyTo?: string | undefined };

/**
 * Mail a new concern sends (the acknowledgement). It is stored in the same statement as the concern,
 * so both are committed or neither, in one round trip: intake is Heard's busiest path.
 */
export type NewConcernMail = (tx: Tx, concern: NewConcernFacts) => Promise<OutboxInsert[]>;

/** Finds the area a point is in (places capability), for concerns that give a point but no area. */
export type AreaLocator = (tx: Tx, latitude: number, longitude: number) => Promise<string | null>;

export function createConcernsService(
  db: Database,
  options: {
    secret: string;
    onEvent?: ConcernEventListener;
    mailForNewConcern?: NewConcernMail;
    locateArea?: AreaLocator;
  },
) {
  const emit = (tx: Tx, actor: Actor, event: ConcernEvent) =>
    options.onEvent ? options.onEvent(tx, actor, event) : Promise.resolve();

  const hashTrackingCode = (code: string) =>
    createHmac('sha256', options.secret)
      .update(`tracking:${normaliseTrackingCode(code)}`)
      .digest('hex');

  async function addEvent(
    tx: Tx,
    actor: Actor,
    concern: ConcernRow,
    kind: string,
    visibility: 'internal' | 'public',
    body: string | null,
    details: Record<string, unknown> = {},
  ) {
    await concernsRepository.insertEvent(tx, {
      partnershipId: actor.partnershipId,
      concernId: concern.id,
      kind,
      visibility,
      body,
      details,
      staffId: actor.staffId,
    });
  }

  async function changeStatus(
    tx: Tx,
    actor: Actor,
    concern: ConcernRow,
    to: Status,
    extra: Partial<ConcernRow> = {},
  ) {
    const now = new Date();
    const closing = !isOpen(to);
    await concernsRepository.update(tx, concern.id, {
      status: to,
      closedAt: closing ? now : null,
      firstResponseAt: concern.firstResponseAt ?? (closing ? now : null),
      ...extra,
    });
    await addEvent(tx, actor, concern, 'status', 'public', null, { from: concern.status, to });
    await emit(tx, actor, { type: 'statusChanged', concern, from: concern.status, to });
  }

  // Response targets change rarely and are needed for every new concern: keep them for a minute.
  const targetCache = new Map<
    string,
    { at: number; targets: Awaited<ReturnType<typeof tenancyRepository.listResponseTargets>> }
  >();
  async function targetsFor(tx: Tx, partnershipId: string, topic: string) {
    let cached = targetCache.get(partnershipId);
    if (!cached || Date.now() - cached.at > 60_000) {
      cached = { at: Date.now(), targets: await tenancyRepository.listResponseTargets(tx) };
      targetCache.set(partnershipId, cached);
    }
    return cached.targets.find((t) => t.topic === topic) ?? DEFAULT_TARGETS;
  }

  /**
   * Stores a new concern inside the caller's transaction. Callers that hold other work in the same
   * transaction (the share flow deletes its draft) use this; everyone else uses create().
   */
  async function createIn(tx: Tx, actor: Actor, input: NewConcern): Promise<CreatedConcern> {
    const prepared = await prepareIn(tx, actor, input);
    await prepared.store();
    return prepared.created;
  }

  /**
   * Everything createIn does up to the one statement that stores the concern, which store() sends.
   * For a caller whose transaction ends with that statement (a resident's submission), so COMMIT can
   * be sent behind it (`Last` in the database module).
   */
  async function prepareIn(
    tx: Tx,
    actor: Actor,
    input: NewConcern,
  ): Promise<{ created: CreatedConcern; store: () => Promise<void> }> {
    const createdAt = input.createdAt ?? new Date();
    const urgency = detectUrgency(input.description, input.placeDescription, input.whenText);
    // Every channel arrives here, so the language of what was written is found once, for all of them.
    const written = detectWrittenLanguage(input, input.language);
    // Everyone gets a tracking code: for an anonymous resident it is the only way to follow progress,
    // and it identifies nobody (only its keyed hash is kept).
    const trackingCode = generateTrackingCode();
    const reference = generateReference();
    const due = dueDates(createdAt, urgency.urgent, await targetsFor(tx, actor.partnershipId, input.topic));
    const id = randomUUID();
    // A point with no area chosen (Open311, a map) is placed in the area whose boundary holds it.
    const areaId =
      input.areaId ??
      (input.latitude !== undefined && input.longitude !== undefined && options.locateArea
        ? await options.locateArea(tx, input.latitude, input.longitude)
        : null);
    const equality = Object.fromEntries(
      Object.entries(input.equality ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''),
    );
    const facts: NewConcernFacts = {
      id,
      partnershipId: actor.partnershipId,
      reference,
      kind: input.kind,
      topic: input.topic,
      language: input.language,
      channel: input.channel,
      anonymous: input.anonymous,
      // Anonymous means anonymous: no contact details are kept even if some were typed.
      contactEmail: input.anonymous ? null : (input.contactEmail?.toLowerCase() ?? null),
      respondDueAt: due.respondDueAt,
      inReplyTo: input.inReplyTo,
    };
    const mail = (await options.mailForNewConcern?.(tx, facts)) ?? [];
    const store = () =>
      concernsRepository.insertNew(
        tx,
        {
          ...facts,
          description: input.description,
          areaId,
          placeDescription: input.placeDescription ?? null,
          latitude: input.latitude ?? null,
          longitude: input.longitude ?? null,
          private: input.private ?? false,
          open311Token: input.open311Token ?? null,
          whenText: input.whenText ?? null,
          affectedGroups: input.affectedGroups,
          forGroup: input.forGroup,
          groupName: input.forGroup ? (input.groupName ?? null) : null,
          contactName: input.anonymous ? null : (input.contactName ?? null),
          contactPhone: input.anonymous ? null : (input.contactPhone ?? null),
          preferredContact: input.anonymous ? null : (input.preferredContact ?? null),
          consentToShare: input.consentToShare,
          trackingCodeHash: hashTrackingCode(trackingCode),
          source: input.source ?? null,
          recordedByStaffId: actor.staffId,
          writtenLanguage: written.language,
          writtenLanguageSource: written.source,
          urgent: urgency.urgent,
          urgentSignals: urgency.signals,
          createdAt,
          updatedAt: createdAt,
          ...due,
        },
        {
          partnershipId: actor.partnershipId,
          concernId: id,
          kind: 'created',
          visibility: 'public',
          body: null,
          details: { channel: input.channel },
          staffId: actor.staffId,
          createdAt,
        },
        {
          partnershipId: actor.partnershipId,
          actorStaffId: actor.staffId,
          actorOrganisationId: actor.organisationId,
          actorLabel: actor.label,
          action: actor.staffId ? 'concern.recorded' : 'concern.created',
          entityType: 'concern',
          entityId: id,
          correlationId: actor.correlationId,
          details: { reference, channel: input.channel, urgent: urgency.urgent },
        },
        Object.keys(equality).length > 0
          ? { concernId: id, partnershipId: actor.partnershipId, answers: equality }
          : undefined,
        mail,
      );
    return { created: { id, reference, trackingCode, urgent: urgency.urgent }, store };
  }

  /**
   * Removes the contact details of the person who raised a concern, inside the caller's transaction,
   * when another capability knows they must go (a forum member who asked to be named has left). The
   * concern, its text and history stay; from now on it is anonymous. `why.reason` names the cause in
   * the history (concerns.events.contact_removed.<reason>) and the audit record.
   */
  async function removeContactIn(
    tx: Tx,
    actor: Actor,
    concernId: string,
    why: { reason: string } & Record<string, string>,
  ): Promise<boolean> {
    const concern = await concernsRepository.findById(tx, concernId);
    if (!concern) return false;
    const held = [concern.contactName, concern.contactEmail, concern.contactPhone].some((v) => v !== null);
    if (!held && concern.anonymous) return false;
    await concernsRepository.update(tx, concern.id, {
      anonymous: true,
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      preferredContact: null,
      // Nothing is left to share.
      consentToShare: false,
    });
    await addEvent(tx, actor, concern, 'contact_removed', 'internal', null, why);
    await audit(tx, actor, {
      action: 'concern.contact_removed',
      entityType: 'concern',
      entityId: concern.id,
      details: { reference: concern.reference, ...why },
    });
    return true;
  }

  /** `within` runs in the same transaction, e.g. to link what the concern came with. */
  async function create(
    actor: Actor,
    input: NewConcern,
    createOptions: { within?: (tx: Tx, created: CreatedConcern) => Promise<void> } = {},
  ): Promise<CreatedConcern> {
    // A clash among 8×10^14 references is vanishingly rare, but if one happens we draw again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.tenant(actor.partnershipId, async (tx) => {
          const created = await createIn(tx, actor, input);
          if (createOptions.within) await createOptions.within(tx, created);
          return created;
        });
      } catch (err) {
        if (isUniqueViolation(err) && attempt < 3) continue;
        throw err;
      }
    }
  }

  /**
   * Sets the lead and supporting organisations inside the caller's transaction, so a triage
   * suggestion's topic, lead and the decision record are committed together or not at all.
   */
  async function shareIn(
    tx: Tx,
    actor: Actor,
    reference: string,
    lead: string,
    supporting: readonly string[],
  ) {
    if (!canTriage(actor)) return { ok: false as const, problem: 'forbidden' as const };
    const found = await findVisibleConcern(tx, actor, reference);
    if (!found) return { ok: false as const, problem: 'notFound' as const };
    const orgs = await tenancyRepository.listOrganisations(tx);
    const known = new Set(orgs.map((o) => o.id));
    if (!known.has(lead) || supporting.some((s) => !known.has(s)))
      return { ok: false as const, problem: 'unknownOrganisation' as const };
    const { concern } = found;
    if (!isOpen(concern.status)) return { ok: false as const, problem: 'closed' as const };
    await concernsRepository.replaceShares(tx, actor.partnershipId, concern.id, lead, supporting);
    const stillAssignable =
      concern.assignedStaffId === null ||
      [lead, ...supporting].includes(
        (await concernsRepository.findStaff(tx, concern.assignedStaffId))?.organisationId ?? '',
      );
    await concernsRepository.update(tx, concern.id, {
      leadOrganisationId: lead,
      ...(stillAssignable ? {} : { assignedStaffId: null }),
      ...(concern.status === 'new' ? { status: 'triaged' } : {}),
    });
    const names = Object.fromEntries(orgs.map((o) => [o.id, o.name]));
    await addEvent(tx, actor, concern, 'shared', 'internal', null, {
      lead: names[lead],
      supporting: supporting.filter((s) => s !== lead).map((s) => names[s]),
    });
    if (concern.status === 'new') {
      await addEvent(tx, actor, concern, 'status', 'public', null, { from: 'new', to: 'triaged' });
      await emit(tx, actor, { type: 'statusChanged', concern, from: 'new', to: 'triaged' });
    }
    await emit(tx, actor, { type: 'shared', concern, lead, supporting });
    await audit(tx, actor, {
      action: 'concern.shared',
      entityType: 'concern',
      entityId: concern.id,
      details: { lead, supporting },
    });
    return { ok: true as const };
  }

  /**
   * Changes a concern's topic (a triage decision). Due dates follow the new topic's targets: the
   * topic a concern really has is the one its response should be measured against.
   */
  async function changeTopicIn(tx: Tx, actor: Actor, reference: string, topic: Topic) {
    if (!canTriage(actor)) return { ok: false as const, problem: 'forbidden' as const };
    const found = await findVisibleConcern(tx, actor, reference);
    if (!found) return { ok: false as const, problem: 'notFound' as const };
    const { concern } = found;
    if (!isOpen(concern.status)) return { ok: false as const, problem: 'closed' as const };
    if (concern.topic === topic) return { ok: true as const };
    const due = dueDates(concern.createdAt, concern.urgent, await targetsFor(tx, actor.partnershipId, topic));
    await concernsRepository.update(tx, concern.id, { topic, ...due });
    await addEvent(tx, actor, concern, 'topic_changed', 'internal', null, { from: concern.topic, to: topic });
    await audit(tx, actor, {
      action: 'concern.topic.changed',
      entityType: 'concern',
      entityId: concern.id,
      details: { from: concern.topic, to: topic },
    });
    return { ok: true as const };
  }

  return {
    create,
    createIn,
    prepareIn,
    removeContactIn,

    /**
     * Check progress. A wrong reference, email or code all give the same answer, so the form
     * cannot be used to learn which references exist.
     */
    async progress(
      partnershipId: string,
      reference: string,
      secret: { email?: string | undefined; trackingCode?: string | undefined },
    ): Promise<Ok<{ view: ProgressView }> | Problem<'noMatch'>> {
      const ref = normaliseReference(reference);
      if (!ref) return { ok: false, problem: 'noMatch' };
      return db.tenant(partnershipId, async (tx) => {
        const concern = await concernsRepository.findByReference(tx, ref);
        if (!concern) return { ok: false, problem: 'noMatch' };
        let match = false;
        if (secret.trackingCode && concern.trackingCodeHash) {
          match = safeEqualHex(hashTrackingCode(secret.trackingCode), concern.trackingCodeHash);
        }
        if (!match && secret.email && concern.contactEmail) {
          match = secret.email.trim().toLowerCase() === concern.contactEmail;
        }
        if (!match) return { ok: false, problem: 'noMatch' };
        // A merged duplicate shows the progress of the concern it joined.
        const shown = concern.duplicateOfId
          ? ((await concernsRepository.findById(tx, concern.duplicateOfId)) ?? concern)
          : concern;
        const events = await concernsRepository.listEvents(tx, shown.id, 'public');
        return {
          ok: true,
          view: {
            reference: concern.reference,
            kind: concern.kind,
            status: shown.status,
            createdAt: concern.createdAt,
            updates: events
              .filter((e) => e.kind === 'public_update')
              .map((e) => ({ body: e.body, createdAt: e.createdAt })),
          },
        };
      });
    },

    async queue(actor: Actor, request: QueueRequest) {
      const scope = queueScope(actor);
      const filters: QueueFilters = { ...request.filters };
      if (!scope.all) {
        // Staff outside triage see what is shared with their organisation, and nothing if they have none
        // or if their roles do not let them see shared concerns at all (an analyst, say).
        const seesShared =
          scope.organisationId !== null &&
          canView(actor, {
            sharedWith: [scope.organisationId],
            leadOrganisationId: null,
            consentToShare: false,
          });
        filters.sharedWithOrganisationId = seesShared
          ? scope.organisationId!
          : '00000000-0000-0000-0000-000000000000';
      }
      const limit = Math.min(Math.max(request.limit ?? 25, 1), 100);
      const after = decodeCursor(request.cursor);
      return db.tenant(actor.partnershipId, async (tx) => {
        const now = new Date();
        const [rows, count] = [
          await concernsRepository.queue(tx, actor.partnershipId, filters, {
            sort: request.sort,
            limit: limit + 1,
            after,
            now,
          }),
          await concernsRepository.countQueue(tx, actor.partnershipId, filters, now),
        ];
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        await audit(tx, actor, {
          action: 'concerns.queue.viewed',
          entityType: 'concern',
          details: { filters: request.filters, sort: request.sort, shown: page.map((r) => r.reference) },
        });
        return {
          items: page.map((r) => ({ ...r, overdue: isOverdue(r, now) })),
          count,
          countCapped: count > 10_000,
          nextCursor:
            rows.length > limit && last
              ? encodeCursor({ urgent: last.urgent, createdAt: last.createdAt.toISOString(), id: last.id })
              : undefined,
        };
      });
    },

    async detail(actor: Actor, reference: string) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const { concern, shares, facts } = found;
        const detail = (await concernsRepository.findDetail(tx, concern.reference))!;
        const showContact = canSeeContact(actor, facts);
        const showEquality = canSeeEquality(actor);
        const showRedacted = can(actor.roles, 'concerns.viewRedacted');
        const [events, linked, equality, redactions, trail, organisations] = [
          await concernsRepository.listEvents(tx, concern.id),
          await concernsRepository.listLinked(tx, concern),
          showEquality ? await concernsRepository.findEquality(tx, concern.id) : undefined,
          showRedacted && concern.redacted ? await concernsRepository.listRedactions(tx, concern.id) : [],
          can(actor.roles, 'audit.view') ? await auditTrail(tx, 'concern', concern.id) : undefined,
          await tenancyRepository.listOrganisations(tx),
        ];
        const assignable = await concernsRepository.listAssignableStaff(
          tx,
          canTriage(actor) ? facts.sharedWith : facts.sharedWith.filter((o) => o === actor.organisationId),
        );
        // Reading a concern is itself audited, noting whether personal data was on the page.
        await audit(tx, actor, {
          action: 'concern.viewed',
          entityType: 'concern',
          entityId: concern.id,
          details: {
            reference: concern.reference,
            contactShown: showContact && !concern.anonymous,
            equalityShown: equality !== undefined,
          },
        });
        const contact = showContact
          ? {
              name: concern.contactName,
              email: concern.contactEmail,
              phone: concern.contactPhone,
              preferred: concern.preferredContact,
            }
          : undefined;
        const {
          contactName: _n,
          contactEmail: _e,
          contactPhone: _p,
          trackingCodeHash: _t,
          ...safe
        } = concern;
        return {
          ok: true as const,
          concern: {
            ...safe,
            areaName: detail.areaName,
            leadOrganisationName: detail.leadOrganisationName,
            assigneeName: detail.assigneeName,
            recordedByName: detail.recordedByName,
            overdue: isOverdue(concern),
          },
          contact,
          contactHidden: !showContact && !concern.anonymous,
          equality,
          redactions,
          shares,
          events,
          linked,
          auditTrail: trail,
          organisations,
          assignable,
          may: {
            triage: canTriage(actor),
            work: canWork(actor, facts),
            redact: canTriage(actor),
            audit: can(actor.roles, 'audit.view'),
          },
          /** The statuses this viewer may move the concern to; empty if they may not work it. */
          nextStatuses: canWork(actor, facts)
            ? allowedNext(concern.status as Status).filter((to) => mayMove(actor, concern.status, to))
            : [],
        };
      });
    },

    async share(actor: Actor, reference: string, lead: string, supporting: readonly string[]) {
      if (!canTriage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, (tx) => shareIn(tx, actor, reference, lead, supporting));
    },

    shareIn,
    changeTopicIn,

    async assign(actor: Actor, reference: string, staffId: string) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const { concern, facts } = found;
        if (!canWork(actor, facts)) return { ok: false as const, problem: 'forbidden' as const };
        if (!isOpen(concern.status)) return { ok: false as const, problem: 'closed' as const };
        if (!concern.leadOrganisationId) return { ok: false as const, problem: 'noLead' as const };
        const person = await concernsRepository.findStaff(tx, staffId);
        const allowedOrgs = canTriage(actor) ? facts.sharedWith : [actor.organisationId];
        if (!person || !person.active || !allowedOrgs.includes(person.organisationId)) {
          return { ok: false as const, problem: 'notAssignable' as const };
        }
        const moveTo = concern.status === 'triaged' ? 'assigned' : undefined;
        await concernsRepository.update(tx, concern.id, {
          assignedStaffId: person.id,
          ...(moveTo ? { status: moveTo } : {}),
        });
        await addEvent(tx, actor, concern, 'assigned', 'internal', null, { to: person.name });
        await emit(tx, actor, { type: 'assigned', concern, staffId: person.id });
        if (moveTo) {
          await addEvent(tx, actor, concern, 'status', 'public', null, { from: concern.status, to: moveTo });
          await emit(tx, actor, { type: 'statusChanged', concern, from: concern.status, to: moveTo });
        }
        await audit(tx, actor, {
          action: 'concern.assigned',
          entityType: 'concern',
          entityId: concern.id,
          details: { staffId },
        });
        return { ok: true as const };
      });
    },

    async transition(
      actor: Actor,
      reference: string,
      input: {
        to: Status;
        reason?: string | undefined;
        referredTo?: string | undefined;
        duplicateOf?: string | undefined;
      },
    ) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const { concern, facts } = found;
        if (!canWork(actor, facts)) return { ok: false as const, problem: 'forbidden' as const };
        // Closing as a duplicate, and reopening a closed concern, are triage decisions.
        if (!mayMove(actor, concern.status, input.to))
          return { ok: false as const, problem: 'forbidden' as const };
        const check = checkTransition({ from: concern.status as Status, ...input });
        if (!check.ok) return check;
        if (input.to === 'assigned' && !concern.assignedStaffId)
          return { ok: false as const, problem: 'notAssigned' as const };
        let duplicateOfId: string | undefined;
        if (input.to === 'duplicate') {
          const target = await findVisibleConcern(tx, actor, input.duplicateOf ?? '');
          if (!target || target.concern.id === concern.id)
            return { ok: false as const, problem: 'duplicateNotFound' as const };
          duplicateOfId = target.concern.id;
          await addEvent(tx, actor, target.concern, 'merged_in', 'internal', null, {
            reference: concern.reference,
          });
        }
        await changeStatus(tx, actor, concern, input.to, {
          closureReason: isClosure(input.to) ? input.reason!.trim() : null,
          referredTo: input.to === 'referred' ? input.referredTo!.trim() : null,
          duplicateOfId: duplicateOfId ?? null,
          // Starting work with nobody assigned assigns the person who started it.
          ...(input.to === 'in_progress' && !concern.assignedStaffId
            ? { assignedStaffId: actor.staffId }
            : {}),
        });
        await audit(tx, actor, {
          action: 'concern.status.changed',
          entityType: 'concern',
          entityId: concern.id,
          details: {
            from: concern.status,
            to: input.to,
            reason: input.reason ?? null,
            referredTo: input.referredTo ?? null,
          },
        });
        return { ok: true as const };
      });
    },

    async addNote(actor: Actor, reference: string, body: string, visibility: 'internal' | 'public') {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const { concern, facts } = found;
        if (!canWork(actor, facts)) return { ok: false as const, problem: 'forbidden' as const };
        await addEvent(
          tx,
          actor,
          concern,
          visibility === 'public' ? 'public_update' : 'note',
          visibility,
          body,
        );
        if (visibility === 'public' && !concern.firstResponseAt) {
          await concernsRepository.update(tx, concern.id, { firstResponseAt: new Date() });
        } else {
          await concernsRepository.update(tx, concern.id, {});
        }
        if (visibility === 'public') await emit(tx, actor, { type: 'publicUpdate', concern, body });
        await audit(tx, actor, {
          action: visibility === 'public' ? 'concern.public-update.added' : 'concern.note.added',
          entityType: 'concern',
          entityId: concern.id,
        });
        return { ok: true as const };
      });
    },

    async redact(actor: Actor, reference: string, replacement: string, reason: string) {
      if (!canTriage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const { concern } = found;
        await concernsRepository.insertRedaction(tx, {
          partnershipId: actor.partnershipId,
          concernId: concern.id,
          originalDescription: concern.description,
          reason,
          staffId: actor.staffId!,
        });
        await concernsRepository.update(tx, concern.id, { description: replacement, redacted: true });
        await addEvent(tx, actor, concern, 'redacted', 'internal', null, { reason });
        await audit(tx, actor, {
          action: 'concern.redacted',
          entityType: 'concern',
          entityId: concern.id,
          details: { reason },
        });
        return { ok: true as const };
      });
    },

    /**
     * Staff recording a concern for someone who phoned, walked in or came through a third party.
     * The officer is the recorder; whether they can open the new concern decides where they go next.
     */
    async record(actor: Actor, input: NewConcern) {
      if (!actor.staffId || !can(actor.roles, 'concerns.record'))
        return { ok: false as const, problem: 'forbidden' as const };
      if (input.areaId) {
        // The foreign key alone would accept another partnership's area; row-level security here does not.
        const area = await db.tenant(actor.partnershipId, (tx) =>
          tenancyRepository.findArea(tx, input.areaId!),
        );
        if (!area) return { ok: false as const, problem: 'unknownArea' as const };
      }
      const created = await create(actor, input);
      const visible = canView(actor, {
        sharedWith: [],
        leadOrganisationId: null,
        consentToShare: input.consentToShare,
      });
      return { ok: true as const, created, visible };
    },

    /** Staff lists for forms: organisations and areas of the actor's partnership. */
    async choices(actor: { partnershipId: string }) {
      return db.tenant(actor.partnershipId, async (tx) => ({
        organisations: await tenancyRepository.listOrganisations(tx),
        areas: await tenancyRepository.listAreas(tx),
      }));
    },

    async auditTrail(actor: Actor, reference: string) {
      if (!can(actor.roles, 'audit.view')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const [trail, organisations] = [
          await auditTrail(tx, 'concern', found.concern.id),
          await tenancyRepository.listOrganisations(tx),
        ];
        const names = new Map(organisations.map((o) => [o.id, o.name]));
        return {
          ok: true as const,
          reference: found.concern.reference,
          trail: trail.map((row) => ({
            ...row,
            organisationName: row.actorOrganisationId ? (names.get(row.actorOrganisationId) ?? null) : null,
          })),
        };
      });
    },
  };
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e.cause?.code ?? e.code) === '23505';
}

function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export type ConcernsService = ReturnType<typeof createConcernsService>;
