/**
 * Small server-side SVG charts. Each is an image with a title and a description (role="img",
 * aria-labelledby), always drawn beside a data table holding the same figures. Meaning never rests
 * on colour: every bar carries its value as text, a suppressed value is written out ("<5") where its
 * bar would be, and a comparison bar is hatched and outlined rather than a different colour. No
 * inline styles or scripts, so the strict Content-Security-Policy holds; the look comes from classes
 * in insight.css, and the charts print as they are.
 */

export interface ChartBar {
  label: string;
  /** null: suppressed or not applicable; `text` says which. */
  value: number | null;
  text: string;
  compare?: { value: number | null; text: string };
}

export interface ChartText {
  id: string;
  title: string;
  description: string;
  /** For comparison charts: what the solid and the hatched bars stand for. */
  legend?: { main: string; compare: string };
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const safeId = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

function open(c: ChartText, width: number, height: number): string {
  const id = safeId(c.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="heard-chart" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${esc(c.title)}</title><desc id="${id}-desc">${esc(c.description)}</desc>`
  );
}

/** The scale's top: the largest value, rounded up to a tidy number so bars keep their proportions. */
export function niceMax(values: readonly (number | null)[]): number {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  if (max === 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

/** Horizontal bars, one per row, labelled on the left, each value written at the end of its bar. */
export function barChart(c: ChartText, bars: readonly ChartBar[], options: { max?: number } = {}): string {
  const labelWidth = 230;
  const plot = 360;
  const valueWidth = 110;
  const compare = bars.some((b) => b.compare);
  const rowHeight = compare ? 40 : 26;
  const top = c.legend ? 30 : 6;
  const width = labelWidth + plot + valueWidth;
  const height = top + bars.length * rowHeight + 6;
  const max = options.max ?? niceMax(bars.flatMap((b) => [b.value, b.compare ? b.compare.value : null]));
  const id = safeId(c.id);
  const parts = [open(c, width, height)];
  if (compare) {
    parts.push(
      `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
        `<line x1="0" y1="0" x2="0" y2="6" class="heard-chart__hatch-line"/></pattern></defs>`,
    );
  }
  if (c.legend) {
    parts.push(
      `<g class="heard-chart__legend" aria-hidden="true">` +
        `<rect x="0" y="6" width="14" height="14" class="heard-chart__bar"/>` +
        `<text x="20" y="18">${esc(c.legend.main)}</text>` +
        `<rect x="${labelWidth}" y="6" width="14" height="14" class="heard-chart__compare" fill="url(#${id}-hatch)"/>` +
        `<text x="${labelWidth + 20}" y="18">${esc(c.legend.compare)}</text></g>`,
    );
  }
  bars.forEach((b, i) => {
    const y = top + i * rowHeight;
    const barHeight = compare ? 16 : 18;
    parts.push(`<g class="heard-chart__row">`);
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" class="heard-chart__label">${esc(truncate(b.label, 34))}</text>`,
    );
    parts.push(...drawBar(b.value, b.text, labelWidth, y + 2, barHeight, plot, max, 'heard-chart__bar'));
    if (b.compare) {
      parts.push(
        ...drawBar(
          b.compare.value,
          b.compare.text,
          labelWidth,
          y + 2 + barHeight + 2,
          barHeight - 4,
          plot,
          max,
          'heard-chart__compare',
          `url(#${id}-hatch)`,
        ),
      );
    }
    parts.push('</g>');
  });
  parts.push(
    `<line x1="${labelWidth}" y1="${top}" x2="${labelWidth}" y2="${height - 4}" class="heard-chart__axis"/>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

function drawBar(
  value: number | null,
  text: string,
  x: number,
  y: number,
  h: number,
  plot: number,
  max: number,
  cls: string,
  fill?: string,
): string[] {
  if (value === null) {
    return [
      `<text x="${x + 6}" y="${y + h - 4}" class="heard-chart__value heard-chart__value--suppressed">${esc(text)}</text>`,
    ];
  }
  const w = Math.max(value > 0 ? 2 : 0, Math.round((value / max) * plot));
  return [
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" class="${cls}"${fill ? ` fill="${fill}"` : ''}/>`,
    `<text x="${x + w + 6}" y="${y + h - 4}" class="heard-chart__value">${esc(text)}</text>`,
  ];
}

/** Columns over time, one per period, each value written above its column. */
export function columnChart(c: ChartText, columns: readonly ChartBar[]): string {
  const left = 10;
  const step = 58;
  const plotHeight = 160;
  const top = 24;
  const width = Math.max(320, left * 2 + columns.length * step);
  const height = top + plotHeight + 44;
  const max = niceMax(columns.map((x) => x.value));
  const base = top + plotHeight;
  const parts = [open(c, width, height)];
  columns.forEach((col, i) => {
    const x = left + i * step;
    parts.push('<g class="heard-chart__column">');
    if (col.value === null) {
      parts.push(
        `<text x="${x + step / 2}" y="${base - 6}" text-anchor="middle" class="heard-chart__value heard-chart__value--suppressed">${esc(col.text)}</text>`,
      );
    } else {
      const h = Math.max(col.value > 0 ? 2 : 0, Math.round((col.value / max) * plotHeight));
      parts.push(
        `<rect x="${x + 8}" y="${base - h}" width="${step - 16}" height="${h}" class="heard-chart__bar"/>`,
      );
      parts.push(
        `<text x="${x + step / 2}" y="${base - h - 6}" text-anchor="middle" class="heard-chart__value">${esc(col.text)}</text>`,
      );
    }
    parts.push(
      `<text x="${x + step / 2}" y="${base + 18}" text-anchor="middle" class="heard-chart__label">${esc(truncate(col.label, 9))}</text>`,
    );
    parts.push('</g>');
  });
  parts.push(`<line x1="${left}" y1="${base}" x2="${width - left}" y2="${base}" class="heard-chart__axis"/>`);
  parts.push('</svg>');
  return parts.join('');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
