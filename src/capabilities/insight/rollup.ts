/**
 * The dashboard's daily rollup: the pure parts (response-time steps and the median read from them).
 * The queries are in rollup.repository.ts; the design is in this capability's README.
 *
 * A median cannot be added up day by day, so the rollup keeps, per organisation and day, how many
 * first responses fell in each step of response time. The median is then read from those counts,
 * assuming the responses within a step are spread evenly across it. Each of the two middle
 * responses is then read to within its step's width, so the median (one of them, or halfway between
 * them) is never further from the exact median than the wider of those two steps: an hour when both
 * are under 3 days, 6 hours under 2 weeks, a day under 90 days, 30 days under 360 days. When the
 * middle responses are far apart the median itself may sit in a narrower step than that bound; the
 * bound follows the responses, not the median. A response of 360 days or more counts as 360 days.
 */
export const RESPONSE_STEPS: readonly { from: number; width: number | null }[] = [
  { from: 0, width: 1 },
  { from: 72, width: 6 },
  { from: 336, width: 24 },
  { from: 2160, width: 720 },
  { from: 8640, width: null },
];

/** The step a response time (hours) falls in: its first hour and its width (null: open-ended). */
export function responseStep(hours: number): { from: number; width: number | null } {
  const h = Math.max(0, hours);
  for (let i = RESPONSE_STEPS.length - 1; i >= 0; i--) {
    const s = RESPONSE_STEPS[i]!;
    if (h >= s.from) {
      if (s.width === null) return { from: s.from, width: null };
      return { from: s.from + Math.floor((h - s.from) / s.width) * s.width, width: s.width };
    }
  }
  return { from: 0, width: RESPONSE_STEPS[0]!.width };
}

/** The width of the step that starts at `from` (a value responseStep gave). */
function widthAt(from: number): number | null {
  for (let i = RESPONSE_STEPS.length - 1; i >= 0; i--) {
    if (from >= RESPONSE_STEPS[i]!.from) return RESPONSE_STEPS[i]!.width;
  }
  return RESPONSE_STEPS[0]!.width;
}

/**
 * The median (as PostgreSQL's percentile_cont(0.5): the middle value, or halfway between the two
 * middle ones) of response times given as counts per step, in hours; null when there are none.
 */
export function medianFromSteps(steps: readonly { from: number; n: number }[]): number | null {
  const sorted = steps.filter((s) => s.n > 0).sort((a, b) => a.from - b.from);
  const total = sorted.reduce((sum, s) => sum + s.n, 0);
  if (total === 0) return null;
  // The k-th smallest response (0-based), placed evenly within its step.
  const nth = (k: number): number => {
    let before = 0;
    for (const s of sorted) {
      if (k < before + s.n) {
        const width = widthAt(s.from);
        return width === null ? s.from : s.from + ((k - before + 0.5) * width) / s.n;
      }
      before += s.n;
    }
    return sorted[sorted.length - 1]!.from;
  };
  const middle = (total - 1) / 2;
  const low = nth(Math.floor(middle));
  const high = nth(Math.ceil(middle));
  return low + (middle - Math.floor(middle)) * (high - low);
}
