import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createMailWorker, type MailWorker } from '../../platform/mail/mailer.js';
import {
  recordingLogger,
  startCaptureServer,
  type CaptureServer,
  type CapturedMail,
} from '../../platform/mail/smtp-capture.test-helpers.js';
import { concernsRepository } from '../concerns/concerns.repository.js';
import { actorFor, createConcern } from '../concerns/concerns.test-helpers.js';
import { londonDay } from './notifications.service.js';

const PUBLIC_URL = 'https://heard.example.org';
const DAY = 24 * 60 * 60_000;

let t: TestApp;
let smtp: CaptureServer;
let worker: MailWorker;

function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

beforeAll(async () => {
  t = await buildTestApp({ publicUrl: PUBLIC_URL, mailFrom: 'Heard <no-reply@mail.heard.test>' });
  // Partnership A's police have a shared inbox and a lead; the council has a lead but no inbox.
  await t.db.tenant(t.a.id, async (tx) => {
    await tx.execute(
      sql`update organisations set inbox_email = 'police-inbox@a.test' where id = ${t.a.organisations.police}`,
    );
    await tx.execute(
      sql`update staff set organisation_lead = true where email in ('police@a.test', 'council@a.test')`,
    );
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  smtp = await startCaptureServer();
  worker = createMailWorker(t.db, {
    smtpUrl: smtp.url,
    from: t.config.mailFrom,
    outboxDir: path.join(os.tmpdir(), 'heard-unused'),
    log: recordingLogger(),
  });
  // Whatever earlier tests queued has gone; each test counts its own mail.
  await t.db.system((tx) => tx.execute(sql`update outbox set status = 'sent' where status <> 'sent'`));
});
afterEach(async () => {
  await worker.abort();
  await smtp.close();
});

/** Sends what is queued, then what arrived for that address. */
async function deliveredTo(address: string): Promise<CapturedMail[]> {
  await worker.drain();
  return smtp.to(address);
}

function expectAccessibleHtml(m: CapturedMail) {
  expect(m.html).toMatch(/^<!DOCTYPE html>\s*<html lang="en" dir="ltr">/);
  expect(m.html).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
  expect(m.html).not.toMatch(/<img/i);
}

describe('acknowledgements', () => {
  it('acknowledges a web submission that gave an email, once, with the reference and Check progress', async () => {
    const c = await createConcern(t, t.a, {
      contactEmail: 'web.person@example.com',
      preferredContact: 'phone',
    });
    const mail = await deliveredTo('web.person@example.com');
    expect(mail).toHaveLength(1);
    const m = mail[0]!;
    expect(m.subject).toBe(`Your concern ${c.ref}`);
    expect(m.headers.get('auto-submitted')).toBe('auto-generated');
    expect(m.headers.get('reply-to')).toBe('concerns@a.test');
    expect(m.headers.get('from')).toBe('Heard <no-reply@mail.heard.test>');
    expect(m.messageId).toMatch(/@mail\.heard\.test>$/);
    expect(m.text).toContain(`Your reference is ${c.ref}`);
    expect(m.text).toContain(`${PUBLIC_URL}/progress`);
    expect(m.text).toContain('Anti-social behaviour');
    expectAccessibleHtml(m);
    expect(m.html).toContain(
      `<a href="${PUBLIC_URL}/progress" style="color: #1d70b8;">Check progress on ${c.ref}</a>`,
    );
    // Nothing beyond what they wrote, and not even that: no description, no name, no phone number.
    expect(m.text).not.toContain('Groups gather');
    expect(m.text).not.toContain('Sam Resident');
    expect(m.text).not.toContain('07700');
    // Draining again sends nothing more.
    expect(await deliveredTo('web.person@example.com')).toHaveLength(1);
  });

  it('says auto-replied when answering an email, and threads onto it', async () => {
    const c = await createConcern(t, t.a, { channel: 'email', contactEmail: 'writer@example.com' });
    const [m] = await deliveredTo('writer@example.com');
    expect(m!.subject).toBe(`Your concern ${c.ref}`);
    expect(m!.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('sends nothing for an anonymous concern or one without an email address', async () => {
    const before = smtp.accepted.length;
    await createConcern(t, t.a, { anonymous: true, contactEmail: 'typed.anyway@example.com' });
    await createConcern(t, t.a, { contactEmail: undefined, preferredContact: 'phone' });
    await worker.drain();
    expect(smtp.accepted.length).toBe(before);
  });

  it('calls an idea an idea', async () => {
    const c = await createConcern(t, t.a, { kind: 'suggestion', contactEmail: 'ideas@example.com' });
    const [m] = await deliveredTo('ideas@example.com');
    expect(m!.subject).toBe(`Your idea ${c.ref}`);
    expect(m!.text).toContain('We have received your idea');
  });
});

describe('updates to residents', () => {
  it('sends one email per public update and per status change to a resident who chose email, none to one who chose phone', async () => {
    const byEmail = await createConcern(t, t.a, {
      contactEmail: 'email.pref@example.com',
      preferredContact: 'email',
    });
    const byPhone = await createConcern(t, t.a, {
      contactEmail: 'phone.pref@example.com',
      preferredContact: 'phone',
    });
    await worker.drain();
    const [emailBefore, phoneBefore] = [
      smtp.to('email.pref@example.com').length,
      smtp.to('phone.pref@example.com').length,
    ];
    expect([emailBefore, phoneBefore]).toEqual([1, 1]); // the acknowledgements

    const triage = actorFor(t.a, 'triage');
    for (const c of [byEmail, byPhone]) {
      expect(
        await t.services.concerns.addNote(
          triage,
          c.ref,
          'We have asked <b>the council</b> to look.',
          'public',
        ),
      ).toEqual({ ok: true });
    }
    const afterUpdate = await deliveredTo('email.pref@example.com');
    expect(afterUpdate).toHaveLength(2);
    const update = afterUpdate[1]!;
    expect(update.subject).toBe(`Your concern ${byEmail.ref}`);
    expect(update.text).toContain('We have asked <b>the council</b> to look.');
    expect(update.html).toContain('We have asked &lt;b&gt;the council&lt;/b&gt; to look.');
    expect(update.text).toContain(`${PUBLIC_URL}/progress`);
    expect(update.headers.get('auto-submitted')).toBe('auto-generated');
    // Threaded onto the acknowledgement.
    expect(update.headers.get('in-reply-to')).toBe(afterUpdate[0]!.messageId);
    expectAccessibleHtml(update);

    for (const c of [byEmail, byPhone]) {
      expect(
        await t.services.concerns.transition(triage, c.ref, {
          to: 'no_further_action',
          reason: 'Internal reason: staff only',
        }),
      ).toEqual({ ok: true });
    }
    const afterStatus = await deliveredTo('email.pref@example.com');
    expect(afterStatus).toHaveLength(3);
    const status = afterStatus[2]!;
    expect(status.text).toContain(`${byEmail.ref} is now: Closed`);
    expect(status.text).toContain('The partnership has looked at it and closed it.');
    // The closure reason is the staff's words, not for the resident.
    expect(status.text).not.toContain('Internal reason');

    expect(smtp.to('phone.pref@example.com')).toHaveLength(1);
  });

  it('tells the resident of each status change sharing and assigning cause, and nothing of internal notes', async () => {
    const c = await createConcern(t, t.a, { contactEmail: 'follow@example.com', preferredContact: 'email' });
    const triage = actorFor(t.a, 'triage');
    await t.services.concerns.addNote(triage, c.ref, 'Internal: known to us', 'internal');
    await t.services.concerns.share(triage, c.ref, t.a.organisations.police!, []);
    await t.services.concerns.assign(triage, c.ref, t.a.staff['police@a.test']!);
    const mail = await deliveredTo('follow@example.com');
    expect(mail.map((m) => m.text.split('\n')[0])).toEqual([
      'We have received your concern',
      `${c.ref} is now: Passed to a partner`,
      `${c.ref} is now: Being looked at`,
    ]);
    expect(mail.some((m) => m.text.includes('known to us'))).toBe(false);
    // A refused change queues nothing.
    expect((await t.services.concerns.transition(triage, c.ref, { to: 'resolved' })).ok).toBe(false);
    expect(await deliveredTo('follow@example.com')).toHaveLength(3);
  });
});

describe('the outbox and the change share a transaction', () => {
  it('queues nothing when the change that caused a message is rolled back', async () => {
    const c = await createConcern(t, t.a, {
      contactEmail: 'rolled.back@example.com',
      preferredContact: 'email',
    });
    await worker.drain();
    const row = await t.db.tenant(t.a.id, (tx) => concernsRepository.findByReference(tx, c.reference));
    await expect(
      t.db.tenant(t.a.id, async (tx) => {
        await t.services.notifications.onConcernEvent(tx, actorFor(t.a, 'triage'), {
          type: 'publicUpdate',
          concern: row!,
          body: 'This update never happened',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliveredTo('rolled.back@example.com')).toHaveLength(1);
  });
});

describe('staff notices', () => {
  it('tells the lead organisation inbox when a concern is shared, and the officer when it is assigned', async () => {
    const c = await createConcern(t, t.a, { description: 'Private words about my neighbour' });
    const triage = actorFor(t.a, 'triage');
    await t.services.concerns.share(triage, c.ref, t.a.organisations.police!, [t.a.organisations.fire!]);
    const shared = await deliveredTo('police-inbox@a.test');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.subject).toBe(`Concern ${c.ref} shared with Police a as lead`);
    expect(shared[0]!.text).toContain(`${PUBLIC_URL}/staff/concerns/${c.ref}`);
    expect(shared[0]!.text).toContain('Topic: Anti-social behaviour');

    await t.services.concerns.assign(triage, c.ref, t.a.staff['police@a.test']!);
    const assigned = await deliveredTo('police@a.test');
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.subject).toBe(`Concern ${c.ref} has been assigned to you`);
    expect(assigned[0]!.headers.get('auto-submitted')).toBe('auto-generated');
    expectAccessibleHtml(assigned[0]!);
    expect(assigned[0]!.html).toContain(`<a href="${PUBLIC_URL}/staff/concerns/${c.ref}"`);

    // Never the resident's personal data or words, nor staff names.
    for (const m of [...shared, ...assigned]) {
      for (const secret of [
        'Private words',
        'Sam Resident',
        'sam.resident@example.com',
        '07700',
        'Triage A',
      ]) {
        expect(m.raw).not.toContain(secret);
      }
    }

    // Re-sharing with the same lead is not news; an organisation with no inbox gets nothing.
    await t.services.concerns.share(triage, c.ref, t.a.organisations.police!, []);
    expect(await deliveredTo('police-inbox@a.test')).toHaveLength(1);
    const before = smtp.accepted.length;
    const other = await createConcern(t, t.a, { anonymous: true });
    await t.services.concerns.share(triage, other.ref, t.a.organisations.council!, []);
    await worker.drain();
    expect(smtp.accepted.length).toBe(before);
  });

  it('does not tell officers about what they did themselves', async () => {
    const c = await createConcern(t, t.a, { anonymous: true });
    const triage = actorFor(t.a, 'triage');
    await t.services.concerns.share(triage, c.ref, t.a.organisations.council!, []);
    await t.services.concerns.assign(triage, c.ref, t.a.staff['triage@a.test']!);
    expect(await deliveredTo('triage@a.test')).toHaveLength(0);
  });
});

describe('overdue digest', () => {
  it('sends each organisation lead one digest a day of the overdue concerns their organisation leads', async () => {
    const now = new Date();
    const triage = actorFor(t.a, 'triage');
    const old = await createConcern(t, t.a, {
      anonymous: true,
      createdAt: new Date(now.getTime() - 40 * DAY),
    });
    await t.services.concerns.share(triage, old.ref, t.a.organisations.police!, []);
    const fresh = await createConcern(t, t.a, { anonymous: true });
    await t.services.concerns.share(triage, fresh.ref, t.a.organisations.police!, []);
    const closed = await createConcern(t, t.a, {
      anonymous: true,
      createdAt: new Date(now.getTime() - 40 * DAY),
    });
    await t.services.concerns.share(triage, closed.ref, t.a.organisations.police!, []);
    await t.services.concerns.transition(triage, closed.ref, { to: 'no_further_action', reason: 'Done' });
    await worker.drain();
    const before = smtp.to('police@a.test').length;

    expect(await t.services.notifications.sendOverdueDigests(now)).toBeGreaterThanOrEqual(1);
    expect(await t.services.notifications.sendOverdueDigests(now)).toBe(0);
    const digests = (await deliveredTo('police@a.test')).slice(before);
    expect(digests).toHaveLength(1);
    const d = digests[0]!;
    expect(d.subject).toMatch(/^\d+ overdue concerns? led by Police a$/);
    expect(d.text).toContain(old.ref);
    expect(d.text).toContain(`${PUBLIC_URL}/staff/concerns/${old.ref}`);
    expect(d.text).not.toContain(fresh.ref);
    expect(d.text).not.toContain(closed.ref);
    expect(d.headers.get('auto-submitted')).toBe('auto-generated');
    expectAccessibleHtml(d);
    expect(d.html).toContain(
      `<a href="${PUBLIC_URL}/staff/concerns/${old.ref}" style="color: #1d70b8;">${old.ref}</a>`,
    );
    // Only leads (the fire officer is not one), and only for organisations with overdue work they lead.
    expect(smtp.to('fire@a.test')).toHaveLength(0);
    expect(smtp.to('council@a.test').filter((m) => m.subject.includes('overdue'))).toHaveLength(0);

    const [recorded] = rows<{ n: number }>(
      await t.db.tenant(t.a.id, (tx) =>
        tx.execute(
          sql`select count(*)::int as n from outbox where purpose = ${`digest:${t.a.organisations.police}:${londonDay(now)}`}`,
        ),
      ),
    );
    expect(recorded!.n).toBe(1);

    // The next day it comes again, once.
    const tomorrow = new Date(now.getTime() + DAY);
    expect(await t.services.notifications.sendOverdueDigests(tomorrow)).toBeGreaterThanOrEqual(1);
    expect(await t.services.notifications.sendOverdueDigests(tomorrow)).toBe(0);
    expect((await deliveredTo('police@a.test')).slice(before)).toHaveLength(2);
  });

  it('waits until the morning for the daily run', async () => {
    // 02:00 in London, winter and summer.
    expect(await t.services.notifications.sendDailyDigests(new Date('2031-01-15T02:00:00Z'))).toBe(0);
    expect(await t.services.notifications.sendDailyDigests(new Date('2031-07-15T01:00:00Z'))).toBe(0);
  });
});
