import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { GOVUK_FRONTEND_DIST } from './index.js';

/** Where the layout links GOV.UK Frontend's stylesheet; this route answers before the static files. */
export const GOVUK_STYLESHEET_URL = '/assets/govuk-frontend.min.css';

/**
 * GOV.UK Frontend's compiled stylesheet without the GDS Transport typeface, falling back to the
 * Arial stack GOV.UK Frontend already names after it.
 *
 * Two reasons. The typeface is "customised for exclusive use on gov.uk" (its licence note in the
 * stylesheet) and Heard is not a GOV.UK service, just as its header carries no crown. And its two
 * files are 64 KiB, which on a cold cache was most of the start page once text is compressed.
 * GOV.UK Frontend's own way is the Sass setting $govuk-font-family; Heard ships the compiled CSS and
 * no Sass compiler, so the same change is made to the compiled file, once, at start-up.
 */
export function withoutGdsTransport(css: string): string {
  const result = css
    .replace(/\/\*!\s*Copyright[^*]*exclusive use on gov\.uk[^*]*\*\//g, '')
    .replace(/@font-face\{font-family:"?GDS Transport"?;[^}]*\}/g, '')
    .replace(/"?GDS Transport"?,\s*/g, '');
  // A new GOV.UK Frontend that writes these differently must fail loudly here, not ship the font.
  if (/GDS Transport|\/assets\/fonts\//.test(result))
    throw new Error('GOV.UK Frontend stylesheet: GDS Transport could not be removed; update stylesheet.ts');
  return result;
}

export const govukStylesheet = fp<{ production: boolean }>(
  async (app, opts) => {
    const css = withoutGdsTransport(
      readFileSync(path.join(GOVUK_FRONTEND_DIST, 'govuk', 'govuk-frontend.min.css'), 'utf8'),
    );
    const etag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 27)}"`;
    // The same caching as the other GOV.UK Frontend files served from /assets/.
    const cacheControl = opts.production ? 'public, max-age=604800' : 'public, max-age=0';
    app.get(GOVUK_STYLESHEET_URL, async (request, reply) => {
      reply.header('cache-control', cacheControl).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('text/css; charset=utf-8').send(css);
    });
  },
  { name: 'heard-govuk-stylesheet' },
);
