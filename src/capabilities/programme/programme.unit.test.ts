import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../platform/i18n/index.js';
import { suppressSeries } from '../../platform/suppression.js';
import { atomFeed, xmlEscape } from './atom.js';
import { packCsv, packXlsx } from './programme.export.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { milestoneForm, progressForm, updateForm } from './programme.schema.js';
import type { PackRow } from './programme.service.js';
import { wantsProgrammeEmail } from './programme.service.js';
import { parseAtom } from './programme.test-helpers.js';
import {
  checkProgress,
  countBy,
  isActionOverdue,
  isMilestoneOverdue,
  nextStatuses,
  publishedText,
} from './rules.js';

const t = createI18n().translator('en');

describe('status and RAG rules', () => {
  it('moves forward freely; done and dropped are final unless a manager reopens them', () => {
    expect(nextStatuses('planned', false)).toEqual(['in_progress', 'paused', 'dropped', 'done']);
    expect(nextStatuses('paused', false)).toEqual(['in_progress', 'dropped']);
    expect(nextStatuses('done', false)).toEqual([]);
    expect(nextStatuses('done', true)).toEqual(['in_progress']);
    expect(nextStatuses('dropped', true)).toEqual(['planned']);
    expect(
      checkProgress({ status: 'done' }, { status: 'in_progress', progress: 50, rag: 'green' }, false),
    ).toEqual({
      ok: false,
      problem: 'statusNotAllowed',
    });
  });

  it('asks for a reason whenever the RAG is not green, and never keeps one when it is', () => {
    for (const rag of ['amber', 'red'] as const)
      expect(checkProgress({ status: 'planned' }, { status: 'planned', progress: 0, rag }, false)).toEqual({
        ok: false,
        problem: 'ragReasonRequired',
      });
    const green = checkProgress(
      { status: 'planned' },
      { status: 'in_progress', progress: 10, rag: 'green', ragReason: 'left over' },
      false,
    );
    expect(green).toMatchObject({ ok: true, value: { ragReason: null, rag: 'green' } });
  });

  it('dropping needs a reason; a done action is 100% complete', () => {
    expect(
      checkProgress({ status: 'in_progress' }, { status: 'dropped', progress: 30, rag: 'green' }, false),
    ).toEqual({
      ok: false,
      problem: 'dropReasonRequired',
    });
    expect(
      checkProgress(
        { status: 'in_progress' },
        { status: 'dropped', statusReason: 'Merged', progress: 30, rag: 'green' },
        false,
      ),
    ).toMatchObject({ ok: true, value: { statusReason: 'Merged' } });
    expect(
      checkProgress({ status: 'in_progress' }, { status: 'done', progress: 60, rag: 'green' }, false),
    ).toMatchObject({
      ok: true,
      value: { progress: 100 },
    });
    expect(
      checkProgress({ status: 'planned' }, { status: 'planned', progress: 101, rag: 'green' }, false),
    ).toEqual({
      ok: false,
      problem: 'progressOutOfRange',
    });
  });

  it('overdue: a milestone not done past its date; an action past due unless finished', () => {
    expect(isMilestoneOverdue({ dueDate: '2026-11-30', doneAt: null }, '2026-12-01')).toBe(true);
    expect(isMilestoneOverdue({ dueDate: '2026-12-01', doneAt: null }, '2026-12-01')).toBe(false);
    expect(isMilestoneOverdue({ dueDate: '2026-11-30', doneAt: new Date() }, '2026-12-01')).toBe(false);
    expect(isActionOverdue({ dueDate: '2026-11-30', status: 'in_progress' }, '2026-12-01')).toBe(true);
    expect(isActionOverdue({ dueDate: '2026-11-30', status: 'done' }, '2026-12-01')).toBe(false);
    expect(isActionOverdue({ dueDate: '2026-11-30', status: 'dropped' }, '2026-12-01')).toBe(false);
    expect(isActionOverdue({ dueDate: null, status: 'planned' }, '2026-12-01')).toBe(false);
  });
});

describe('counts', () => {
  it('counts by a key, largest first, leaving out missing keys', () => {
    expect(countBy(['b', 'a', 'b', null, 'c', 'a', 'b'], (x) => x)).toEqual([
      { label: 'b', count: 3 },
      { label: 'a', count: 2 },
      { label: 'c', count: 1 },
    ]);
  });

  it('shows small counts as "fewer than 5" and never lets the total give one away', () => {
    const { cells, total } = suppressSeries([12, 3, 9]);
    const words = cells.map((c) => publishedText(c, t));
    expect(words[1]).toBe('fewer than 5');
    expect(words).toContain('withheld');
    expect(publishedText(total, t)).toBe('24');
  });

  it('only residents who chose email and gave an address are told', () => {
    expect(
      wantsProgrammeEmail({ anonymous: false, contactEmail: 'a@x.org', preferredContact: 'email' }),
    ).toBe(true);
    expect(
      wantsProgrammeEmail({ anonymous: false, contactEmail: 'a@x.org', preferredContact: 'phone' }),
    ).toBe(false);
    expect(wantsProgrammeEmail({ anonymous: false, contactEmail: null, preferredContact: 'email' })).toBe(
      false,
    );
    expect(wantsProgrammeEmail({ anonymous: true, contactEmail: 'a@x.org', preferredContact: 'email' })).toBe(
      false,
    );
  });
});

describe('forms', () => {
  it('reads evidence links and figures one a line, refusing anything but http(s)', () => {
    const ok = updateForm.parse({
      body: 'Done',
      visibility: 'public',
      links: 'Report | https://example.org/r\nhttps://example.org/plain\n',
      figures: 'Sessions held: 12\nRatio: 3:1',
    });
    expect(ok.links).toEqual([
      { text: 'Report', url: 'https://example.org/r' },
      { text: 'https://example.org/plain', url: 'https://example.org/plain' },
    ]);
    expect(ok.figures).toEqual([
      { label: 'Sessions held', value: '12' },
      { label: 'Ratio: 3', value: '1' },
    ]);
    const bad = updateForm.safeParse({
      body: 'x',
      visibility: 'public',
      links: 'Evil | javascript:alert(1)',
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('programme.errors.linkInvalid');
    expect(updateForm.safeParse({ body: 'x', visibility: 'public', figures: 'no colon' }).success).toBe(
      false,
    );
  });

  it('reads progress as a whole number from 0 to 100 and dates as real dates', () => {
    expect(progressForm.parse({ status: 'planned', progress: '40', rag: 'green' }).progress).toBe(40);
    expect(progressForm.safeParse({ status: 'planned', progress: '4.5', rag: 'green' }).success).toBe(false);
    expect(progressForm.safeParse({ status: 'planned', progress: '101', rag: 'green' }).success).toBe(false);
    // A milestone's due date is three boxes, read into yyyy-mm-dd.
    expect(milestoneForm.parse({ title: 'x', ...dateFormFields('dueDate', '2027-02-28') }).dueDate).toBe(
      '2027-02-28',
    );
    const notReal = milestoneForm.safeParse({
      title: 'x',
      'dueDate-day': '30',
      'dueDate-month': '2',
      'dueDate-year': '2027',
    });
    expect(notReal.error?.issues.map((i) => i.message)).toEqual(['dateInput.notReal']);
    const empty = milestoneForm.safeParse({ title: 'x' });
    expect(empty.error?.issues.map((i) => i.message)).toEqual(['programme.errors.dateRequired']);
  });
});

describe('Atom', () => {
  it('is well-formed whatever staff wrote', () => {
    const xml = atomFeed({
      id: 'https://heard.example/you-said-we-did/feed.atom',
      title: 'You said, we did',
      subtitle: 'Tom & Jerry <script>',
      author: 'CSP',
      selfLink: 'https://heard.example/you-said-we-did/feed.atom',
      alternateLink: 'https://heard.example/you-said-we-did',
      updated: new Date('2026-12-01T10:00:00Z'),
      entries: [
        {
          id: 'https://heard.example/you-said-we-did#update-1',
          title: 'Update: "quotes" & <tags>',
          updated: new Date('2026-12-01T10:00:00Z'),
          link: 'https://heard.example/you-said-we-did?a=1&b=2',
          content: 'Line one\u0007\nLine two ]]> </content>',
        },
      ],
    });
    const feed = parseAtom(xml);
    expect(feed.entry![0]!.title['#text']).toContain('quotes');
    expect(feed.entry![0]!.content['#text']).toContain('Line two ]]> </content>');
    expect(xmlEscape('a\u0000b')).toBe('ab');
  });
});

describe('meeting pack exports', () => {
  const row: PackRow = {
    priority: 'Tackle hate',
    id: 'x',
    title: '=HYPERLINK("evil"), with a comma',
    leadOrganisation: 'Police',
    leadOfficer: 'Dan',
    status: 'in_progress',
    progress: 40,
    rag: 'amber',
    ragReason: 'Short of "staff"',
    startDate: '2026-01-01',
    dueDate: '2027-01-01',
    overdue: false,
    overdueMilestones: [{ title: 'Training', dueDate: '2026-11-01' }],
    nextMilestone: { title: 'Training', dueDate: '2026-11-01' },
    linkedConcerns: 7,
  };

  it('CSV quotes and defuses formulas', () => {
    const [, line] = packCsv([row], t).split('\r\n');
    expect(line).toBe(
      `Tackle hate,"'=HYPERLINK(""evil""), with a comma",Police,Dan,In progress,40,Amber,"Short of ""staff""",2026-01-01,2027-01-01,Training (2026-11-01),Training (2026-11-01),7`,
    );
  });

  it('XLSX reads back with the same figures', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await packXlsx([row], t, '2026-12-01')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Programme')!;
    expect(sheet.getRow(1).getCell(6).value).toBe('Progress (%)');
    expect(sheet.getRow(2).getCell(6).value).toBe(40);
    expect(sheet.getRow(2).getCell(7).value).toBe('Amber');
    expect(sheet.getRow(2).getCell(13).value).toBe(7);
  });
});
