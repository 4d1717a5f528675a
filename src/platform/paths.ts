/**
 * Every URL Heard links to or redirects to comes from here, so a route that moves is changed in one
 * place and a typo is a type error. Templates get this object as `paths`.
 */
const enc = encodeURIComponent;

export const paths = {
  home: () => '/',
  health: () => '/health',
  share: {
    start: () => '/share',
    kind: () => '/share/kind',
    topic: () => '/share/topic',
    details: () => '/share/details',
    where: () => '/share/where',
    groups: () => '/share/groups',
    who: () => '/share/who',
    contact: () => '/share/contact',
    consent: () => '/share/consent',
    equality: () => '/share/equality',
    check: () => '/share/check',
    confirmation: () => '/share/confirmation',
  },
  progress: {
    form: () => '/progress',
  },
  staff: {
    home: () => '/staff',
    signIn: () => '/staff/sign-in',
    signInCode: () => '/staff/sign-in/code',
    setUpCode: () => '/staff/sign-in/set-up',
    signOut: () => '/staff/sign-out',
    invitation: (token: string) => `/staff/invitation/${enc(token)}`,
    apiTokens: () => '/staff/account/api-tokens',
    apiTokenRevoke: (id: string) => `/staff/account/api-tokens/${enc(id)}/revoke`,
    admin: {
      staff: () => '/staff/admin/staff',
      invite: () => '/staff/admin/staff/invite',
      member: (id: string) => `/staff/admin/staff/${enc(id)}`,
      deactivate: (id: string) => `/staff/admin/staff/${enc(id)}/deactivate`,
      reactivate: (id: string) => `/staff/admin/staff/${enc(id)}/reactivate`,
      resetMfa: (id: string) => `/staff/admin/staff/${enc(id)}/reset-mfa`,
    },
    concerns: {
      queue: (query?: Record<string, string | undefined>) => withQuery('/staff/concerns', query),
      record: () => '/staff/concerns/record',
      show: (ref: string) => `/staff/concerns/${enc(ref)}`,
      action: (ref: string, action: ConcernAction) => `/staff/concerns/${enc(ref)}/${action}`,
      audit: (ref: string) => `/staff/concerns/${enc(ref)}/audit`,
      attachment: (ref: string, id: string) => `/staff/concerns/${enc(ref)}/attachments/${enc(id)}`,
    },
  },
  /** Partnership insight: dashboard, equality monitoring, population figures, exports. */
  insight: {
    dashboard: (query?: Record<string, string | undefined>) => withQuery('/staff/insight', query),
    equality: (query?: Record<string, string | undefined>) => withQuery('/staff/insight/equality', query),
    population: () => '/staff/insight/population',
    exportFile: (query?: Record<string, string | undefined>) => withQuery('/staff/insight/export', query),
    stylesheet: () => '/static/insight/insight.css',
  },
  /** Public open data: aggregate, suppressed counts. */
  openData: {
    page: () => '/open-data',
    csv: () => '/open-data/concerns.csv',
    json: () => '/open-data/concerns.json',
  },
  /** Open311 GeoReport v2 (public API) and its administration page. */
  open311: {
    base: () => '/open311/v2',
    discovery: (f: Open311Format) => `/open311/v2/discovery.${f}`,
    services: (f: Open311Format) => `/open311/v2/services.${f}`,
    service: (code: string, f: Open311Format) => `/open311/v2/services/${enc(code)}.${f}`,
    requests: (f: Open311Format) => `/open311/v2/requests.${f}`,
    request: (id: string, f: Open311Format) => `/open311/v2/requests/${enc(id)}.${f}`,
    token: (token: string, f: Open311Format) => `/open311/v2/tokens/${enc(token)}.${f}`,
    updates: (f: Open311Format) => `/open311/v2/servicerequestupdates.${f}`,
    admin: () => '/staff/admin/open311',
    adminKeys: () => '/staff/admin/open311/keys',
    adminKeyRevoke: (id: string) => `/staff/admin/open311/keys/${enc(id)}/revoke`,
    adminServices: () => '/staff/admin/open311/services',
  },
  api: {
    docs: () => '/api/docs',
    concerns: () => '/api/v1/concerns',
    concern: (ref: string) => `/api/v1/concerns/${enc(ref)}`,
    me: () => '/api/v1/me',
    staff: () => '/api/v1/staff',
    staffAction: (id: string, action: 'deactivate' | 'reactivate' | 'reset-mfa') =>
      `/api/v1/staff/${enc(id)}/${action}`,
    apiTokens: () => '/api/v1/api-tokens',
    apiTokenRevoke: (id: string) => `/api/v1/api-tokens/${enc(id)}/revoke`,
    insightDashboard: () => '/api/v1/insight/dashboard',
    insightEquality: () => '/api/v1/insight/equality',
  },
} as const;

export type Open311Format = 'xml' | 'json';

export type ConcernAction =
  'status' | 'share' | 'assign' | 'note' | 'public-update' | 'merge' | 'redact' | 'close' | 'reply';

export function withQuery(path: string, query?: Record<string, string | undefined>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export type Paths = typeof paths;
