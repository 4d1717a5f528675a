import argon2 from 'argon2';

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4), which meet OWASP's current minimums. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Verified against when the email is unknown, so a wrong email costs as long as a wrong password
 * and response times do not reveal who has an account.
 */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('heard-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

/** Minimum rules for a staff password: long rather than complex (NCSC guidance). */
export function passwordProblem(password: string): 'tooShort' | 'tooLong' | undefined {
  if (password.length < 12) return 'tooShort';
  if (password.length > 256) return 'tooLong';
  return undefined;
}
