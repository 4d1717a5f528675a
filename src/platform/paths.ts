/**
 * Every URL Heard links to or redirects to comes from here, so a route that moves is changed in one
 * place and a typo is a type error. Templates get this object as `paths`.
 */
const enc = encodeURIComponent;

export const paths = {
  home: () => '/',
  accessibility: () => '/accessibility',
  assets: {
    govukCss: (dir: 'ltr' | 'rtl') =>
      dir === 'rtl' ? '/static/govuk-frontend.rtl.css' : '/static/govuk-frontend.css',
    naskhFonts: () => '/static/fonts/naskh/',
  },
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
    /** The Easy Read version starts from its own start page. */
    easyRead: () => '/?format=easy-read',
    saved: () => '/share/saved',
    savedEmail: () => '/share/saved/email',
    /** A bearer secret in the path: app.ts keeps it out of the request log. */
    resume: (secret: string) => `/share/resume/${enc(secret)}`,
    easyPicture: (name: string) => `/static/share/easy-read/${enc(name)}.svg`,
  },
  progress: {
    form: () => '/progress',
  },
  /** The public "You said, we did" page, its feed and the unsubscribe link in programme emails. */
  youSaidWeDid: {
    page: (query?: Record<string, string | undefined>) => withQuery('/you-said-we-did', query),
    feed: () => '/you-said-we-did/feed.atom',
    unsubscribe: (token: string) => `/you-said-we-did/unsubscribe/${enc(token)}`,
    stylesheet: () => '/you-said-we-did/programme.css',
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
    programme: {
      home: () => '/staff/programme',
      mine: () => '/staff/programme/mine',
      overdue: () => '/staff/programme/overdue',
      organisations: () => '/staff/programme/organisations',
      pack: () => '/staff/programme/pack',
      packCsv: () => '/staff/programme/pack.csv',
      packXlsx: () => '/staff/programme/pack.xlsx',
      themes: () => '/staff/programme/themes',
      theme: (id: string) => `/staff/programme/themes/${enc(id)}`,
      priorities: () => '/staff/programme/priorities',
      priority: (id: string) => `/staff/programme/priorities/${enc(id)}`,
      newAction: () => '/staff/programme/actions/new',
      action: (id: string) => `/staff/programme/actions/${enc(id)}`,
      actionEdit: (id: string) => `/staff/programme/actions/${enc(id)}/edit`,
      actionDo: (id: string, what: ProgrammeActionStep) => `/staff/programme/actions/${enc(id)}/${what}`,
      milestoneDone: (id: string, milestoneId: string) =>
        `/staff/programme/actions/${enc(id)}/milestones/${enc(milestoneId)}/done`,
      concernThemes: (ref: string) => `/staff/programme/concerns/${enc(ref)}/themes`,
      concernLink: (ref: string) => `/staff/programme/concerns/${enc(ref)}/link`,
    },
    concerns: {
      queue: (query?: Record<string, string | undefined>) => withQuery('/staff/concerns', query),
      record: () => '/staff/concerns/record',
      show: (ref: string) => `/staff/concerns/${enc(ref)}`,
      action: (ref: string, action: ConcernAction) => `/staff/concerns/${enc(ref)}/${action}`,
      audit: (ref: string) => `/staff/concerns/${enc(ref)}/audit`,
      attachment: (ref: string, id: string) => `/staff/concerns/${enc(ref)}/attachments/${enc(id)}`,
    },
    /** The cohesion officers' engagement log. */
    engagement: {
      home: () => '/staff/engagements',
      new: () => '/staff/engagements/new',
      show: (id: string, query?: Record<string, string | undefined>) =>
        withQuery(`/staff/engagements/${enc(id)}`, query),
      referral: (id: string, referralId: string) =>
        `/staff/engagements/${enc(id)}/referrals/${enc(referralId)}`,
      followUpDone: (id: string) => `/staff/engagements/${enc(id)}/follow-up-done`,
      coverage: (query?: Record<string, string | undefined>) =>
        withQuery('/staff/engagements/coverage', query),
      draftScript: () => '/staff/engagements/draft.js',
      stylesheet: () => '/staff/engagements/engagement.css',
    },
    /** Community tension monitoring. */
    tension: {
      picture: (query?: Record<string, string | undefined>) => withQuery('/staff/tension', query),
      new: () => '/staff/tension/new',
      report: (id: string, query?: Record<string, string | undefined>) =>
        withQuery(`/staff/tension/reports/${enc(id)}`, query),
      edit: (id: string) => `/staff/tension/reports/${enc(id)}/edit`,
      close: (id: string) => `/staff/tension/reports/${enc(id)}/close`,
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
  /** Resettlement casework (staff only): households, sessions, outcomes. */
  resettlement: {
    home: () => '/staff/resettlement',
    households: (query?: Record<string, string | undefined>) =>
      withQuery('/staff/resettlement/households', query),
    newHousehold: () => '/staff/resettlement/households/new',
    household: (id: string) => `/staff/resettlement/households/${enc(id)}`,
    edit: (id: string) => `/staff/resettlement/households/${enc(id)}/edit`,
    close: (id: string) => `/staff/resettlement/households/${enc(id)}/close`,
    reopen: (id: string) => `/staff/resettlement/households/${enc(id)}/reopen`,
    assign: (id: string) => `/staff/resettlement/households/${enc(id)}/assign`,
    newMember: (id: string) => `/staff/resettlement/households/${enc(id)}/members/new`,
    member: (id: string, memberId: string) =>
      `/staff/resettlement/households/${enc(id)}/members/${enc(memberId)}`,
    host: (id: string) => `/staff/resettlement/households/${enc(id)}/host`,
    needs: (id: string) => `/staff/resettlement/households/${enc(id)}/needs`,
    newGoal: (id: string) => `/staff/resettlement/households/${enc(id)}/goals/new`,
    goal: (id: string, goalId: string) => `/staff/resettlement/households/${enc(id)}/goals/${enc(goalId)}`,
    newReferral: (id: string) => `/staff/resettlement/households/${enc(id)}/referrals/new`,
    referral: (id: string, referralId: string) =>
      `/staff/resettlement/households/${enc(id)}/referrals/${enc(referralId)}`,
    exportHtml: (id: string) => `/staff/resettlement/households/${enc(id)}/subject-access`,
    exportJson: (id: string) => `/staff/resettlement/households/${enc(id)}/subject-access.json`,
    sessions: () => '/staff/resettlement/sessions',
    newSession: () => '/staff/resettlement/sessions/new',
    session: (id: string) => `/staff/resettlement/sessions/${enc(id)}`,
    bookings: (id: string) => `/staff/resettlement/sessions/${enc(id)}/bookings`,
    attendance: (id: string) => `/staff/resettlement/sessions/${enc(id)}/attendance`,
    calendar: () => '/staff/resettlement/sessions.ics',
    outcomes: () => '/staff/resettlement/outcomes',
    outcomesExport: (format: 'csv' | 'xlsx') => `/staff/resettlement/outcomes.${format}`,
  },
  /** Areas, their boundaries and the map of concerns by area. */
  places: {
    map: (query?: Record<string, string | undefined>) => withQuery('/staff/places/map', query),
    import: () => '/staff/admin/places/import',
  },
  /** Triage suggestions: deciding on one (concern page) and the classifier's admin page. */
  suggestions: {
    decide: (ref: string) => `/staff/concerns/${enc(ref)}/suggestion`,
    admin: () => '/staff/admin/suggestions',
    retrain: () => '/staff/admin/suggestions/retrain',
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
    engagements: () => '/api/v1/engagements',
    engagement: (id: string) => `/api/v1/engagements/${enc(id)}`,
    engagementReferral: (id: string, referralId: string) =>
      `/api/v1/engagements/${enc(id)}/referrals/${enc(referralId)}`,
    engagementFollowUps: () => '/api/v1/engagements/follow-ups',
    engagementCoverage: () => '/api/v1/engagements/coverage',
    tensionPicture: () => '/api/v1/tension/picture',
    tensionReports: () => '/api/v1/tension/reports',
    tensionReport: (id: string) => `/api/v1/tension/reports/${enc(id)}`,
    tensionReportClose: (id: string) => `/api/v1/tension/reports/${enc(id)}/close`,
    resettlement: {
      caseload: () => '/api/v1/resettlement/caseload',
      households: () => '/api/v1/resettlement/households',
      household: (id: string) => `/api/v1/resettlement/households/${enc(id)}`,
      close: (id: string) => `/api/v1/resettlement/households/${enc(id)}/close`,
      reopen: (id: string) => `/api/v1/resettlement/households/${enc(id)}/reopen`,
      assign: (id: string) => `/api/v1/resettlement/households/${enc(id)}/assign`,
      members: (id: string) => `/api/v1/resettlement/households/${enc(id)}/members`,
      member: (id: string, memberId: string) =>
        `/api/v1/resettlement/households/${enc(id)}/members/${enc(memberId)}`,
      host: (id: string) => `/api/v1/resettlement/households/${enc(id)}/host`,
      needs: (id: string) => `/api/v1/resettlement/households/${enc(id)}/needs`,
      goals: (id: string) => `/api/v1/resettlement/households/${enc(id)}/goals`,
      goal: (id: string, goalId: string) => `/api/v1/resettlement/households/${enc(id)}/goals/${enc(goalId)}`,
      referrals: (id: string) => `/api/v1/resettlement/households/${enc(id)}/referrals`,
      referral: (id: string, referralId: string) =>
        `/api/v1/resettlement/households/${enc(id)}/referrals/${enc(referralId)}`,
      subjectAccess: (id: string) => `/api/v1/resettlement/households/${enc(id)}/subject-access`,
      sessions: () => '/api/v1/resettlement/sessions',
      session: (id: string) => `/api/v1/resettlement/sessions/${enc(id)}`,
      bookings: (id: string) => `/api/v1/resettlement/sessions/${enc(id)}/bookings`,
      attendance: (id: string) => `/api/v1/resettlement/sessions/${enc(id)}/attendance`,
      outcomes: () => '/api/v1/resettlement/outcomes',
    },
    areas: () => '/api/v1/areas',
    area: (id: string) => `/api/v1/areas/${enc(id)}`,
    areaBoundaries: () => '/api/v1/areas/boundaries',
    placesMap: () => '/api/v1/places/map',
    suggestion: (ref: string) => `/api/v1/concerns/${enc(ref)}/suggestion`,
    suggestionsModel: () => '/api/v1/suggestions/model',
    suggestionsRetrain: () => '/api/v1/suggestions/model/retrain',
    programmePriorities: () => '/api/v1/programme/priorities',
    programmeActions: () => '/api/v1/programme/actions',
    programmeAction: (id: string) => `/api/v1/programme/actions/${enc(id)}`,
    programmeActionDo: (id: string, what: 'progress' | 'updates' | 'links') =>
      `/api/v1/programme/actions/${enc(id)}/${what}`,
    programmePack: () => '/api/v1/programme/pack',
    insightDashboard: () => '/api/v1/insight/dashboard',
    insightEquality: () => '/api/v1/insight/equality',
  },
  /** Community forums: the public forums webpage, join requests, calendars, and the facilitators' pages. */
  forums: {
    list: () => '/forums',
    calendar: () => '/forums/calendar.ics',
    forum: (slug: string) => `/forums/${enc(slug)}`,
    forumCalendar: (slug: string) => `/forums/${enc(slug)}/calendar.ics`,
    join: (slug: string) => `/forums/${enc(slug)}/join`,
    joinSent: (slug: string) => `/forums/${enc(slug)}/join/sent`,
    staff: {
      list: () => '/staff/forums',
      /** A static segment, so no forum may have the slug "new" (forums.rules.ts, forumSlug). */
      newForum: () => '/staff/forums/new',
      forum: (slug: string) => `/staff/forums/${enc(slug)}`,
      editForum: (slug: string) => `/staff/forums/${enc(slug)}/edit`,
      request: (slug: string, id: string) => `/staff/forums/${enc(slug)}/requests/${enc(id)}`,
      requestAction: (slug: string, id: string, action: ForumRequestAction) =>
        `/staff/forums/${enc(slug)}/requests/${enc(id)}/${action}`,
      member: (slug: string, id: string) => `/staff/forums/${enc(slug)}/members/${enc(id)}`,
      memberLeave: (slug: string, id: string) => `/staff/forums/${enc(slug)}/members/${enc(id)}/leave`,
      newMeeting: (slug: string) => `/staff/forums/${enc(slug)}/meetings/new`,
      meeting: (slug: string, id: string) => `/staff/forums/${enc(slug)}/meetings/${enc(id)}`,
      meetingAction: (slug: string, id: string, action: ForumMeetingAction) =>
        `/staff/forums/${enc(slug)}/meetings/${enc(id)}/${action}`,
    },
    api: {
      forums: () => '/api/v1/forums',
      forum: (slug: string) => `/api/v1/forums/${enc(slug)}`,
      requests: (slug: string) => `/api/v1/forums/${enc(slug)}/requests`,
      requestAction: (slug: string, id: string, action: ForumRequestAction) =>
        `/api/v1/forums/${enc(slug)}/requests/${enc(id)}/${action}`,
      members: (slug: string) => `/api/v1/forums/${enc(slug)}/members`,
      meetings: (slug: string) => `/api/v1/forums/${enc(slug)}/meetings`,
      meetingAction: (slug: string, id: string, action: ForumMeetingAction) =>
        `/api/v1/forums/${enc(slug)}/meetings/${enc(id)}/${action}`,
    },
  },
} as const;

export type ProgrammeActionStep = 'progress' | 'updates' | 'milestones' | 'links' | 'unlink';

export type Open311Format = 'xml' | 'json';

export type ForumRequestAction = 'approve' | 'contact' | 'decline';
export type ForumMeetingAction = 'attendance' | 'minutes' | 'issues' | 'cancel';

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
