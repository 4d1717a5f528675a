/**
 * Plane geometry on longitude/latitude, enough for "which ward is this point in?". Areas are a few
 * kilometres across, so treating degrees as a flat plane is exact enough for containment (a ring's
 * edges are straight lines in the same coordinates the boundary file was drawn in).
 */

/** [longitude, latitude], WGS84, as GeoJSON orders them. */
export type Position = [number, number];
/** A closed ring: the first position is repeated at the end. */
export type Ring = Position[];
/** The outer ring first, then any holes. */
export type Polygon = Ring[];
/** Every boundary is stored as a MultiPolygon, so a ward with an island is no special case. */
export type MultiPolygon = Polygon[];

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export function bboxOf(shape: MultiPolygon): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of shape) {
    // Holes lie inside the outer ring, so the outer ring alone bounds the polygon.
    for (const [lng, lat] of polygon[0] ?? []) {
      if (lng < minLng) minLng = lng;
      if (lng > maxLng) maxLng = lng;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { minLng, minLat, maxLng, maxLat };
}

export function unionBBox(boxes: readonly BBox[]): BBox | undefined {
  if (boxes.length === 0) return undefined;
  return {
    minLng: Math.min(...boxes.map((b) => b.minLng)),
    minLat: Math.min(...boxes.map((b) => b.minLat)),
    maxLng: Math.max(...boxes.map((b) => b.maxLng)),
    maxLat: Math.max(...boxes.map((b) => b.maxLat)),
  };
}

export function inBBox(box: BBox, lng: number, lat: number): boolean {
  return lng >= box.minLng && lng <= box.maxLng && lat >= box.minLat && lat <= box.maxLat;
}

/** About a millimetre on the ground: closer than this to an edge counts as on it. */
const EPSILON = 1e-9;

function onSegment(lng: number, lat: number, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (lat - a[1]) - (b[1] - a[1]) * (lng - a[0]);
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > EPSILON * Math.max(length, 1)) return false;
  return (
    lng >= Math.min(a[0], b[0]) - EPSILON &&
    lng <= Math.max(a[0], b[0]) + EPSILON &&
    lat >= Math.min(a[1], b[1]) - EPSILON &&
    lat <= Math.max(a[1], b[1]) + EPSILON
  );
}

/** Where a point lies relative to one ring: inside, outside, or on its edge. */
export function ringSide(lng: number, lat: number, ring: Ring): 'inside' | 'outside' | 'edge' {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (onSegment(lng, lat, a, b)) return 'edge';
    // Ray casting to the east: count the edges that straddle the point's latitude to its right. The
    // half-open test (one end strictly above, the other not) counts a vertex on the ray exactly once.
    if (a[1] > lat !== b[1] > lat) {
      const crossesAt = a[0] + ((lat - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (lng < crossesAt) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/**
 * A point is in a polygon when it is inside (or on) the outer ring and not strictly inside a hole.
 * Boundaries count as inside: a point on the line between two wards belongs to one of them, and the
 * caller decides which (see locate()).
 */
export function pointInPolygon(lng: number, lat: number, polygon: Polygon): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || ringSide(lng, lat, outer) === 'outside') return false;
  return holes.every((hole) => ringSide(lng, lat, hole) !== 'inside');
}

export function pointInMultiPolygon(lng: number, lat: number, shape: MultiPolygon): boolean {
  return shape.some((polygon) => pointInPolygon(lng, lat, polygon));
}

export interface Located {
  id: string;
  code: string;
  bbox: BBox;
  geometry: MultiPolygon;
}

/**
 * The area containing a point, or undefined. The bounding box rules most areas out cheaply; a point
 * exactly on a shared edge goes to the area with the lowest code, so the answer never depends on
 * the order rows came back in.
 */
export function locate<T extends Located>(lng: number, lat: number, areas: readonly T[]): T | undefined {
  const hits = areas.filter((a) => inBBox(a.bbox, lng, lat) && pointInMultiPolygon(lng, lat, a.geometry));
  return hits.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))[0];
}
