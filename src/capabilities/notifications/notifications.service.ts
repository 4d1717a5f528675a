import type { Config } from '../../config.js';
import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { createI18n, intlLocale, type I18n, type Translate } from '../../platform/i18n/index.js';
import { mailDomain, outboxRow, type OutgoingMail } from '../../platform/mail/mailer.js';
import { outboxRepository, type OutboxInsert } from '../../platform/mail/outbox.repository.js';
import { paths } from '../../platform/paths.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import type { PartnershipDirectory } from '../../platform/tenancy/tenancy.service.js';
import { concernsRepository, type ConcernRow } from '../concerns/concerns.repository.js';
import type { ConcernEvent, NewConcernFacts } from '../concerns/concerns.service.js';
import { findVisibleConcern } from '../concerns/concerns.access.js';
import { formatReference } from '../concerns/reference.js';
import { canSeeContact, canWork } from '../concerns/visibility.js';
import { correspondenceRepository } from './correspondence.repository.js';
import { createMailRenderer, type MessageContent } from './mail-renderer.js';
import { notificationsRepository } from './notifications.repository.js';

export const PURPOSES = {
  acknowledgement: 'concern.acknowledgement',
  update: 'concern.update',
  status: 'concern.status',
  assigned: 'concern.assigned',
  shared: 'concern.shared',
  reply: 'concern.reply',
} as const;

/** The digest's purpose names the organisation and the London day, so a day's digest is queued once. */
export const digestPurpose = (organisationId: string, day: string) => `digest:${organisationId}:${day}`;

/** The calendar day in London, as yyyy-mm-dd. */
// Intl formatters are costly to build (a measurable share of every submission), so each is made once.
const londonDayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonHourFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  hourCycle: 'h23',
});
const longDateFormats = new Map<string, Intl.DateTimeFormat>();

export function londonDay(at: Date): string {
  return londonDayFormat.format(at);
}

function londonHour(at: Date): number {
  return Number(londonHourFormat.format(at));
}

/** A date as residents read it in their language, e.g. "3 December 2026". */
function formatDate(at: Date, lang: string): string {
  let format = longDateFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(lang), {
      dateStyle: 'long',
      timeZone: 'Europe/London',
    });
    longDateFormats.set(lang, format);
  }
  return format.format(at);
}

/** The daily digest goes out from this hour (London time), so leads find it at the start of the day. */
export const DIGEST_HOUR = 7;

/** The bare address of `Name <address>`. */
function bareAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

type Outcome = { ok: true } | { ok: false; problem: 'notFound' | 'forbidden' | 'noEmail' };

/**
 * Email to residents and staff about concerns. Every message is queued in the outbox inside the
 * transaction of the change that causes it, so it is sent if and only if that change is committed.
 *
 * What residents get: an acknowledgement with their reference when they gave an email address, and,
 * if they chose to be contacted by email, each public update and status change, in their language,
 * with a link to Check progress. What staff get: assignment and sharing notices that carry only the
 * reference, the topic and a link (never the resident's details), and a daily digest of overdue work.
 */
export function createNotificationsService(
  db: Database,
  config: Pick<Config, 'publicUrl' | 'mailFrom'>,
  deps: { i18n?: I18n; partnerships?: PartnershipDirectory } = {},
) {
  const i18n = deps.i18n ?? createI18n();
  // The partnership's name and reply address: from the in-memory directory when it holds them (every
  // request warms it), otherwise read in the caller's transaction.
  async function partnershipFor(tx: Tx, id: string) {
    return deps.partnerships?.cached(id) ?? (await notificationsRepository.findPartnership(tx, id));
  }
  const renderer = createMailRenderer();
  const domain = mailDomain(config.mailFrom);
  const progressUrl = `${config.publicUrl}${paths.progress.form()}`;
  const staffUrl = (reference: string) => `${config.publicUrl}${paths.staff.concerns.show(reference)}`;

  /** The outbox row for a message, rendered in both parts. */
  function compose(
    content: MessageContent,
    mail: Omit<OutgoingMail, 'subject' | 'text' | 'html' | 'language'>,
  ): OutboxInsert {
    const rendered = renderer.render(content);
    return outboxRow(
      {
        ...mail,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        language: content.lang,
      },
      { domain },
    );
  }

  async function queue(
    tx: Tx,
    content: MessageContent,
    mail: Omit<OutgoingMail, 'subject' | 'text' | 'html' | 'language'>,
  ) {
    const row = compose(content, mail);
    return { id: await outboxRepository.enqueue(tx, row), messageId: row.messageId };
  }

  /** The resident's language if Heard speaks it, else English (lang and dir must match the words). */
  function residentLanguage(concern: Pick<ConcernRow, 'language'>): {
    lang: string;
    dir: 'ltr' | 'rtl';
    t: Translate;
  } {
    const lang = i18n.isSupported(concern.language) ? concern.language : 'en';
    return { lang, dir: i18n.direction(lang), t: i18n.translator(lang) };
  }

  const staffLanguage = () => ({ lang: 'en', dir: 'ltr' as const, t: i18n.translator('en') });

  /**
   * Headers that keep a resident's messages in one thread: after the email that raised the concern
   * (if it came by email) and the acknowledgement. Replies go to the partnership's own address,
   * where the email capability files them against the concern.
   */
  async function residentHeaders(
    tx: Tx,
    concern: Pick<ConcernRow, 'id' | 'partnershipId' | 'channel'>,
    extra: string[] = [],
    options: { isNew?: boolean } = {},
  ) {
    const partnership = await partnershipFor(tx, concern.partnershipId);
    // A concern being acknowledged has sent nothing yet, and the email it may have come in is not
    // linked to it yet: the caller passes that message's id in `extra`.
    const originating = options.isNew
      ? undefined
      : await correspondenceRepository.originatingMessageId(tx, concern.id);
    const thread = [
      ...[originating].filter((x) => x !== undefined),
      ...(options.isNew
        ? []
        : await outboxRepository.messageIdsFor(tx, concern.id, PURPOSES.acknowledgement)),
      ...extra,
    ].filter((id, i, all) => all.indexOf(id) === i);
    const replyTo = partnership?.inboundAddresses[0];
    const headers: Record<string, string> = {};
    if (replyTo) headers['Reply-To'] = replyTo;
    if (thread.length > 0) {
      headers['In-Reply-To'] = thread[thread.length - 1]!;
      headers.References = thread.slice(-20).join(' ');
    }
    return { headers, thread, partnershipName: partnership?.name ?? '', canReply: replyTo !== undefined };
  }

  const wantsEmail = (c: ConcernRow) =>
    !c.anonymous && c.contactEmail !== null && c.preferredContact === 'email';

  /**
   * The acknowledgement a new concern gets, if its resident gave an email address: returned rather
   * than queued, so the concerns service stores it in the same statement as the concern.
   */
  async function mailForNewConcern(tx: Tx, concern: NewConcernFacts): Promise<OutboxInsert[]> {
    // Open311 clients (FixMyStreet and the like) confirm to their own users.
    if (concern.anonymous || !concern.contactEmail || concern.channel === 'open311') return [];
    const { lang, dir, t } = residentLanguage(concern);
    const reference = formatReference(concern.reference);
    const { headers, partnershipName, canReply } = await residentHeaders(
      tx,
      concern,
      concern.inReplyTo ? [concern.inReplyTo] : [],
      { isNew: true },
    );
    const byEmail = concern.channel === 'email';
    const content: MessageContent = {
      lang,
      dir,
      subject: t(`notifications.subject.${concern.kind}`, { reference }),
      heading: t(`notifications.acknowledgement.heading.${concern.kind}`),
      paragraphs: [
        t('notifications.acknowledgement.thanks', { partnership: partnershipName, reference }),
        t('notifications.acknowledgement.topic', { topic: t(`share.vocab.topic.${concern.topic}`) }),
        t('notifications.acknowledgement.next', { date: formatDate(concern.respondDueAt, lang) }),
        t('notifications.common.danger'),
        t('notifications.common.howToCheck', { reference }),
      ],
      link: { text: t('notifications.common.checkProgress', { reference }), href: progressUrl },
      after: [
        t('notifications.acknowledgement.keep'),
        ...(canReply ? [t('notifications.common.canReply')] : []),
        t('notifications.common.automatic', { partnership: partnershipName }),
      ],
    };
    // RFC 3834: answering someone's email is an auto-reply; anything else automatic is auto-generated.
    return [
      compose(content, {
        partnershipId: concern.partnershipId,
        to: concern.contactEmail,
        headers: { ...headers, 'Auto-Submitted': byEmail ? 'auto-replied' : 'auto-generated' },
        purpose: PURPOSES.acknowledgement,
        concernId: concern.id,
      }),
    ];
  }

  async function tellResident(
    tx: Tx,
    concern: ConcernRow,
    purpose: string,
    build: (
      t: Translate,
      reference: string,
      partnership: string,
    ) => Pick<MessageContent, 'heading' | 'paragraphs' | 'quote'>,
  ) {
    const { lang, dir, t } = residentLanguage(concern);
    const reference = formatReference(concern.reference);
    const { headers, partnershipName, canReply } = await residentHeaders(tx, concern);
    const body = build(t, reference, partnershipName);
    await queue(
      tx,
      {
        lang,
        dir,
        subject: t(`notifications.subject.${concern.kind}`, { reference }),
        ...body,
        paragraphs: [...body.paragraphs],
        link: { text: t('notifications.common.checkProgress', { reference }), href: progressUrl },
        after: [
          t('notifications.common.howToCheck', { reference }),
          ...(canReply ? [t('notifications.common.canReply')] : []),
          t('notifications.common.danger'),
          t('notifications.common.automatic', { partnership: partnershipName }),
        ],
      },
      {
        partnershipId: concern.partnershipId,
        to: concern.contactEmail!,
        headers: { ...headers, 'Auto-Submitted': 'auto-generated' },
        purpose,
        concernId: concern.id,
      },
    );
  }

  /** Staff notices say which concern and what about, with a link; never who raised it or what they said. */
  async function tellStaff(
    tx: Tx,
    concern: ConcernRow,
    to: string,
    purpose: string,
    text: (t: Translate, reference: string, topic: string) => { subject: string; heading: string },
  ) {
    const { lang, dir, t } = staffLanguage();
    const reference = formatReference(concern.reference);
    const topic = t(`share.vocab.topic.${concern.topic}`);
    const partnership = await partnershipFor(tx, concern.partnershipId);
    const prefix = purpose === PURPOSES.assigned ? 'assigned' : 'shared';
    await queue(
      tx,
      {
        lang,
        dir,
        ...text(t, reference, topic),
        paragraphs: [t(`notifications.${prefix}.topic`, { reference, topic })],
        link: { text: t(`notifications.${prefix}.link`, { reference }), href: staffUrl(reference) },
        after: [
          t('notifications.common.staffPrivacy'),
          t('notifications.common.automatic', { partnership: partnership?.name ?? '' }),
        ],
      },
      {
        partnershipId: concern.partnershipId,
        to,
        headers: { 'Auto-Submitted': 'auto-generated' },
        purpose,
        concernId: concern.id,
      },
    );
  }

  async function onConcernEvent(tx: Tx, actor: Actor, event: ConcernEvent): Promise<void> {
    const { concern } = event;
    switch (event.type) {
      case 'publicUpdate':
        if (!wantsEmail(concern)) return;
        return tellResident(tx, concern, PURPOSES.update, (t, reference, partnership) => ({
          heading: t('notifications.update.heading', { reference }),
          paragraphs: [t('notifications.update.intro', { partnership })],
          quote: event.body,
        }));
      case 'statusChanged': {
        if (!wantsEmail(concern) || event.from === event.to) return;
        return tellResident(tx, concern, PURPOSES.status, (t, reference) => {
          // The names residents see on Check progress, not the staff workflow's.
          const status = t(`share.progress.statuses.${event.to}`);
          return {
            heading: t('notifications.status.heading', { reference, status }),
            paragraphs: [
              t('notifications.status.intro', { reference, status }),
              t(`share.progress.statusHelp.${event.to}`),
            ],
          };
        });
      }
      case 'assigned': {
        // Nobody needs an email about something they just did themselves.
        if (event.staffId === actor.staffId) return;
        const person = await notificationsRepository.findStaffContact(tx, event.staffId);
        if (!person?.active) return;
        return tellStaff(tx, concern, person.email, PURPOSES.assigned, (t, reference) => ({
          subject: t('notifications.assigned.subject', { reference }),
          heading: t('notifications.assigned.heading'),
        }));
      }
      case 'shared': {
        // The event carries the concern as it was: re-sharing with the same lead is not news.
        if (event.lead === concern.leadOrganisationId) return;
        const organisation = await notificationsRepository.findOrganisation(tx, event.lead);
        if (!organisation?.inboxEmail) return;
        return tellStaff(tx, concern, organisation.inboxEmail, PURPOSES.shared, (t, reference) => ({
          subject: t('notifications.shared.subject', { reference, organisation: organisation.name }),
          heading: t('notifications.shared.heading', { organisation: organisation.name }),
        }));
      }
    }
  }

  /**
   * Queues today's digest of overdue concerns for each organisation's leads. Safe to call any number
   * of times a day: an organisation's digest is queued once per London day, under a lock so two
   * workers calling at once cannot both queue it. Returns how many messages were queued.
   */
  async function sendOverdueDigests(now: Date = new Date()): Promise<number> {
    const day = londonDay(now);
    const partnerships = await db.system((tx) => tenancyRepository.listPartnerships(tx));
    let queued = 0;
    for (const p of partnerships) {
      queued += await db.tenant(p.id, async (tx) => {
        const { lang, dir, t } = staffLanguage();
        const leads = await notificationsRepository.listLeads(tx);
        const byOrganisation = new Map<string, { name: string; emails: string[] }>();
        for (const l of leads) {
          const entry = byOrganisation.get(l.organisationId) ?? { name: l.organisationName, emails: [] };
          entry.emails.push(l.email);
          byOrganisation.set(l.organisationId, entry);
        }
        let n = 0;
        for (const [organisationId, { name, emails }] of byOrganisation) {
          const purpose = digestPurpose(organisationId, day);
          await outboxRepository.lockPurpose(tx, purpose);
          if (await outboxRepository.existsForPurpose(tx, purpose)) continue;
          const overdue = await notificationsRepository.listOverdueLedBy(tx, organisationId, now);
          if (overdue.length === 0) continue;
          const content: MessageContent = {
            lang,
            dir,
            subject: t('notifications.digest.subject', { count: overdue.length, organisation: name }),
            heading: t('notifications.digest.heading', { organisation: name }),
            paragraphs: [t('notifications.digest.intro', { date: formatDate(now, lang) })],
            items: overdue
              .map((c) => ({
                reference: formatReference(c.reference),
                topic: c.topic,
                // The target that was missed: acknowledging, if nobody has responded and that is past.
                due: !c.firstResponseAt && c.acknowledgeDueAt < now ? c.acknowledgeDueAt : c.respondDueAt,
              }))
              // Longest overdue first.
              .sort((a, b) => a.due.getTime() - b.due.getTime())
              .map((c) => ({
                text: c.reference,
                href: staffUrl(c.reference),
                detail: t('notifications.digest.due', {
                  topic: t(`share.vocab.topic.${c.topic}`),
                  date: formatDate(c.due, lang),
                }),
              })),
            link: {
              text: t('notifications.digest.queue'),
              href: `${config.publicUrl}${paths.staff.concerns.queue({ status: 'open', lead: organisationId, overdue: 'yes' })}`,
            },
            after: [
              t('notifications.digest.why', { organisation: name }),
              t('notifications.common.automatic', { partnership: p.name }),
            ],
          };
          for (const to of emails) {
            await queue(tx, content, {
              partnershipId: p.id,
              to,
              headers: { 'Auto-Submitted': 'auto-generated' },
              purpose,
            });
            n++;
          }
        }
        return n;
      });
    }
    return queued;
  }

  async function loadForStaff(tx: Tx, actor: Actor, reference: string) {
    const found = await findVisibleConcern(tx, actor, reference);
    if (!found) return undefined;
    const { concern, facts } = found;
    const seesContact = canSeeContact(actor, facts);
    const works = canWork(actor, facts);
    const hasEmail = !concern.anonymous && concern.contactEmail !== null;
    // Replying needs both: working the concern, and being allowed the address it goes to.
    return { concern, seesContact, works, hasEmail, mayReply: seesContact && works && hasEmail };
  }

  return {
    onConcernEvent,
    mailForNewConcern,
    sendOverdueDigests,

    /** For the hourly timer: the digest goes out once a day, from DIGEST_HOUR London time. */
    async sendDailyDigests(now: Date = new Date()): Promise<number> {
      return londonHour(now) < DIGEST_HOUR ? 0 : sendOverdueDigests(now);
    },

    /**
     * The email conversation for the concern page, both ways in order, with delivery states. Only for
     * those who may see the person's contact details: the messages carry their address and words.
     */
    async correspondence(actor: Actor, reference: string) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await loadForStaff(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const items = found.seesContact
          ? (await correspondenceRepository.listForConcern(tx, found.concern.id)).map((m) => ({
              ...m,
              delivery:
                m.direction === 'inbound'
                  ? undefined
                  : m.bouncedAt
                    ? ('bounced' as const)
                    : (m.outboxStatus ?? 'pending'),
            }))
          : [];
        return { ok: true as const, visible: found.seesContact, items, mayReply: found.mayReply };
      });
    },

    /**
     * A staff member's reply to the person who raised a concern. Queued with the correspondence row,
     * a concern event and an audit record in one transaction; threaded onto the last email they sent.
     */
    async replyByEmail(actor: Actor, reference: string, body: string): Promise<Outcome> {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await loadForStaff(tx, actor, reference);
        if (!found) return { ok: false, problem: 'notFound' };
        const { concern } = found;
        if (!found.seesContact || !found.works) return { ok: false, problem: 'forbidden' };
        if (!found.hasEmail) return { ok: false, problem: 'noEmail' };
        const { lang, dir, t } = residentLanguage(concern);
        const ref = formatReference(concern.reference);
        const conversation = await correspondenceRepository.threadMessageIds(tx, concern.id);
        const { headers, partnershipName, canReply } = await residentHeaders(
          tx,
          concern,
          conversation.map((m) => m.messageId),
        );
        // Answer the last thing they wrote, when they have written.
        const lastInbound = conversation.filter((m) => m.direction === 'inbound').pop();
        if (lastInbound) headers['In-Reply-To'] = lastInbound.messageId;
        const subject = t('notifications.replySubject', {
          subject: t(`notifications.subject.${concern.kind}`, { reference: ref }),
        });
        const queued = await queue(
          tx,
          {
            lang,
            dir,
            subject,
            heading: t('notifications.reply.heading', { reference: ref }),
            paragraphs: [t('notifications.reply.intro', { partnership: partnershipName })],
            quote: body,
            link: { text: t('notifications.common.checkProgress', { reference: ref }), href: progressUrl },
            after: [
              t('notifications.common.howToCheck', { reference: ref }),
              ...(canReply ? [t('notifications.common.canReply')] : []),
              t('notifications.common.danger'),
            ],
          },
          {
            partnershipId: concern.partnershipId,
            to: concern.contactEmail!,
            headers,
            purpose: PURPOSES.reply,
            concernId: concern.id,
          },
        );
        await correspondenceRepository.insertOutbound(tx, {
          partnershipId: concern.partnershipId,
          concernId: concern.id,
          outboxId: queued.id,
          fromAddress: bareAddress(config.mailFrom),
          toAddress: concern.contactEmail!,
          subject,
          bodyText: body,
          staffId: actor.staffId,
        });
        await concernsRepository.insertEvent(tx, {
          partnershipId: concern.partnershipId,
          concernId: concern.id,
          // 'email_sent' (ours, outbound); 'email_reply' is the resident's reply coming in.
          kind: 'email_sent',
          visibility: 'internal',
          body: null,
          details: { outboxId: queued.id },
          staffId: actor.staffId,
        });
        // A reply to the person is a response, for the response targets.
        await concernsRepository.update(
          tx,
          concern.id,
          concern.firstResponseAt ? {} : { firstResponseAt: new Date() },
        );
        await audit(tx, actor, {
          action: 'concern.email.sent',
          entityType: 'concern',
          entityId: concern.id,
          details: { outboxId: queued.id, messageId: queued.messageId },
        });
        return { ok: true };
      });
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
