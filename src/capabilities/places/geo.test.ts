import { describe, expect, it } from 'vitest';
import {
  bboxOf,
  inBBox,
  locate,
  pointInMultiPolygon,
  pointInPolygon,
  ringSide,
  type Polygon,
} from './geo.js';

const square = (x0: number, y0: number, size: number) =>
  [
    [x0, y0],
    [x0 + size, y0],
    [x0 + size, y0 + size],
    [x0, y0 + size],
    [x0, y0],
  ] as [number, number][];

/** A 10×10 square with a 4×4 hole in the middle. */
const withHole: Polygon = [square(0, 0, 10), square(3, 3, 4)];

describe('point in polygon', () => {
  it('finds points inside and outside a simple square', () => {
    expect(pointInPolygon(5, 5, [square(0, 0, 10)])).toBe(true);
    expect(pointInPolygon(11, 5, [square(0, 0, 10)])).toBe(false);
    expect(pointInPolygon(-0.001, 5, [square(0, 0, 10)])).toBe(false);
  });

  it('treats a hole as outside, and the ring around it as inside', () => {
    expect(pointInPolygon(5, 5, withHole)).toBe(false);
    expect(pointInPolygon(1, 1, withHole)).toBe(true);
    expect(pointInPolygon(8, 5, withHole)).toBe(true);
  });

  it('counts points on an edge or a vertex as inside, including the edge of a hole', () => {
    expect(ringSide(10, 5, square(0, 0, 10))).toBe('edge');
    expect(ringSide(0, 0, square(0, 0, 10))).toBe('edge');
    expect(pointInPolygon(10, 5, withHole)).toBe(true);
    expect(pointInPolygon(3, 5, withHole)).toBe(true);
    expect(pointInPolygon(0, 10, withHole)).toBe(true);
  });

  it('handles a ray passing exactly through a vertex (counted once)', () => {
    // A diamond: the ray east from (0, 0) passes through the vertex at (2, 0).
    const diamond: [number, number][] = [
      [2, 0],
      [0, 2],
      [-2, 0],
      [0, -2],
      [2, 0],
    ];
    expect(pointInPolygon(0, 0, [diamond])).toBe(true);
    expect(pointInPolygon(-3, 0, [diamond])).toBe(false);
  });

  it('handles concave shapes', () => {
    // A "U": the notch between the arms is outside.
    const u: [number, number][] = [
      [0, 0],
      [6, 0],
      [6, 6],
      [4, 6],
      [4, 2],
      [2, 2],
      [2, 6],
      [0, 6],
      [0, 0],
    ];
    expect(pointInPolygon(3, 4, [u])).toBe(false);
    expect(pointInPolygon(1, 4, [u])).toBe(true);
    expect(pointInPolygon(5, 4, [u])).toBe(true);
    expect(pointInPolygon(3, 1, [u])).toBe(true);
  });

  it('checks every polygon of a MultiPolygon (a ward with an island)', () => {
    const island = [[square(0, 0, 1)], [square(5, 5, 1)]];
    expect(pointInMultiPolygon(5.5, 5.5, island)).toBe(true);
    expect(pointInMultiPolygon(3, 3, island)).toBe(false);
  });
});

describe('bounding boxes and locate', () => {
  it('bounds a MultiPolygon by its outer rings', () => {
    const box = bboxOf([withHole, [square(20, -5, 2)]]);
    expect(box).toEqual({ minLng: 0, minLat: -5, maxLng: 22, maxLat: 10 });
    expect(inBBox(box, 21, -4)).toBe(true);
    expect(inBBox(box, 23, 0)).toBe(false);
  });

  it('picks the area holding the point; a shared edge goes to the lowest code, whatever the order', () => {
    const west = { id: 'w', code: 'E2', geometry: [[square(0, 0, 10)]], bbox: bboxOf([[square(0, 0, 10)]]) };
    const east = {
      id: 'e',
      code: 'E1',
      geometry: [[square(10, 0, 10)]],
      bbox: bboxOf([[square(10, 0, 10)]]),
    };
    expect(locate(5, 5, [west, east])?.id).toBe('w');
    expect(locate(15, 5, [west, east])?.id).toBe('e');
    expect(locate(10, 5, [west, east])?.id).toBe('e');
    expect(locate(10, 5, [east, west])?.id).toBe('e');
    expect(locate(25, 5, [west, east])).toBeUndefined();
  });

  it('does not place a point in a bounding box but outside the shape (a hole)', () => {
    const ring = { id: 'r', code: 'R', geometry: [withHole], bbox: bboxOf([withHole]) };
    expect(locate(5, 5, [ring])).toBeUndefined();
  });
});
