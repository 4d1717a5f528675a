import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { paths } from '../paths.js';
import { buildGovukStylesheets } from './stylesheets.js';

describe('GOV.UK Frontend stylesheets as Heard adapts them', () => {
  const { ltr, rtl } = buildGovukStylesheets('/fonts/');

  it('drop the GOV.UK-only typeface and read the font stack from --heard-font', () => {
    expect(ltr.css).not.toContain('GDS Transport');
    expect(ltr.css).toContain('.govuk-body,.govuk-body-m{');
    expect(ltr.css.match(/font-family:var\(--heard-font\)/g)?.length).toBeGreaterThan(20);
    expect(ltr.css).toContain(':root{--heard-font:arial,sans-serif}');
  });

  it('give Arabic-script languages a Naskh face, with the fallback font limited to Arabic script', () => {
    expect(ltr.css).toMatch(
      /:lang\(ar\),:lang\(fa\),:lang\(ps\)\{--heard-font:"Noto Naskh Arabic",[^}]*"Heard Naskh",arial/,
    );
    expect(ltr.css).toMatch(/:lang\(ur\)\{--heard-font:"Noto Nastaliq Urdu"/);
    expect(ltr.css).toMatch(/src:url\(\/fonts\/noto-naskh-arabic-arabic-400-normal\.woff2\)/);
    expect(ltr.css.match(/@font-face/g)).toHaveLength(1);
    expect(ltr.css).toMatch(/unicode-range:U\+0600-06FF/);
  });

  it('mirror GOV.UK patterns for right-to-left: columns, the back link, radios and lists', () => {
    const rule = (css: string, selector: string) =>
      new RegExp(`${selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\{([^}]*)\\}`).exec(css)?.[1] ?? '';
    expect(rule(ltr.css, '.govuk-back-link:before')).toMatch(/left:/);
    expect(rule(rtl.css, '.govuk-back-link:before')).toMatch(/right:/);
    expect(rule(rtl.css, '.govuk-back-link:before')).not.toMatch(/(^|;)left:/);
    expect(rule(ltr.css, '.govuk-list--bullet')).toMatch(/padding-left:20px/);
    expect(rule(rtl.css, '.govuk-list--bullet')).toMatch(/padding-right:20px/);
    expect(rtl.css).toMatch(/\.govuk-grid-column-two-thirds\{[^}]*float:right/);
    expect(ltr.etag).not.toBe(rtl.etag);
  });
});

describe('serving them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('links the left-to-right sheet in English and the mirrored one in Arabic', async () => {
    const en = await t.client().get('/');
    expect(en.body).toContain(`<link rel="stylesheet" href="${paths.assets.govukCss('ltr')}">`);
    const ar = await t.client().get('/?lang=ar');
    expect(ar.body).toContain(`<link rel="stylesheet" href="${paths.assets.govukCss('rtl')}">`);
  });

  it('serves each sheet as CSS with an ETag, and answers 304 when it has not changed', async () => {
    for (const dir of ['ltr', 'rtl'] as const) {
      const res = await t.app.inject({ url: paths.assets.govukCss(dir) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(res.body).toContain('.govuk-template');
      const again = await t.app.inject({
        url: paths.assets.govukCss(dir),
        headers: { 'if-none-match': String(res.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
  });

  it('serves the one Naskh font file and nothing else from the font package', async () => {
    const font = await t.app.inject({
      url: `${paths.assets.naskhFonts()}noto-naskh-arabic-arabic-400-normal.woff2`,
    });
    expect(font.statusCode).toBe(200);
    expect(font.rawPayload.subarray(0, 4).toString('latin1')).toBe('wOF2');
    const other = await t.app.inject({
      url: `${paths.assets.naskhFonts()}noto-naskh-arabic-latin-400-normal.woff2`,
    });
    expect(other.statusCode).toBe(404);
  });
});
