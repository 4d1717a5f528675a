import type { FastifyInstance, FastifyRequest } from 'fastify';
import { intlLocale } from '../../platform/i18n/index.js';
import { paths } from '../../platform/paths.js';
import { TOPICS } from '../concerns/vocabulary.js';
import { toCsv } from './export.js';
import { cellText } from './figures.js';
import type { InsightService, OpenDataRow } from './insight.service.js';

/** Public and cheap to ask for, but each answer scans two years of concerns: a modest limit per client. */
const OPEN_DATA_LIMIT = { max: 60, timeWindow: '1 minute' };

export const OGL_URL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/';

/** What a published count says: a number, "<5" for 1 to 4, or "withheld" (secondary suppression). */
function published(row: OpenDataRow): number | string {
  return row.count.state === 'shown'
    ? row.count.value
    : cellText(row.count, 'count', { small: '<5', withheld: 'withheld', none: '' });
}

export function openDataPages(app: FastifyInstance, insight: InsightService) {
  const load = (request: FastifyRequest) => insight.openData(request.partnership.id);

  app.get(paths.openData.page(), { config: { rateLimit: OPEN_DATA_LIMIT } }, async (request, reply) => {
    const data = await load(request);
    const latest = data.months.slice(-3).reverse();
    const t = request.t;
    return reply.view('insight/views/open-data.njk', {
      pageTitle: t('insight.openData.title'),
      oglUrl: OGL_URL,
      firstMonth: data.months[0],
      lastMonth: data.months[data.months.length - 1],
      // The latest three months as tables people can read on the page: areas down, topics across.
      months: latest.map((month) => {
        const rows = data.rows.filter((r) => r.month === month);
        const areas = [...new Set(rows.map((r) => r.area))];
        return {
          month,
          label: new Intl.DateTimeFormat(intlLocale(request.lang), {
            month: 'long',
            year: 'numeric',
            timeZone: 'UTC',
          }).format(new Date(`${month}-01T12:00:00Z`)),
          topics: TOPICS.map((topic) => t(`share.vocab.topic.${topic}`)),
          rows: areas.map((area) => ({
            area: area ?? t('insight.rows.noArea'),
            cells: TOPICS.map((topic) => {
              const row = rows.find((r) => r.area === area && r.topic === topic)!;
              return String(published(row));
            }),
          })),
        };
      }),
    });
  });

  app.get(paths.openData.csv(), { config: { rateLimit: OPEN_DATA_LIMIT } }, async (request, reply) => {
    const data = await load(request);
    const csv = toCsv({
      header: ['month', 'area', 'topic', 'count'],
      rows: data.rows.map((r) => [r.month, r.area ?? 'No area given', r.topic, published(r)]),
    });
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'inline; filename="concerns.csv"')
      .header('Link', `<${OGL_URL}>; rel="license"`)
      .send(csv);
  });

  app.get(paths.openData.json(), { config: { rateLimit: OPEN_DATA_LIMIT } }, async (request, reply) => {
    const data = await load(request);
    return reply.header('Link', `<${OGL_URL}>; rel="license"`).send({
      publisher: request.partnership.name,
      licence: { name: 'Open Government Licence v3.0', url: OGL_URL },
      description:
        'Concerns and suggestions residents raised, counted by month, area (former district) and topic. Counts from 1 to 4 are shown as "<5"; some other counts are "withheld" so that no small count can be worked out from the others. Concerns marked private are not counted.',
      months: data.months,
      rows: data.rows.map((r) => ({ month: r.month, area: r.area, topic: r.topic, count: published(r) })),
    });
  });
}
