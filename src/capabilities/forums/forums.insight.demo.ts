import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import type { Services } from '../../services.js';
import type { EqualityQuestion } from '../concerns/vocabulary.js';
import { londonToUtc } from './forums.rules.js';

/**
 * More history for the demo forums, so the dashboard's forum panels have something to show: six
 * more members in each forum who answered the optional equality questions when they joined (as
 * people in such a forum might: the Disability Forum's members mostly disabled, the Youth Forum's
 * young), and four earlier meetings each over the last five months with attendance. Runs after
 * seedForumsDemo; everyone is invented.
 */

const FIRST = [
  'Amara',
  'Ben',
  'Chloe',
  'Dev',
  'Esther',
  'Femi',
  'Gosia',
  'Hassan',
  'Iris',
  'Jamal',
  'Kasia',
  'Liam',
  'Maya',
  'Nadia',
  'Owen',
  'Parveen',
  'Quinn',
  'Rosa',
  'Sanjay',
  'Tomasz',
  'Uchenna',
  'Vera',
  'Wes',
  'Yasmin',
  'Zofia',
  'Adele',
  'Bilal',
  'Carys',
  'Dominic',
  'Ewa',
];
const LAST = [
  'Ahmed',
  'Barker',
  'Cooper',
  'Dhillon',
  'Evans',
  'Francis',
  'Green',
  'Hall',
  'Iqbal',
  'Jones',
  'Kaur',
  'Lewis',
  'Mensah',
  'Nowak',
  'Osei',
  'Patel',
  'Quigley',
  'Robinson',
  'Shah',
  'Turner',
  'Usman',
  'Vaughan',
  'Walker',
  'Yilmaz',
  'Zielinski',
  'Abbott',
  'Bennett',
  'Clarke',
  'Davies',
  'Ellis',
];

/** Weighted choices for one question; the weights need not add up to anything. */
type Weights = Partial<Record<string, number>>;

const EVERYONE: Record<EqualityQuestion, Weights> = {
  ageBand: { '18_24': 1, '25_34': 2, '35_44': 2, '45_54': 2, '55_64': 2, '65_74': 1, '75_plus': 1 },
  sex: { female: 11, male: 9 },
  genderSameAsBirth: { yes: 19, no: 1 },
  disability: { yes: 1, no: 4 },
  ethnicity: { white: 12, asian: 3, black: 2, mixed: 1, other: 1 },
  religion: { none: 8, christian: 8, muslim: 2, hindu: 1, sikh: 1, jewish: 0.5, buddhist: 0.5, other: 0.5 },
  sexualOrientation: { straight: 18, gay_lesbian: 1, bisexual: 1, other: 0.3 },
};

/** Who a forum draws, by its name in forums.demo.ts. */
const FORUM_BIAS: Record<string, Partial<Record<EqualityQuestion, Weights>>> = {
  'Disability Forum': {
    disability: { yes: 9, no: 1 },
    ageBand: { '45_54': 2, '55_64': 3, '65_74': 3, '75_plus': 2 },
  },
  'Women and Gender Equality Forum': { sex: { female: 9, male: 1 }, genderSameAsBirth: { yes: 8, no: 2 } },
  'LGBTQ+ Forum': {
    sexualOrientation: { gay_lesbian: 4, bisexual: 4, other: 1, straight: 1 },
    genderSameAsBirth: { yes: 6, no: 4 },
    ageBand: { '18_24': 3, '25_34': 3, '35_44': 2, '45_54': 1 },
  },
  'Older People’s Forum': {
    ageBand: { '65_74': 5, '75_plus': 4, '55_64': 1 },
    disability: { yes: 2, no: 3 },
  },
  'Youth Forum': { ageBand: { under_18: 6, '18_24': 4 }, religion: { none: 6, christian: 2, muslim: 2 } },
  'Faith and Belief Forum': {
    religion: { christian: 3, muslim: 3, sikh: 2, hindu: 2, jewish: 1, buddhist: 1, other: 1 },
  },
  'Race and Ethnicity Forum': {
    ethnicity: { asian: 4, black: 4, mixed: 2, other: 1, white: 1 },
    religion: { muslim: 3, christian: 3, hindu: 1, sikh: 1, none: 1 },
  },
};

/** The same small deterministic generator as the engagement demo, so the demo is the same every time. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function pick(weights: Weights, next: () => number): string {
  const entries = Object.entries(weights) as [string, number][];
  let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [answer, w] of entries) {
    r -= w;
    if (r < 0) return answer;
  }
  return entries[entries.length - 1]![0];
}

/** What one person chose to answer: most answer most questions, some skip one, a few prefer not to say. */
export function demoAnswers(forumName: string, next: () => number): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const question of Object.keys(EVERYONE) as EqualityQuestion[]) {
    const r = next();
    if (r < 0.12) continue;
    answers[question] =
      r < 0.16 ? 'prefer_not' : pick(FORUM_BIAS[forumName]?.[question] ?? EVERYONE[question], next);
  }
  return answers;
}

const DAY = 24 * 60 * 60 * 1000;
const NEW_MEMBERS = 6;
/** Days before today of the earlier meetings: two in the last quarter, two before it. */
const EARLIER_MEETINGS = [50, 80, 115, 150];

export async function seedForumsInsightDemo(
  services: Services,
  ids: { partnershipId: string; facilitator: { id: string; organisationId: string } },
  now = new Date(),
): Promise<void> {
  const correlationId = randomUUID();
  const facilitator: Actor = {
    partnershipId: ids.partnershipId,
    staffId: ids.facilitator.id,
    organisationId: ids.facilitator.organisationId,
    roles: ['forum_facilitator'],
    label: 'demo seed (as the forum facilitator)',
    correlationId,
  };
  const overview = await services.forums.overview(facilitator, now);
  if (!overview.ok) throw new Error('demo forums: the facilitator cannot see the forums');
  const next = random(7);
  for (const [index, forum] of overview.forums.entries()) {
    for (let m = 0; m < NEW_MEMBERS; m++) {
      const first = FIRST[(index * 7 + m * 3) % FIRST.length]!;
      const last = LAST[(index * 11 + m * 5) % LAST.length]!;
      const asked = await services.forums.requestToJoin(
        ids.partnershipId,
        forum.slug,
        {
          name: `${first} ${last}`,
          email: `${first}.${last}.${index}${m}@example.org`.toLowerCase(),
          participation: m % 3 === 0 ? 'online' : 'in_person',
          accessNeeds: [],
          equality: demoAnswers(forum.name, next),
          createdAt: new Date(now.getTime() - (160 + index * 3 + m) * DAY),
        },
        correlationId,
      );
      if (!asked.ok) throw new Error(`demo forum member: ${asked.problem}`);
      const approved = await services.forums.approve(facilitator, forum.slug, asked.requestId);
      if (!approved.ok) throw new Error(`demo forum member: ${approved.problem}`);
    }

    const page = await services.forums.forumPage(facilitator, forum.slug);
    if (!page.ok) throw new Error(`demo forum: ${page.problem}`);
    const members = await services.forums.listMembers(facilitator, forum.slug);
    if (!members.ok) throw new Error(`demo forum: ${members.problem}`);
    const place = page.meetings[0]!;
    for (const [n, daysAgo] of EARLIER_MEETINGS.entries()) {
      const day = new Date(now.getTime() - (daysAgo + index) * DAY);
      const startsAt = londonToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 18, 0);
      const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'Europe/London' }).format(
        day,
      );
      const meeting = await services.forums.scheduleMeeting(facilitator, forum.slug, {
        title: `${month} meeting`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 60 * 60 * 1000),
        venueName: place.venueName ?? undefined,
        venueAddress: place.venueAddress ?? undefined,
        venueAccess: place.venueAccess ?? undefined,
        onlineUrl: place.onlineUrl ?? undefined,
        agenda: '1. Welcome\n2. Updates from the partnership\n3. What members want to raise',
      });
      if (!meeting.ok) throw new Error(`demo meeting: ${meeting.problem}`);
      // Most members come to most meetings; who misses one changes from meeting to meeting.
      const present = members.members.filter((_, i) => (i + n + index) % 4 !== 0).map((x) => x.id);
      const attended = await services.forums.recordAttendance(facilitator, forum.slug, meeting.meeting.id, {
        memberIds: present,
        guestCount: 1 + ((index + n) % 4),
      });
      if (!attended.ok) throw new Error(`demo attendance: ${attended.problem}`);
    }
  }
}
