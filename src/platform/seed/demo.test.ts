import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { testConfig } from '../../config.js';
import { buildServices, type Services } from '../../services.js';
import type { Database } from '../db/index.js';
import { TOPICS } from '../../capabilities/concerns/vocabulary.js';
import { STATUSES, isOpen } from '../../capabilities/concerns/workflow.js';
import { normaliseReference } from '../../capabilities/concerns/reference.js';
import { WRITTEN_LANGUAGE_DEMO } from '../../capabilities/concerns/written-language.demo.js';
import { DEMO_SLUG, demoSignIns, seedDemo } from './demo.js';

const config = testConfig();
let db: Database;
let services: Services;
let partnershipId: string;
let first: { name: string; created: boolean };

async function query<T>(text: string): Promise<T[]> {
  const result = await db.tenant(partnershipId, (tx) => tx.execute(sql.raw(text)));
  return (result as unknown as { rows: T[] }).rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  services = buildServices(db, config);
  first = await seedDemo(db, services, config);
  const p = await services.partnerships.forHost('localhost');
  partnershipId = p.id;
});
afterAll(async () => {
  await db?.close();
});

describe('demo seed', () => {
  it('creates the demo partnership, served on localhost', async () => {
    expect(first.created).toBe(true);
    const p = await services.partnerships.forHost('localhost:3000');
    expect(p.slug).toBe(DEMO_SLUG);
    expect(p.name).toBe(first.name);
    expect(p.inboundAddresses).toEqual(['concerns@demo.heard.test']);
  });

  it('creates the 76 wards in the three former districts', async () => {
    const groups = await query<{ group_name: string; n: number }>(
      'select group_name, count(*)::int as n from areas group by group_name order by group_name',
    );
    expect(groups).toEqual([
      { group_name: 'Daventry', n: 16 },
      { group_name: 'Northampton', n: 33 },
      { group_name: 'South Northamptonshire', n: 27 },
    ]);
    const [castle] = await query<{ name: string }>("select name from areas where code = 'E05008828'");
    expect(castle?.name).toBe('Castle');
  });

  it('creates eleven staff who can sign in with the demo password', async () => {
    const signIns = demoSignIns();
    expect(signIns).toHaveLength(11);
    for (const s of signIns) {
      const outcome = await services.auth.signInWithPassword(
        partnershipId,
        s.email,
        config.demoPassword,
        'test',
      );
      expect(outcome.outcome, s.email).toBe('codeNeeded');
    }
    const wrong = await services.auth.signInWithPassword(
      partnershipId,
      signIns[0]!.email,
      'not the password',
      'test',
    );
    expect(wrong.outcome).toBe('invalid');
  });

  it('creates at least 300 concerns covering every topic, status and channel', async () => {
    const [total] = await query<{ n: number }>('select count(*)::int as n from concerns');
    expect(total!.n).toBeGreaterThanOrEqual(300);
    const topics = (await query<{ topic: string }>('select distinct topic from concerns')).map(
      (r) => r.topic,
    );
    expect(topics.sort()).toEqual([...TOPICS].sort());
    const statuses = (await query<{ status: string }>('select distinct status from concerns')).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([...STATUSES].sort());
    const channels = (await query<{ channel: string }>('select distinct channel from concerns')).map(
      (r) => r.channel,
    );
    // 'engagement': issues the demo cohesion officer heard and raised (engagement.seed.ts); 'forum': issues
    // raised at forum meetings (forums.demo.ts).
    expect(channels.sort()).toEqual([
      'email',
      'engagement',
      'forum',
      'phone',
      'third_party',
      'walk_in',
      'web',
    ]);
    const [mix] = await query<{
      urgent: number;
      anonymous: number;
      named: number;
      suggestions: number;
      equality: number;
    }>(
      `select count(*) filter (where urgent)::int as urgent,
              count(*) filter (where anonymous)::int as anonymous,
              count(*) filter (where not anonymous)::int as named,
              count(*) filter (where kind = 'suggestion')::int as suggestions,
              (select count(*)::int from concern_equality) as equality
         from concerns`,
    );
    expect(mix!.urgent).toBeGreaterThan(0);
    expect(mix!.anonymous).toBeGreaterThan(0);
    expect(mix!.named).toBeGreaterThan(0);
    expect(mix!.suggestions).toBeGreaterThan(0);
    expect(mix!.equality).toBeGreaterThan(0);
  });

  it('keeps every concern consistent with its workflow history', async () => {
    const rows = await query<{
      reference: string;
      status: string;
      anonymous: boolean;
      contact_name: string | null;
      lead_organisation_id: string | null;
      assigned_staff_id: string | null;
      closure_reason: string | null;
      referred_to: string | null;
      duplicate_of_id: string | null;
      created_at: Date;
      first_response_at: Date | null;
      closed_at: Date | null;
      lead_shares: number;
      last_status: string | null;
      early_events: number;
      late_events: number;
    }>(
      `select c.reference, c.status, c.anonymous, c.contact_name, c.lead_organisation_id, c.assigned_staff_id,
              c.closure_reason, c.referred_to, c.duplicate_of_id, c.created_at, c.first_response_at, c.closed_at,
              (select count(*)::int from concern_shares s where s.concern_id = c.id and s.role = 'lead') as lead_shares,
              (select e.details->>'to' from concern_events e where e.concern_id = c.id and e.kind = 'status'
                order by e.created_at desc limit 1) as last_status,
              (select count(*)::int from concern_events e where e.concern_id = c.id and e.created_at < c.created_at) as early_events,
              (select count(*)::int from concern_events e where e.concern_id = c.id and e.created_at > now()) as late_events
         from concerns c`,
    );
    const now = Date.now();
    for (const c of rows) {
      const where = `${c.reference} (${c.status})`;
      expect(normaliseReference(c.reference), where).toBe(c.reference);
      expect(c.early_events + c.late_events, where).toBe(0);
      expect(c.last_status ?? 'new', where).toBe(c.status);
      expect(new Date(c.created_at).getTime(), where).toBeLessThanOrEqual(now);
      if (c.anonymous) expect(c.contact_name, where).toBeNull();
      if (isOpen(c.status)) {
        expect(c.closed_at, where).toBeNull();
      } else {
        expect(c.closed_at, where).not.toBeNull();
        expect(c.first_response_at, where).not.toBeNull();
        expect(new Date(c.first_response_at!).getTime(), where).toBeLessThanOrEqual(
          new Date(c.closed_at!).getTime(),
        );
      }
      if (c.status !== 'new' && c.status !== 'duplicate' && c.status !== 'no_further_action') {
        expect(c.lead_organisation_id, where).not.toBeNull();
        expect(c.lead_shares, where).toBe(1);
      }
      if (c.status === 'assigned' || c.status === 'in_progress' || c.status === 'resolved') {
        expect(c.assigned_staff_id, where).not.toBeNull();
      }
      if (c.status === 'duplicate' || c.status === 'referred' || c.status === 'no_further_action') {
        expect(c.closure_reason, where).toBeTruthy();
      }
      if (c.status === 'referred') expect(c.referred_to, where).toBeTruthy();
      if (c.status === 'duplicate') expect(c.duplicate_of_id, where).not.toBeNull();
    }
  });

  it('includes concerns written in other languages, each detected as it would be on submission', async () => {
    const rows = await query<{ description: string; written_language: string | null; language: string }>(
      `select description, written_language, language from concerns where written_language is distinct from 'en'`,
    );
    const found = new Map(rows.map((r) => [r.description, r]));
    for (const c of WRITTEN_LANGUAGE_DEMO) {
      expect(found.get(c.description)?.written_language, c.expected).toBe(c.expected);
      expect(found.get(c.description)?.language).toBe(c.language);
    }
    // The generated English concerns are recorded as English; none is left unrecorded.
    expect(rows).toHaveLength(WRITTEN_LANGUAGE_DEMO.length);
    const [unrecorded] = await query<{ n: number }>(
      'select count(*)::int as n from concerns where written_language_source is null',
    );
    expect(unrecorded!.n).toBe(0);
  });

  it('shows a triage officer a queue with the urgent concern first', async () => {
    const signIns = demoSignIns();
    const [triage] = await query<{ id: string; organisation_id: string }>(
      `select id, organisation_id from staff where email = '${signIns[1]!.email}'`,
    );
    const actor = {
      partnershipId,
      staffId: triage!.id,
      organisationId: triage!.organisation_id,
      roles: ['triage_officer'],
      label: 'test',
      correlationId: 'test',
    };
    const page = await services.concerns.queue(actor, { filters: { status: 'new' }, sort: 'urgency' });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]!.urgent).toBe(true);
    expect(page.items.every((i) => i.status === 'new')).toBe(true);
  });

  it('does nothing on a second run', async () => {
    const before = await query<{ concerns: number; staff: number; areas: number }>(
      'select (select count(*)::int from concerns) as concerns, (select count(*)::int from staff) as staff, (select count(*)::int from areas) as areas',
    );
    const again = await seedDemo(db, services, config);
    expect(again).toEqual({ name: first.name, created: false });
    const after = await query<{ concerns: number; staff: number; areas: number }>(
      'select (select count(*)::int from concerns) as concerns, (select count(*)::int from staff) as staff, (select count(*)::int from areas) as areas',
    );
    expect(after).toEqual(before);
    const [partnerships] = await db
      .system(
        async (tx) =>
          (await tx.execute(sql`select count(*)::int as n from partnerships`)) as unknown as {
            rows: { n: number }[];
          },
      )
      .then((r) => r.rows);
    expect(partnerships!.n).toBe(1);
  });
});
