import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createConcern } from '../concerns/concerns.test-helpers.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import { programmeActions, programmeMilestones } from './programme.table.js';
import { parseAtom, policeOf, programmeMail, setUpProgramme, triageOf } from './programme.test-helpers.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof setUpProgramme>>;
const refs: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  ids = await setUpProgramme(t, t.a);
  // Six residents: three chose email (two share an address), one gave an email but chose phone,
  // one gave a phone only, one stayed anonymous.
  const people = {
    ann: { contactEmail: 'ann@example.com', preferredContact: 'email' as const },
    ann2: { contactEmail: 'ANN@example.com', preferredContact: 'email' as const },
    bob: { contactEmail: 'bob@example.com', preferredContact: 'email' as const },
    cat: { contactEmail: 'cat@example.com', preferredContact: 'phone' as const },
    dan: { contactEmail: undefined, preferredContact: 'phone' as const },
    eve: {
      anonymous: true,
      contactName: undefined,
      contactEmail: undefined,
      contactPhone: undefined,
      preferredContact: undefined,
    },
  };
  for (const [name, overrides] of Object.entries(people)) {
    const created = await createConcern(t, t.a, {
      topic: 'hate_harassment',
      description: `Shouted at near the bus station (${name}).`,
      areaId: t.a.areas[`a-01`]!,
      ...overrides,
    });
    refs[name] = created.ref;
  }
  // Two partnerships and six concerns: slow on a busy machine.
}, 300_000);

afterAll(async () => {
  await t.close();
});

describe('the journey through the pages', () => {
  it('a triage officer tags a concern with themes from the concern page and links it to an action', async () => {
    const triage = await t.signedIn(t.a, 'triage');
    const page = await triage.get(paths.staff.concerns.show(refs.ann!));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Street harassment');
    const tagged = await triage.post(paths.staff.programme.concernThemes(refs.ann!), {
      themes: ['_none', ids.streetId, ids.rumoursId],
    });
    expect(tagged.statusCode).toBe(302);
    const linked = await triage.post(paths.staff.programme.concernLink(refs.ann!), {
      actionId: ids.actionId,
    });
    expect(linked.statusCode).toBe(302);
    const after = await triage.get(paths.staff.concerns.show(refs.ann!));
    expect(after.body).toContain('Tagged with: Online rumours, Street harassment');
    expect(after.body).toContain('Hate crime reporting centres in libraries');
  });

  it('links more concerns by reference from the action page, twice without harm', async () => {
    const triage = await t.signedIn(t.a, 'triage');
    for (const name of ['ann2', 'bob', 'cat', 'dan', 'eve', 'bob']) {
      const res = await triage.post(paths.staff.programme.actionDo(ids.actionId, 'links'), {
        reference: refs[name]!,
      });
      expect(res.statusCode, name).toBe(302);
    }
    for (const name of ['bob', 'cat']) {
      await triage.post(paths.staff.programme.concernThemes(refs[name]!), { themes: ids.streetId });
    }
    const page = await triage.get(paths.staff.programme.action(ids.actionId));
    expect(page.body).toContain('6 concerns and ideas are linked to this action.');
    expect(page.body).toMatch(
      /Street harassment<\/td><td class="govuk-table__cell govuk-table__cell--numeric">3</,
    );
    expect(page.body).toMatch(/North a<\/td><td class="govuk-table__cell govuk-table__cell--numeric">6</);
    const unknown = await triage.post(paths.staff.programme.actionDo(ids.actionId, 'links'), {
      reference: 'ABCD-EFGH-JKM',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('There is no concern with that reference that you can see');
  });

  it('someone outside the lead organisation cannot update the action', async () => {
    const fire = await t.signedIn(t.a, 'fire');
    const page = await fire.get(paths.staff.programme.action(ids.actionId));
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="form-update"');
    const res = await fire.post(paths.staff.programme.actionDo(ids.actionId, 'updates'), {
      body: 'Sneaky',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(403);
    expect(await programmeMail(t, t.a)).toHaveLength(0);
  });

  it('the lead asks for a reason when the RAG is not green, and keeps nothing half-way', async () => {
    const police = await t.signedIn(t.a, 'police');
    const res = await police.post(paths.staff.programme.actionDo(ids.actionId, 'progress'), {
      status: 'in_progress',
      progress: '40',
      rag: 'amber',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error:');
    expect(res.body).toContain('href="#progress-ragReason"');
    const ok = await police.post(paths.staff.programme.actionDo(ids.actionId, 'progress'), {
      status: 'in_progress',
      progress: '40',
      rag: 'amber',
      ragReason: 'Two libraries are short of staff',
    });
    expect(ok.statusCode).toBe(302);
  });

  it('the lead publishes an update: each consenting resident is emailed once, nobody else', async () => {
    const police = await t.signedIn(t.a, 'police');
    const res = await police.post(paths.staff.programme.actionDo(ids.actionId, 'updates'), {
      body: 'Six libraries are now hate crime reporting centres.',
      figures: 'Staff trained: 24',
      links: 'Where to report | https://example.org/report',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(302);
    const mail = await programmeMail(t, t.a);
    expect(mail.map((m) => m.toAddress).sort()).toEqual(['ann@example.com', 'bob@example.com']);
    expect(mail[0]!.textBody).toContain('Six libraries are now hate crime reporting centres.');
    expect(mail[0]!.textBody).toContain('/you-said-we-did/unsubscribe/');
    expect(mail[0]!.headers['List-Unsubscribe']).toMatch(/^<http.*\/you-said-we-did\/unsubscribe\/.+>$/);
    // An internal update tells nobody.
    await police.post(paths.staff.programme.actionDo(ids.actionId, 'updates'), {
      body: 'Internal: budget approved',
      visibility: 'internal',
    });
    expect(await programmeMail(t, t.a)).toHaveLength(2);
  });

  it('the public page shows the update, counts with "fewer than 5", no internal update', async () => {
    const res = await t.client().get(paths.youSaidWeDid.page());
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Six libraries are now hate crime reporting centres.');
    expect(res.body).toContain('Staff trained: <strong>24</strong>');
    expect(res.body).not.toContain('budget approved');
    // Street harassment has 3 tagged concerns (ann, bob, cat), Online rumours 1 (ann).
    expect(res.body).toMatch(/data-count="theme">fewer than 5</);
    expect(res.body).not.toMatch(/data-count="theme">[0-9]/);
    expect(res.body).toContain('Concerns and ideas that shaped this: 6');
    // Nothing personal ever reaches the public page.
    expect(res.body).not.toContain('example.com');
    expect(res.body).not.toContain(refs.ann!);
  });

  it('the area filter narrows the counts', async () => {
    const res = await t.client().get(paths.youSaidWeDid.page({ area: t.a.areas['a-02']! }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Showing what people in South a told us');
    expect(res.body).toContain('Concerns and ideas matched to these themes: fewer than 5');
    expect(res.body).toContain('Concerns and ideas that shaped this: fewer than 5');
  });

  it('the Atom feed is well-formed and carries the update', async () => {
    const res = await t.client().get(paths.youSaidWeDid.feed());
    expect(res.headers['content-type']).toContain('application/atom+xml');
    const feed = parseAtom(res.body);
    expect(feed.entry).toHaveLength(1);
    expect(feed.entry![0]!.title['#text']).toBe('Update: Hate crime reporting centres in libraries');
    expect(feed.entry![0]!.content['#text']).toBe('Six libraries are now hate crime reporting centres.');
  });

  it('unsubscribing needs a POST; afterwards that address hears nothing more', async () => {
    const [first] = (await programmeMail(t, t.a)).filter((m) => m.toAddress === 'bob@example.com');
    const link = /\/you-said-we-did\/unsubscribe\/[^\s]+/.exec(first!.textBody)![0];
    const resident = t.client();
    const confirm = await resident.get(link);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Stop emails about the programme');
    expect(await resident.get(link.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')))).toMatchObject({
      statusCode: 404,
    });
    const done = await resident.post(link);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You will not get these emails any more');
    const again = await t.services.programme.addUpdate(policeOf(t.a), ids.actionId, {
      body: 'Two more libraries joined.',
      links: [],
      figures: [],
      visibility: 'public',
    });
    expect(again).toMatchObject({ ok: true, told: 1 });
    const latest = (await programmeMail(t, t.a)).filter(
      (m) => m.purpose === `programme.update:${again.ok ? again.updateId : ''}`,
    );
    expect(latest.map((m) => m.toAddress)).toEqual(['ann@example.com']);
  });

  it('completing the action tells residents once, however often it is saved as done', async () => {
    const police = policeOf(t.a);
    const before = (await programmeMail(t, t.a)).length;
    expect(
      await t.services.programme.setProgress(police, ids.actionId, {
        status: 'done',
        progress: 90,
        rag: 'green',
      }),
    ).toEqual({ ok: true });
    const completed = (await programmeMail(t, t.a)).filter((m) =>
      m.purpose.startsWith('programme.completed:'),
    );
    expect(completed.map((m) => m.toAddress)).toEqual(['ann@example.com']);
    expect((await programmeMail(t, t.a)).length).toBe(before + 1);
    const admin = await t.signedIn(t.a, 'admin');
    // Reopened and completed again: nobody is told twice.
    await admin.post(paths.staff.programme.actionDo(ids.actionId, 'progress'), {
      status: 'in_progress',
      progress: '90',
      rag: 'green',
    });
    await admin.post(paths.staff.programme.actionDo(ids.actionId, 'progress'), {
      status: 'done',
      progress: '100',
      rag: 'green',
    });
    expect((await programmeMail(t, t.a)).length).toBe(before + 1);
  });
});

describe('meeting pack', () => {
  it('CSV and XLSX carry the same figures as the page', async () => {
    const staff = await t.signedIn(t.a, 'analyst');
    const page = await staff.get(paths.staff.programme.pack());
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/data-cell="progress">100</);
    const csv = await staff.get(paths.staff.programme.packCsv());
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Priority,Action,Lead organisation,Lead officer,Status,Progress (%),RAG,RAG reason,Start,Due,Overdue milestones,Next milestone,Concerns linked',
    );
    expect(lines[1]).toContain(
      'Hate crime reporting centres in libraries,Police a,Police A,Done,100,Green,,2026-01-05,2027-03-31,,,6',
    );
    const xlsx = await staff.request({ method: 'GET', url: paths.staff.programme.packXlsx() });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const row = book.getWorksheet('Programme')!.getRow(2);
    expect(row.getCell(2).value).toBe('Hate crime reporting centres in libraries');
    expect(row.getCell(6).value).toBe(100);
    expect(row.getCell(13).value).toBe(6);
  });

  it('every staff view answers for someone who may see the programme', async () => {
    const staff = await t.signedIn(t.a, 'police');
    for (const url of [
      paths.staff.programme.home(),
      paths.staff.programme.mine(),
      paths.staff.programme.overdue(),
      paths.staff.programme.organisations(),
    ]) {
      const res = await staff.get(url);
      expect(res.statusCode, url).toBe(200);
    }
    expect((await staff.get(paths.staff.programme.mine())).body).toContain(
      'Hate crime reporting centres in libraries',
    );
    expect((await staff.get(paths.staff.programme.themes())).statusCode).toBe(403);
  });
});

describe('partnerships stay apart', () => {
  it("partnership B sees none of A's programme on pages, the API or its public page", async () => {
    const b = await t.signedIn(t.b, 'admin');
    expect((await b.get(paths.staff.programme.action(ids.actionId))).statusCode).toBe(404);
    expect((await b.get(paths.staff.programme.home())).body).not.toContain('Hate crime reporting centres');
    expect((await b.get(paths.staff.programme.packCsv())).body.trim().split('\r\n')).toHaveLength(1);
    const api = await b.api('GET', paths.api.programmeActions());
    expect(api.json()).toEqual({ items: [] });
    expect((await b.api('GET', paths.api.programmeAction(ids.actionId))).statusCode).toBe(404);
    const linked = await b.api('POST', paths.api.programmeActionDo(ids.actionId, 'links'), {
      reference: refs.ann,
    });
    expect(linked.statusCode).toBe(404);
    const publicB = await t.client({ host: 'b.heard.test' }).get(paths.youSaidWeDid.page());
    expect(publicB.body).not.toContain('Hate crime reporting centres');
    const feedB = parseAtom((await t.client({ host: 'b.heard.test' }).get(paths.youSaidWeDid.feed())).body);
    expect(feedB.entry ?? []).toHaveLength(0);
  });
});

describe('API', () => {
  it('lists actions and refuses a non-green RAG without a reason', async () => {
    const triage = await t.signedIn(t.a, 'admin');
    const list = await triage.api('GET', paths.api.programmeActions());
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({
      title: 'Hate crime reporting centres in libraries',
      linkedConcerns: 6,
    });
    const res = await triage.api('POST', paths.api.programmeActionDo(ids.actionId, 'progress'), {
      status: 'done',
      progress: 100,
      rag: 'red',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ problem: 'ragReasonRequired' });
    const detail = await triage.api('GET', paths.api.programmeAction(ids.actionId));
    expect(detail.json().shapedBy.byTheme).toEqual([
      { label: 'Street harassment', count: 3 },
      { label: 'Online rumours', count: 1 },
    ]);
    expect((await t.client().get(paths.api.programmeActions())).statusCode).toBe(401);
    void triageOf;
  });
});

describe('dates are GOV.UK date inputs: day, month and year', () => {
  const actionForm = (title: string, dates: Record<string, string>) => ({
    priorityId: ids.priorityId,
    title,
    description: 'Weekly advice surgeries with housing and benefits advisers in one room.',
    leadOrganisationId: t.a.organisations.council!,
    public: 'no',
    ...dates,
  });
  const actionsTitled = (title: string) =>
    t.db.tenant(t.a.id, (tx) => tx.select().from(programmeActions).where(eq(programmeActions.title, title)));
  const box = (html: string, id: string, value: string) =>
    expect(html).toMatch(new RegExp(`id="${id}"[^>]*value="${value}"`));

  it('an admin creates an action with its dates in boxes, and sees them in boxes to edit', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const res = await admin.post(
      paths.staff.programme.newAction(),
      actionForm('Advice surgeries', {
        ...dateFormFields('startDate', '2027-01-04'),
        'dueDate-day': '30',
        'dueDate-month': 'June',
        'dueDate-year': '2027',
      }),
    );
    expect(res.statusCode).toBe(302);
    const [stored] = await actionsTitled('Advice surgeries');
    expect([stored?.startDate, stored?.dueDate]).toEqual(['2027-01-04', '2027-06-30']);
    const edit = await admin.get(paths.staff.programme.actionEdit(stored!.id));
    box(edit.body, 'startDate-day', '4');
    box(edit.body, 'startDate-month', '1');
    box(edit.body, 'dueDate-day', '30');
    box(edit.body, 'dueDate-month', '6');
    box(edit.body, 'dueDate-year', '2027');
  });

  it('refuses a date that is not real, or a due date before the start, linking to the boxes and storing nothing', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const notReal = await admin.post(
      paths.staff.programme.newAction(),
      actionForm('Not real', { 'dueDate-day': '30', 'dueDate-month': '2', 'dueDate-year': '2027' }),
    );
    expect(notReal.statusCode).toBe(400);
    expect(notReal.body).toContain('<title>Error:');
    expect(notReal.body).toContain('href="#dueDate-day">Due date must be a real date');
    // What was typed is shown again.
    box(notReal.body, 'dueDate-day', '30');

    const backwards = await admin.post(
      paths.staff.programme.newAction(),
      actionForm('Backwards', {
        ...dateFormFields('startDate', '2027-06-01'),
        ...dateFormFields('dueDate', '2027-05-01'),
      }),
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('href="#dueDate-day"');
    expect([...(await actionsTitled('Not real')), ...(await actionsTitled('Backwards'))]).toEqual([]);
  });

  it('a milestone needs a whole due date', async () => {
    const police = await t.signedIn(t.a, 'police');
    const milestones = () =>
      t.db.tenant(t.a.id, (tx) =>
        tx.select().from(programmeMilestones).where(eq(programmeMilestones.title, 'Training booked')),
      );
    const half = await police.post(paths.staff.programme.actionDo(ids.actionId, 'milestones'), {
      title: 'Training booked',
      'dueDate-day': '15',
      'dueDate-year': '2027',
    });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('href="#milestone-dueDate-month">Due date must include a month');
    expect(await milestones()).toEqual([]);
    const ok = await police.post(paths.staff.programme.actionDo(ids.actionId, 'milestones'), {
      title: 'Training booked',
      ...dateFormFields('dueDate', '2027-09-15'),
    });
    expect(ok.statusCode).toBe(302);
    expect((await milestones()).map((m) => m.dueDate)).toEqual(['2027-09-15']);
  });
});
