import { responseStep } from './rollup.js';

/**
 * Whether a median read from response-time steps is as close to the exact median as the steps
 * allow. Each of the two middle responses (`low`, `high`; the same one twice for an odd count) is
 * read to within its own step, and the median is one of them or halfway between, so the bound is
 * the wider of their two steps, not the step the median lands in (see rollup.ts).
 */
export function withinMedianBound(rolled: number, exact: number, low: number, high: number): boolean {
  const lowWidth = responseStep(low).width;
  const highWidth = responseStep(high).width;
  if (highWidth === null) {
    // 360 days or more counts as 360 days: the median can only come out lower than exact, and
    // never below the step of the lower middle response.
    return rolled >= responseStep(low).from && rolled <= exact + (lowWidth ?? 0) + 1e-9;
  }
  return Math.abs(rolled - exact) <= Math.max(lowWidth!, highWidth) + 1e-9;
}
