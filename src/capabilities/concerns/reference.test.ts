import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  formatReference,
  formatTrackingCode,
  generateReference,
  generateTrackingCode,
  normaliseReference,
  normaliseTrackingCode,
  REFERENCE_ALPHABET,
} from './reference.js';

/** A small deterministic generator (mulberry32), so the property loops are repeatable. */
function seeded(seed: number): (max: number) => number {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

const random = seeded(20260101);
const SAMPLES = Array.from({ length: 300 }, () => generateReference(random));

describe('reference alphabet', () => {
  it('has no look-alike characters and no repeats', () => {
    for (const ch of '01ILO') expect(REFERENCE_ALPHABET).not.toContain(ch);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
    // A prime size is what makes the weighted check character catch every single error.
    expect(REFERENCE_ALPHABET.length).toBe(31);
  });
});

describe('generateReference', () => {
  it('is ten characters from the alphabet plus a valid check character', () => {
    for (const ref of [generateReference(), ...SAMPLES]) {
      expect(ref).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{11}$`));
      expect(ref.length).toBeGreaterThanOrEqual(11);
      expect(ref[10]).toBe(checkCharacter(ref.slice(0, 10)));
      expect(normaliseReference(ref)).toBe(ref);
    }
  });

  it('gives distinct references over 100,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(generateReference());
    expect(seen.size).toBe(100_000);
  });

  it('uses the random source it is given, character by character', () => {
    const ref = generateReference(() => 0);
    expect(ref.slice(0, 10)).toBe('2222222222');
    expect(ref[10]).toBe(checkCharacter('2222222222'));
  });
});

describe('checkCharacter', () => {
  it('refuses characters outside the alphabet', () => {
    expect(() => checkCharacter('ABCDEFGHJ0')).toThrow();
    expect(() => checkCharacter('abcdefghjk')).toThrow();
  });
});

describe('normaliseReference', () => {
  const ref = SAMPLES[0]!;
  const shown = formatReference(ref);

  it('formats as ABCD-EFGH-JKM', () => {
    expect(shown).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/);
    expect(shown.replace(/-/g, '')).toBe(ref);
  });

  it('accepts what people type: dashes, spaces and lower case', () => {
    expect(normaliseReference(shown)).toBe(ref);
    expect(normaliseReference(shown.toLowerCase())).toBe(ref);
    expect(normaliseReference(`  ${ref.slice(0, 4)} ${ref.slice(4, 8)}  ${ref.slice(8)} `)).toBe(ref);
    expect(normaliseReference(`${ref.slice(0, 2)}-${ref.slice(2, 7).toLowerCase()} - ${ref.slice(7)}`)).toBe(
      ref,
    );
  });

  it('rejects a wrong check character', () => {
    for (const sample of SAMPLES) {
      for (const ch of REFERENCE_ALPHABET) {
        if (ch === sample[10]) continue;
        expect(normaliseReference(sample.slice(0, 10) + ch)).toBeUndefined();
      }
    }
  });

  it('rejects the wrong length, characters outside the alphabet and empty input', () => {
    expect(normaliseReference(ref.slice(0, 10))).toBeUndefined();
    expect(normaliseReference(`${ref}2`)).toBeUndefined();
    expect(normaliseReference('')).toBeUndefined();
    expect(normaliseReference('-- --')).toBeUndefined();
    // Look-alikes are not silently mapped: O is not 0 and neither is in the alphabet.
    expect(normaliseReference(`O${ref.slice(1)}`)).toBeUndefined();
    expect(normaliseReference(`${ref.slice(0, 5)}!${ref.slice(6)}`)).toBeUndefined();
  });

  it('rejects every single-character substitution of many references', () => {
    let checked = 0;
    for (const sample of SAMPLES) {
      for (let i = 0; i < sample.length; i++) {
        for (const ch of REFERENCE_ALPHABET) {
          if (ch === sample[i]) continue;
          const typo = sample.slice(0, i) + ch + sample.slice(i + 1);
          expect(normaliseReference(typo), `${sample} -> ${typo}`).toBeUndefined();
          checked++;
        }
      }
    }
    expect(checked).toBe(SAMPLES.length * 11 * 30);
  });

  it('rejects every adjacent transposition of many references', () => {
    let checked = 0;
    for (const sample of SAMPLES) {
      for (let i = 0; i < sample.length - 1; i++) {
        if (sample[i] === sample[i + 1]) continue; // swapping equal characters changes nothing
        const swapped = sample.slice(0, i) + sample[i + 1] + sample[i] + sample.slice(i + 2);
        expect(normaliseReference(swapped), `${sample} -> ${swapped}`).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(SAMPLES.length * 9);
  });
});

describe('tracking codes', () => {
  it('are eight characters from the alphabet, shown as ABCD-EFGH', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateTrackingCode(random);
      expect(code).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{8}$`));
      const shown = formatTrackingCode(code);
      expect(shown).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
      expect(normaliseTrackingCode(shown.toLowerCase())).toBe(code);
      expect(normaliseTrackingCode(` ${code.slice(0, 4)} ${code.slice(4)} `)).toBe(code);
    }
  });
});
