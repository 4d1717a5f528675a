import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type nunjucks from 'nunjucks';
import type { I18n } from '../i18n/index.js';
import { paths } from '../paths.js';
import { isEnglishOnlyPath } from '../http/context.js';
import { can } from '../auth/permissions.js';
import { canSeeTension } from '../../capabilities/tension/tension.access.js';
import type { OrganisationKind } from '../tenancy/tenancy.table.js';

export interface NavItem {
  href: string;
  text: string;
  active?: boolean;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the shared context (t, lang, dir, nonce, CSRF token, paths, navigation). */
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

export const views = fp<{ env: nunjucks.Environment; i18n: I18n }>(
  async (app, opts) => {
    app.decorateReply(
      'view',
      function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
        const request = this.request;
        const t = request.t;
        const staff = request.staff;
        const path = request.url.split('?')[0]!;
        const navigation: NavItem[] = staff
          ? [
              { href: paths.staff.concerns.queue(), text: t('common.nav.queue') },
              { href: paths.staff.concerns.record(), text: t('common.nav.record') },
              ...(can(staff.roles, 'engagement.view')
                ? [{ href: paths.staff.engagement.home(), text: t('engagement.nav') }]
                : []),
              ...(canSeeTension({
                roles: staff.roles,
                organisationKind: (staff.organisationKind ?? null) as OrganisationKind | null,
              })
                ? [{ href: paths.staff.tension.picture(), text: t('tension.nav') }]
                : []),
              ...(can(staff.roles, 'programme.view')
                ? [{ href: paths.staff.programme.home(), text: t('programme.nav.programme') }]
                : []),
              ...(staff.roles.includes('partnership_admin')
                ? [{ href: paths.staff.admin.staff(), text: t('common.nav.staffAdmin') }]
                : []),
              ...(can(staff.roles, 'resettlement.cases')
                ? [{ href: paths.resettlement.home(), text: t('resettlement.nav') }]
                : can(staff.roles, 'resettlement.outcomes')
                  ? [{ href: paths.resettlement.outcomes(), text: t('resettlement.navOutcomes') }]
                  : []),
              ...(can(staff.roles, 'places.view')
                ? [{ href: paths.places.map(), text: t('places.nav.map') }]
                : []),
              ...(can(staff.roles, 'suggestions.manage')
                ? [{ href: paths.suggestions.admin(), text: t('suggestions.nav.admin') }]
                : []),
              ...(staff.roles.some((r) => r === 'forum_facilitator' || r === 'partnership_admin')
                ? [{ href: paths.forums.staff.list(), text: t('common.nav.staffForums') }]
                : []),
              ...(can(staff.roles, 'insight.view')
                ? [{ href: paths.insight.dashboard(), text: t('insight.nav') }]
                : []),
              { href: paths.staff.apiTokens(), text: t('common.nav.apiTokens') },
              { href: paths.staff.signOut(), text: t('common.nav.signOut') },
            ]
          : [
              { href: paths.share.start(), text: t('common.nav.share') },
              { href: paths.progress.form(), text: t('common.nav.progress') },
              { href: paths.youSaidWeDid.page(), text: t('programme.nav.youSaidWeDid') },
              { href: paths.forums.list(), text: t('common.nav.forums') },
            ];
        for (const item of navigation) item.active = path === item.href || path.startsWith(`${item.href}/`);
        const html = opts.env.render(template, {
          t,
          lang: request.lang,
          dir: request.dir,
          // Staff pages are English only (i18n/scope.ts), so they offer no choice of language.
          languages: staff || isEnglishOnlyPath(path) ? [] : opts.i18n.languages,
          cspNonce: request.cspNonce,
          csrfToken: request.csrfToken(),
          paths,
          staff,
          partnership: request.partnership,
          serviceName: staff
            ? t('common.staffServiceName')
            : (request.partnership?.shortName ?? t('common.productName')),
          serviceUrl: staff ? paths.staff.home() : paths.home(),
          navigation,
          footerLinks: [
            { href: paths.accessibility(), text: t('accessibility.footerLink') },
            { href: paths.api.docs(), text: t('common.footer.api') },
          ],
          ...context,
        });
        return this.type('text/html; charset=utf-8').send(html);
      },
    );
  },
  { name: 'views', dependencies: ['request-context', 'csrf'] },
);
