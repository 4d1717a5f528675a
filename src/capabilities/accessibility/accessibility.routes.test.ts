import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { paths } from '../../platform/paths.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('the accessibility statement', () => {
  it('follows the GOV.UK model: who runs it, how accessible, feedback, enforcement, technical information', async () => {
    const res = await t.client().get(paths.accessibility());
    expect(res.statusCode).toBe(200);
    const headings = [...res.body.matchAll(/<h[23] class="govuk-heading-[ms]">([^<]+)<\/h[23]>/g)].map(
      (m) => m[1],
    );
    expect(headings).toEqual([
      'How accessible this website is',
      'Parts that may be harder to use',
      'Feedback and contact information',
      'Reporting accessibility problems with this website',
      'Enforcement procedure',
      'Technical information about this website’s accessibility',
      'Compliance status',
      'How we tested this website',
      'Preparation of this accessibility statement',
    ]);
    expect(res.body).toContain('<title>Accessibility statement for CSP A – CSP A</title>');
    expect(res.body).toContain('This statement was prepared on 2 December 2026.');
  });

  it('gives the partnership’s own address as a link inside the translated sentence, escaped', async () => {
    const res = await t.client().get(paths.accessibility());
    const address = 'concerns@a.test';
    expect(res.body).toContain(`email <a class="govuk-link" href="mailto:${address}">${address}</a>`);
  });

  it('is linked from the footer of every page', async () => {
    for (const url of [paths.home(), paths.progress.form(), '/no-such-page']) {
      const res = await t.client().get(url);
      expect(res.body).toContain(`<a class="govuk-footer__link" href="${paths.accessibility()}">`);
    }
  });

  it('reads in the resident’s language, right to left in Arabic, dates in that language', async () => {
    const res = await t.client().get(`${paths.accessibility()}?lang=ar`);
    expect(res.body).toMatch(/<html lang="ar" dir="rtl"/);
    expect(res.body).not.toContain('Enforcement procedure');
    expect(res.body).toContain('ديسمبر 2026');
  });
});
