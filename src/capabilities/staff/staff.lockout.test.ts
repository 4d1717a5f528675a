import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';

/**
 * Its own app, so the sign-in rate limit (per client address) starts fresh: this test spends six
 * attempts from one address.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('lockout for an address with no account', () => {
  it('locks just as a real account does, so the lock message does not reveal who has an account', async () => {
    const c = t.client();
    await c.get('/staff/sign-in');
    const nobody = 'nobody-here@a.test';
    for (let i = 1; i <= 5; i++) {
      const res = await c.post('/staff/sign-in', { email: nobody, password: `wrong password number ${i}` });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a correct email address and password');
    }
    const locked = await c.post('/staff/sign-in', { email: nobody, password: 'any password at all' });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Try again after \d{1,2}:\d{2}(am|pm)/);
  });
});
