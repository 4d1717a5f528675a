import { bboxOf, unionBBox, type MultiPolygon } from './geo.js';

/**
 * Longitude/latitude to SVG coordinates. An equirectangular projection with longitude scaled by the
 * cosine of the map's middle latitude is true to shape over a county (a degree of longitude in
 * Northamptonshire is about 0.61 of a degree of latitude) and needs no tile server or library.
 */

export interface Shape {
  id: string;
  geometry: MultiPolygon;
}

export interface ProjectedShape {
  id: string;
  /** SVG path data; holes are separate subpaths, drawn with fill-rule evenodd. */
  d: string;
  /** A point inside the shape's bounding box centre, for labels. */
  centre: [number, number];
}

export interface Projection {
  width: number;
  height: number;
  shapes: ProjectedShape[];
}

export interface ProjectionOptions {
  width?: number;
  maxHeight?: number;
  padding?: number;
  /** Points closer than this many pixels to the last one drawn are left out: same picture, smaller page. */
  minStep?: number;
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export function project(shapes: readonly Shape[], options: ProjectionOptions = {}): Projection {
  const width = options.width ?? 800;
  const maxHeight = options.maxHeight ?? 900;
  const padding = options.padding ?? 10;
  const minStep = options.minStep ?? 0.6;
  const box = unionBBox(shapes.map((s) => bboxOf(s.geometry)));
  if (!box) return { width, height: 0, shapes: [] };
  const midLat = (box.minLat + box.maxLat) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const worldWidth = Math.max((box.maxLng - box.minLng) * kx, 1e-9);
  const worldHeight = Math.max(box.maxLat - box.minLat, 1e-9);
  let scale = (width - 2 * padding) / worldWidth;
  if (worldHeight * scale + 2 * padding > maxHeight) scale = (maxHeight - 2 * padding) / worldHeight;
  const height = Math.ceil(worldHeight * scale + 2 * padding);
  // Centre horizontally when the height was the limit.
  const offsetX = (width - worldWidth * scale) / 2;
  const x = (lng: number) => offsetX + (lng - box.minLng) * kx * scale;
  const y = (lat: number) => padding + (box.maxLat - lat) * scale;

  return {
    width,
    height,
    shapes: shapes.map((s) => {
      const parts: string[] = [];
      for (const polygon of s.geometry) {
        for (const ring of polygon) {
          const points: [number, number][] = [];
          for (const [lng, lat] of ring) {
            const p: [number, number] = [x(lng), y(lat)];
            const last = points[points.length - 1];
            if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= minStep) points.push(p);
          }
          // A ring smaller than a pixel or two still gets drawn as a speck rather than vanishing.
          if (points.length < 3) {
            const [lng, lat] = ring[0]!;
            const px = x(lng);
            const py = y(lat);
            parts.push(`M${fmt(px)} ${fmt(py)}h1v1h-1Z`);
            continue;
          }
          parts.push(`M${points.map(([px, py]) => `${fmt(px)} ${fmt(py)}`).join('L')}Z`);
        }
      }
      const b = bboxOf(s.geometry);
      return {
        id: s.id,
        d: parts.join(''),
        centre: [x((b.minLng + b.maxLng) / 2), y((b.minLat + b.maxLat) / 2)],
      };
    }),
  };
}
