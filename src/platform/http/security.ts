import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** A fresh nonce for this response's Content-Security-Policy and its <script> tags. */
    cspNonce: string;
  }
}

/**
 * Security headers on every response. The CSP allows only our own scripts carrying this request's
 * nonce, so injected markup cannot run script even if escaping were ever bypassed.
 */
export const securityHeaders = fp<{ production: boolean }>(
  async (app, opts) => {
    app.decorateRequest('cspNonce', '');
    app.addHook('onRequest', async (request, reply) => {
      request.cspNonce = randomBytes(16).toString('base64');
      const csp = [
        "default-src 'self'",
        `script-src 'self' 'nonce-${request.cspNonce}'`,
        // Swagger UI (developer docs only) sets inline styles; resident and staff pages never need them.
        request.url.startsWith('/api/docs') ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ].join('; ');
      reply.header('Content-Security-Policy', csp);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('Cross-Origin-Opener-Policy', 'same-origin');
      reply.header('Cross-Origin-Resource-Policy', 'same-origin');
      reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
      if (opts.production) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    });
  },
  { name: 'security-headers' },
);
