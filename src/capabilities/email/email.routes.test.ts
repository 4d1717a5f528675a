import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditLog } from '../../platform/audit/audit.table.js';
import { createI18n } from '../../platform/i18n/index.js';
import { paths } from '../../platform/paths.js';
import { createViewEnvironment } from '../../platform/views/index.js';
import { actorFor } from '../concerns/concerns.test-helpers.js';
import { formatReference } from '../concerns/reference.js';
import { contentDisposition } from './email.routes.js';

const MIME = fileURLToPath(new URL('../../../../shared/data/mime', import.meta.url));

let t: TestApp;
let ref: string;
let concernId: string;
let photoId: string;
let photo: Buffer;

beforeAll(async () => {
  t = await buildTestApp();
  const id = await t.services.email.store({
    partnershipId: t.a.id,
    via: 'smtp',
    envelopeFrom: 'someone@somewhere.com',
    recipients: ['concerns@a.test'],
    raw: readFileSync(`${MIME}/flanker-iphone.eml`),
  });
  const outcome = await t.services.email.processStored(id);
  if (outcome.status !== 'processed') throw new Error(JSON.stringify(outcome));
  ref = formatReference(outcome.reference);
  concernId = outcome.concernId;
  const listed = await t.services.email.listForConcern(actorFor(t.a, 'triage'), ref);
  if (!listed.ok) throw new Error('not listed');
  photoId = listed.attachments[0]!.id;
  photo = (await t.db.system((tx) =>
    tx.query.concernAttachments.findFirst({ where: (a, o) => o.eq(a.id, photoId) }),
  ))!.content;
});

afterAll(async () => {
  await t.close();
});

describe('attachment download', () => {
  it('gives staff who can see the concern the file, as a download that is never sniffed', async () => {
    const triage = await t.signedIn(t.a, 'triage');
    const res = await triage.get(paths.staff.concerns.attachment(ref, photoId));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="photo.JPG"; filename*=UTF-8''photo.JPG`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.rawPayload.equals(photo)).toBe(true);
    expect(photo.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('audits each download', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    expect((await admin.get(paths.staff.concerns.attachment(ref, photoId))).statusCode).toBe(200);
    const rows = await t.db.system((tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, concernId), eq(auditLog.action, 'concern.attachment.downloaded'))),
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.at(-1)!.details).toEqual({ attachmentId: photoId, filename: 'photo.JPG' });
  });

  it('answers 404 to staff the concern is not shared with, then serves them once it is', async () => {
    const police = await t.signedIn(t.a, 'police');
    expect((await police.get(paths.staff.concerns.attachment(ref, photoId))).statusCode).toBe(404);
    const shared = await t.services.concerns.share(
      actorFor(t.a, 'triage'),
      ref,
      t.a.organisations.police!,
      [],
    );
    expect(shared.ok).toBe(true);
    expect((await police.get(paths.staff.concerns.attachment(ref, photoId))).statusCode).toBe(200);
  });

  it('answers 404 to another partnership, and to unknown or malformed ids', async () => {
    const other = await t.signedIn(t.b, 'triage');
    expect((await other.get(paths.staff.concerns.attachment(ref, photoId))).statusCode).toBe(404);
    const triage = await t.signedIn(t.a, 'triage');
    expect(
      (await triage.get(paths.staff.concerns.attachment(ref, '00000000-0000-4000-8000-000000000000')))
        .statusCode,
    ).toBe(404);
    expect((await triage.get(paths.staff.concerns.attachment(ref, 'not-a-uuid'))).statusCode).toBe(404);
    expect((await triage.get(paths.staff.concerns.attachment('NOPE', photoId))).statusCode).toBe(404);
  });

  it('sends people who are not signed in to sign in', async () => {
    const res = await t.client().get(paths.staff.concerns.attachment(ref, photoId));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(paths.staff.signIn());
  });

  it('encodes any file name safely in Content-Disposition', () => {
    expect(contentDisposition('новый "файл".txt')).toBe(
      `attachment; filename="_____ ______.txt"; filename*=UTF-8''${encodeURIComponent('новый "файл".txt')}`,
    );
    expect(contentDisposition("it's (1).pdf")).toBe(
      `attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`,
    );
  });
});

describe('attachments for the concern page', () => {
  const env = createViewEnvironment();
  const translate = createI18n().translator('en');
  const render = (template: string, context: Record<string, unknown>) =>
    env.render(`email/views/${template}`, { t: translate, lang: 'en', paths, ...context });

  it('lists the files to those who can see the concern, and to nobody else', async () => {
    const triage = await t.services.email.listForConcern(actorFor(t.a, 'triage'), ref);
    const police = await t.services.email.listForConcern(actorFor(t.a, 'police'), ref);
    if (!triage.ok || !police.ok) throw new Error('not visible');
    expect(triage.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['photo.JPG', 'image/jpeg', 9023],
    ]);
    expect(police.attachments).toEqual(triage.attachments);
    const fire = await t.services.email.listForConcern(actorFor(t.a, 'fire'), ref);
    expect(fire).toEqual({ ok: false, problem: 'notFound' });
  });

  it('renders the partial with download links and escaped names', async () => {
    const listed = await t.services.email.listForConcern(actorFor(t.a, 'police'), ref);
    if (!listed.ok) throw new Error('not visible');
    const files = render('_attachments.njk', {
      attachments: [
        ...listed.attachments,
        { ...listed.attachments[0]!, id: 'x', filename: '<script>alert(1)</script>' },
      ],
      concern: { reference: ref },
    });
    expect(files).toContain(`href="${paths.staff.concerns.attachment(ref, photoId)}"`);
    expect(files).toContain('photo.JPG');
    expect(files).toContain('9 KB');
    expect(files).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(files).not.toContain('<script>');
    expect(render('_attachments.njk', { attachments: [] })).toContain('No files came with this concern.');
  });
});
