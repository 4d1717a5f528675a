/**
 * iCalendar (RFC 5545) feeds: forum meetings, resettlement sessions. Written by hand because the
 * format is small and the rules that calendar apps are strict about (CRLF, folding at 75 octets,
 * escaping, a VTIMEZONE for every TZID used) are easier to guarantee here than to audit in a library.
 */

export interface CalendarEvent {
  /** Stable across feed refreshes so calendar apps update rather than duplicate; use the row id. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  url?: string | undefined;
  /** When the event last changed; becomes LAST-MODIFIED. */
  updatedAt?: Date | undefined;
  cancelled?: boolean | undefined;
  /**
   * Revision number (RFC 5545 3.8.7.4): raise it with each change apps must apply, such as a
   * cancellation; apps keep the copy with the highest SEQUENCE. Left out, it means 0.
   */
  sequence?: number | undefined;
}

export interface Calendar {
  /** Shown as the calendar's name by apps that read X-WR-CALNAME. */
  name: string;
  /** Domain used to make UIDs globally unique, e.g. the partnership's mail domain. */
  domain: string;
  events: readonly CalendarEvent[];
  /** DTSTAMP for every event: when the feed was generated. */
  now?: Date;
}

export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';

const TZID = 'Europe/London';

// The UK rule since 1996: clocks go forward at 01:00 UTC on the last Sunday of March and back at
// 01:00 UTC on the last Sunday of October. DTSTART values are local wall-clock times.
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TZID}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZID,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Local wall-clock time in London, as iCalendar's DATE-TIME form (no Z: it carries a TZID). */
export function londonDateTime(d: Date): string {
  const parts = Object.fromEntries(london.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}

/** UTC DATE-TIME, for DTSTAMP and LAST-MODIFIED, which the RFC requires in UTC. */
export function utcDateTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''); // eslint-disable-line no-control-regex
}

/**
 * Folds a content line so no physical line is longer than 75 octets (RFC 5545 3.1). Splits between
 * characters, never inside a UTF-8 sequence; each continuation starts with one space, which counts.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

function eventLines(e: CalendarEvent, domain: string, stamp: string): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${e.uid}@${domain}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;TZID=${TZID}:${londonDateTime(e.start)}`,
    `DTEND;TZID=${TZID}:${londonDateTime(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  // URL is a URI value, not TEXT: it is not escaped, but it must not break the line structure.
  if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, '')}`);
  if (e.updatedAt) lines.push(`LAST-MODIFIED:${utcDateTime(e.updatedAt)}`);
  if (e.sequence !== undefined) lines.push(`SEQUENCE:${Math.max(0, Math.trunc(e.sequence))}`);
  lines.push(`STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The whole feed, CRLF-terminated. Serve it with ICAL_CONTENT_TYPE. */
export function renderCalendar(cal: Calendar): string {
  const stamp = utcDateTime(cal.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Heard//Community Safety Partnership//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${TZID}`,
    ...VTIMEZONE,
    ...cal.events.flatMap((e) => eventLines(e, cal.domain, stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
