import type { Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { suppressTable } from '../../platform/suppression.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import type { QueueFilters, QueueSort } from '../concerns/concerns.repository.js';
import { isOverdue } from '../concerns/targets.js';
import { TOPICS } from '../concerns/vocabulary.js';
import { categoriesOf, dashboardFigures, equalityFigures, QUESTIONS, type Question } from './dashboard.js';
import { periods, type Cell, type Figure } from './figures.js';
import { insightRepository, type InsightFilters } from './insight.repository.js';
import { rollupRepository } from './rollup.repository.js';
import { TOPIC_GROUP_KEYS } from './topic-groups.js';
import type { EqualityPanel, InsightPanel } from './panels.js';

type Problem<P extends string> = { ok: false; problem: P };

/** How many rows a queue export may hold: enough for any working list, bounded for memory. */
export const QUEUE_EXPORT_LIMIT = 10_000;

/** Changed days rolled up per transaction: a month of days is a second or two at a million concerns. */
export const ROLLUP_BATCH_DAYS = 31;

export interface PopulationInput {
  characteristic: Question;
  source: string;
  figures: Record<string, number | undefined>;
}

export interface OpenDataRow {
  month: string;
  area: string | null;
  topic: string;
  count: Cell;
}

/** A panel is shown to those holding its permission who also pass its own rule, if it has one. */
async function mayView(tx: Tx, actor: Actor, panel: InsightPanel): Promise<boolean> {
  return can(actor.roles, panel.permission) && (!panel.visible || (await panel.visible(tx, actor)));
}

export function createInsightService(
  db: Database,
  options: { panels?: InsightPanel[]; equalityPanels?: EqualityPanel[] } = {},
) {
  const panels = options.panels ?? [];
  const equalityPanels = options.equalityPanels ?? [];

  async function dashboardIn(actor: Actor, filters: InsightFilters, now: Date) {
    return db.tenant(actor.partnershipId, async (tx) => {
      const [areas, organisations] = [
        await tenancyRepository.listAreas(tx),
        await tenancyRepository.listOrganisations(tx),
      ];
      const { counts, open, responses } = await rollupRepository.dashboard(
        tx,
        actor.partnershipId,
        filters,
        now,
      );
      const figures = dashboardFigures(counts, open, responses, {
        periods: periods(filters.from, filters.to, filters.interval),
        areas,
        organisations,
      });
      for (const panel of panels) {
        if (await mayView(tx, actor, panel))
          figures.push(...(await panel.figures(tx, { actor, filters, now })));
      }
      return { figures, areas, organisations };
    });
  }

  /**
   * Brings the dashboard's daily rollup up to date for one partnership, a batch of changed days at a
   * time (each batch its own transaction, so a first refresh of years of concerns never holds one
   * long transaction). The dashboard is exact without it, only slower the more days have changed.
   */
  async function refreshRollup(partnershipId: string, now: Date = new Date()): Promise<{ days: number }> {
    let days = 0;
    for (;;) {
      const batch = await db.tenant(partnershipId, (tx) =>
        rollupRepository.refresh(tx, partnershipId, now, ROLLUP_BATCH_DAYS),
      );
      days += batch.days;
      if (!batch.remaining) return { days };
    }
  }

  async function equalityIn(actor: Actor, filters: InsightFilters, now: Date) {
    return db.tenant(actor.partnershipId, async (tx) => {
      const answers = await insightRepository.equalityAnswers(tx, actor.partnershipId, filters);
      const total = await insightRepository.countInRange(tx, actor.partnershipId, filters);
      const population = await insightRepository.listPopulation(tx);
      const figures = equalityFigures(answers, total, population);
      for (const panel of equalityPanels) {
        if (await mayView(tx, actor, panel))
          figures.push(...(await panel.figures(tx, { actor, filters, now })));
      }
      // Aggregate special category data is still special category data: every view is recorded.
      await audit(tx, actor, {
        action: 'insight.equality.viewed',
        entityType: 'insight',
        details: { filters },
      });
      return figures;
    });
  }

  return {
    panels,

    async dashboard(
      actor: Actor,
      filters: InsightFilters,
      now: Date = new Date(),
    ): Promise<{ ok: true; figures: Figure[] } | Problem<'forbidden'>> {
      if (!can(actor.roles, 'insight.view')) return { ok: false, problem: 'forbidden' };
      const { figures } = await dashboardIn(actor, filters, now);
      return { ok: true, figures };
    },

    async equality(
      actor: Actor,
      filters: InsightFilters,
      now: Date = new Date(),
    ): Promise<{ ok: true; figures: Figure[] } | Problem<'forbidden'>> {
      if (!can(actor.roles, 'insight.equality')) return { ok: false, problem: 'forbidden' };
      return { ok: true, figures: await equalityIn(actor, filters, now) };
    },

    /** Areas, topics and organisations for the filter form. */
    async choices(actor: Actor) {
      return db.tenant(actor.partnershipId, async (tx) => ({
        areas: await tenancyRepository.listAreas(tx),
        organisations: await tenancyRepository.listOrganisations(tx),
        topics: TOPICS,
        topicGroups: TOPIC_GROUP_KEYS,
      }));
    },

    refreshRollup,

    /** The same for every partnership: what the server runs every minute. */
    async refreshRollups(now: Date = new Date()): Promise<{ days: number }> {
      const partnerships = await db.system((tx) => tenancyRepository.listPartnerships(tx));
      let days = 0;
      for (const p of partnerships) days += (await refreshRollup(p.id, now)).days;
      return { days };
    },

    /**
     * One figure of the dashboard or of equality monitoring, for download, with the download itself
     * audited (who, which figure, which filters). The figure is the very one the page shows.
     */
    async exportFigure(
      actor: Actor,
      filters: InsightFilters,
      figureId: string,
      format: 'csv' | 'xlsx',
      now: Date = new Date(),
    ): Promise<{ ok: true; figure: Figure } | Problem<'forbidden' | 'notFound'>> {
      if (!can(actor.roles, 'insight.export')) return { ok: false, problem: 'forbidden' };
      const equality = figureId.startsWith('equality-');
      if (equality && !can(actor.roles, 'insight.equality')) return { ok: false, problem: 'forbidden' };
      const figures = equality
        ? await equalityIn(actor, filters, now)
        : (await dashboardIn(actor, filters, now)).figures;
      const figure = figures.find((f) => f.id === figureId);
      if (!figure) return { ok: false, problem: 'notFound' };
      await db.tenant(actor.partnershipId, (tx) =>
        audit(tx, actor, {
          action: 'insight.exported',
          entityType: 'insight',
          details: { figure: figureId, format, filters },
        }),
      );
      return { ok: true, figure };
    },

    /**
     * The triage queue as filtered, for download. Only roles that see every concern may export it:
     * it holds descriptions, which may name people. Contact details are never exported.
     */
    async exportQueue(
      actor: Actor,
      filters: Omit<QueueFilters, 'sharedWithOrganisationId'>,
      sort: QueueSort,
      format: 'csv' | 'xlsx',
      now: Date = new Date(),
    ) {
      if (!can(actor.roles, 'concerns.export') || !can(actor.roles, 'concerns.viewAll'))
        return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const rows = await insightRepository.queueRows(
          tx,
          actor.partnershipId,
          filters,
          sort,
          QUEUE_EXPORT_LIMIT,
          now,
        );
        await audit(tx, actor, {
          action: 'concerns.exported',
          entityType: 'concern',
          details: { filters, sort, format, rows: rows.length, references: rows.map((r) => r.reference) },
        });
        return {
          ok: true as const,
          rows: rows.map((r) => ({ ...r, overdue: isOverdue(r, now) })),
          truncated: rows.length >= QUEUE_EXPORT_LIMIT,
        };
      });
    },

    async population(actor: Actor) {
      if (!can(actor.roles, 'insight.population'))
        return { ok: false as const, problem: 'forbidden' as const };
      const rows = await db.tenant(actor.partnershipId, (tx) => insightRepository.listPopulation(tx));
      return { ok: true as const, rows };
    },

    /** Saves one characteristic's figures in one transaction; blank categories are removed. */
    async savePopulation(actor: Actor, input: PopulationInput) {
      if (!can(actor.roles, 'insight.population'))
        return { ok: false as const, problem: 'forbidden' as const };
      if (!QUESTIONS.includes(input.characteristic))
        return { ok: false as const, problem: 'unknown' as const };
      const figures = categoriesOf(input.characteristic)
        .filter((c) => input.figures[c] !== undefined)
        .map((category) => ({ category, people: input.figures[category]! }));
      await db.tenant(actor.partnershipId, async (tx) => {
        await insightRepository.replacePopulation(
          tx,
          actor.partnershipId,
          input.characteristic,
          figures,
          input.source,
        );
        await audit(tx, actor, {
          action: 'insight.population.saved',
          entityType: 'insight_population',
          entityId: input.characteristic,
          details: {
            source: input.source,
            figures: Object.fromEntries(figures.map((f) => [f.category, f.people])),
          },
        });
      });
      return { ok: true as const };
    },

    /**
     * Open data: counts of concerns and suggestions by month, area group (former district) and topic,
     * for the last 24 whole months. Private concerns are left out; every month is suppressed as one
     * table (area groups by topics), so no small count can be worked out from the month's totals.
     * Wards are not published: at ward level almost every cell would be a small number, and a ward
     * with a topic and a month can point at one household.
     */
    async openData(
      partnershipId: string,
      now: Date = new Date(),
    ): Promise<{ months: string[]; rows: OpenDataRow[] }> {
      const thisMonth = `${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(now)}-01`;
      const start = new Date(`${thisMonth}T12:00:00Z`);
      start.setUTCMonth(start.getUTCMonth() - 24);
      const fromMonth = start.toISOString().slice(0, 10);
      return db.tenant(partnershipId, async (tx) => {
        const areas = await tenancyRepository.listAreas(tx);
        const raw = await insightRepository.openData(tx, partnershipId, fromMonth, thisMonth);
        const groups: (string | null)[] = [...new Set(areas.map((a) => a.groupName)), null];
        const months = periods(fromMonth, thisMonth, 'month')
          .filter((m) => m < thisMonth)
          .map((m) => m.slice(0, 7));
        const rows: OpenDataRow[] = [];
        for (const month of months) {
          const counts = groups.map((g) =>
            TOPICS.map(
              (topic) => raw.find((r) => r.month === month && r.areaGroup === g && r.topic === topic)?.n ?? 0,
            ),
          );
          const table = suppressTable(counts);
          groups.forEach((g, i) =>
            TOPICS.forEach((topic, j) => rows.push({ month, area: g, topic, count: table.cells[i]![j]! })),
          );
        }
        return { months, rows };
      });
    },
  };
}

export type InsightService = ReturnType<typeof createInsightService>;
