import { describe, expect, it } from 'vitest';
import { createI18n } from '../../platform/i18n/index.js';
import type { Published } from '../../platform/suppression.js';
import { engagementFigures } from '../engagement/engagement.insight.js';
import { forumActivityFigure, forumEqualityFigures } from '../forums/forums.insight.js';
import { programmeFigures } from '../programme/programme.insight.js';
import { tensionFigure } from '../tension/tension.insight.js';
import { weeklyPicture } from '../tension/tension.rules.js';
import { equalityFigures } from './dashboard.js';
import type { Cell, Figure, FigureRow } from './figures.js';
import { busiestFirst, seriesColumns, suppressSharedTotal } from './panel-figures.js';
import { renderFigure } from './render.js';

/** How the panels' figures are put together, without a database. */
const t = createI18n().translator('en');

const hidden = (c: Cell) => c.state === 'small' || c.state === 'withheld';
const shownValues = (f: Figure) =>
  [...f.rows, ...(f.totals ? [f.totals] : [])].flatMap((r) =>
    r.cells.flatMap((c, i) => (c.state === 'shown' && f.columns[i]!.unit === 'count' ? [c.value] : [])),
  );

/** A sum published with its parts can be undone when exactly one of them is hidden. */
function noLoneHidden(cells: Cell[], where: string) {
  expect(cells.filter(hidden).length, where).not.toBe(1);
}

describe('panel building blocks', () => {
  it('suppresses each column of several as its own series', () => {
    const { rows, totals } = seriesColumns(
      [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
        { key: 'c', label: 'C' },
      ],
      [
        [10, 2, 7],
        [6, 6, 6],
      ],
    );
    // 2 is small; alone it could be had from 19 − 10 − 7, so the 7 is withheld as well.
    expect(rows.map((r) => r.cells[0]!.state)).toEqual(['shown', 'small', 'withheld']);
    expect(totals.cells[0]).toEqual({ state: 'shown', value: 19 });
    expect(rows.map((r) => r.cells[1])).toEqual(Array(3).fill({ state: 'shown', value: 6 }));
    expect(totals.cells[1]).toEqual({ state: 'shown', value: 18 });
  });

  it('sorts busiest first, with hidden counts and zeros together so the order tells nothing', () => {
    const r = (label: string, cell: Cell): FigureRow => ({ key: label, label, cells: [cell] });
    const sorted = busiestFirst(
      [
        r('Zed', { state: 'small' }),
        r('Amber', { state: 'shown', value: 6 }),
        r('Bee', { state: 'withheld' }),
        r('Cat', { state: 'shown', value: 40 }),
        r('Ann', { state: 'small' }),
      ],
      0,
    );
    expect(sorted.map((x) => x.label)).toEqual(['Cat', 'Amber', 'Ann', 'Bee', 'Zed']);
  });

  it('publishes series that share a total alike', () => {
    // Alone, [4, 4] hides its total (both cells would be 4) while [8, 0] shows it: together, the
    // shown 8 would pin the 4s, so it is withheld too.
    const [a, b] = suppressSharedTotal([
      [4, 4],
      [8, 0],
    ]);
    expect(a!.total).toEqual(b!.total);
    expect(a!.total.state).toBe('withheld');
    expect(b!.cells[0]!.state).toBe('withheld');
  });

  it('never lets a hidden count of series sharing a total be worked out (brute force)', () => {
    // Every small instance: a series of two and one of three parts of the same total, parts 0–7.
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const CAP = 30;
    const range = (p: Published): [number, number] =>
      p.state === 'shown' ? [p.value, p.value] : p.state === 'small' ? [0, 4] : [5, CAP];
    for (let n = 0; n < 120; n++) {
      const x = [Math.floor(next() * 8), Math.floor(next() * 8)];
      const total = x[0]! + x[1]!;
      const y1 = Math.floor(next() * (total + 1));
      const y2 = Math.floor(next() * (total - y1 + 1));
      const y = [y1, y2, total - y1 - y2];
      const [sx, sy] = suppressSharedTotal([x, y]);
      // Every table of values the published figures allow, and what each hidden cell can be.
      const possible = { x: x.map(() => new Set<number>()), y: y.map(() => new Set<number>()), t: new Set() };
      const [tlo, thi] = range(sx!.total);
      for (let tt = tlo; tt <= thi; tt++) {
        const xs: number[][] = [];
        const [a0, a1] = range(sx!.cells[0]!);
        for (let v = a0; v <= a1; v++) {
          const w = tt - v;
          const [b0, b1] = range(sx!.cells[1]!);
          if (w >= b0 && w <= b1) xs.push([v, w]);
        }
        const ys: number[][] = [];
        const [c0, c1] = range(sy!.cells[0]!);
        const [d0, d1] = range(sy!.cells[1]!);
        const [e0, e1] = range(sy!.cells[2]!);
        for (let u = c0; u <= c1; u++)
          for (let v = d0; v <= d1; v++) {
            const w = tt - u - v;
            if (w >= e0 && w <= e1) ys.push([u, v, w]);
          }
        if (xs.length === 0 || ys.length === 0) continue;
        possible.t.add(tt);
        for (const row of xs) row.forEach((v, i) => possible.x[i]!.add(v));
        for (const row of ys) row.forEach((v, i) => possible.y[i]!.add(v));
      }
      const where = `x=${x} y=${y}`;
      expect(possible.x[0]!.has(x[0]!), where).toBe(true);
      sx!.cells.forEach((c, i) => {
        if (hidden(c)) expect(possible.x[i]!.size, `${where} x${i}`).toBeGreaterThan(1);
      });
      sy!.cells.forEach((c, i) => {
        if (hidden(c)) expect(possible.y[i]!.size, `${where} y${i}`).toBeGreaterThan(1);
      });
      if (hidden(sx!.total)) expect(possible.t.size, `${where} total`).toBeGreaterThan(1);
      expect(sx!.total).toEqual(sy!.total);
    }
  });

  it('refuses series whose totals differ', () => {
    expect(() => suppressSharedTotal([[5], [6]])).toThrow(/totals differ/);
  });
});

describe('the forums panel', () => {
  const activity = [
    { forumId: 'f1', name: 'Access Forum', meetings: 6, members: 48, guests: 6, issues: 0 },
    { forumId: 'f2', name: 'Youth Voice', meetings: 1, members: 3, guests: 2, issues: 1 },
    { forumId: 'f3', name: 'Faith Forum', meetings: 3, members: 30, guests: 12, issues: 6 },
  ];

  it('holds meetings, members, guests, attendance and issues per forum, with totals', () => {
    const f = forumActivityFigure(activity);
    expect(f.id).toBe('forums-activity');
    expect(f.columns.map((c) => c.key)).toEqual(['meetings', 'members', 'guests', 'attendance', 'issues']);
    expect(f.rows.map((r) => r.label)).toEqual(['Access Forum', 'Youth Voice', 'Faith Forum']);
    expect(f.totals!.cells[3]).toEqual({ state: 'shown', value: 101 });
    expect(f.charts).toEqual([{ kind: 'bar', from: 3 }]);
    for (const v of shownValues(f)) expect(v === 0 || v >= 5).toBe(true);
  });

  it('suppresses members, guests and attendance as one table, so no hidden count adds back', () => {
    const f = forumActivityFigure(activity);
    // Each row: members + guests = attendance; and each column with its total.
    for (const r of [...f.rows, f.totals!]) noLoneHidden(r.cells.slice(1, 4), r.label);
    for (const c of [1, 2, 3])
      noLoneHidden([...f.rows.map((r) => r.cells[c]!), f.totals!.cells[c]!], `column ${c}`);
    for (const c of [0, 4])
      noLoneHidden([...f.rows.map((r) => r.cells[c]!), f.totals!.cells[c]!], `column ${c}`);
  });

  it('has an empty table, with totals that publish nothing, when there are no forums', () => {
    const f = forumActivityFigure([]);
    expect(f.rows).toEqual([]);
    expect(f.totals!.cells).toEqual(Array(5).fill({ state: 'small' }));
  });

  it('relabels equality monitoring’s own figures for forum members, cell for cell', () => {
    const participation = {
      total: 30,
      answers: [
        { question: 'disability', answer: 'yes', n: 12 },
        { question: 'disability', answer: 'no', n: 10 },
        { question: 'ethnicity', answer: 'white', n: 20 },
        { question: 'ethnicity', answer: 'asian', n: 3 },
      ],
    };
    const population = [
      { characteristic: 'disability', category: 'yes', people: 166, source: 'Census' },
      { characteristic: 'disability', category: 'no', people: 834, source: 'Census' },
    ];
    const forum = forumEqualityFigures(participation, population);
    const concern = equalityFigures(participation.answers, participation.total, population);
    expect(forum.map((f) => f.id)).toEqual(concern.map((f) => f.id.replace('equality-', 'equality-forums-')));
    expect(forum.every((f) => f.id.startsWith('equality-'))).toBe(true);
    expect(forum.map((f) => f.rows)).toEqual(concern.map((f) => f.rows));
    const disability = forum.find((f) => f.id === 'equality-forums-disability')!;
    expect(t(disability.title)).toBe('Forum participation: disability');
    expect(t(disability.columns[0]!.label)).toBe('Members taking part');
    expect(disability.rows[0]!.cells).toEqual([
      { state: 'shown', value: 12 },
      { state: 'shown', value: 54.5 },
      { state: 'shown', value: 16.6 },
      { state: 'shown', value: 3.28 },
    ]);
  });
});

describe('the engagement panel', () => {
  const areas = [
    { id: 'n', name: 'North' },
    { id: 's', name: 'South' },
    { id: 'e', name: 'East' },
  ];

  it('gives engagement by ward (busiest first), by type and referrals by status', () => {
    const figures = engagementFigures(
      {
        byArea: [
          { areaId: 'n', engagements: 12, people: 300, referrals: 9 },
          { areaId: 's', engagements: 6, people: 40, referrals: 0 },
          { areaId: 'e', engagements: 8, people: 90, referrals: 6 },
        ],
        byType: [
          { type: 'door_knocking', engagements: 16, people: 200 },
          { type: 'drop_in', engagements: 10, people: 230 },
        ],
        referrals: [
          { status: 'open', n: 7 },
          { status: 'completed', n: 8 },
        ],
      },
      areas,
    );
    expect(figures.map((f) => f.id)).toEqual([
      'engagement-byArea',
      'engagement-byType',
      'engagement-referrals',
    ]);
    const [byArea, byType, referrals] = figures as [Figure, Figure, Figure];
    expect(byArea.rows.map((r) => r.label)).toEqual(['North', 'East', 'South']);
    expect(byArea.totals!.cells).toEqual([
      { state: 'shown', value: 26 },
      { state: 'shown', value: 430 },
      { state: 'shown', value: 15 },
    ]);
    // Five types had no engagement: with 16 and 10 shown they would add up to nothing, so the 10 is
    // withheld.
    expect(byType.rows.find((r) => r.key === 'door_knocking')!.cells[0]).toEqual({
      state: 'shown',
      value: 16,
    });
    expect(byType.rows.find((r) => r.key === 'drop_in')!.cells).toEqual([
      { state: 'withheld' },
      { state: 'shown', value: 230 },
    ]);
    expect(byType.rows.find((r) => r.key === 'online')!.cells[0]).toEqual({ state: 'small' });
    expect(referrals.rows.map((r) => r.key)).toEqual(['open', 'accepted', 'completed', 'declined']);
    expect(referrals.totals!.cells[0]).toEqual({ state: 'shown', value: 15 });
    expect(t(referrals.rows[0]!.label)).toBe('Referred, waiting');
  });

  it('hides a total in every figure when one figure must hide it', () => {
    // Two wards of four engagements each: the total of 8 would pin both.
    const [byArea, byType] = engagementFigures(
      {
        byArea: [
          { areaId: 'n', engagements: 4, people: 20, referrals: 0 },
          { areaId: 's', engagements: 4, people: 20, referrals: 0 },
        ],
        byType: [{ type: 'drop_in', engagements: 8, people: 40 }],
        referrals: [],
      },
      areas.slice(0, 2),
    ) as [Figure, Figure];
    expect(byArea.totals!.cells[0]!.state).toBe('withheld');
    expect(byType.totals!.cells[0]!.state).toBe('withheld');
    expect(byType.rows.find((r) => r.key === 'drop_in')!.cells[0]!.state).toBe('withheld');
  });
});

describe('the programme panel', () => {
  const counts = {
    actions: [
      { status: 'in_progress', rag: 'green', n: 9 },
      { status: 'in_progress', rag: 'amber', n: 6 },
      { status: 'in_progress', rag: 'red', n: 2 },
      { status: 'done', rag: 'green', n: 7 },
      { status: 'planned', rag: 'green', n: 1 },
    ],
    milestones: [
      { state: 'onTime' as const, n: 14 },
      { state: 'late' as const, n: 5 },
      { state: 'overdue' as const, n: 6 },
      { state: 'notYetDue' as const, n: 3 },
    ],
  };

  it('gives actions by status and RAG as one table with its totals', () => {
    const [actions] = programmeFigures(counts, { to: '2025-06-30' }, '2025-06-30');
    expect(actions!.columns.map((c) => c.key)).toEqual(['green', 'amber', 'red', 'total']);
    expect(actions!.rows.map((r) => r.key)).toEqual(['planned', 'in_progress', 'done', 'paused', 'dropped']);
    expect(actions!.totals!.cells.at(-1)).toEqual({ state: 'shown', value: 25 });
    for (const r of [...actions!.rows, actions!.totals!]) noLoneHidden(r.cells, r.key);
    for (const c of [0, 1, 2, 3])
      noLoneHidden([...actions!.rows.map((r) => r.cells[c]!), actions!.totals!.cells[c]!], `column ${c}`);
    for (const v of shownValues(actions!)) expect(v === 0 || v >= 5).toBe(true);
    expect(t(actions!.rows[1]!.label)).toBe('In progress');
  });

  it('lists milestones not yet due only when the range reaches today', () => {
    const current = programmeFigures(counts, { to: '2025-06-30' }, '2025-06-30')[1]!;
    expect(current.rows.map((r) => r.key)).toEqual(['onTime', 'late', 'overdue', 'notYetDue']);
    expect(current.totals!.cells[0]).toEqual({ state: 'shown', value: 28 });
    const past = programmeFigures(
      { ...counts, milestones: counts.milestones.filter((m) => m.state !== 'notYetDue') },
      { to: '2025-05-31' },
      '2025-06-30',
    )[1]!;
    expect(past.rows.map((r) => r.key)).toEqual(['onTime', 'late', 'overdue']);
    expect(past.totals!.cells[0]).toEqual({ state: 'shown', value: 25 });
  });
});

describe('the tension panel', () => {
  const reports = [
    { areaId: 'castle', reportedOn: '2025-06-02', reviewDate: '2025-06-30', level: 'low' as const },
    { areaId: 'castle', reportedOn: '2025-06-24', reviewDate: '2025-07-01', level: 'medium' as const },
    { areaId: 'abbey', reportedOn: '2025-06-10', reviewDate: '2025-06-12', level: 'high' as const },
  ];
  const picture = weeklyPicture(reports, '2025-06-25', 6);
  const names = new Map([
    ['castle', 'Castle'],
    ['abbey', 'Abbey'],
  ]);

  it('shows each area’s level per week and its trend as named categories', () => {
    const f = tensionFigure(picture, names);
    expect(f.id).toBe('tension-picture');
    const rendered = renderFigure(f, t, 'en');
    expect(rendered.columns.at(-1)!.label).toBe('Trend');
    // Weekly columns stay weekly even on a monthly dashboard.
    expect(renderFigure(f, t, 'en', { monthly: true }).columns[5]!.label).toBe('23 Jun');
    const castle = rendered.rows.find((r) => r.label === 'Castle')!;
    expect(castle.cells.map((c) => c.text)).toEqual([
      'None reported',
      'None reported',
      'Low',
      'Low',
      'Low',
      'Medium',
      'Rising',
    ]);
    const abbey = rendered.rows.find((r) => r.label === 'Abbey')!;
    expect(abbey.cells.slice(-2).map((c) => c.text)).toEqual(['None reported', 'Steady']);
    // The chart draws this week's level on a scale up to critical, each bar named, not numbered.
    expect(f.charts).toEqual([{ kind: 'bar', from: 5, max: 4 }]);
    expect(rendered.charts[0]).toContain('>Medium</text>');
    expect(rendered.charts[0]).toContain('<title id="chart-tension-picture-0-title">');
  });

  it('has no chart, only an empty table, when no area has tension', () => {
    const f = tensionFigure({ weeks: picture.weeks, areas: [] }, names);
    expect(f.rows).toEqual([]);
    expect(f.charts).toEqual([]);
  });
});
