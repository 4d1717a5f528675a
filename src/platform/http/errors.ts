import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export type ErrorKind =
  'badRequest' | 'unauthorised' | 'forbidden' | 'notFound' | 'csrf' | 'tooMany' | 'server';

const STATUS: Record<ErrorKind, number> = {
  badRequest: 400,
  unauthorised: 401,
  forbidden: 403,
  notFound: 404,
  csrf: 403,
  tooMany: 429,
  server: 500,
};

declare module 'fastify' {
  interface FastifyReply {
    /** An error page for people, or a JSON problem for the API, with the right status. */
    sendError(kind: ErrorKind, detail?: string): FastifyReply;
  }
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * Errors are shown as GOV.UK-style pages that say what to do next. In production the page never
 * carries the error's message or stack; those go to the log with the correlation id shown to the user.
 */
export const errorPages = fp<{ production: boolean }>(
  async (app, opts) => {
    app.decorateReply('sendError', function sendError(this: FastifyReply, kind: ErrorKind, detail?: string) {
      const status = STATUS[kind];
      this.code(status);
      if (isApiRequest(this.request)) {
        return this.send({ error: kind, message: detail ?? kind, correlationId: this.request.correlationId });
      }
      return this.view(`errors/${kind}.njk`, {
        pageTitle: this.request.t(`errors.${kind}.title`),
        correlationId: this.request.correlationId,
        detail: opts.production ? undefined : detail,
      });
    });

    app.setNotFoundHandler((_request, reply) => reply.sendError('notFound'));

    app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status === 429) return reply.sendError('tooMany');
      if (status === 413) return reply.sendError('badRequest', 'The request was too large.');
      if (status >= 400 && status < 500) {
        request.log.info({ err: error }, 'client error');
        return reply.sendError(
          status === 404 ? 'notFound' : status === 403 ? 'forbidden' : 'badRequest',
          error.message,
        );
      }
      request.log.error({ err: error, correlationId: request.correlationId }, 'unhandled error');
      try {
        return reply.sendError('server', error.stack);
      } catch {
        // If even the error page fails (e.g. a broken template), say so plainly rather than hang.
        return reply
          .code(500)
          .type('text/plain')
          .send(`Sorry, something went wrong. Reference: ${request.correlationId}`);
      }
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
