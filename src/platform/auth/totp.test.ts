import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  timeStep,
  totp,
  verifyTotp,
} from './totp.js';

/** RFC 6238 appendix B, SHA-1 rows. */
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];
const RFC_SECRET_BASE32 = base32Encode(RFC_SECRET);

describe('hotp (RFC 6238 SHA-1 test vectors)', () => {
  it.each(RFC_VECTORS)('at T=%i the 8-digit code is %s', (seconds, code) => {
    expect(hotp(RFC_SECRET, timeStep(seconds * 1000), 8)).toBe(code);
  });

  it('six-digit codes are the last six digits', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      expect(hotp(RFC_SECRET, timeStep(seconds * 1000))).toBe(code.slice(2));
      expect(totp(RFC_SECRET_BASE32, seconds * 1000)).toBe(code.slice(2));
    }
  });
});

describe('verifyTotp', () => {
  it.each(RFC_VECTORS)('accepts the six-digit RFC code at T=%i and returns its step', (seconds, code) => {
    const nowMs = seconds * 1000;
    expect(verifyTotp(RFC_SECRET_BASE32, code.slice(2), { nowMs })).toBe(Math.floor(seconds / 30));
  });

  it('accepts codes one step either side of now, and no further', () => {
    const nowMs = 1111111111 * 1000;
    const now = timeStep(nowMs);
    for (const offset of [-1, 0, 1]) {
      const code = hotp(RFC_SECRET, now + offset);
      expect(verifyTotp(RFC_SECRET_BASE32, code, { nowMs }), `offset ${offset}`).toBe(now + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const code = hotp(RFC_SECRET, now + offset);
      // A code from two steps away could coincide with one inside the window; these do not.
      expect([-1, 0, 1].map((o) => hotp(RFC_SECRET, now + o))).not.toContain(code);
      expect(verifyTotp(RFC_SECRET_BASE32, code, { nowMs }), `offset ${offset}`).toBeUndefined();
    }
  });

  it('refuses a replayed code: any step at or before the last one used', () => {
    const nowMs = 1234567890 * 1000;
    const now = timeStep(nowMs);
    const code = hotp(RFC_SECRET, now);
    const step = verifyTotp(RFC_SECRET_BASE32, code, { nowMs, lastStep: null });
    expect(step).toBe(now);
    expect(verifyTotp(RFC_SECRET_BASE32, code, { nowMs, lastStep: step })).toBeUndefined();
    expect(verifyTotp(RFC_SECRET_BASE32, code, { nowMs, lastStep: now + 1 })).toBeUndefined();
    // The previous step's code is refused once a later step has been used...
    expect(
      verifyTotp(RFC_SECRET_BASE32, hotp(RFC_SECRET, now - 1), { nowMs, lastStep: now - 1 }),
    ).toBeUndefined();
    // ...but the next step's code still works once.
    expect(verifyTotp(RFC_SECRET_BASE32, hotp(RFC_SECRET, now + 1), { nowMs, lastStep: now })).toBe(now + 1);
    // An older last step does not stop a fresh code.
    expect(verifyTotp(RFC_SECRET_BASE32, code, { nowMs, lastStep: now - 1 })).toBe(now);
  });

  it('allows spaces in the code but nothing else that is not six digits', () => {
    const nowMs = 59 * 1000;
    expect(verifyTotp(RFC_SECRET_BASE32, '287 082', { nowMs })).toBe(1);
    expect(verifyTotp(RFC_SECRET_BASE32, ' 287082 ', { nowMs })).toBe(1);
    expect(verifyTotp(RFC_SECRET_BASE32, '94287082', { nowMs })).toBeUndefined();
    expect(verifyTotp(RFC_SECRET_BASE32, '28708', { nowMs })).toBeUndefined();
    expect(verifyTotp(RFC_SECRET_BASE32, '287-082', { nowMs })).toBeUndefined();
    expect(verifyTotp(RFC_SECRET_BASE32, 'abcdef', { nowMs })).toBeUndefined();
    expect(verifyTotp(RFC_SECRET_BASE32, '', { nowMs })).toBeUndefined();
  });

  it('refuses a wrong code', () => {
    const nowMs = 59 * 1000;
    const good = totp(RFC_SECRET_BASE32, nowMs);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(RFC_SECRET_BASE32, wrong, { nowMs })).toBeUndefined();
  });

  it('works with a freshly generated secret at the current time', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    const step = verifyTotp(secret, totp(secret));
    expect(step === timeStep() || step === timeStep() - 1).toBe(true);
  });
});

describe('base32', () => {
  it('matches the RFC 4648 examples (without padding)', () => {
    const examples: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of examples) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it('round-trips random bytes of every length up to 64', () => {
    for (let length = 0; length <= 64; length++) {
      for (let i = 0; i < 5; i++) {
        const bytes = randomBytes(length);
        expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
      }
    }
  });

  it('decodes what people copy: lower case, spaces, dashes and padding', () => {
    expect(base32Decode('mzxw 6ytb-oi======').toString()).toBe('foobar');
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow('Invalid base32 secret');
    expect(() => base32Decode('MZXW8')).toThrow();
  });
});

describe('otpauthUri', () => {
  it('names the issuer and account and states the algorithm authenticator apps need', () => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'triage@a.test', 'Heard A');
    expect(uri).toBe(
      'otpauth://totp/Heard%20A%3Atriage%40a.test?secret=JBSWY3DPEHPK3PXP&issuer=Heard%20A&algorithm=SHA1&digits=6&period=30',
    );
  });
});
