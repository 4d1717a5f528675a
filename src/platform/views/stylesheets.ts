import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rtlcss from 'rtlcss';
import { GOVUK_FRONTEND_DIST } from './index.js';

/**
 * GOV.UK Frontend's stylesheet, adapted once at start-up for Heard:
 *
 * - Without GDS Transport. That typeface is licensed for GOV.UK domains only, and Heard is run by
 *   partnerships, not central government; GOV.UK's own guidance for other services is Arial. Dropping
 *   it also saves two font downloads on every resident's first visit.
 * - With a font stack per script. Every rule that names the typeface reads `var(--heard-font)`, which
 *   the `:lang()` rules below set, so Arabic-script pages (Arabic, Dari, Pashto, Urdu) get a Naskh
 *   face, and Urdu a Nastaliq one where the device has it. Heard serves Noto Naskh Arabic itself, as
 *   a last resort for devices with no Arabic-script font: it comes after the faces phones and
 *   computers ship with, so most never fetch it, and `unicode-range` means it is fetched only for
 *   Arabic-script letters (on other pages, the language chooser's names of Dari, Pashto, Arabic, Urdu).
 * - Mirrored for right-to-left languages by rtlcss, which flips floats, margins, paddings, borders,
 *   positions and arrows (the back link's chevron, radio and checkbox positions), since GOV.UK Frontend
 *   is written for left-to-right only. Heard's own CSS uses logical properties instead.
 */
export const NASKH_FILES = path.resolve(
  import.meta.dirname,
  '../../../node_modules/@fontsource/noto-naskh-arabic/files',
);

export const NASKH_FILE = 'noto-naskh-arabic-arabic-400-normal.woff2';

const ARABIC_RANGES =
  'U+0600-06FF,U+0750-077F,U+0870-088E,U+0890-0891,U+0897-08E1,U+08E3-08FF,U+200C-200E,U+2010-2011,U+FB50-FDFF,U+FE70-FE74,U+FE76-FEFC';

/**
 * `font-display: block`, not swap: a device that falls through to this face has no Arabic-script
 * letters of its own, so swapping would first show empty boxes, then shift the page when the font
 * came (measured with swap: CLS 0.28 on the Dari start page).
 *
 * One weight only: a device that needs Heard's copy at all is short of fonts and likely of data,
 * and the browser draws bold from the regular face well enough for Naskh. (A second weight measured
 * as another 53 KB and a second layout shift on the Dari start page.)
 */
function naskhFace(fontsUrl: string): string {
  return (
    `@font-face{font-family:"Heard Naskh";font-style:normal;font-weight:400 700;font-display:block;` +
    `src:url(${fontsUrl}${NASKH_FILE}) format("woff2");unicode-range:${ARABIC_RANGES}}`
  );
}

function fontRules(fontsUrl: string): string {
  const latin = 'arial,sans-serif';
  // The device's own Arabic-script faces first (Android, Windows, Apple), so most never download
  // Heard's copy; it comes before Arial, which has no Arabic letters on many systems.
  const naskh = `"Noto Naskh Arabic","Segoe UI",Tahoma,"Geeza Pro","Heard Naskh",${latin}`;
  return [
    naskhFace(fontsUrl),
    `:root{--heard-font:${latin}}`,
    `:lang(ar),:lang(fa),:lang(ps){--heard-font:${naskh}}`,
    // Nastaliq is how Urdu is read; it needs more room between lines than Naskh.
    `:lang(ur){--heard-font:"Noto Nastaliq Urdu","Jameel Noori Nastaleeq","Urdu Typesetting",${naskh};line-height:1.6}`,
  ].join('');
}

/**
 * The stylesheet without GDS Transport, each rule naming it reading `var(--heard-font)` instead.
 * GOV.UK Frontend's own way is the Sass setting $govuk-font-family; Heard ships the compiled CSS and no
 * Sass compiler, so the same change is made to the compiled file.
 */
export function withoutGdsTransport(css: string): string {
  const result = css
    .replace(/\/\*!\s*Copyright[^*]*exclusive use on gov\.uk[^*]*\*\//g, '')
    .replace(/@font-face\{font-family:"?GDS Transport"?;[^}]*\}/g, '')
    .replaceAll('font-family:GDS Transport,arial,sans-serif', 'font-family:var(--heard-font)');
  // A new GOV.UK Frontend that writes these differently must fail loudly here, not ship the font.
  if (/GDS Transport|\/assets\/fonts\//.test(result))
    throw new Error('GOV.UK Frontend stylesheet: GDS Transport could not be removed; update stylesheets.ts');
  return result;
}

export interface Stylesheet {
  css: string;
  etag: string;
}

function asset(css: string): Stylesheet {
  return { css, etag: `"${createHash('sha256').update(css).digest('base64url').slice(0, 22)}"` };
}

export function buildGovukStylesheets(fontsUrl: string): { ltr: Stylesheet; rtl: Stylesheet } {
  const source = readFileSync(path.join(GOVUK_FRONTEND_DIST, 'govuk', 'govuk-frontend.min.css'), 'utf8');
  // @charset must stay the very first thing in the file, so Heard's font rules go after it.
  const CHARSET = '@charset "UTF-8";';
  const adapted = withoutGdsTransport(source).replace(CHARSET, '');
  const ltr = CHARSET + fontRules(fontsUrl) + adapted;
  return { ltr: asset(ltr), rtl: asset(rtlcss.process(ltr)) };
}
