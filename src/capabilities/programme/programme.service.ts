import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { createI18n, type I18n } from '../../platform/i18n/index.js';
import { enqueueMail, mailDomain } from '../../platform/mail/mailer.js';
import { outboxRepository } from '../../platform/mail/outbox.repository.js';
import { paths } from '../../platform/paths.js';
import { suppressEach, suppressSeries, type Published } from '../../platform/suppression.js';
import { findVisibleConcern } from '../concerns/concerns.access.js';
import { concernsRepository } from '../concerns/concerns.repository.js';
import { notificationsRepository } from '../notifications/notifications.repository.js';
import { createMailRenderer } from '../notifications/mail-renderer.js';
import { londonDay } from '../notifications/notifications.service.js';
import {
  programmeRepository as repo,
  type ActionRow,
  type MilestoneRow,
  type UpdateRow,
} from './programme.repository.js';
import type { ActionStatus, EvidenceFigure, EvidenceLink, Rag } from './programme.table.js';
import {
  checkProgress,
  countBy,
  isActionOverdue,
  isFinished,
  isMilestoneOverdue,
  nextStatuses,
  type ProgressChange,
  type ProgressProblem,
} from './rules.js';

export type Problem<P extends string> = { ok: false; problem: P };
type Outcome<T = object, P extends string = string> = ({ ok: true } & T) | Problem<P>;

export interface ActionInput {
  priorityId: string;
  title: string;
  description: string;
  leadOrganisationId: string;
  leadStaffId?: string | undefined;
  partnerOrganisationIds: string[];
  areaIds: string[];
  startDate?: string | undefined;
  dueDate?: string | undefined;
  public: boolean;
}

export interface UpdateInput {
  body: string;
  links: EvidenceLink[];
  figures: EvidenceFigure[];
  visibility: 'public' | 'internal';
}

export const MAIL_PURPOSES = {
  update: (updateId: string) => `programme.update:${updateId}`,
  completed: (actionId: string) => `programme.completed:${actionId}`,
};

/** Who gets programme news: people who chose to be contacted by email and gave an address. */
export function wantsProgrammeEmail(r: {
  anonymous: boolean;
  contactEmail: string | null;
  preferredContact: string | null;
}): r is { anonymous: false; contactEmail: string; preferredContact: 'email' } {
  return !r.anonymous && r.contactEmail !== null && r.contactEmail !== '' && r.preferredContact === 'email';
}

type ListedAction = Awaited<ReturnType<typeof repo.listActions>>[number];

/** One line of the meeting pack: the same figures for the page, the CSV and the XLSX. */
export interface PackRow {
  priority: string;
  id: string;
  title: string;
  leadOrganisation: string;
  leadOfficer: string;
  status: ActionStatus;
  progress: number;
  rag: Rag;
  ragReason: string;
  startDate: string;
  dueDate: string;
  overdue: boolean;
  overdueMilestones: { title: string; dueDate: string }[];
  nextMilestone: { title: string; dueDate: string } | null;
  linkedConcerns: number;
}

/**
 * The programme of actions: priorities and the themes that roll up to them, actions with milestones
 * and evidenced updates, links from what residents raised, the public "You said, we did" and
 * closing the loop by email. Services hold the rules; every change is audited in its transaction.
 */
export function createProgrammeService(
  db: Database,
  config: { secret: string; publicUrl: string; mailFrom: string },
  deps: { i18n?: I18n } = {},
) {
  const i18n = deps.i18n ?? createI18n();
  const renderer = createMailRenderer();
  const domain = mailDomain(config.mailFrom);
  const today = () => londonDay(new Date());

  const mayView = (a: Actor) => can(a.roles, 'programme.view');
  const mayManage = (a: Actor) => can(a.roles, 'programme.manage');
  const mayLink = (a: Actor) => can(a.roles, 'programme.link');
  /** Admins, the lead officer, and staff of the lead organisation who may update actions. */
  const mayUpdate = (a: Actor, action: Pick<ActionRow, 'leadStaffId' | 'leadOrganisationId'>) =>
    mayManage(a) ||
    (can(a.roles, 'programme.update') &&
      (action.leadStaffId === a.staffId || action.leadOrganisationId === a.organisationId));

  // --- Unsubscribe tokens: the concern id and a keyed MAC, so links cannot be forged or guessed. ---
  const mac = (concernId: string) =>
    createHmac('sha256', config.secret)
      .update(`programme-unsubscribe:${concernId}`)
      .digest('base64url')
      .slice(0, 32);
  const addressHash = (address: string) =>
    createHmac('sha256', config.secret)
      .update(`programme-address:${address.trim().toLowerCase()}`)
      .digest('hex');
  function unsubscribeToken(concernId: string): string {
    return `${concernId}.${mac(concernId)}`;
  }
  function concernIdFromToken(token: string): string | undefined {
    const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (!m) return undefined;
    const expected = Buffer.from(mac(m[1]!));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : undefined;
  }

  // --- Closing the loop ---------------------------------------------------------------------------

  /**
   * Queues one message per resident (by address) about an action, inside the caller's transaction:
   * for a public update (purpose per update) or the action's completion (once per action).
   */
  async function tellResidents(
    tx: Tx,
    action: ActionRow,
    what: { kind: 'update'; update: UpdateRow } | { kind: 'completed' },
  ): Promise<number> {
    const purpose =
      what.kind === 'update' ? MAIL_PURPOSES.update(what.update.id) : MAIL_PURPOSES.completed(action.id);
    await outboxRepository.lockPurpose(tx, purpose);
    if (await outboxRepository.existsForPurpose(tx, purpose)) return 0;
    const people = (await repo.recipients(tx, action.id)).filter(wantsProgrammeEmail);
    const optedOut = await repo.optedOut(
      tx,
      people.map((p) => addressHash(p.contactEmail!)),
    );
    const partnership = await notificationsRepository.findPartnership(tx, action.partnershipId);
    const partnershipName = partnership?.name ?? '';
    const seen = new Set<string>();
    let sent = 0;
    for (const p of people) {
      const address = p.contactEmail!.trim().toLowerCase();
      if (seen.has(address) || optedOut.has(addressHash(address))) continue;
      seen.add(address);
      const lang = i18n.isSupported(p.language) ? p.language : 'en';
      const t = i18n.translator(lang);
      const unsubscribe = `${config.publicUrl}${paths.youSaidWeDid.unsubscribe(unsubscribeToken(p.concernId))}`;
      const content = {
        lang,
        dir: i18n.direction(lang),
        subject: t(`programme.mail.${what.kind}.subject`, { action: action.title }),
        heading: t(`programme.mail.${what.kind}.heading`),
        paragraphs: [
          t('programme.mail.why', { partnership: partnershipName }),
          t(`programme.mail.${what.kind}.intro`, { action: action.title }),
        ],
        quote: what.kind === 'update' ? what.update.body : undefined,
        link: {
          text: t('programme.mail.link'),
          href: `${config.publicUrl}${paths.youSaidWeDid.page()}#action-${action.id}`,
        },
        items: [
          {
            text: t('programme.mail.unsubscribe'),
            detail: t('programme.mail.unsubscribeDetail'),
            href: unsubscribe,
          },
        ],
        after: [t('programme.mail.automatic', { partnership: partnershipName })],
      } as const;
      const rendered = renderer.render({
        ...content,
        paragraphs: [...content.paragraphs],
        items: [...content.items],
        after: [...content.after],
      });
      await enqueueMail(
        tx,
        {
          partnershipId: action.partnershipId,
          to: address,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          language: lang,
          purpose,
          concernId: p.concernId,
          headers: { 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe': `<${unsubscribe}>` },
        },
        { domain },
      );
      sent += 1;
    }
    return sent;
  }

  // --- Reading ------------------------------------------------------------------------------------

  function decorate(
    rows: ListedAction[],
    milestones: MilestoneRow[],
    links: Map<string, number>,
    day: string,
  ) {
    return rows.map((r) => {
      const own = milestones.filter((m) => m.actionId === r.action.id);
      return {
        ...r.action,
        priorityTitle: r.priorityTitle,
        leadOrganisationName: r.leadOrganisationName,
        leadStaffName: r.leadStaffName,
        overdue: isActionOverdue(r.action, day),
        milestones: own.map((m) => ({ ...m, overdue: isMilestoneOverdue(m, day) })),
        overdueMilestones: own.filter((m) => isMilestoneOverdue(m, day)),
        nextMilestone: own.find((m) => m.doneAt === null) ?? null,
        linkedConcerns: links.get(r.action.id) ?? 0,
      };
    });
  }

  async function listDecorated(tx: Tx, where: Parameters<typeof repo.listActions>[1] = {}) {
    const rows = await repo.listActions(tx, where);
    const milestones = await repo.listMilestones(
      tx,
      rows.map((r) => r.action.id),
    );
    return decorate(rows, milestones, await repo.linkCounts(tx), today());
  }

  async function overview(actor: Actor) {
    if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
    return db.tenant(actor.partnershipId, async (tx) => {
      const priorities = await repo.listPriorities(tx);
      const actions = await listDecorated(tx);
      return {
        ok: true as const,
        priorities: priorities.map((p) => ({ ...p, actions: actions.filter((a) => a.priorityId === p.id) })),
        may: { manage: mayManage(actor) },
      };
    });
  }

  return {
    unsubscribeToken,
    addressHash,

    overview,

    /** Priorities with their themes and how many concerns carry each theme (staff only: no suppression). */
    async priorities(actor: Actor) {
      if (!mayView(actor)) return [];
      return db.tenant(actor.partnershipId, async (tx) => {
        const themes = await repo.listThemes(tx);
        const counts = await repo.themeCounts(tx);
        return (await repo.listPriorities(tx)).map((p) => ({
          id: p.id,
          title: p.title,
          publicSummary: p.publicSummary,
          themes: themes
            .filter((t) => t.priorityId === p.id)
            .map((t) => ({ id: t.id, name: t.name, retired: t.retired, concerns: counts.get(t.id) ?? 0 })),
        }));
      });
    },

    /** The meeting pack: one row per action, in priority order. */
    async pack(actor: Actor): Promise<Outcome<{ rows: PackRow[]; generatedOn: string }, 'forbidden'>> {
      if (!mayView(actor)) return { ok: false, problem: 'forbidden' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const actions = await listDecorated(tx);
        return {
          ok: true,
          generatedOn: today(),
          rows: actions.map((a) => ({
            priority: a.priorityTitle,
            id: a.id,
            title: a.title,
            leadOrganisation: a.leadOrganisationName,
            leadOfficer: a.leadStaffName ?? '',
            status: a.status,
            progress: a.progress,
            rag: a.rag,
            ragReason: a.ragReason ?? '',
            startDate: a.startDate ?? '',
            dueDate: a.dueDate ?? '',
            overdue: a.overdue,
            overdueMilestones: a.overdueMilestones.map((m) => ({ title: m.title, dueDate: m.dueDate })),
            nextMilestone: a.nextMilestone
              ? { title: a.nextMilestone.title, dueDate: a.nextMilestone.dueDate }
              : null,
            linkedConcerns: a.linkedConcerns,
          })),
        };
      });
    },

    /** Actions I lead, my organisation leads, or my organisation is a partner in. */
    async mine(actor: Actor) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const all = await listDecorated(tx);
        const led = all.filter((a) => a.leadStaffId === actor.staffId);
        const organisation = all.filter(
          (a) =>
            a.leadStaffId !== actor.staffId &&
            actor.organisationId !== null &&
            (a.leadOrganisationId === actor.organisationId ||
              a.partnerOrganisationIds.includes(actor.organisationId)),
        );
        return { ok: true as const, led, organisation };
      });
    },

    async overdueMilestones(actor: Actor) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const all = await listDecorated(tx);
        const items = all
          .filter((a) => !isFinished(a.status))
          .flatMap((a) => a.overdueMilestones.map((m) => ({ milestone: m, action: a })))
          .sort((x, y) => x.milestone.dueDate.localeCompare(y.milestone.dueDate));
        return { ok: true as const, items, today: today() };
      });
    },

    async byOrganisation(actor: Actor) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const all = await listDecorated(tx);
        const orgs = await repo.listOrganisations(tx);
        return {
          ok: true as const,
          organisations: orgs
            .map((o) => ({
              ...o,
              leading: all.filter((a) => a.leadOrganisationId === o.id),
              partnering: all.filter((a) => a.partnerOrganisationIds.includes(o.id)),
            }))
            .filter((o) => o.leading.length + o.partnering.length > 0),
        };
      });
    },

    /** One action with everything that shaped it, for its page and the API. */
    async action(actor: Actor, id: string) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      if (!isUuid(id)) return { ok: false as const, problem: 'notFound' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await repo.findAction(tx, id);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const [decorated] = decorate(
          [found],
          await repo.listMilestones(tx, [id]),
          await repo.linkCounts(tx),
          today(),
        );
        const linked = await repo.linkedConcerns(tx, id);
        const orgs = await repo.listOrganisations(tx);
        const areaList = await repo.listAreas(tx);
        const a = found.action;
        return {
          ok: true as const,
          action: decorated!,
          partners: orgs.filter((o) => a.partnerOrganisationIds.includes(o.id)),
          areas: areaList.filter((x) => a.areaIds.includes(x.id)),
          updates: await repo.listUpdates(tx, [id]),
          linked,
          byTheme: countBy(
            linked.flatMap((l) => l.themes),
            (x) => x,
          ),
          byArea: countBy(linked, (l) => l.areaName),
          untagged: linked.filter((l) => l.themes.length === 0).length,
          noArea: linked.filter((l) => l.areaName === null).length,
          nextStatuses: nextStatuses(a.status, mayManage(actor)),
          may: {
            update: mayUpdate(actor, a),
            manage: mayManage(actor),
            link: mayLink(actor),
            seeConcerns: can(actor.roles, 'concerns.viewAll'),
          },
        };
      });
    },

    /** What a form needs: priorities, organisations, staff, areas. */
    async choices(actor: Actor) {
      return db.tenant(actor.partnershipId, async (tx) => ({
        priorities: await repo.listPriorities(tx),
        organisations: await repo.listOrganisations(tx),
        staff: await repo.listStaff(tx),
        areas: await repo.listAreas(tx),
        themes: await repo.listThemes(tx),
      }));
    },

    // --- Changing actions -------------------------------------------------------------------------

    async createAction(
      actor: Actor,
      input: ActionInput,
    ): Promise<Outcome<{ id: string }, 'forbidden' | 'invalidChoice' | 'datesOutOfOrder'>> {
      if (!mayManage(actor)) return { ok: false, problem: 'forbidden' };
      if (input.startDate && input.dueDate && input.dueDate < input.startDate)
        return { ok: false, problem: 'datesOutOfOrder' };
      return db.tenant(actor.partnershipId, async (tx) => {
        if (!(await validChoices(tx, input)))
          return { ok: false as const, problem: 'invalidChoice' as const };
        const created = await repo.insertAction(tx, {
          partnershipId: actor.partnershipId,
          ...actionValues(input),
        });
        await audit(tx, actor, {
          action: 'programme.action.created',
          entityType: 'programme_action',
          entityId: created.id,
          details: { title: input.title },
        });
        return { ok: true as const, id: created.id };
      });
    },

    async editAction(
      actor: Actor,
      id: string,
      input: ActionInput,
    ): Promise<Outcome<object, 'forbidden' | 'notFound' | 'invalidChoice' | 'datesOutOfOrder'>> {
      if (!mayManage(actor)) return { ok: false, problem: 'forbidden' };
      if (!isUuid(id)) return { ok: false, problem: 'notFound' };
      if (input.startDate && input.dueDate && input.dueDate < input.startDate)
        return { ok: false, problem: 'datesOutOfOrder' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const current = await repo.lockAction(tx, id);
        if (!current) return { ok: false as const, problem: 'notFound' as const };
        if (!(await validChoices(tx, input)))
          return { ok: false as const, problem: 'invalidChoice' as const };
        await repo.updateAction(tx, id, actionValues(input));
        await audit(tx, actor, {
          action: 'programme.action.edited',
          entityType: 'programme_action',
          entityId: id,
          details: { title: input.title },
        });
        return { ok: true as const };
      });
    },

    async setProgress(
      actor: Actor,
      id: string,
      change: ProgressChange,
    ): Promise<Outcome<object, 'forbidden' | 'notFound' | ProgressProblem>> {
      if (!isUuid(id)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const current = await repo.lockAction(tx, id);
        if (!current || !mayView(actor)) return { ok: false as const, problem: 'notFound' as const };
        if (!mayUpdate(actor, current)) return { ok: false as const, problem: 'forbidden' as const };
        const checked = checkProgress(current, change, mayManage(actor));
        if (!checked.ok) return checked;
        const v = checked.value;
        const completing = v.status === 'done' && current.status !== 'done';
        await repo.updateAction(tx, id, {
          ...v,
          completedAt: v.status === 'done' ? (current.completedAt ?? new Date()) : null,
        });
        await audit(tx, actor, {
          action: 'programme.action.progress',
          entityType: 'programme_action',
          entityId: id,
          details: { from: { status: current.status, progress: current.progress, rag: current.rag }, to: v },
        });
        if (completing && current.public)
          await tellResidents(tx, { ...current, ...v }, { kind: 'completed' });
        return { ok: true as const };
      });
    },

    async addUpdate(
      actor: Actor,
      id: string,
      input: UpdateInput,
    ): Promise<Outcome<{ updateId: string; told: number }, 'forbidden' | 'notFound' | 'actionNotPublic'>> {
      if (!isUuid(id)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const current = await repo.lockAction(tx, id);
        if (!current || !mayView(actor)) return { ok: false as const, problem: 'notFound' as const };
        if (!mayUpdate(actor, current)) return { ok: false as const, problem: 'forbidden' as const };
        if (input.visibility === 'public' && !current.public)
          return { ok: false as const, problem: 'actionNotPublic' as const };
        const update = await repo.insertUpdate(tx, {
          partnershipId: actor.partnershipId,
          actionId: id,
          body: input.body,
          links: input.links,
          figures: input.figures,
          visibility: input.visibility,
          staffId: actor.staffId,
        });
        await repo.updateAction(tx, id, {});
        await audit(tx, actor, {
          action: 'programme.update.added',
          entityType: 'programme_action',
          entityId: id,
          details: { updateId: update.id, visibility: input.visibility },
        });
        const told =
          input.visibility === 'public' ? await tellResidents(tx, current, { kind: 'update', update }) : 0;
        return { ok: true as const, updateId: update.id, told };
      });
    },

    async addMilestone(
      actor: Actor,
      id: string,
      input: { title: string; dueDate: string },
    ): Promise<Outcome<object, 'forbidden' | 'notFound'>> {
      if (!isUuid(id)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const current = await repo.lockAction(tx, id);
        if (!current || !mayView(actor)) return { ok: false as const, problem: 'notFound' as const };
        if (!mayUpdate(actor, current)) return { ok: false as const, problem: 'forbidden' as const };
        const m = await repo.insertMilestone(tx, {
          partnershipId: actor.partnershipId,
          actionId: id,
          ...input,
        });
        await audit(tx, actor, {
          action: 'programme.milestone.added',
          entityType: 'programme_action',
          entityId: id,
          details: { milestoneId: m.id, ...input },
        });
        return { ok: true as const };
      });
    },

    async completeMilestone(
      actor: Actor,
      id: string,
      milestoneId: string,
    ): Promise<Outcome<object, 'forbidden' | 'notFound'>> {
      if (!isUuid(id) || !isUuid(milestoneId)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const current = await repo.lockAction(tx, id);
        if (!current || !mayView(actor)) return { ok: false as const, problem: 'notFound' as const };
        if (!mayUpdate(actor, current)) return { ok: false as const, problem: 'forbidden' as const };
        // Already done is fine: a double submit changes nothing.
        if (await repo.completeMilestone(tx, id, milestoneId, new Date()))
          await audit(tx, actor, {
            action: 'programme.milestone.done',
            entityType: 'programme_action',
            entityId: id,
            details: { milestoneId },
          });
        return { ok: true as const };
      });
    },

    // --- Linking what people raised ---------------------------------------------------------------

    async link(
      actor: Actor,
      actionId: string,
      reference: string,
    ): Promise<Outcome<{ linked: boolean }, 'forbidden' | 'notFound' | 'concernNotFound'>> {
      if (!mayLink(actor)) return { ok: false, problem: 'forbidden' };
      if (!isUuid(actionId)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        if (!(await repo.findAction(tx, actionId)))
          return { ok: false as const, problem: 'notFound' as const };
        const visible = await findVisibleConcern(tx, actor, reference);
        if (!visible) return { ok: false as const, problem: 'concernNotFound' as const };
        const linked = await repo.link(tx, {
          partnershipId: actor.partnershipId,
          actionId,
          concernId: visible.concern.id,
          staffId: actor.staffId,
        });
        if (linked)
          await audit(tx, actor, {
            action: 'programme.concern.linked',
            entityType: 'concern',
            entityId: visible.concern.id,
            details: { actionId },
          });
        return { ok: true as const, linked };
      });
    },

    async unlink(
      actor: Actor,
      actionId: string,
      reference: string,
    ): Promise<Outcome<object, 'forbidden' | 'notFound' | 'concernNotFound'>> {
      if (!mayLink(actor)) return { ok: false, problem: 'forbidden' };
      if (!isUuid(actionId)) return { ok: false, problem: 'notFound' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const visible = await findVisibleConcern(tx, actor, reference);
        if (!visible) return { ok: false as const, problem: 'concernNotFound' as const };
        if (await repo.unlink(tx, actionId, visible.concern.id))
          await audit(tx, actor, {
            action: 'programme.concern.unlinked',
            entityType: 'concern',
            entityId: visible.concern.id,
            details: { actionId },
          });
        return { ok: true as const };
      });
    },

    /** The programme panel on the staff concern page: its themes and the actions it shaped. */
    async concernPanel(actor: Actor, reference: string) {
      if (!mayView(actor)) return undefined;
      return db.tenant(actor.partnershipId, async (tx) => {
        const visible = await findVisibleConcern(tx, actor, reference);
        if (!visible) return undefined;
        const tagged = new Set(await repo.themeIdsForConcern(tx, visible.concern.id));
        const themes = (await repo.listThemes(tx)).filter((t) => !t.retired || tagged.has(t.id));
        const actions = await repo.actionsForConcern(tx, visible.concern.id);
        const linkedIds = new Set(actions.map((a) => a.id));
        const all = await repo.listActions(tx);
        return {
          themes: themes.map((t) => ({ id: t.id, name: t.name, checked: tagged.has(t.id) })),
          actions,
          linkable: all
            .filter((a) => !linkedIds.has(a.action.id))
            .map((a) => ({ id: a.action.id, title: a.action.title, priority: a.priorityTitle })),
          may: { tag: mayLink(actor) },
        };
      });
    },

    /** Sets a concern's themes to exactly this list (idempotent: a double submit changes nothing). */
    async tagConcern(
      actor: Actor,
      reference: string,
      themeIds: string[],
    ): Promise<Outcome<object, 'forbidden' | 'notFound' | 'invalidChoice'>> {
      if (!mayLink(actor)) return { ok: false, problem: 'forbidden' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const visible = await findVisibleConcern(tx, actor, reference);
        if (!visible) return { ok: false as const, problem: 'notFound' as const };
        const known = new Set((await repo.listThemes(tx)).map((t) => t.id));
        const wanted = [...new Set(themeIds)];
        if (wanted.some((id) => !known.has(id)))
          return { ok: false as const, problem: 'invalidChoice' as const };
        const current = await repo.themeIdsForConcern(tx, visible.concern.id);
        const added = wanted.filter((id) => !current.includes(id));
        const removed = current.filter((id) => !wanted.includes(id));
        if (added.length + removed.length === 0) return { ok: true as const };
        await repo.addConcernThemes(
          tx,
          added.map((themeId) => ({
            partnershipId: actor.partnershipId,
            concernId: visible.concern.id,
            themeId,
            staffId: actor.staffId,
          })),
        );
        await repo.removeConcernThemes(tx, visible.concern.id, removed);
        await audit(tx, actor, {
          action: 'concern.themes',
          entityType: 'concern',
          entityId: visible.concern.id,
          details: { added, removed },
        });
        return { ok: true as const };
      });
    },

    // --- Themes and priorities (admin) ------------------------------------------------------------

    async themesPage(actor: Actor) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const priorities = await repo.listPriorities(tx);
        const themes = await repo.listThemes(tx);
        const counts = await repo.themeCounts(tx);
        return {
          ok: true as const,
          priorities: priorities.map((p) => ({
            ...p,
            themes: themes
              .filter((t) => t.priorityId === p.id)
              .map((t) => ({ ...t, count: counts.get(t.id) ?? 0 })),
          })),
        };
      });
    },

    async savePriority(
      actor: Actor,
      id: string | undefined,
      input: { title: string; publicSummary?: string | undefined; position: number },
    ): Promise<Outcome<{ id: string }, 'forbidden' | 'notFound' | 'duplicateName'>> {
      if (!mayManage(actor)) return { ok: false, problem: 'forbidden' };
      return db.tenant(actor.partnershipId, async (tx) => {
        const values = {
          title: input.title,
          publicSummary: input.publicSummary ?? null,
          position: input.position,
        };
        const clash = (await repo.listPriorities(tx)).find(
          (p) => p.title.toLowerCase() === input.title.toLowerCase() && p.id !== id,
        );
        if (clash) return { ok: false as const, problem: 'duplicateName' as const };
        let savedId = id;
        if (id) {
          if (!isUuid(id) || !(await repo.findPriority(tx, id)))
            return { ok: false as const, problem: 'notFound' as const };
          await repo.updatePriority(tx, id, values);
        } else {
          const created = await repo.insertPriority(tx, { partnershipId: actor.partnershipId, ...values });
          if (!created) return { ok: false as const, problem: 'duplicateName' as const };
          savedId = created.id;
        }
        await audit(tx, actor, {
          action: id ? 'programme.priority.edited' : 'programme.priority.created',
          entityType: 'programme_priority',
          entityId: savedId!,
          details: values,
        });
        return { ok: true as const, id: savedId! };
      });
    },

    async saveTheme(
      actor: Actor,
      id: string | undefined,
      input: { name: string; priorityId: string; publicSummary?: string | undefined; retired: boolean },
    ): Promise<Outcome<{ id: string }, 'forbidden' | 'notFound' | 'duplicateName' | 'invalidChoice'>> {
      if (!mayManage(actor)) return { ok: false, problem: 'forbidden' };
      return db.tenant(actor.partnershipId, async (tx) => {
        if (!isUuid(input.priorityId) || !(await repo.findPriority(tx, input.priorityId)))
          return { ok: false as const, problem: 'invalidChoice' as const };
        const clash = (await repo.listThemes(tx)).find(
          (t) => t.name.toLowerCase() === input.name.toLowerCase() && t.id !== id,
        );
        if (clash) return { ok: false as const, problem: 'duplicateName' as const };
        const values = {
          name: input.name,
          priorityId: input.priorityId,
          publicSummary: input.publicSummary ?? null,
          retired: input.retired,
        };
        let savedId = id;
        if (id) {
          if (!isUuid(id) || !(await repo.findTheme(tx, id)))
            return { ok: false as const, problem: 'notFound' as const };
          await repo.updateTheme(tx, id, values);
        } else {
          const created = await repo.insertTheme(tx, { partnershipId: actor.partnershipId, ...values });
          if (!created) return { ok: false as const, problem: 'duplicateName' as const };
          savedId = created.id;
        }
        await audit(tx, actor, {
          action: id ? 'programme.theme.edited' : 'programme.theme.created',
          entityType: 'programme_theme',
          entityId: savedId!,
          details: values,
        });
        return { ok: true as const, id: savedId! };
      });
    },

    // --- Public: You said, we did -----------------------------------------------------------------

    /**
     * What residents see: for each priority and its themes, staff-approved summaries and counts with
     * small numbers suppressed; the public actions with their public updates, newest first.
     */
    async publicPage(partnershipId: string, areaId?: string) {
      return db.tenant(partnershipId, async (tx) => {
        const areaList = await repo.listAreas(tx);
        const area = areaId ? areaList.find((a) => a.id === areaId) : undefined;
        const inArea = area?.id;
        const priorities = await repo.listPriorities(tx);
        const themes = (await repo.listThemes(tx)).filter((t) => !t.retired);
        const themeCounts = await repo.themeCounts(tx, inArea);
        const linkCounts = await repo.linkCounts(tx, inArea);
        const actions = (await listDecorated(tx)).filter(
          (a) =>
            a.public &&
            (!inArea ||
              a.areaIds.length === 0 ||
              a.areaIds.includes(inArea) ||
              (linkCounts.get(a.id) ?? 0) > 0),
        );
        const updates = await repo.listUpdates(
          tx,
          actions.map((a) => a.id),
          true,
        );
        const shaped = suppressEach(actions.map((a) => linkCounts.get(a.id) ?? 0));
        const publicActions = actions.map((a, i) => ({
          id: a.id,
          priorityId: a.priorityId,
          title: a.title,
          description: a.description,
          status: a.status,
          statusReason: a.status === 'dropped' ? a.statusReason : null,
          progress: a.progress,
          leadOrganisationName: a.leadOrganisationName,
          dueDate: a.dueDate,
          completedAt: a.completedAt,
          shapedBy: shaped[i]!,
          updates: updates
            .filter((u) => u.actionId === a.id)
            .map((u) => ({
              id: u.id,
              body: u.body,
              links: u.links,
              figures: u.figures,
              createdAt: u.createdAt,
            })),
          lastChanged: [
            a.updatedAt,
            ...updates.filter((u) => u.actionId === a.id).map((u) => u.createdAt),
          ].sort((x, y) => y.getTime() - x.getTime())[0]!,
        }));
        return {
          area: area ?? null,
          areas: areaList,
          priorities: priorities.map((p) => {
            const own = themes.filter((t) => t.priorityId === p.id);
            // Each priority's themes are published as one series, so no small theme count can be
            // worked out from the others and the priority's total.
            const series = suppressSeries(own.map((t) => themeCounts.get(t.id) ?? 0));
            const priorityActions = publicActions
              .filter((a) => a.priorityId === p.id)
              .sort((x, y) => y.lastChanged.getTime() - x.lastChanged.getTime());
            return {
              id: p.id,
              title: p.title,
              publicSummary: p.publicSummary,
              // The series total: a concern matched to two themes counts under each, as in the table.
              heard: series.total,
              themes: own.map((t, i) => ({
                id: t.id,
                name: t.name,
                publicSummary: t.publicSummary,
                count: series.cells[i]!,
              })),
              actions: priorityActions,
            };
          }),
        };
      });
    },

    /** The Atom feed's entries: public updates and completions, newest first. */
    async feed(partnershipId: string) {
      return db.tenant(partnershipId, async (tx) => {
        const actions = (await repo.listActions(tx)).filter((r) => r.action.public);
        const updates = await repo.listUpdates(
          tx,
          actions.map((a) => a.action.id),
          true,
        );
        const byId = new Map(actions.map((a) => [a.action.id, a]));
        const entries = [
          ...updates.map((u) => ({
            id: `update:${u.id}`,
            kind: 'update' as const,
            actionId: u.actionId,
            actionTitle: byId.get(u.actionId)!.action.title,
            body: u.body,
            at: u.createdAt,
          })),
          ...actions
            .filter((a) => a.action.completedAt)
            .map((a) => ({
              id: `completed:${a.action.id}`,
              kind: 'completed' as const,
              actionId: a.action.id,
              actionTitle: a.action.title,
              body: a.action.description,
              at: a.action.completedAt!,
            })),
        ].sort((x, y) => y.at.getTime() - x.at.getTime());
        return entries.slice(0, 50);
      });
    },

    /** Whether an unsubscribe link is genuine (for the confirm page). */
    async checkUnsubscribe(partnershipId: string, token: string): Promise<boolean> {
      const concernId = concernIdFromToken(token);
      if (!concernId) return false;
      return db.tenant(partnershipId, async (tx) => {
        const c = await concernsRepository.findById(tx, concernId);
        return c !== undefined && c.contactEmail !== null;
      });
    },

    /** Records the opt-out for the address the concern gave; repeating it is harmless. */
    async unsubscribe(
      partnershipId: string,
      token: string,
      correlationId: string,
    ): Promise<Outcome<object, 'invalidToken'>> {
      const concernId = concernIdFromToken(token);
      if (!concernId) return { ok: false, problem: 'invalidToken' };
      return db.tenant(partnershipId, async (tx) => {
        const c = await concernsRepository.findById(tx, concernId);
        if (!c || !c.contactEmail) return { ok: false as const, problem: 'invalidToken' as const };
        await repo.optOut(tx, partnershipId, addressHash(c.contactEmail));
        await audit(
          tx,
          { partnershipId, staffId: null, organisationId: null, roles: [], label: 'resident', correlationId },
          { action: 'programme.unsubscribed', entityType: 'concern', entityId: c.id },
        );
        return { ok: true as const };
      });
    },
  };

  async function validChoices(tx: Tx, input: ActionInput): Promise<boolean> {
    const ids = [
      input.priorityId,
      input.leadOrganisationId,
      ...(input.leadStaffId ? [input.leadStaffId] : []),
      ...input.partnerOrganisationIds,
      ...input.areaIds,
    ];
    if (!ids.every(isUuid)) return false;
    if (!(await repo.findPriority(tx, input.priorityId))) return false;
    const orgs = new Set((await repo.listOrganisations(tx)).map((o) => o.id));
    if (!orgs.has(input.leadOrganisationId) || !input.partnerOrganisationIds.every((o) => orgs.has(o)))
      return false;
    if (input.leadStaffId && !(await repo.listStaff(tx)).some((s) => s.id === input.leadStaffId))
      return false;
    const areaIds = new Set((await repo.listAreas(tx)).map((a) => a.id));
    return input.areaIds.every((a) => areaIds.has(a));
  }
}

function actionValues(input: ActionInput) {
  return {
    priorityId: input.priorityId,
    title: input.title,
    description: input.description,
    leadOrganisationId: input.leadOrganisationId,
    leadStaffId: input.leadStaffId ?? null,
    // The lead is not also a partner.
    partnerOrganisationIds: [...new Set(input.partnerOrganisationIds)].filter(
      (o) => o !== input.leadOrganisationId,
    ),
    areaIds: [...new Set(input.areaIds)],
    startDate: input.startDate ?? null,
    dueDate: input.dueDate ?? null,
    public: input.public,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

export type ProgrammeService = ReturnType<typeof createProgrammeService>;
export type { Published };
