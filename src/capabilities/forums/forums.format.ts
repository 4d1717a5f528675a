import { intlLocale } from '../../platform/i18n/index.js';
/**
 * How meeting times read on pages: "Thursday 3 December 2026, 6pm to 8pm", always London time,
 * because that is where the meetings are and what people expect to see.
 */
function formatter(lang: string, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(intlLocale(lang), { timeZone: 'Europe/London', ...options });
}

export function meetingDay(d: Date, lang: string): string {
  const f = formatter(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (lang !== 'en') return f.format(d);
  // GOV.UK style has no comma after the weekday: "Thursday 3 December 2026".
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** 6pm, 6:30pm (GOV.UK style: no leading zero, no ":00", lower-case am/pm). */
export function meetingTime(d: Date, lang: string): string {
  if (lang !== 'en') return formatter(lang, { hour: 'numeric', minute: '2-digit' }).format(d);
  const parts = Object.fromEntries(
    formatter(lang, { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  const minute = parts.minute === '00' ? '' : `:${parts.minute}`;
  const period = (parts.dayPeriod ?? '').toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  if (hour === 12 && minute === '' && period === 'pm') return 'midday';
  if (hour === 12 && minute === '' && period === 'am') return 'midnight';
  return `${hour}${minute}${period}`;
}

export function meetingWhen(start: Date, end: Date, lang: string, to = 'to'): string {
  return `${meetingDay(start, lang)}, ${meetingTime(start, lang)} ${to} ${meetingTime(end, lang)}`;
}

/** Date and time parts of a London wall-clock time, to fill the date and time inputs again. */
export function londonParts(d: Date) {
  const parts = Object.fromEntries(
    formatter('en', {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return { day: parts.day, month: parts.month, year: parts.year, time: `${parts.hour}:${parts.minute}` };
}
