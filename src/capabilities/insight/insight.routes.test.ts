import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestPartnership } from '../../../test/helpers/app.js';
import { publicActor } from '../../platform/auth/actor.js';
import { paths } from '../../platform/paths.js';
import { BASE_CONCERN } from '../concerns/concerns.test-helpers.js';
import { dueDates, isOverdue } from '../concerns/targets.js';
import type { NewConcern } from '../concerns/concerns.service.js';

/**
 * The insight pages, API, exports and open data over the real app: who may see what, what is
 * audited, that partnership B never sees A's figures, that exports equal the page, and that no
 * published or exported count is from 1 to 4.
 */
let t: TestApp;
const DAY = 86_400_000;
const now = Date.now();

async function make(p: TestPartnership, count: number, overrides: Partial<NewConcern>) {
  for (let i = 0; i < count; i++) {
    await t.services.concerns.create(publicActor(p.id, 'test'), {
      ...BASE_CONCERN,
      createdAt: new Date(now - (5 + i) * DAY),
      ...overrides,
    });
  }
}

async function auditActions(p: TestPartnership, action: string): Promise<number> {
  const r = await t.db.tenant(p.id, (tx) =>
    tx.execute(sql`select count(*)::int as n from audit_log where action = ${action}`),
  );
  return Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

/** The text of every cell of a figure's table on the page, row by row. */
function tableCells(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="table-${id}"[\\s\\S]*?</table>`).exec(html)![0];
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

function noSmallNumbers(values: (string | number)[]): void {
  for (const v of values) {
    if (typeof v === 'number') expect(v === 0 || v >= 5, `published ${v}`).toBe(true);
  }
}

beforeAll(async () => {
  t = await buildTestApp();
  const north = t.a.areas['a-01']!;
  const south = t.a.areas['a-02']!;
  // Partnership A: hate incidents in North (12, six from disabled people), anti-social behaviour in
  // South (6), and 3 ideas with no area; one private concern.
  await make(t.a, 6, { topic: 'hate_harassment', areaId: north, equality: { disability: 'yes' } });
  await make(t.a, 6, { topic: 'hate_harassment', areaId: north, equality: { disability: 'no' } });
  await make(t.a, 6, { topic: 'antisocial_behaviour', areaId: south });
  await make(t.a, 3, { topic: 'idea', kind: 'suggestion' });
  await make(t.a, 1, { topic: 'unsafe_place', areaId: south, private: true });
  // Partnership B: 8 unsafe places, so its figures differ from A's everywhere.
  await make(t.b, 8, { topic: 'unsafe_place', areaId: t.b.areas['b-03']! });
});

afterAll(async () => {
  await t?.close();
});

describe('the partnership dashboard', () => {
  it('shows analysts the figures, suppressed, with charts and tables', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get('/staff/insight');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('role="img"');
    const district = tableCells(res.body, 'byDistrict');
    // The private concern counts here (staff figures); open data leaves it out.
    expect(district).toContainEqual(['District one', '19']);
    // 3 ideas with no area and 1 private concern in South: small numbers never appear.
    const overTime = tableCells(res.body, 'overTime');
    expect(overTime.find((r) => r[0] === 'An idea to make the community safer or stronger')!.at(-1)).toBe(
      '<5',
    );
    expect(res.body).not.toMatch(/style="/);
  });

  it('is for analysts and admins only', async () => {
    for (const role of ['triage', 'police', 'cohesion']) {
      const c = await t.signedIn(t.a, role);
      expect((await c.get('/staff/insight')).statusCode, role).toBe(403);
      expect((await c.get('/api/v1/insight/dashboard')).statusCode, role).toBe(403);
    }
    expect((await (await t.signedIn(t.a, 'admin')).get('/staff/insight')).statusCode).toBe(200);
    expect((await t.client().get('/api/v1/insight/dashboard')).statusCode).toBe(401);
  });

  it('filters by area, topic and organisation with a GET form', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get(`/staff/insight?area=${t.a.areas['a-01']}&topic=hate_harassment&from=2000-01-01`);
    expect(res.statusCode).toBe(200);
    expect(tableCells(res.body, 'byDistrict')).toContainEqual(['Total', '12']);
    // Which of them are overdue depends on the working days since they came in (none over
    // Christmas, say), so the expected count comes from the same targets the queue uses.
    const overdue = [0, 1, 2, 3, 4, 5].filter((i) => {
      const due = dueDates(new Date(now - (5 + i) * DAY), false);
      return isOverdue({ ...due, firstResponseAt: null, closedAt: null });
    }).length;
    expect(tableCells(res.body, 'openByOrganisation')).toContainEqual([
      'Not yet routed',
      '12',
      String(overdue * 2),
    ]);
    expect(res.body).toContain('about Hate, prejudice or harassment');
  });

  it('takes the range as day, month and year boxes, and shows the range back in them', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get(
      paths.insight.dashboard({
        'from-day': '1',
        'from-month': 'March',
        'from-year': '2026',
        'to-day': '31',
        'to-month': '3',
        'to-year': '2026',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('raised from 1 March 2026 to 31 March 2026');
    expect(res.body).toMatch(/id="filter-from-month" name="from-month" type="text" value="3"/);
    expect(res.body).toMatch(/id="filter-to-day" name="to-day" type="text" value="31"/);
    expect(res.body).not.toContain('type="date"');
    // Links and bookmarks still say from=yyyy-mm-dd, and fill the boxes the same way.
    const linked = await c.get(paths.insight.equality({ from: '2026-03-01', to: '2026-03-31' }));
    expect(linked.body).toContain('raised from 1 March 2026 to 31 March 2026');
    expect(linked.body).toMatch(/id="filter-from-day" name="from-day" type="text" value="1"/);
  });

  it('names a range date that is not a date, links to its box, and still shows the figures', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    for (const page of [paths.insight.dashboard, paths.insight.equality]) {
      const res = await c.get(
        page({
          'from-day': '1',
          'from-month': '',
          'from-year': '2026',
          'to-day': '30',
          'to-month': '2',
          'to-year': '2026',
        }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error:');
      expect(res.body).toContain('Date from must include a month');
      expect(res.body).toContain('href="#filter-from-month"');
      expect(res.body).toContain('Date to must be a real date');
      expect(res.body).toContain('href="#filter-to-day"');
      // What was typed stays in the boxes, so only the mistake needs fixing.
      expect(res.body).toMatch(/id="filter-from-year" name="from-year" type="text" value="2026"/);
      expect(res.body).toMatch(/id="filter-to-month" name="to-month" type="text" value="2"/);
      // The figures fall back to the page's usual range rather than disappearing.
      expect(res.body).toContain('id="filter-summary"');
      expect(res.body).toContain('<table');
    }
  });

  it('counts every hate topic together with the hate-related topic group, on the page, in the API and in exports', async () => {
    // Five reports of hate being spread, in South, long enough ago to be outside the default range.
    const longAgo = new Date(now - 400 * DAY);
    await make(t.a, 5, { topic: 'hate_disinformation', areaId: t.a.areas['a-02']!, createdAt: longAgo });
    const from = new Date(now - 420 * DAY).toISOString().slice(0, 10);
    const c = await t.signedIn(t.a, 'analyst');
    const page = await c.get(`/staff/insight?topic=hate_related&from=${from}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'about any hate-related topic: Hate, prejudice or harassment or Hate or disinformation',
    );
    expect(page.body).toMatch(/<option value="hate_related"\s+selected>Any hate-related topic<\/option>/);
    // 12 hate and harassment in North, 5 hate or disinformation in South: 17 in all (the wards
    // themselves are withheld, as East and "no area" are small).
    expect(tableCells(page.body, 'byDistrict').at(-1)).toEqual(['Total', '17']);
    expect(tableCells(page.body, 'byArea').at(-1)).toEqual(['Total', '17']);
    // Over time, both topics' rows hold their reports. Which cells are withheld to protect the
    // small ones depends on the weeks the reports fall in, and so on today's date: a row of
    // nothing but "<5" is the only thing that would show a topic left out of the group.
    const counted = (html: string, topic: string) =>
      tableCells(html, 'overTime')
        .find((r) => r[0] === topic)!
        .slice(1)
        .some((cell) => cell !== '<5');
    expect(counted(page.body, 'Hate, prejudice or harassment')).toBe(true);
    expect(counted(page.body, 'Hate or disinformation being spread')).toBe(true);
    const api = (await c.get(`/api/v1/insight/dashboard?topic=hate_related&from=${from}`)).json() as {
      filters: { topic: string; topics: string[] };
      figures: { id: string; totals: { cells: { value?: number }[] } | null }[];
    };
    expect(api.filters).toMatchObject({
      topic: 'hate_related',
      topics: ['hate_harassment', 'hate_disinformation'],
    });
    expect(api.figures.find((f) => f.id === 'byDistrict')!.totals!.cells[0]!.value).toBe(17);
    const url = `/staff/insight/export?figure=byDistrict&topic=hate_related&from=${from}`;
    await c.get(url);
    const csv = await c.post(url, { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')).toContain('Total,17');
    // Hate and harassment alone is the 12 of them: the group added the 5 reports of hate being spread.
    const one = await c.get(`/staff/insight?topic=hate_harassment&from=${from}`);
    expect(tableCells(one.body, 'byDistrict').at(-1)).toEqual(['Total', '12']);
    expect(counted(one.body, 'Hate or disinformation being spread')).toBe(false);
  });

  it('takes analysts straight to the dashboard when they sign in', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    expect((await c.get('/staff')).headers.location).toBe('/staff/insight');
  });

  it('never shows partnership B any of A’s figures (page and API)', async () => {
    const c = await t.signedIn(t.b, 'analyst');
    const api = await c.get('/api/v1/insight/dashboard');
    expect(api.statusCode).toBe(200);
    const body = api.json() as {
      figures: {
        id: string;
        rows: { label: string; cells: { state: string; value?: number }[] }[];
        totals: { cells: { value?: number }[] } | null;
      }[];
    };
    const district = body.figures.find((f) => f.id === 'byDistrict')!;
    expect(district.totals!.cells[0]!.value).toBe(8);
    const open = body.figures.find((f) => f.id === 'openByOrganisation')!;
    expect(open.rows.find((r) => r.label === 'Not yet routed')!.cells[0]).toEqual({
      state: 'shown',
      value: 8,
    });
    const page = await c.get('/staff/insight');
    expect(page.body).not.toContain('North a');
    expect(page.body).not.toContain('Police a');
    expect(tableCells(page.body, 'byChannel')).toContainEqual(['Total', '8']);
  });

  it('gives the same figures as JSON, with no count from 1 to 4', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const body = (await c.get('/api/v1/insight/dashboard?from=2000-01-01')).json() as {
      figures: { columns: { unit: string }[]; rows: { cells: { state: string; value?: number }[] }[] }[];
    };
    expect(body.figures.length).toBeGreaterThan(5);
    for (const f of body.figures)
      for (const r of f.rows)
        noSmallNumbers(
          r.cells
            .filter((x, i) => f.columns[i]!.unit === 'count' && x.state === 'shown')
            .map((x) => x.value!),
        );
  });
});

describe('equality monitoring', () => {
  it('sets who raised concerns against the population, and audits every view', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const saved = await admin.post('/staff/insight/population', {
      characteristic: 'disability',
      yes: '16,600',
      no: '83400',
      source: 'Census 2021',
    });
    expect(saved.statusCode).toBe(302);
    const before = await auditActions(t.a, 'insight.equality.viewed');
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get('/staff/insight/equality');
    expect(res.statusCode).toBe(200);
    const rows = tableCells(res.body, 'equality-disability');
    expect(rows).toContainEqual(['Yes', '6', '50.0%', '16.6%', '3.01']);
    expect(res.body).toContain('Population figures: Census 2021');
    expect(await auditActions(t.a, 'insight.equality.viewed')).toBe(before + 1);
    await c.get('/api/v1/insight/equality');
    expect(await auditActions(t.a, 'insight.equality.viewed')).toBe(before + 2);
  });

  it('is not for other staff', async () => {
    for (const role of ['triage', 'police']) {
      const c = await t.signedIn(t.a, role);
      expect((await c.get('/staff/insight/equality')).statusCode).toBe(403);
      expect((await c.get('/api/v1/insight/equality')).statusCode).toBe(403);
    }
  });

  it('lets only admins change population figures, and stores nothing from a bad form', async () => {
    const analyst = await t.signedIn(t.a, 'analyst');
    expect((await analyst.get('/staff/insight/population')).statusCode).toBe(403);
    const admin = await t.signedIn(t.a, 'admin');
    const bad = await admin.post('/staff/insight/population', {
      characteristic: 'sex',
      female: 'lots',
      male: '210200',
      source: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error:/);
    expect(bad.body).toContain('href="#pop-sex-female"');
    expect(bad.body).toContain('href="#pop-sex-source"');
    const page = await admin.get('/staff/insight/population');
    expect(page.body).toMatch(/id="pop-sex-male"[^>]*value=""/);
    const b = await t.signedIn(t.b, 'admin');
    expect((await b.get('/staff/insight/population')).body).not.toContain('value="Census 2021"');
  });
});

describe('exports', () => {
  it('warns before downloading, then gives a spreadsheet equal to the table on screen, audited', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const page = await c.get('/staff/insight?from=2000-01-01');
    const link = /href="(\/staff\/insight\/export\?[^"]*figure=byDistrict[^"]*)"/
      .exec(page.body)![1]!
      .replace(/&amp;/g, '&');
    const confirm = await c.get(link);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Your download is recorded in the audit log');
    const before = await auditActions(t.a, 'insight.exported');
    const file = await c.request({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(confirm.body)![1]!,
        format: 'xlsx',
      }).toString(),
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="heard-byDistrict-.*\.xlsx"/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const onScreen = tableCells(page.body, 'byDistrict');
    const inFile: string[][] = [];
    sheet.eachRow((row) => inFile.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(inFile.slice(0, onScreen.length)).toEqual(onScreen);
    noSmallNumbers(inFile.flat().map((v) => (/^\d+$/.test(v) ? Number(v) : v)));
    expect(await auditActions(t.a, 'insight.exported')).toBe(before + 1);
  });

  it('gives CSV too, and refuses roles that may not export', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const url = '/staff/insight/export?figure=overTime&from=2000-01-01';
    await c.get(url);
    const csv = await c.post(url, { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toMatch(/^Topic,/);
    noSmallNumbers(csv.body.split(/[\r\n,]+/).map((v) => (/^\d+$/.test(v) ? Number(v) : v)));
    const police = await t.signedIn(t.a, 'police');
    expect((await police.get(url)).statusCode).toBe(403);
    expect((await police.post(url, { format: 'csv' })).statusCode).toBe(403);
  });

  it('exports the filtered triage queue for triage, with a personal data warning, audited', async () => {
    const c = await t.signedIn(t.a, 'triage');
    const queue = await c.get('/staff/concerns?status=open&topic=hate_harassment');
    const link = /href="(\/staff\/insight\/export\?list=queue[^"]*)"/
      .exec(queue.body)![1]!
      .replace(/&amp;/g, '&');
    const confirm = await c.get(link);
    expect(confirm.body).toContain('may name or identify people');
    const before = await auditActions(t.a, 'concerns.exported');
    const csv = await c.post(link, { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines.slice(1).every((l) => l.includes('Hate, prejudice or harassment'))).toBe(true);
    expect(csv.body).not.toContain('sam.resident@example.com');
    expect(await auditActions(t.a, 'concerns.exported')).toBe(before + 1);
    const xlsx = await c.post(link, { format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(13);
  });

  it('does not let analysts or agency officers export the queue', async () => {
    for (const role of ['analyst', 'police']) {
      const c = await t.signedIn(t.a, role);
      expect((await c.get('/staff/insight/export?list=queue')).statusCode, role).toBe(403);
    }
  });
});

describe('open data', () => {
  it('publishes counts by month, area group and topic, suppressed, under the OGL', async () => {
    const page = await t.client().get('/open-data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Open Government Licence v3.0');
    expect(page.body).toContain('https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/');
    const csv = await t.client().get('/open-data/concerns.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    noSmallNumbers(rows.map((r) => (/^\d+$/.test(r[3]!) ? Number(r[3]) : r[3]!)));
    const json = (await t.client().get('/open-data/concerns.json')).json() as {
      licence: { url: string };
      rows: { count: number | string; area: string | null }[];
    };
    expect(json.licence.url).toContain('open-government-licence');
    expect(json.rows.length).toBe(rows.length);
    noSmallNumbers(json.rows.map((r) => r.count));
    expect(json.rows.some((r) => r.area === 'District one')).toBe(true);
    // Partnership B's host serves B's data only.
    const b = (await t.client({ host: 'b.heard.test' }).get('/open-data/concerns.json')).json() as {
      rows: { area: string | null; count: number | string }[];
    };
    const total = (rows: { area: string | null; count: number | string }[], area: string) =>
      rows
        .filter((r) => r.area === area)
        .reduce((n, r) => n + (typeof r.count === 'number' ? r.count : 0), 0);
    expect(total(b.rows, 'District one')).toBe(0);
    expect(total(json.rows as { area: string | null; count: number | string }[], 'District two')).toBe(0);
  });
});
