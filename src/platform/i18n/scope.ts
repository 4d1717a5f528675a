/**
 * Which strings residents read, and so which every language must translate.
 *
 * Residents use Heard in nine languages: its public pages (start, share, Check progress, forums,
 * You said we did, open data, the accessibility statement, error pages) and the emails it sends
 * them. Staff pages stay in English: partnership staff work in English, and their screens name
 * legal and operational terms that must mean exactly one thing across agencies. So a translation
 * holds exactly the keys under these prefixes: a test fails on any missing, and a browser crawl of
 * every public page in every language fails if a page shows a string outside them.
 */
export const RESIDENT_SCOPE: readonly string[] = [
  'common',
  'errors',
  'accessibility',
  'share',
  'notifications.subject',
  'notifications.replySubject',
  'notifications.common',
  'notifications.acknowledgement',
  'notifications.update',
  'notifications.status',
  'notifications.reply',
  'forums.common',
  'forums.vocab',
  'forums.public',
  'forums.calendar',
  'forums.meeting',
  'forums.issue',
  'forums.join',
  'forums.joinSent',
  'forums.errors',
  'forums.problems',
  'programme.nav',
  'programme.status',
  'programme.rag',
  'programme.counts',
  'programme.table',
  'programme.views',
  'programme.public',
  'programme.feed',
  'programme.mail',
  'programme.unsubscribe',
  'insight.small',
  'insight.withheld',
  'insight.none',
  'insight.noRows',
  'insight.tableCaption',
  'insight.downloadFigure',
  'insight.populationSource',
  'insight.suppressionExplained',
  'insight.filters',
  'insight.columns',
  'insight.rows',
  'insight.openData',
];

export function inResidentScope(key: string): boolean {
  return RESIDENT_SCOPE.some((prefix) => key === prefix || key.startsWith(`${prefix}.`));
}
