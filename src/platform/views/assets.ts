import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { paths } from '../paths.js';
import { buildGovukStylesheets, NASKH_FILE, NASKH_FILES, type Stylesheet } from './stylesheets.js';

/**
 * Serves GOV.UK Frontend's stylesheet as Heard adapts it (stylesheets.ts), one for each writing
 * direction, and the Arabic-script fallback font. Built on first request, then kept in memory.
 */
export const assets = fp<{ production: boolean }>(
  async (app, opts) => {
    let built: { ltr: Stylesheet; rtl: Stylesheet } | undefined;
    const sheets = () => (built ??= buildGovukStylesheets(paths.assets.naskhFonts()));
    // Revalidated with an ETag rather than cached for days, so a new release's CSS is picked up.
    const cacheControl = opts.production ? 'public, max-age=3600' : 'no-cache';

    for (const dir of ['ltr', 'rtl'] as const) {
      app.get(paths.assets.govukCss(dir), async (request, reply) => {
        const sheet = sheets()[dir];
        reply.header('cache-control', cacheControl).header('etag', sheet.etag);
        if (request.headers['if-none-match'] === sheet.etag) return reply.code(304).send();
        return reply.type('text/css; charset=utf-8').send(sheet.css);
      });
    }

    await app.register(fastifyStatic, {
      root: NASKH_FILES,
      prefix: paths.assets.naskhFonts(),
      decorateReply: false,
      maxAge: opts.production ? '30d' : 0,
      allowedPath: (pathname) => pathname.replace(/^\//, '') === NASKH_FILE,
    });
  },
  { name: 'assets' },
);
