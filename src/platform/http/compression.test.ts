import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { GOVUK_FRONTEND_DIST } from '../views/index.js';
import { paths } from '../paths.js';
import { withoutGdsTransport } from '../views/stylesheets.js';

const GOVUK_STYLESHEET_URL = paths.assets.govukCss('ltr');
import { chooseEncoding } from './compression.js';

const SCRIPT = readFileSync(path.join(GOVUK_FRONTEND_DIST, 'govuk', 'govuk-frontend.min.js'));
const STYLESHEET = readFileSync(path.join(GOVUK_FRONTEND_DIST, 'govuk', 'govuk-frontend.min.css'), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('choosing an encoding', () => {
  it('prefers Brotli, then gzip, and honours q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding('')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});

describe('compression', () => {
  it('sends GOV.UK Frontend’s script with Brotli, byte for byte the same once decoded', async () => {
    const res = await t.app.inject({
      url: '/assets/govuk-frontend.min.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.rawPayload.length).toBeLessThan(SCRIPT.length / 3);
    expect(zlib.brotliDecompressSync(res.rawPayload).equals(SCRIPT)).toBe(true);
  });

  it('sends a page with gzip to a client that only takes gzip', async () => {
    const res = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
    expect(zlib.gunzipSync(res.rawPayload).toString()).toContain('<h1');
  });

  it('sends plain bytes to a client that asks for none, and to a range or HEAD request', async () => {
    const plain = await t.app.inject({ url: '/assets/govuk-frontend.min.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(SCRIPT)).toBe(true);
    const range = await t.app.inject({
      url: '/assets/govuk-frontend.min.js',
      headers: { 'accept-encoding': 'br', range: 'bytes=0-99' },
    });
    expect(range.statusCode).toBe(206);
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.rawPayload.equals(SCRIPT.subarray(0, 100))).toBe(true);
    const head = await t.app.inject({ method: 'HEAD', url: '/', headers: { 'accept-encoding': 'br' } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
  });

  it('leaves small responses and images alone', async () => {
    const health = await t.app.inject({ url: '/health', headers: { 'accept-encoding': 'br' } });
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.headers['content-encoding']).toBeUndefined();
    const png = await t.app.inject({
      url: '/assets/images/govuk-icon-180.png',
      headers: { 'accept-encoding': 'br' },
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-encoding']).toBeUndefined();
  });
});

describe('GOV.UK Frontend’s stylesheet', () => {
  it('is served without the GDS Transport typeface, in Arial, and compressed', async () => {
    const res = await t.app.inject({ url: GOVUK_STYLESHEET_URL, headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['content-encoding']).toBe('br');
    const css = zlib.brotliDecompressSync(res.rawPayload).toString();
    expect(css.startsWith('@charset "UTF-8";')).toBe(true);
    expect(css.endsWith(withoutGdsTransport(STYLESHEET).replace('@charset "UTF-8";', ''))).toBe(true);
    expect(css).not.toMatch(/GDS Transport|\/assets\/fonts\//);
    expect(css).toMatch(/\.govuk-body,\.govuk-body-m\{[^}]*font-family:var\(--heard-font\)/);
    expect(css).toContain(':root{--heard-font:arial,sans-serif}');
    // Everything else in the stylesheet is as GOV.UK Frontend ships it, after Heard's font rules.
    expect(Math.abs(STYLESHEET.length - css.length)).toBeLessThan(3000);
  });

  it('answers 304 to a browser that has it already', async () => {
    const first = await t.app.inject({ url: GOVUK_STYLESHEET_URL });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await t.app.inject({ url: GOVUK_STYLESHEET_URL, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses to start if a new GOV.UK Frontend names the typeface some other way', () => {
    expect(() => withoutGdsTransport('body{font-family:"GDS Transport" ,arial}')).toThrow(/GDS Transport/);
  });
});
