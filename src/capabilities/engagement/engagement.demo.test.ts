import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { testConfig } from '../../config.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/index.js';
import { seedDemo } from '../../platform/seed/demo.js';
import { buildServices, type Services } from '../../services.js';

/** The demo's engagement log and tension picture, as the demo officer and a police officer see them. */
let db: Database;
let services: Services;
let officer: Actor;
let police: Actor;

async function query<T>(partnershipId: string, text: string): Promise<T[]> {
  const result = await db.tenant(partnershipId, (tx) => tx.execute(sql.raw(text)));
  return (result as unknown as { rows: T[] }).rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig();
  services = buildServices(db, config);
  await seedDemo(db, services, config);
  const p = await services.partnerships.forHost('localhost');
  const [who] = await query<{ cohesion: string; council: string; police: string; police_org: string }>(
    p.id,
    `select (select id from staff where email = 'cohesion@demo.heard.test') as cohesion,
            (select organisation_id from staff where email = 'cohesion@demo.heard.test') as council,
            (select id from staff where email = 'police@demo.heard.test') as police,
            (select organisation_id from staff where email = 'police@demo.heard.test') as police_org`,
  );
  const actor = (staffId: string, organisationId: string, roles: string[]) => ({
    partnershipId: p.id,
    staffId,
    organisationId,
    roles,
    label: 'demo test',
    correlationId: 'demo-test',
  });
  officer = actor(who!.cohesion, who!.council, ['cohesion_officer']);
  police = actor(who!.police, who!.police_org, ['agency_officer']);
  // Seeding the whole demo partnership takes a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe('demo engagement log', () => {
  it('holds engagements across several wards, with issues raised as concerns on the engagement channel', async () => {
    const [counts] = await query<{ engagements: number; wards: number; concerns: number; referrals: number }>(
      officer.partnershipId,
      `select (select count(*)::int from engagements) as engagements,
              (select count(distinct area_id)::int from engagements) as wards,
              (select count(*)::int from concerns where channel = 'engagement' and source like 'engagement: %') as concerns,
              (select count(*)::int from engagement_referrals) as referrals`,
    );
    expect(counts!.engagements).toBe(60);
    expect(counts!.wards).toBeGreaterThanOrEqual(10);
    expect(counts!.concerns).toBeGreaterThan(30);
    expect(counts!.referrals).toBeGreaterThan(20);
  });

  it('gives the demo officer follow-ups, recent engagements and open referrals', async () => {
    const view = await services.engagement.dashboard(officer);
    if (!view.ok) throw new Error('refused');
    expect(view.recent.length).toBe(10);
    expect(view.followUps.length).toBeGreaterThan(0);
    expect(view.followUps.some((f) => f.overdue)).toBe(true);
    expect(view.openReferrals.length).toBeGreaterThan(0);
  });

  it('leaves most wards without contact in the last 8 weeks, for the manager view', async () => {
    const coverage = await services.engagement.coverage(officer, { weeks: 8, months: 6 });
    if (!coverage.ok) throw new Error('refused');
    expect(coverage.noContact.length).toBeGreaterThan(50);
    expect(coverage.noContact.length).toBeLessThan(coverage.areaCount);
    expect(coverage.byType.every((t) => t.total > 0)).toBe(true);
  });
});

describe('demo tension picture', () => {
  it('has one area at medium this week, others low, and sent no escalation', async () => {
    const picture = await services.tension.picture(police, 6);
    if (!picture.ok) throw new Error('refused');
    const current = picture.areas.map((a) => [a.areaName, a.current, a.trend]);
    expect(current.filter(([, level]) => level === 'medium')).toEqual([['Castle', 'medium', 'rising']]);
    expect(current.filter(([, level]) => level === 'high' || level === 'critical')).toEqual([]);
    expect(picture.areas.length).toBeGreaterThanOrEqual(3);
    const [mail] = await query<{ n: number }>(
      officer.partnershipId,
      `select count(*)::int as n from outbox where purpose = 'tension.escalation'`,
    );
    expect(Number(mail!.n)).toBe(0);
  });
});
