import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer secrets (session cookies, API tokens, invitations): random, and stored only hashed. */
export function newSecretToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
