import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/platform/db/index.js';
import { buildServices, type Services } from '../../src/services.js';
import { authRepository } from '../../src/platform/auth/auth.repository.js';
import { hashToken, newSecretToken } from '../../src/platform/auth/tokens.js';
import { SESSION_IDLE_MS } from '../../src/platform/auth/auth.service.js';
import { SESSION_COOKIE } from '../../src/platform/auth/auth.plugin.js';
import { createTestDatabase } from './db.js';
import { createTestPartnership } from './fixtures.js';

export type TestPartnership = Awaited<ReturnType<typeof createTestPartnership>>;

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  services: Services;
  /** Partnership A serves any host; partnership B serves b.heard.test. */
  a: TestPartnership;
  b: TestPartnership;
  /** A browser-like client: keeps cookies and sends each form's CSRF token. */
  client(options?: { host?: string }): TestClient;
  /** A client already signed in (session created directly; the sign-in pages have their own tests). */
  signedIn(partnership: TestPartnership, local: string): Promise<TestClient>;
  close(): Promise<void>;
}

export async function buildTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const a = await createTestPartnership(db, 'a');
  const b = await createTestPartnership(db, 'b', ['b.heard.test']);
  const config = testConfig(overrides);
  const services = buildServices(db, config);
  const app = await buildApp({ config, db, services });
  await app.ready();
  const client = (options: { host?: string } = {}) => new TestClient(app, options.host);
  return {
    app,
    db,
    config,
    services,
    a,
    b,
    client,
    async signedIn(partnership, local) {
      const staffId = partnership.staff[partnership.email(local)];
      if (!staffId) throw new Error(`No test account ${local} in ${partnership.id}`);
      const token = newSecretToken();
      await db.tenant(partnership.id, (tx) =>
        authRepository.insertSession(tx, {
          partnershipId: partnership.id,
          staffId,
          tokenHash: hashToken(token),
          stage: 'full',
          expiresAt: new Date(Date.now() + SESSION_IDLE_MS),
        }),
      );
      const c = client();
      c.cookies.set(SESSION_COOKIE, token);
      return c;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly host?: string,
  ) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.host) headers.host = this.host;
    const res = await this.app.inject({ ...options, headers });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1];
    return res;
  }

  get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url, headers });
  }

  /** Posts a form as a browser would, with the CSRF token from the last page (fetching one if needed). */
  async post(url: string, form: Record<string, string | string[]> = {}): Promise<LightMyRequestResponse> {
    // The Check progress page always carries a form, and so a CSRF token.
    if (!this.csrf) await this.get('/progress');
    const body = new URLSearchParams();
    body.append('_csrf', this.csrf ?? '');
    for (const [k, v] of Object.entries(form))
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  /** JSON API call using the session cookie, with the CSRF header for unsafe methods. */
  async api(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> {
    if (method !== 'GET' && !this.csrf) await this.get('/progress');
    return this.request({
      method,
      url,
      headers:
        method === 'GET' ? {} : { 'x-csrf-token': this.csrf ?? '', 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  }
}
