import { describe, expect, it } from 'vitest';
import { validateICalendar } from '../../../test/helpers/ical.js';
import { escapeText, foldLine, londonDateTime, renderCalendar } from './ical.js';

describe('iCalendar', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('Hall; Room 2, back\\door\r\nFloor 1')).toBe(
      'Hall\\; Room 2\\, back\\\\door\\nFloor 1',
    );
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const folded = foldLine('SUMMARY:' + 'Зустріч громади '.repeat(10));
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe('SUMMARY:' + 'Зустріч громади '.repeat(10));
    expect(folded).not.toContain('\uFFFD');
  });

  it('writes London wall-clock time in summer and winter', () => {
    expect(londonDateTime(new Date('2026-07-01T17:30:00Z'))).toBe('20260701T183000');
    expect(londonDateTime(new Date('2026-12-01T17:30:00Z'))).toBe('20261201T173000');
  });

  it('produces a feed the strict parser accepts', async () => {
    const feed = renderCalendar({
      name: 'Disability forum, Northampton',
      domain: 'demo.heard.test',
      now: new Date('2026-11-01T09:00:00Z'),
      events: [
        {
          uid: 'meeting-1',
          start: new Date('2026-12-03T18:00:00Z'),
          end: new Date('2026-12-03T20:00:00Z'),
          summary: 'Disability forum: winter meeting, "access" & transport',
          description: 'Agenda:\n1. Welcome; introductions\n2. Buses, taxis and step-free access\n'.repeat(4),
          location: 'Guildhall, St Giles Square, Northampton NN1 1DE',
          url: 'https://heard.example/forums/disability',
          updatedAt: new Date('2026-10-30T12:00:00Z'),
        },
        {
          uid: 'meeting-2',
          start: new Date('2026-06-03T17:00:00Z'),
          end: new Date('2026-06-03T18:30:00Z'),
          summary: 'Форум: літня зустріч',
        },
      ],
    });
    expect(feed.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const { summaries } = await validateICalendar(feed);
    expect(summaries).toEqual([
      'Disability forum: winter meeting, "access" & transport',
      'Форум: літня зустріч',
    ]);
  });

  it('sends a cancelled event with STATUS:CANCELLED and its SEQUENCE, and the parser accepts it', async () => {
    const event = {
      uid: 'meeting-3',
      start: new Date('2026-12-03T18:00:00Z'),
      end: new Date('2026-12-03T20:00:00Z'),
      summary: 'Cancelled: Disability forum: winter meeting',
    };
    const feed = renderCalendar({
      name: 'Disability forum',
      domain: 'demo.heard.test',
      events: [
        { ...event, cancelled: true, sequence: 1 },
        { ...event, uid: 'meeting-4' },
      ],
    });
    const [cancelled, planned] = feed.split('BEGIN:VEVENT').slice(1);
    expect(cancelled).toContain('STATUS:CANCELLED\r\n');
    expect(cancelled).toContain('SEQUENCE:1\r\n');
    // Without a sequence none is written, which means 0.
    expect(planned).toContain('STATUS:CONFIRMED\r\n');
    expect(planned).not.toContain('SEQUENCE');
    expect((await validateICalendar(feed)).summaries).toHaveLength(2);
  });

  it('is rejected by the parser when broken, so the check has teeth', async () => {
    const feed = renderCalendar({ name: 'x', domain: 'd', events: [] }).replace('END:VCALENDAR\r\n', '');
    await expect(validateICalendar(feed)).rejects.toThrow();
  });
});
