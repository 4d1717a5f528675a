import { describe, expect, it } from 'vitest';
import { lockoutFor } from './auth.service.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('lockoutFor', () => {
  it('gives four free tries', () => {
    for (const failures of [0, 1, 2, 3, 4]) expect(lockoutFor(failures)).toBe(0);
  });

  it('then waits 30 seconds, doubling with each failure', () => {
    expect(lockoutFor(5)).toBe(30 * SECOND);
    expect(lockoutFor(6)).toBe(60 * SECOND);
    expect(lockoutFor(7)).toBe(2 * MINUTE);
    expect(lockoutFor(8)).toBe(4 * MINUTE);
    expect(lockoutFor(9)).toBe(8 * MINUTE);
  });

  it('locks for 30 minutes from the tenth failure on', () => {
    for (const failures of [10, 11, 20, 1000]) expect(lockoutFor(failures)).toBe(30 * MINUTE);
  });

  it('never shortens as failures grow', () => {
    for (let n = 1; n <= 30; n++) expect(lockoutFor(n)).toBeGreaterThanOrEqual(lockoutFor(n - 1));
  });
});
