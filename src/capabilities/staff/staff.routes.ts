import { intlLocale } from '../../platform/i18n/index.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { staffActor, type StaffPrincipal } from '../../platform/auth/actor.js';
import { PASSWORD_STAGE_MS, type CodeOutcome } from '../../platform/auth/auth.service.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { can, ROLES } from '../../platform/auth/permissions.js';
import { otpauthUri } from '../../platform/auth/totp.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { paths, withQuery } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import {
  codeForm,
  invitationForm,
  inviteForm,
  PASSWORD_PROBLEM_MESSAGES,
  signInForm,
  tokenForm,
} from './staff.schema.js';

/** Sign-in, second factor and invitation POSTs, per client per window: enough for typos, not for guessing. */
export const SIGN_IN_LIMIT = { max: 20, timeWindow: '10 minutes' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route pattern from a path builder, e.g. paths.staff.admin.member(':id') -> /staff/admin/staff/:id. */
const pattern = (build: (param: string) => string, param = ':id') => decodeURIComponent(build(param));

/** Success messages shown after a redirect; only these names are accepted from the query string. */
export const MEMBER_NOTICES = ['invited', 'deactivated', 'reactivated', 'mfaReset'] as const;

function query(request: FastifyRequest): Record<string, string | undefined> {
  return (request.query ?? {}) as Record<string, string | undefined>;
}

/** "2:33pm": the lockout's end rounded up to the minute, in UK time, as GOV.UK writes times. */
export function lockedUntilText(until: Date, lang: string): string {
  const rounded = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
  return new Intl.DateTimeFormat(intlLocale(lang), {
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  })
    .format(rounded)
    .replace(/\s/g, '')
    .toLowerCase();
}

/** Groups a base32 secret in fours, so it can be read and typed. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** Where a signed-in member of staff starts: the queue, or the dashboard for analysts, who cannot open it. */
function landingPage(roles: readonly string[]): string {
  const queue = (['concerns.viewAll', 'concerns.viewShared', 'concerns.work'] as const).some((p) =>
    can(roles, p),
  );
  return !queue && can(roles, 'insight.view') ? paths.insight.dashboard() : paths.staff.concerns.queue();
}

export function staffRoutes(app: FastifyInstance, services: Services) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  // ---------------------------------------------------------------------------------------------
  // Signing in

  app.get(paths.staff.home(), async (request, reply) => {
    if (!request.staff) return reply.redirect(paths.staff.signIn());
    return reply.redirect(landingPage(request.staff.roles));
  });

  function renderSignIn(
    reply: FastifyReply,
    context: {
      values?: Record<string, unknown>;
      errors?: FieldError[];
      fieldErrors?: Record<string, string>;
    } = {},
  ) {
    return reply.view('staff/views/sign-in.njk', {
      pageTitle: reply.request.t('staff.signIn.title'),
      values: {},
      signedOut: query(reply.request).signedOut === '1',
      ...context,
    });
  }

  app.get(paths.staff.signIn(), async (request, reply) => {
    if (request.staff) return reply.redirect(paths.staff.home());
    return renderSignIn(reply);
  });

  app.post(paths.staff.signIn(), { config: { rateLimit: SIGN_IN_LIMIT } }, async (request, reply) => {
    const t = request.t;
    const parsed = parseForm(signInForm, request.body, t);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // The password is never sent back into the page.
    const values = { email: body.email };
    if (!parsed.ok) {
      reply.code(400);
      return renderSignIn(reply, { values, errors: parsed.errors, fieldErrors: parsed.byField });
    }
    const { email, password } = parsed.value;
    const outcome = await services.auth.signInWithPassword(
      request.partnership.id,
      email,
      password,
      request.correlationId,
    );
    if (outcome.outcome === 'invalid' || outcome.outcome === 'locked') {
      // One neutral message for an unknown email, a wrong password and an inactive account alike.
      const text =
        outcome.outcome === 'invalid'
          ? t('staff.errors.signInInvalid')
          : t('staff.errors.locked', { time: lockedUntilText(outcome.until, request.lang) });
      reply.code(outcome.outcome === 'invalid' ? 400 : 429);
      return renderSignIn(reply, {
        values,
        errors: [{ href: '#email', text }],
        fieldErrors: { email: text },
      });
    }
    reply.setSessionCookie(outcome.token, PASSWORD_STAGE_MS);
    return reply.redirect(
      outcome.outcome === 'codeNeeded' ? paths.staff.signInCode() : paths.staff.setUpCode(),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // Second factor: entering a code, or setting up an authenticator app

  function codeError(
    request: FastifyRequest,
    outcome: Exclude<CodeOutcome, { outcome: 'signedIn' }>,
  ): string {
    return outcome.outcome === 'locked'
      ? request.t('staff.errors.locked', { time: lockedUntilText(outcome.until, request.lang) })
      : request.t('staff.errors.codeInvalid');
  }

  app.get(paths.staff.signInCode(), async (request, reply) => {
    if (request.staff) return reply.redirect(paths.staff.home());
    const pending = request.pendingSession;
    if (!pending) return reply.redirect(paths.staff.signIn());
    if (!(await services.staff.hasSecondFactor(pending.principal)))
      return reply.redirect(paths.staff.setUpCode());
    return reply.view('staff/views/code.njk', { pageTitle: request.t('staff.code.title'), values: {} });
  });

  app.post(paths.staff.signInCode(), { config: { rateLimit: SIGN_IN_LIMIT } }, async (request, reply) => {
    const pending = request.pendingSession;
    if (!pending) return reply.redirect(paths.staff.signIn());
    const render = (errors: FieldError[], status = 400) => {
      reply.code(status);
      return reply.view('staff/views/code.njk', {
        pageTitle: request.t('staff.code.title'),
        values: {},
        errors,
        fieldErrors: { code: errors[0]!.text },
      });
    };
    const parsed = parseForm(codeForm, request.body, request.t);
    if (!parsed.ok) return render(parsed.errors);
    const outcome = await services.auth.verifyCode(pending, parsed.value.code, request.correlationId);
    if (outcome.outcome !== 'signedIn') {
      return render(
        [{ href: '#code', text: codeError(request, outcome) }],
        outcome.outcome === 'locked' ? 429 : 400,
      );
    }
    reply.setSessionCookie(outcome.token);
    return reply.redirect(landingPage(pending.principal.roles));
  });

  async function renderSetUp(
    request: FastifyRequest,
    reply: FastifyReply,
    principal: StaffPrincipal,
    secret: string,
    errors?: FieldError[],
  ) {
    const partnership = await services.partnerships.byId(principal.partnershipId);
    const issuer = [request.t('common.productName'), partnership?.shortName].filter(Boolean).join(' ');
    const svg = await QRCode.toString(otpauthUri(secret, principal.email, issuer), {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return reply.view('staff/views/set-up.njk', {
      pageTitle: request.t('staff.setUp.title'),
      secret: groupSecret(secret),
      account: principal.email,
      issuer,
      // An image, not inline SVG, so the page needs nothing beyond the CSP's img-src data:.
      qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      values: {},
      errors,
      fieldErrors: errors ? { code: errors[0]!.text } : undefined,
    });
  }

  app.get(paths.staff.setUpCode(), async (request, reply) => {
    if (request.staff) return reply.redirect(paths.staff.home());
    const pending = request.pendingSession;
    if (!pending) return reply.redirect(paths.staff.signIn());
    const secret = await services.auth.pendingTotpSecret(pending.principal);
    // Already set up: setting up again needs an administrator to reset it, so a password alone cannot.
    if (!secret) return reply.redirect(paths.staff.signInCode());
    return renderSetUp(request, reply, pending.principal, secret);
  });

  app.post(paths.staff.setUpCode(), { config: { rateLimit: SIGN_IN_LIMIT } }, async (request, reply) => {
    const pending = request.pendingSession;
    if (!pending) return reply.redirect(paths.staff.signIn());
    const secret = await services.auth.pendingTotpSecret(pending.principal);
    if (!secret) return reply.redirect(paths.staff.signInCode());
    const parsed = parseForm(codeForm, request.body, request.t);
    if (!parsed.ok) {
      reply.code(400);
      return renderSetUp(request, reply, pending.principal, secret, parsed.errors);
    }
    const outcome = await services.auth.verifyCode(pending, parsed.value.code, request.correlationId);
    if (outcome.outcome !== 'signedIn') {
      reply.code(outcome.outcome === 'locked' ? 429 : 400);
      return renderSetUp(request, reply, pending.principal, secret, [
        { href: '#code', text: codeError(request, outcome) },
      ]);
    }
    await services.staff.recordSecondFactorSetUp(pending.principal, request.correlationId);
    reply.setSessionCookie(outcome.token);
    return reply.redirect(landingPage(pending.principal.roles));
  });

  // ---------------------------------------------------------------------------------------------
  // Signing out: the navigation links here, and the page's button POSTs, so a link alone (or a
  // page on another site) cannot sign anyone out.

  app.get(paths.staff.signOut(), async (request, reply) => {
    if (!request.staff && !request.pendingSession) return reply.redirect(paths.staff.signIn());
    return reply.view('staff/views/sign-out.njk', { pageTitle: request.t('staff.signOut.title') });
  });

  app.post(paths.staff.signOut(), async (request, reply) => {
    const principal = request.staff ?? request.pendingSession?.principal;
    if (principal) await services.auth.signOut(principal, request.correlationId);
    reply.clearSessionCookie();
    return reply.redirect(withQuery(paths.staff.signIn(), { signedOut: '1' }));
  });

  // ---------------------------------------------------------------------------------------------
  // Accepting an invitation: choose a password, then set up the second factor.

  function invitationInvalid(reply: FastifyReply) {
    reply.code(404);
    return reply.view('staff/views/invitation-invalid.njk', {
      pageTitle: reply.request.t('staff.invitation.invalidTitle'),
    });
  }

  const invitationPattern = pattern(paths.staff.invitation, ':token');

  app.get(invitationPattern, async (request, reply) => {
    const { token } = request.params as { token: string };
    const invitation = await services.staff.invitation(token);
    if (!invitation) return invitationInvalid(reply);
    return reply.view('staff/views/invitation.njk', {
      pageTitle: request.t('staff.invitation.title'),
      invitation,
      action: paths.staff.invitation(token),
    });
  });

  app.post(invitationPattern, { config: { rateLimit: SIGN_IN_LIMIT } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const invitation = await services.staff.invitation(token);
    if (!invitation) return invitationInvalid(reply);
    const render = (errors: FieldError[], fieldErrors: Record<string, string>) => {
      reply.code(400);
      return reply.view('staff/views/invitation.njk', {
        pageTitle: request.t('staff.invitation.title'),
        invitation,
        action: paths.staff.invitation(token),
        errors,
        fieldErrors,
      });
    };
    const parsed = parseForm(invitationForm, request.body, request.t);
    if (!parsed.ok) return render(parsed.errors, parsed.byField);
    const outcome = await services.staff.acceptInvitation(
      token,
      parsed.value.password,
      request.correlationId,
    );
    if (!outcome.ok) {
      if (outcome.problem === 'invalid') return invitationInvalid(reply);
      const text = request.t(PASSWORD_PROBLEM_MESSAGES[outcome.problem]);
      return render([{ href: '#password', text }], { password: text });
    }
    reply.setSessionCookie(outcome.sessionToken, outcome.sessionMaxAgeMs);
    return reply.redirect(paths.staff.setUpCode());
  });

  // ---------------------------------------------------------------------------------------------
  // Personal API tokens

  async function renderTokens(
    request: FastifyRequest,
    reply: FastifyReply,
    context: Record<string, unknown> = {},
  ): Promise<FastifyReply> {
    const tokens = await services.staff.tokens(actor(request));
    return reply.view('staff/views/api-tokens.njk', {
      pageTitle: request.t('staff.tokens.title'),
      tokens,
      values: {},
      revoked: query(request).revoked === '1',
      ...context,
    });
  }

  app.get(paths.staff.apiTokens(), { preHandler: requireStaff() }, async (request, reply) =>
    renderTokens(request, reply),
  );

  app.post(paths.staff.apiTokens(), { preHandler: requireStaff() }, async (request, reply) => {
    const parsed = parseForm(tokenForm, request.body, request.t);
    if (!parsed.ok) {
      reply.code(400);
      return renderTokens(request, reply, {
        values: request.body,
        errors: parsed.errors,
        fieldErrors: parsed.byField,
      });
    }
    const outcome = await services.staff.createToken(actor(request), parsed.value.name, request.staff!.via);
    if (!outcome.ok) return reply.sendError('forbidden');
    // Shown this once; the page must not be kept by the browser or anything in between.
    reply.header('Cache-Control', 'no-store');
    return renderTokens(request, reply, { created: { name: outcome.token.name, secret: outcome.secret } });
  });

  app.post(pattern(paths.staff.apiTokenRevoke), { preHandler: requireStaff() }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) return reply.sendError('notFound');
    const outcome = await services.staff.revokeToken(actor(request), id);
    if (!outcome.ok) return reply.sendError('notFound');
    return reply.redirect(withQuery(paths.staff.apiTokens(), { revoked: '1' }));
  });

  // ---------------------------------------------------------------------------------------------
  // Administration (partnership administrators)

  const admin = { preHandler: requireStaff('staff.manage') };

  app.get(paths.staff.admin.staff(), admin, async (request, reply) => {
    const members = await services.staff.list(actor(request));
    return reply.view('staff/views/admin-staff.njk', {
      pageTitle: request.t('staff.admin.list.title'),
      members,
    });
  });

  async function renderInvite(
    request: FastifyRequest,
    reply: FastifyReply,
    context: Record<string, unknown> = {},
  ) {
    const organisations = await services.staff.organisations(actor(request));
    return reply.view('staff/views/admin-invite.njk', {
      pageTitle: request.t('staff.admin.invite.title'),
      organisations,
      roles: ROLES,
      values: { roles: [] },
      ...context,
    });
  }

  app.get(paths.staff.admin.invite(), admin, async (request, reply) => renderInvite(request, reply));

  app.post(paths.staff.admin.invite(), admin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...body, roles: [body.roles ?? []].flat() };
    const ids = { roles: 'roles', organisationId: 'organisationId' };
    const parsed = parseForm(inviteForm, body, request.t, ids);
    if (!parsed.ok) {
      reply.code(400);
      return renderInvite(request, reply, { values, errors: parsed.errors, fieldErrors: parsed.byField });
    }
    const outcome = await services.staff.invite(actor(request), parsed.value, {
      t: request.t,
      partnershipName: request.partnership.name,
    });
    if (!outcome.ok) {
      const field = outcome.problem === 'emailTaken' ? 'email' : 'organisationId';
      const text = request.t(`staff.errors.${outcome.problem}`);
      reply.code(400);
      return renderInvite(request, reply, {
        values,
        errors: [{ href: `#${field}`, text }],
        fieldErrors: { [field]: text },
      });
    }
    return reply.redirect(withQuery(paths.staff.admin.member(outcome.member.id), { notice: 'invited' }));
  });

  async function renderMember(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    errors?: FieldError[],
  ) {
    const member = UUID.test(id) ? await services.staff.member(actor(request), id) : undefined;
    if (!member) return reply.sendError('notFound');
    const notice = MEMBER_NOTICES.find((n) => n === query(request).notice);
    return reply.view('staff/views/admin-member.njk', {
      pageTitle: member.name,
      member,
      notice,
      isSelf: member.id === request.staff!.id,
      locked: member.lockedUntil !== null && member.lockedUntil > new Date(),
      errors,
    });
  }

  app.get(pattern(paths.staff.admin.member), admin, async (request, reply) =>
    renderMember(request, reply, (request.params as { id: string }).id),
  );

  const actions = [
    { build: paths.staff.admin.deactivate, run: services.staff.deactivate, notice: 'deactivated' },
    { build: paths.staff.admin.reactivate, run: services.staff.reactivate, notice: 'reactivated' },
    { build: paths.staff.admin.resetMfa, run: services.staff.resetMfa, notice: 'mfaReset' },
  ] as const;

  for (const action of actions) {
    app.post(pattern(action.build), admin, async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!UUID.test(id)) return reply.sendError('notFound');
      const outcome = await action.run(actor(request), id);
      if (!outcome.ok) {
        if (outcome.problem === 'notFound') return reply.sendError('notFound');
        reply.code(400);
        return renderMember(request, reply, id, [{ href: '#actions', text: request.t('staff.errors.self') }]);
      }
      return reply.redirect(withQuery(paths.staff.admin.member(id), { notice: action.notice }));
    });
  }
}
