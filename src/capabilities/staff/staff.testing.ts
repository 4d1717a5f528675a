import type { SQL } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp, TestClient } from '../../../test/helpers/app.js';
import { TEST_PASSWORD, TEST_TOTP_SECRET } from '../../../test/helpers/fixtures.js';
import { totp } from '../../platform/auth/totp.js';

/** Shared steps for the staff capability's tests (not a test file itself). */

export async function rows<T = Record<string, unknown>>(t: TestApp, query: SQL): Promise<T[]> {
  // The system context, so tests can check any partnership's rows directly.
  const r = (await t.db.system((tx) => tx.execute(query))) as { rows: unknown[] };
  return r.rows as T[];
}

export async function count(t: TestApp, query: SQL): Promise<number> {
  const [row] = await rows<{ n: number }>(t, query);
  return Number(row!.n);
}

export function location(res: LightMyRequestResponse): string | undefined {
  const value = res.headers.location;
  return typeof value === 'string' ? value : undefined;
}

/** Email and password through the sign-in page; returns the response to the POST. */
export async function submitPassword(client: TestClient, email: string, password = TEST_PASSWORD) {
  const page = await client.get('/staff/sign-in');
  expect(page.statusCode).toBe(200);
  return client.post('/staff/sign-in', { email, password });
}

/** The whole sign-in through the pages: password, then a code from the authenticator. */
export async function signInThroughPages(
  client: TestClient,
  email: string,
  code: string = totp(TEST_TOTP_SECRET),
): Promise<LightMyRequestResponse> {
  const res = await submitPassword(client, email);
  expect(res.statusCode).toBe(302);
  expect(location(res)).toBe('/staff/sign-in/code');
  const page = await client.get('/staff/sign-in/code');
  expect(page.statusCode).toBe(200);
  return client.post('/staff/sign-in/code', { code });
}

/** The secret shown on the set-up page, without the spaces that group it for reading. */
export function shownSecret(body: string): string {
  const match = /id="totp-secret">([A-Z2-7 ]+)</.exec(body);
  expect(match).not.toBeNull();
  return match![1]!.replace(/\s/g, '');
}

/** An error page or form with errors: GOV.UK error summary and "Error:" in the title. */
export function expectFormError(res: LightMyRequestResponse, ...messages: string[]) {
  expect(res.statusCode).toBe(400);
  expect(res.body).toMatch(/<title>Error: /);
  expect(res.body).toContain('govuk-error-summary');
  for (const m of messages) expect(res.body).toContain(m);
}
