import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('start page', () => {
  it('says what can be shared and points to 999, 101, True Vision and Crimestoppers', async () => {
    const res = await t.client().get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('If you are in danger now, call 999');
    expect(res.body).toContain('101');
    expect(res.body).toContain('True Vision');
    expect(res.body).toContain('Crimestoppers');
    expect(res.body).toMatch(/<html lang="en" dir="ltr"/);
  });
});
