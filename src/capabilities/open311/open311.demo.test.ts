import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { buildApp } from '../../app.js';
import { testConfig } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import { seedDemo } from '../../platform/seed/demo.js';
import { buildServices } from '../../services.js';
import { form, jsonOf, xmlOf } from './open311.test-helpers.js';

/**
 * The demo as a new user meets it: the README's key works, and 18 months of realistic concerns
 * (names, emails, phone numbers, hate incidents) give nothing personal or sensitive away.
 */
let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig();
  const services = buildServices(db, config);
  await seedDemo(db, services, config);
  app = await buildApp({ config, db, services });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: { host: 'localhost:3000' } });

describe('Open311 on the demo partnership', () => {
  it('takes a request with demo-open311-key and reads it back in both formats', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
      payload: form([
        ['api_key', 'demo-open311-key'],
        ['service_code', 'unsafe_place'],
        ['description', 'The subway under the ring road has no working lights.'],
        ['lat', '52.236912'],
        ['long', '-0.897245'],
      ]),
    });
    expect(posted.statusCode).toBe(200);
    const id = jsonOf<{ service_request_id: string }[]>(posted)[0]!.service_request_id;
    const json = jsonOf<{ description: string; lat: number }[]>(await get(`/open311/v2/requests/${id}.json`));
    expect(json[0]).toMatchObject({
      description: 'The subway under the ring road has no working lights.',
      lat: 52.236912,
    });
    const xml = xmlOf(await get(`/open311/v2/requests/${id}.xml`)) as {
      service_requests: { request: { long: string }[] };
    };
    expect(xml.service_requests.request[0]!.long).toBe('-0.897245');
  });

  it('publishes recent demo concerns without any contact details, free text or sensitive topics', async () => {
    const res = await get('/open311/v2/requests.json');
    expect(res.statusCode).toBe(200);
    const requests = jsonOf<{ service_code: string; description: string }[]>(res);
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.length).toBeLessThanOrEqual(1000);
    const codes = new Set(requests.map((r) => r.service_code));
    for (const sensitive of ['hate_harassment', 'hate_disinformation', 'community_tensions'])
      expect(codes.has(sensitive)).toBe(false);

    const secrets = await db.system(async (tx) => {
      const result = await tx.execute(
        sql`select contact_name, contact_email, contact_phone, description from concerns
            where channel <> 'open311' and (contact_name is not null or contact_email is not null or contact_phone is not null)`,
      );
      return (result as unknown as { rows: Record<string, string | null>[] }).rows;
    });
    expect(secrets.length).toBeGreaterThan(0);
    const bodies = [res.body, (await get('/open311/v2/requests.xml')).body];
    for (const row of secrets) {
      for (const value of [row.contact_email, row.contact_phone, row.description]) {
        if (!value) continue;
        for (const body of bodies) expect(body).not.toContain(value);
      }
    }
    const updates = await get('/open311/v2/servicerequestupdates.json');
    expect(updates.statusCode).toBe(200);
    for (const row of secrets) if (row.contact_email) expect(updates.body).not.toContain(row.contact_email);
  });
});
