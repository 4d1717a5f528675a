/**
 * A small Atom (RFC 4287) writer: enough for the "You said, we did" feed, with every text escaped so
 * the document is always well-formed whatever staff wrote.
 */
export interface AtomEntry {
  id: string;
  title: string;
  updated: Date;
  link: string;
  content: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  author: string;
  selfLink: string;
  alternateLink: string;
  updated: Date;
  entries: AtomEntry[];
}

/** XML 1.0 forbids most control characters even when escaped; drop them. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function atomFeed(feed: AtomFeed): string {
  const e = xmlEscape;
  const entries = feed.entries
    .map(
      (entry) => `  <entry>
    <id>${e(entry.id)}</id>
    <title type="text">${e(entry.title)}</title>
    <updated>${entry.updated.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${e(entry.link)}"/>
    <content type="text">${e(entry.content)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${e(feed.id)}</id>
  <title type="text">${e(feed.title)}</title>
  <subtitle type="text">${e(feed.subtitle)}</subtitle>
  <updated>${feed.updated.toISOString()}</updated>
  <author><name>${e(feed.author)}</name></author>
  <link rel="self" type="application/atom+xml" href="${e(feed.selfLink)}"/>
  <link rel="alternate" type="text/html" href="${e(feed.alternateLink)}"/>
${entries}
</feed>
`;
}
