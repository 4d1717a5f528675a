import type { Published } from '../../platform/suppression.js';

/**
 * Bands for a choropleth: which shade and pattern each area gets, and the legend that explains them.
 * Meaning is never carried by colour alone: every band also has its own pattern and a numeric range
 * in the legend, and the table beside the map gives each area's figure.
 */

/** A figure as published: a count, "fewer than 5" or withheld (secondary suppression). */
export type Cell = Published;

export type BandKind = 'zero' | 'small' | 'withheld' | 'range';

export interface Band {
  /** Stable id, used for the SVG pattern and in tests. */
  id: string;
  kind: BandKind;
  /** For 'range': inclusive bounds. */
  from?: number;
  to?: number;
  fill: string;
  /** Which overlay marks the band in print and for people who cannot tell the shades apart. */
  pattern: 'none' | 'dots' | 'diagonal' | 'cross' | 'dense' | 'hatch' | 'rings';
  /** Dark shades take white pattern marks, light ones dark marks. */
  ink: string;
}

/** A sequential blue scale from the GOV.UK palette, light to dark. */
const RANGE_FILLS = ['#d2e2f1', '#8eb8dc', '#4c8bc5', '#1d70b8', '#003078'];
const RANGE_PATTERNS: Band['pattern'][] = ['none', 'dots', 'diagonal', 'cross', 'dense'];
const RANGE_INKS = ['#0b0c0c', '#0b0c0c', '#0b0c0c', '#ffffff', '#ffffff'];

export const ZERO_BAND: Band = { id: 'zero', kind: 'zero', fill: '#ffffff', pattern: 'none', ink: '#0b0c0c' };
export const SMALL_BAND: Band = {
  id: 'small',
  kind: 'small',
  fill: '#f3f2f1',
  pattern: 'rings',
  ink: '#505a5f',
};
export const WITHHELD_BAND: Band = {
  id: 'withheld',
  kind: 'withheld',
  fill: '#b1b4b6',
  pattern: 'hatch',
  ink: '#0b0c0c',
};

/**
 * Equal-interval bands over the counts that are shown, at most `maxBands` of them and never more
 * than there are distinct values, so no band is empty. Zero, "fewer than 5" and withheld cells get
 * bands of their own.
 */
export function bandsFor(cells: readonly Cell[], maxBands = 5): Band[] {
  const shown = cells.flatMap((c) => (c.state === 'shown' && c.value > 0 ? [c.value] : []));
  const bands: Band[] = [];
  if (cells.some((c) => c.state === 'shown' && c.value === 0)) bands.push(ZERO_BAND);
  if (cells.some((c) => c.state === 'small')) bands.push(SMALL_BAND);
  if (shown.length > 0) {
    const lo = Math.min(...shown);
    const hi = Math.max(...shown);
    const k = Math.min(maxBands, new Set(shown).size, RANGE_FILLS.length);
    const step = (hi - lo + 1) / k;
    // With k distinct values there are at least k integers in [lo, hi], so each step is at least 1.
    for (let i = 0; i < k; i++) {
      const from = lo + Math.floor(i * step);
      const to = i === k - 1 ? hi : lo + Math.floor((i + 1) * step) - 1;
      // Spread the shades across the scale so two bands are never next-door shades.
      const shade = k === 1 ? RANGE_FILLS.length - 2 : Math.round((i * (RANGE_FILLS.length - 1)) / (k - 1));
      bands.push({
        id: `range-${i + 1}`,
        kind: 'range',
        from,
        to,
        fill: RANGE_FILLS[shade]!,
        pattern: RANGE_PATTERNS[shade]!,
        ink: RANGE_INKS[shade]!,
      });
    }
  }
  if (cells.some((c) => c.state === 'withheld')) bands.push(WITHHELD_BAND);
  return bands;
}

export function bandOf(cell: Cell, bands: readonly Band[]): Band {
  if (cell.state === 'small') return SMALL_BAND;
  if (cell.state === 'withheld') return WITHHELD_BAND;
  if (cell.value === 0) return ZERO_BAND;
  return bands.find((b) => b.kind === 'range' && cell.value >= b.from! && cell.value <= b.to!) ?? ZERO_BAND;
}
