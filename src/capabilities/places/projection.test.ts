import { describe, expect, it } from 'vitest';
import { bandOf, bandsFor } from './choropleth.js';
import { project } from './projection.js';

const rect = (x0: number, y0: number, w: number, h: number) => [
  [
    [
      [x0, y0],
      [x0 + w, y0],
      [x0 + w, y0 + h],
      [x0, y0 + h],
      [x0, y0],
    ] as [number, number][],
  ],
];

describe('projection', () => {
  it('scales longitude by cos(latitude), so a square on the ground stays square on the map', () => {
    // At 60°N a degree of longitude is half a degree of latitude: 2° × 1° is a square.
    const { width, height, shapes } = project([{ id: 'a', geometry: rect(0, 59.5, 2, 1) }], {
      width: 200,
      padding: 0,
      minStep: 0,
    });
    expect(width).toBe(200);
    expect(height).toBeCloseTo(200, -1);
    expect(shapes[0]!.d.startsWith('M0 ')).toBe(true);
  });

  it('puts north at the top and fits everything inside the view box', () => {
    const { width, height, shapes } = project(
      [
        { id: 'south', geometry: rect(-1, 52, 0.5, 0.2) },
        { id: 'north', geometry: rect(-1, 52.5, 0.5, 0.2) },
      ],
      { width: 400, padding: 10 },
    );
    const ys = (d: string) => [...d.matchAll(/(-?[\d.]+) (-?[\d.]+)/g)].map((m) => Number(m[2]));
    const xs = (d: string) => [...d.matchAll(/(-?[\d.]+) (-?[\d.]+)/g)].map((m) => Number(m[1]));
    const north = shapes.find((s) => s.id === 'north')!;
    const south = shapes.find((s) => s.id === 'south')!;
    expect(Math.max(...ys(north.d))).toBeLessThan(Math.min(...ys(south.d)));
    for (const s of shapes) {
      expect(Math.min(...xs(s.d))).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs(s.d))).toBeLessThanOrEqual(width);
      expect(Math.min(...ys(s.d))).toBeGreaterThanOrEqual(0);
      expect(Math.max(...ys(s.d))).toBeLessThanOrEqual(height);
    }
  });

  it('draws holes as their own subpath (filled even-odd) and keeps a tiny ring visible', () => {
    const withHole = [
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
        [
          [0.4, 0.4],
          [0.6, 0.4],
          [0.6, 0.6],
          [0.4, 0.6],
          [0.4, 0.4],
        ],
      ],
    ] as [number, number][][][];
    const speck = rect(5, 0, 0.00001, 0.00001);
    const { shapes } = project([
      { id: 'h', geometry: withHole },
      { id: 's', geometry: speck },
    ]);
    expect(shapes[0]!.d.match(/M/g)).toHaveLength(2);
    expect(shapes[1]!.d).toMatch(/^M[\d.]+ [\d.]+h1v1h-1Z$/);
  });
});

describe('choropleth bands', () => {
  it('gives small and withheld cells their own bands, and ranges that cover every shown value', () => {
    const cells = [
      { state: 'small' as const },
      { state: 'withheld' as const },
      ...[5, 6, 9, 12, 20, 40].map((value) => ({ state: 'shown' as const, value })),
    ];
    const bands = bandsFor(cells, 4);
    expect(bands.map((b) => b.id)).toEqual(['small', 'range-1', 'range-2', 'range-3', 'range-4', 'withheld']);
    const ranges = bands.filter((b) => b.kind === 'range');
    expect(ranges[0]!.from).toBe(5);
    expect(ranges[ranges.length - 1]!.to).toBe(40);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to! + 1);
    for (const c of cells) expect(bands).toContain(bandOf(c, bands));
    expect(bandOf({ state: 'shown', value: 40 }, bands).id).toBe('range-4');
    // Each band differs by pattern as well as by shade.
    expect(new Set(bands.map((b) => b.pattern)).size).toBe(bands.length);
  });

  it('never makes more ranges than there are distinct values', () => {
    const bands = bandsFor([7, 7, 7].map((value) => ({ state: 'shown' as const, value })));
    expect(bands).toHaveLength(1);
    expect(bands[0]).toMatchObject({ from: 7, to: 7 });
  });
});
