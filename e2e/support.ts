import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { expect, inject } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig, type Config } from '../src/config.js';
import { createDatabase, type Database } from '../src/platform/db/index.js';
import type { I18n } from '../src/platform/i18n/index.js';
import { buildServices, type Services } from '../src/services.js';
import { seedDemo } from '../src/platform/seed/demo.js';
import { createTestDatabase, writeAtomically } from '../test/helpers/db.js';
import { totp } from '../src/platform/auth/totp.js';

export interface RunningHeard {
  app: FastifyInstance;
  db: Database;
  services: Services;
  config: Config;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A database with the demo partnership. Seeding it (360 concerns, a trained classifier, ward
 * boundaries) takes seconds, so the first browser file of a run seeds it and saves a copy where the
 * global setup says, and later files load that copy. The copy is only used by a process whose
 * config matches the one that seeded it (the seed stores hashes and codes made with its secrets);
 * otherwise, or on PostgreSQL, this file seeds its own.
 */
async function demoDatabase(config: Config): Promise<Database> {
  const file = process.env.HEARD_TEST_DB === 'postgres' ? undefined : inject('heardDemoSnapshot');
  const fingerprint = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  if (file) {
    const saved = await readFile(file).catch(() => undefined);
    if (saved && saved.subarray(0, 32).toString('hex') === fingerprint) {
      return createDatabase({ loadDataDir: new Blob([saved.subarray(32) as Uint8Array<ArrayBuffer>]) });
    }
  }
  const db = await createTestDatabase();
  await seedDemo(db, buildServices(db, config), config);
  if (file && db.dumpDataDir) {
    const dump = new Uint8Array(await (await db.dumpDataDir()).arrayBuffer());
    await writeAtomically(file, Buffer.concat([Buffer.from(fingerprint, 'hex'), dump]));
  }
  return db;
}

/** The real app with the demo partnership, listening on a free loopback port. */
export async function startHeard(options: { i18n?: I18n } = {}): Promise<RunningHeard> {
  const config = testConfig({ demoSeed: true });
  const db = await demoDatabase(config);
  // Services built after the seed (as on a restart of a seeded instance) read it from the database.
  const services = buildServices(db, config);
  const app = await buildApp({ config, db, services, i18n: options.i18n });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    db,
    services,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Debian's Chromium, with the flags this closed network needs (no background connections). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe on the current page; returns a readable list of violations (empty when the page passes). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations.map(
    (v) => `${page.url()} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

const lastStepUsed = new Map<string, number>();

/**
 * A sign-in code this account has not used yet. Heard refuses a code for any step at or before the
 * last one it accepted, and accepts one step either side of now for clock drift. So a second
 * sign-in in the same 30-second step uses the next step's code, as a phone whose clock runs a little
 * ahead would (the server's replay check is the same); only a third waits for the next step. The
 * previous step's code is never used: it could expire between typing and submitting.
 */
export async function unusedCode(heard: RunningHeard, email: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    const last = lastStepUsed.get(email);
    const next = last === undefined || last < step ? step : last + 1;
    if (next <= step + 1) {
      lastStepUsed.set(email, next);
      return totp(heard.config.demoTotpSecret, next * 30_000);
    }
    // next is two steps ahead: it is accepted once the following step has begun.
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - now + 100));
  }
}

/**
 * Whether the focused element shows where focus is. GOV.UK's focus style is a yellow outline or box
 * shadow; radios and checkboxes hide the real input and draw the ring on their label's ::before.
 */
export function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const shows = (s: CSSStyleDeclaration) =>
      (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'transparent') ||
      s.boxShadow !== 'none';
    const a = document.activeElement;
    if (!a || a === document.body) return true;
    if (a.matches('.govuk-radios__input, .govuk-checkboxes__input') && a.nextElementSibling)
      return shows(getComputedStyle(a.nextElementSibling, '::before'));
    return shows(getComputedStyle(a));
  });
}

/**
 * Presses Tab until the focused element matches, as a keyboard user would; fails if it never does,
 * or if focus is ever invisible on the way.
 */
export async function tabTo(
  page: Page,
  matches: (el: { tag: string; text: string; label: string; value: string }) => boolean,
) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement & {
        value?: string;
        labels?: NodeListOf<HTMLLabelElement>;
      };
      return {
        tag: a.tagName.toLowerCase(),
        text: (a.textContent ?? '').trim(),
        label: a.labels?.[0]?.textContent?.trim() ?? '',
        value: a.value ?? '',
      };
    });
    expect(await focusIsVisible(page), `focus visible on ${el.tag} ${el.label || el.text}`).toBe(true);
    if (matches(el)) return;
  }
  throw new Error('Could not reach the element by keyboard');
}
