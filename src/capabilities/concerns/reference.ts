import { randomInt } from 'node:crypto';

/**
 * References residents read out on the phone: 10 random characters from an alphabet with no
 * look-alikes (no 0/O, 1/I/L), plus a check character, shown as ABCD-EFGH-JKM.
 * 31^10 ≈ 8×10^14 values, drawn with a CSPRNG, so they cannot be guessed or enumerated; the check
 * character (a weighted sum mod 31, a prime) catches every single mistyped character and every
 * swap of two neighbours before we look anything up.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BODY_LENGTH = 10;
const N = REFERENCE_ALPHABET.length;

export function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const v = REFERENCE_ALPHABET.indexOf(body[i]!);
    if (v < 0) throw new Error('Character outside the reference alphabet');
    sum += v * (i + 1);
  }
  return REFERENCE_ALPHABET[sum % N]!;
}

export function generateReference(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += REFERENCE_ALPHABET[random(N)];
  return body + checkCharacter(body);
}

/** Accepts what people type: any case, spaces or dashes. Returns undefined unless it is a valid reference. */
export function normaliseReference(input: string): string | undefined {
  const clean = input.toUpperCase().replace(/[\s-]/g, '');
  if (clean.length !== BODY_LENGTH + 1) return undefined;
  for (const ch of clean) if (!REFERENCE_ALPHABET.includes(ch)) return undefined;
  const body = clean.slice(0, BODY_LENGTH);
  return checkCharacter(body) === clean[BODY_LENGTH] ? clean : undefined;
}

export function formatReference(ref: string): string {
  return `${ref.slice(0, 4)}-${ref.slice(4, 8)}-${ref.slice(8)}`;
}

/** Tracking codes for named submissions: 8 characters from the same alphabet, shown as ABCD-EFGH. */
export function generateTrackingCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[random(N)];
  return code;
}

export function normaliseTrackingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function formatTrackingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
