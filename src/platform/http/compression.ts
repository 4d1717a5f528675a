import { pipeline, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import fp from 'fastify-plugin';

/**
 * Compresses text responses (pages, GOV.UK Frontend's stylesheet and script, CSV and JSON) for
 * clients that accept it. Residents may be on prepaid mobile data: uncompressed, the start page's
 * stylesheet alone was 134 KiB; compressed it is about 16 KiB.
 *
 * Done here with node:zlib rather than left to a reverse proxy, so the app is light to download
 * however it is deployed (and a proxy that compresses anyway sees Content-Encoding and leaves it).
 */
const COMPRESSIBLE =
  /^(text\/|application\/(javascript|json|xml|atom\+xml|geo\+json|problem\+json|manifest\+json)|image\/svg\+xml|image\/(x-icon|vnd\.microsoft\.icon))/i;
/** Below this the headers outweigh any saving. */
const MIN_BYTES = 1024;
/** Brotli 5 and gzip 6: most of the saving of the top levels at a fraction of the CPU, per response. */
const BROTLI: zlib.BrotliOptions = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP: zlib.ZlibOptions = { level: 6 };

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export type Encoding = 'br' | 'gzip';

/** The encoding to use for an Accept-Encoding header: Brotli if accepted, else gzip, else none. */
export function chooseEncoding(header: string | string[] | undefined): Encoding | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const quality = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (quality('br') > 0) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return undefined;
}

function isStream(payload: unknown): payload is Readable {
  return typeof (payload as Readable | null)?.pipe === 'function';
}

export const compression = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!COMPRESSIBLE.test(type)) return payload;
      // What is sent depends on Accept-Encoding, so caches must keep the variants apart.
      const vary = String(reply.getHeader('vary') ?? '');
      if (!/accept-encoding/i.test(vary))
        reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');

      if (
        payload === null ||
        payload === undefined ||
        request.method === 'HEAD' ||
        reply.statusCode === 204 ||
        reply.statusCode === 206 ||
        reply.statusCode === 304 ||
        reply.hasHeader('content-encoding') ||
        reply.hasHeader('content-range')
      )
        return payload;
      const encoding = chooseEncoding(request.headers['accept-encoding']);
      if (!encoding) return payload;

      if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
        const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
        if (body.length < MIN_BYTES) return payload;
        const compressed = encoding === 'br' ? await brotli(body, BROTLI) : await gzip(body, GZIP);
        reply.removeHeader('content-length');
        reply.header('content-encoding', encoding);
        return compressed;
      }
      if (isStream(payload)) {
        const length = Number(reply.getHeader('content-length'));
        if (Number.isFinite(length) && length < MIN_BYTES) return payload;
        reply.removeHeader('content-length');
        reply.header('content-encoding', encoding);
        const compressor = encoding === 'br' ? zlib.createBrotliCompress(BROTLI) : zlib.createGzip(GZIP);
        // An error in the file stream destroys the compressor too, and Fastify ends the response.
        return pipeline(payload, compressor, () => undefined);
      }
      return payload;
    });
  },
  { name: 'heard-compression' },
);
