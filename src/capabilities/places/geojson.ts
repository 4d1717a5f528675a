import { bboxOf, type BBox, type MultiPolygon, type Polygon, type Position, type Ring } from './geo.js';

/**
 * Reading a boundary file: GeoJSON (RFC 7946) as ONS and others publish it. Everything is checked
 * before anything is stored, and each problem names the feature it is in, so an admin can fix the
 * file. Problems are translation keys under places.import.problems with their values.
 */

export interface BoundaryFeature {
  code: string | undefined;
  name: string | undefined;
  geometry: MultiPolygon;
  bbox: BBox;
}

export interface ImportProblem {
  key:
    | 'empty'
    | 'tooLarge'
    | 'notJson'
    | 'notGeoJson'
    | 'noFeatures'
    | 'tooManyFeatures'
    | 'noGeometry'
    | 'unsupportedGeometry'
    | 'badCoordinates'
    | 'notLongitudeLatitude'
    | 'wrongCrs'
    | 'ringTooShort'
    | 'ringNotClosed'
    | 'noCodeOrName'
    | 'duplicateCode';
  vars?: Record<string, string | number>;
}

export type ParseResult = { ok: true; features: BoundaryFeature[] } | { ok: false; problem: ImportProblem };

/** A county's wards at full detail are a few megabytes; far beyond that is the wrong file. */
export const MAX_BYTES = 25 * 1024 * 1024;
export const MAX_FEATURES = 5000;

/** ONS property names: WD13CD / WD13NM, WD23CD, LAD21CD, LSOA21CD… then common plain names. */
const CODE_KEY = /^[A-Z]{2,5}\d{2}CD$/;
const NAME_KEY = /^[A-Z]{2,5}\d{2}NM$/;
const PLAIN_CODE_KEYS = ['code', 'CODE', 'id', 'ID', 'gss_code', 'GSS_CODE'];
const PLAIN_NAME_KEYS = ['name', 'NAME', 'Name'];
/** Names a CRS member may give for plain longitude/latitude. */
const WGS84 = /(CRS84|EPSG:?:?4326|crs:84)$/i;

/** Six decimal places is about 10 cm: far finer than any ward boundary, and a third of the storage. */
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

class Refused extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.key);
  }
}

const refuse = (key: ImportProblem['key'], vars?: ImportProblem['vars']): never => {
  throw new Refused(vars ? { key, vars } : { key });
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pickProperty(
  props: Record<string, unknown>,
  pattern: RegExp,
  plain: string[],
  chosen: string | undefined,
): string | undefined {
  const keys = chosen
    ? [chosen]
    : [
        ...Object.keys(props)
          .filter((k) => pattern.test(k))
          .sort(),
        ...plain,
      ];
  for (const k of keys) {
    const v = props[k];
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim();
  }
  return undefined;
}

function position(v: unknown, where: Record<string, string | number>): Position {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number')
    return refuse('badCoordinates', where);
  const [lng, lat] = v as number[];
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return refuse('badCoordinates', where);
  // British National Grid eastings/northings are in the hundreds of thousands: the commonest mistake.
  if (Math.abs(lng!) > 180 || Math.abs(lat!) > 90) return refuse('notLongitudeLatitude', where);
  return [round6(lng!), round6(lat!)];
}

function ring(v: unknown, where: Record<string, string | number>): Ring {
  if (!Array.isArray(v)) return refuse('badCoordinates', where);
  const points = v.map((p) => position(p, where));
  if (points.length < 4) return refuse('ringTooShort', where);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return refuse('ringNotClosed', where);
  return points;
}

function polygon(v: unknown, where: Record<string, string | number>): Polygon {
  if (!Array.isArray(v) || v.length === 0) return refuse('badCoordinates', where);
  return v.map((r) => ring(r, where));
}

function geometryOf(v: unknown, where: Record<string, string | number>): MultiPolygon {
  if (!isObject(v)) return refuse('noGeometry', where);
  if (v.type === 'Polygon') return [polygon(v.coordinates, where)];
  if (v.type === 'MultiPolygon') {
    if (!Array.isArray(v.coordinates) || v.coordinates.length === 0) return refuse('badCoordinates', where);
    return v.coordinates.map((p) => polygon(p, where));
  }
  return refuse('unsupportedGeometry', { ...where, type: String(v.type) });
}

/**
 * Parses and checks a boundary file. `codeProperty`/`nameProperty` name the properties to use when
 * the file does not follow ONS naming; otherwise they are found (WD13CD, WD13NM, code, name…).
 */
export function parseBoundaries(
  text: string,
  options: { codeProperty?: string | undefined; nameProperty?: string | undefined } = {},
): ParseResult {
  try {
    if (text.trim() === '') return refuse('empty');
    if (Buffer.byteLength(text) > MAX_BYTES)
      return refuse('tooLarge', { megabytes: MAX_BYTES / 1024 / 1024 });
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return refuse('notJson');
    }
    if (!isObject(data)) return refuse('notGeoJson');
    // The 2008 GeoJSON spec allowed a named CRS; RFC 7946 files are always longitude/latitude.
    const crsName =
      isObject(data.crs) && isObject(data.crs.properties) ? data.crs.properties.name : undefined;
    if (typeof crsName === 'string' && !WGS84.test(crsName)) return refuse('wrongCrs', { crs: crsName });
    const rawFeatures =
      data.type === 'FeatureCollection' ? data.features : data.type === 'Feature' ? [data] : undefined;
    if (!Array.isArray(rawFeatures)) return refuse('notGeoJson');
    if (rawFeatures.length === 0) return refuse('noFeatures');
    if (rawFeatures.length > MAX_FEATURES) return refuse('tooManyFeatures', { max: MAX_FEATURES });

    const seen = new Set<string>();
    const features = rawFeatures.map((f, index): BoundaryFeature => {
      const number = index + 1;
      if (!isObject(f)) return refuse('notGeoJson');
      const props = isObject(f.properties) ? f.properties : {};
      const code = pickProperty(props, CODE_KEY, PLAIN_CODE_KEYS, options.codeProperty);
      const name = pickProperty(props, NAME_KEY, PLAIN_NAME_KEYS, options.nameProperty);
      const where = { feature: number, name: name ?? code ?? '' };
      if (!code && !name) return refuse('noCodeOrName', { feature: number });
      const geometry = geometryOf(f.geometry, where);
      const key = (code ?? name!).toLowerCase();
      if (seen.has(key)) return refuse('duplicateCode', { feature: number, code: code ?? name! });
      seen.add(key);
      return { code, name, geometry, bbox: bboxOf(geometry) };
    });
    return { ok: true, features };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, problem: err.problem };
    throw err;
  }
}
