import { z } from 'zod';
import { passwordProblem } from '../../platform/auth/password.js';
import { ROLES } from '../../platform/auth/permissions.js';

/**
 * Forms (messages are translation keys, turned into text and linked to their field by parseForm)
 * and the JSON API's request and response shapes, which also document the API in OpenAPI.
 */
const text = (max: number, required: string, tooLong: string) =>
  z
    .union([z.string(), z.undefined()])
    .transform((s) => (s ?? '').trim())
    .pipe(z.string().min(1, required).max(max, tooLong));

/** Passwords are taken exactly as typed: no trimming, so what is set is what is checked. */
const secret = (required: string) =>
  z
    .union([z.string(), z.undefined()])
    .transform((s) => s ?? '')
    .pipe(z.string().min(1, required));

const list = z
  .union([z.string(), z.array(z.string()), z.undefined()])
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''));

export const signInForm = z.object({
  email: text(254, 'staff.errors.emailRequired', 'staff.errors.emailTooLong'),
  password: secret('staff.errors.passwordRequired'),
});

export const codeForm = z.object({
  code: z
    .union([z.string(), z.undefined()])
    .transform((s) => (s ?? '').replace(/[\s-]/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'staff.errors.codeRequired')
        .regex(/^\d{6}$/, 'staff.errors.codeFormat'),
    ),
});

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'staff.errors.inviteEmailRequired')
  .max(254, 'staff.errors.emailTooLong')
  .pipe(z.email('staff.errors.emailFormat'));

export const inviteForm = z.object({
  name: text(200, 'staff.errors.nameRequired', 'staff.errors.nameTooLong'),
  email: z
    .union([z.string(), z.undefined()])
    .transform((s) => s ?? '')
    .pipe(email),
  organisationId: z
    .union([z.string(), z.undefined()])
    .transform((s) => s ?? '')
    .pipe(
      z
        .string()
        .min(1, 'staff.errors.organisationRequired')
        .pipe(z.uuid('staff.errors.organisationRequired')),
    ),
  roles: list
    .pipe(z.array(z.enum(ROLES, { error: 'staff.errors.roleInvalid' })).min(1, 'staff.errors.rolesRequired'))
    .transform((roles) => [...new Set(roles)]),
});
export type InviteInput = z.output<typeof inviteForm>;

export const PASSWORD_PROBLEM_MESSAGES = {
  tooShort: 'staff.errors.passwordTooShort',
  tooLong: 'staff.errors.passwordTooLong',
} as const satisfies Record<NonNullable<ReturnType<typeof passwordProblem>>, string>;

export const invitationForm = z
  .object({
    password: secret('staff.errors.newPasswordRequired'),
    confirmPassword: secret('staff.errors.confirmRequired'),
  })
  .superRefine((v: { password?: unknown; confirmPassword?: unknown }, ctx) => {
    // zod runs this even when a field above has failed, so judge only what was actually given.
    if (typeof v.password !== 'string' || v.password === '') return;
    const problem = passwordProblem(v.password);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_PROBLEM_MESSAGES[problem] });
    } else if (
      typeof v.confirmPassword === 'string' &&
      v.confirmPassword !== '' &&
      v.password !== v.confirmPassword
    ) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'staff.errors.passwordsDiffer' });
    }
  });

export const tokenForm = z.object({
  name: text(100, 'staff.errors.tokenNameRequired', 'staff.errors.tokenNameTooLong'),
});

// ---------------------------------------------------------------------------------------------
// JSON API

export const idParams = z.object({ id: z.uuid() });

export const organisationOut = z.object({ id: z.uuid(), name: z.string() });

export const memberOut = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  organisation: organisationOut,
  roles: z.array(z.string()),
  active: z.boolean(),
  mfaSetUp: z.boolean().describe('Whether the second factor (an authenticator app) is set up'),
  invitationPending: z.boolean().describe('Invited, but no password set yet'),
  lastSignInAt: z.string().nullable().describe('ISO 8601'),
  createdAt: z.string().describe('ISO 8601'),
});

export const meOut = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  organisation: organisationOut,
  partnership: z.object({ id: z.uuid(), name: z.string() }),
  roles: z.array(z.string()),
  via: z.enum(['session', 'token']).describe('How this request was authenticated'),
});

export const inviteBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  organisationId: z.uuid(),
  roles: z
    .array(z.enum(ROLES))
    .min(1)
    .transform((roles) => [...new Set(roles)]),
});

export const tokenOut = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string().describe('ISO 8601'),
  lastUsedAt: z.string().nullable().describe('ISO 8601'),
  revokedAt: z.string().nullable().describe('ISO 8601'),
});

export const tokenBody = z.object({ name: z.string().trim().min(1).max(100) });

export const createdTokenOut = z.object({
  token: tokenOut,
  secret: z.string().describe('The token itself. It is shown only this once and stored only hashed.'),
});

export const problemOut = z.object({ error: z.string(), message: z.string(), correlationId: z.string() });
