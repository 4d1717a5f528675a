import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig, type Config } from '../src/config.js';
import type { Database } from '../src/platform/db/index.js';
import type { I18n } from '../src/platform/i18n/index.js';
import { buildServices, type Services } from '../src/services.js';
import { seedDemo } from '../src/platform/seed/demo.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { totp } from '../src/platform/auth/totp.js';

export interface RunningHeard {
  app: FastifyInstance;
  db: Database;
  services: Services;
  config: Config;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app with the demo partnership, listening on a free loopback port. */
export async function startHeard(options: { i18n?: I18n } = {}): Promise<RunningHeard> {
  const db = await createTestDatabase();
  const config = testConfig({ demoSeed: true });
  const services = buildServices(db, config);
  await seedDemo(db, services, config);
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
 * A sign-in code this account has not used yet. Heard refuses a code replayed within its 30-second
 * step, so a second sign-in by the same account in the same step waits for the next one.
 */
export async function unusedCode(heard: RunningHeard, email: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    if (lastStepUsed.get(email) !== step) {
      lastStepUsed.set(email, step);
      return totp(heard.config.demoTotpSecret, now);
    }
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
