import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Rate limits are keyed on a keyed hash of the client address, rotated daily, and held only in
 * memory: enough to slow abuse, never a record of who sent what (anonymous means anonymous).
 */
export function rateLimitKey(secret: string) {
  return (request: FastifyRequest): string => {
    const day = new Date().toISOString().slice(0, 10);
    return createHmac('sha256', `${secret}:${day}`).update(request.ip).digest('base64url').slice(0, 22);
  };
}

/** The limits for public POSTs, per client per window. */
export const PUBLIC_POST_LIMIT = { max: 20, timeWindow: '10 minutes' };
export const PROGRESS_LIMIT = { max: 10, timeWindow: '10 minutes' };
