import { z } from 'zod';
import { normaliseReference } from '../concerns/reference.js';
import { AFFECTED_GROUPS, isOneOf, TOPICS, type AffectedGroup, type Topic } from '../concerns/vocabulary.js';
import type { Open311Submission } from './open311.service.js';

/**
 * Parsing what Open311 clients send. Problems are returned as an HTTP status and a translation key
 * (under open311.errors) for the spec's error body; nothing here throws.
 */
export interface Problem {
  status: 400 | 403 | 404;
  key: string;
  vars?: Record<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const bad = (key: string, vars?: Record<string, string>): { ok: false; problem: Problem } => ({
  ok: false,
  problem: { status: 400, key, ...(vars ? { vars } : {}) },
});

/** The attributes every service accepts, in the order clients should show them. */
export const ATTRIBUTES = [
  { code: 'when', datatype: 'string', values: [] as readonly string[] },
  { code: 'affected_groups', datatype: 'multivaluelist', values: AFFECTED_GROUPS },
  { code: 'anonymous', datatype: 'singlevaluelist', values: ['yes', 'no'] },
] as const;

const LIMITS = {
  description: 5000,
  address_string: 500,
  first_name: 100,
  last_name: 100,
  when: 200,
  media_url: 2000,
  device_id: 200,
  account_id: 200,
};

const SCALARS = [
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
] as const;

const emailShape = z.email();
const PHONE = /^\+?[0-9 ()-]{7,30}$/;
/** A plain decimal: no exponents, hex or spaces, which Number() would otherwise accept. */
const DECIMAL = /^-?\d{1,3}(\.\d{1,15})?$/;
const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\])?$/;

function coordinate(text: string, max: number): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Math.abs(n) <= max ? n : undefined;
}

/** CRLF (and lone CR) become LF, and leading and trailing space goes. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/** The api_key, from the body or (as some clients send it) the query string. */
export function apiKeyOf(body: URLSearchParams, query: unknown): string | undefined {
  const fromBody = body.get('api_key');
  if (fromBody) return fromBody;
  const q = (query ?? {}) as Record<string, unknown>;
  return typeof q.api_key === 'string' && q.api_key !== '' ? q.api_key : undefined;
}

/** The requested service, checked before the rest so an unknown one is a 404, as clients expect. */
export function serviceCodeOf(body: URLSearchParams): Parsed<Topic> | { ok: false; problem: Problem } {
  const codes = body.getAll('service_code');
  if (codes.length > 1) return bad('open311.errors.repeated', { field: 'service_code' });
  const code = (codes[0] ?? '').trim();
  if (!code) return bad('open311.errors.serviceCodeRequired');
  if (!isOneOf(TOPICS, code))
    return { ok: false, problem: { status: 404, key: 'open311.errors.serviceUnknown' } };
  return { ok: true, value: code };
}

/** POST requests: a form body, with attribute[code] and attribute[code][] for the service's attributes. */
export function parseSubmission(body: URLSearchParams, topic: Topic): Parsed<Open311Submission> {
  const one: Partial<Record<(typeof SCALARS)[number], string>> = {};
  const attributes = new Map<string, string[]>();
  for (const name of new Set(body.keys())) {
    const values = body.getAll(name);
    const attribute = ATTRIBUTE.exec(name);
    if (attribute) {
      const code = attribute[1]!;
      attributes.set(code, [...(attributes.get(code) ?? []), ...values]);
      continue;
    }
    if ((SCALARS as readonly string[]).includes(name)) {
      if (values.length > 1) return bad('open311.errors.repeated', { field: name });
      const value = clean(values[0]!);
      if (value !== '') one[name as (typeof SCALARS)[number]] = value;
    }
    // Anything else is not part of the spec and is ignored, as the spec asks of servers.
  }

  for (const [field, max] of Object.entries(LIMITS)) {
    const value = one[field as keyof typeof one];
    if (value !== undefined && value.length > max)
      return bad('open311.errors.tooLong', { field, max: String(max) });
  }

  const description = one.description;
  if (!description) return bad('open311.errors.descriptionRequired');

  let latitude: number | undefined;
  let longitude: number | undefined;
  if (one.lat !== undefined || one.long !== undefined) {
    if (one.lat === undefined || one.long === undefined) return bad('open311.errors.latLongPair');
    latitude = coordinate(one.lat, 90);
    longitude = coordinate(one.long, 180);
    if (latitude === undefined) return bad('open311.errors.latInvalid');
    if (longitude === undefined) return bad('open311.errors.longInvalid');
  }

  if (one.email !== undefined && !emailShape.safeParse(one.email).success)
    return bad('open311.errors.emailInvalid');
  if (one.phone !== undefined && !PHONE.test(one.phone)) return bad('open311.errors.phoneInvalid');
  if (one.media_url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(one.media_url);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || /\s/.test(one.media_url))
      return bad('open311.errors.mediaUrlInvalid');
  }

  const whenValues = attributes.get('when') ?? [];
  if (whenValues.length > 1) return bad('open311.errors.repeated', { field: 'attribute[when]' });
  const whenText = whenValues[0] === undefined ? undefined : clean(whenValues[0]) || undefined;
  if (whenText && whenText.length > LIMITS.when)
    return bad('open311.errors.tooLong', { field: 'attribute[when]', max: String(LIMITS.when) });

  const groups = (attributes.get('affected_groups') ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const affectedGroups: AffectedGroup[] = [];
  for (const g of groups.filter((v) => v !== '')) {
    if (!isOneOf(AFFECTED_GROUPS, g))
      return bad('open311.errors.attributeValue', { code: 'affected_groups' });
    if (!affectedGroups.includes(g)) affectedGroups.push(g);
  }

  const anonymousValues = attributes.get('anonymous') ?? [];
  if (anonymousValues.length > 1) return bad('open311.errors.repeated', { field: 'attribute[anonymous]' });
  const anonymousValue = anonymousValues[0]?.trim().toLowerCase();
  if (anonymousValue !== undefined && anonymousValue !== '' && !['yes', 'no'].includes(anonymousValue))
    return bad('open311.errors.attributeValue', { code: 'anonymous' });

  return {
    ok: true,
    value: {
      topic,
      description,
      latitude,
      longitude,
      addressString: one.address_string,
      email: one.email,
      phone: one.phone,
      firstName: one.first_name,
      lastName: one.last_name,
      mediaUrl: one.media_url,
      whenText,
      affectedGroups,
      anonymous: anonymousValue === 'yes',
    },
  };
}

// -----------------------------------------------------------------------------------------------
// GET requests and updates

/**
 * W3C date-times (ISO 8601 with a zone), or a bare date meaning midnight UTC. A '+' in a query
 * string that was not percent-encoded arrives as a space, so " 01:00" is read as "+01:00".
 */
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function parseDate(text: unknown): Parsed<Date | undefined> {
  if (text === undefined || text === '') return { ok: true, value: undefined };
  if (typeof text !== 'string') return bad('open311.errors.dateInvalid');
  const fixed = text.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  if (!W3C.test(fixed)) return bad('open311.errors.dateInvalid');
  const date = new Date(fixed);
  return Number.isNaN(date.getTime()) ? bad('open311.errors.dateInvalid') : { ok: true, value: date };
}

function commaList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return parts.length > 0 ? parts : undefined;
}

export interface RequestsQuery {
  references?: string[] | undefined;
  topics?: string[] | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  states?: ('open' | 'closed')[] | undefined;
}

/** At most this many ids in one call; more is a mistake or a scrape. */
const MAX_IDS = 100;

export function parseRequestsQuery(query: unknown): Parsed<RequestsQuery> {
  const q = (query ?? {}) as Record<string, unknown>;
  const ids = commaList(q.service_request_id);
  if (ids && ids.length > MAX_IDS) return bad('open311.errors.tooManyIds', { max: String(MAX_IDS) });
  const start = parseDate(q.start_date);
  if (!start.ok) return start;
  const end = parseDate(q.end_date);
  if (!end.ok) return end;
  const states = commaList(q.status)?.map((s) => s.toLowerCase());
  if (states && states.some((s) => s !== 'open' && s !== 'closed'))
    return bad('open311.errors.statusInvalid');
  return {
    ok: true,
    value: {
      // An id that is not a well-formed reference cannot match anything; it is simply not found.
      references: ids?.map((id) => normaliseReference(id) ?? '').filter((r) => r !== ''),
      topics: commaList(q.service_code),
      start: start.value,
      end: end.value,
      states: states as ('open' | 'closed')[] | undefined,
    },
  };
}

/** "ABCD-EFGH-JKM.json" → the reference and the format; undefined when either is not right. */
export function splitFile(file: string): { name: string; format: 'xml' | 'json' } | undefined {
  const match = /^(.+)\.(xml|json)$/.exec(file);
  if (!match) return undefined;
  return { name: match[1]!, format: match[2] as 'xml' | 'json' };
}

export const adminKeyForm = z.object({
  name: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .pipe(
      z.string().min(1, 'open311.admin.errors.nameRequired').max(100, 'open311.admin.errors.nameTooLong'),
    ),
});

export const adminServicesForm = z.object({
  topics: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '' && x !== '_none'),
    )
    .pipe(z.array(z.enum(TOPICS, { error: 'open311.admin.errors.topicInvalid' }))),
});
