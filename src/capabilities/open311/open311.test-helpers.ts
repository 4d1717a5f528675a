import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp, TestPartnership } from '../../../test/helpers/app.js';
import { createOpen311Service } from './open311.service.js';
import { actorFor } from '../concerns/concerns.test-helpers.js';

/** Elements that are lists in the spec, so a single one still parses as an array. */
const LISTS = new Set([
  'request',
  'service',
  'attribute',
  'value',
  'format',
  'endpoint',
  'error',
  'request_update',
]);

const parser = new XMLParser({
  ignoreDeclaration: true,
  // Text stays text (no numbers), so it can be compared with what was posted; the indentation between
  // elements is trimmed away (posted text is trimmed on the way in, so nothing of it is lost).
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => LISTS.has(name),
});

/** Checks the document is well formed and declares UTF-8, then parses it. */
export function parseXml(body: string): Record<string, unknown> {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  expect(XMLValidator.validate(body)).toBe(true);
  return parser.parse(body) as Record<string, unknown>;
}

export function xmlOf(res: LightMyRequestResponse): Record<string, unknown> {
  expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
  return parseXml(res.body);
}

export function jsonOf<T = unknown>(res: LightMyRequestResponse): T {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.body) as T;
}

/** The spec's request element, in its order. */
export const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

export function open311For(t: TestApp) {
  return createOpen311Service(t.db, t.services.concerns);
}

/** A key made as an admin would make one, on the admin page's service. */
export async function createKey(t: TestApp, p: TestPartnership, name = 'Test client'): Promise<string> {
  const outcome = await open311For(t).createKey(actorFor(p, 'admin'), name);
  if (!outcome.ok) throw new Error('could not create a key');
  return outcome.secret;
}

/** Posts a form body exactly as given (the raw string, so CRLF and bracket names are what a client sends). */
export function postRaw(
  t: TestApp,
  url: string,
  payload: string,
  options: { host?: string; contentType?: string } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(options.host ? { host: options.host } : {}),
    },
    payload,
  });
}

export function form(fields: [string, string][]): string {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return body.toString();
}

export function get(t: TestApp, url: string, host?: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers: host ? { host } : {} });
}
