import type { Actor } from '../../platform/auth/actor.js';
import type { Tx } from '../../platform/db/index.js';
import type { ConcernsService } from '../concerns/concerns.service.js';
import type { Topic } from '../concerns/vocabulary.js';
import { londonInstant, londonToday } from './engagement.dates.js';
import { engagementRepository } from './engagement.repository.js';
import type { EngagementType, ReferralStatus } from './vocabulary.js';

/**
 * Demo engagements by the demo cohesion officer over the last six months: door-knocking, events,
 * faith venues, schools and drop-ins in a set of West Northamptonshire wards (others are left
 * without contact, so the manager's view has something to show), with issues raised as concerns and
 * referrals at different stages. Everything here is invented.
 */
interface Visit {
  type: EngagementType;
  ward: string;
  place: string;
  groups: string;
  people: number;
  languages: string[];
  issues: { summary: string; outcome: 'noted' | 'concern' | 'suggestion'; topic?: Topic }[];
  referrals: { to: string; reason: string }[];
  followUp?: string;
}

const VISITS: Visit[] = [
  {
    type: 'door_knocking',
    ward: 'Castle',
    place: 'Spring Boroughs flats',
    groups: 'Residents of three blocks',
    people: 23,
    languages: ['English', 'Polish', 'Romanian'],
    issues: [
      {
        summary:
          'Residents say the stairwell lights have been out for weeks and they feel unsafe coming home late.',
        outcome: 'concern',
        topic: 'unsafe_place',
      },
      {
        summary: 'A translated welcome pack for new tenants would help people know who to call.',
        outcome: 'suggestion',
        topic: 'idea',
      },
    ],
    referrals: [{ to: 'council', reason: 'Tenant with damp and mould in a ground floor flat' }],
    followUp: 'Return with the housing officer to the ground floor flat',
  },
  {
    type: 'faith_venue',
    ward: 'St James',
    place: 'Jamia Mosque, after Friday prayers',
    groups: 'Mosque committee; women’s group',
    people: 60,
    languages: ['English', 'Urdu', 'Punjabi'],
    issues: [
      {
        summary:
          'Worshippers report leaflets pushed through doors claiming the mosque is being expanded with council money.',
        outcome: 'concern',
        topic: 'hate_disinformation',
      },
      { summary: 'Parking on Friday lunchtimes causes friction with neighbours.', outcome: 'noted' },
    ],
    referrals: [
      { to: 'police', reason: 'Pass on the leaflet to the neighbourhood team for the hate crime log' },
    ],
  },
  {
    type: 'school_college',
    ward: 'Kingsley',
    place: 'Kingsley Park Primary, parents’ coffee morning',
    groups: 'Parents and the family support worker',
    people: 18,
    languages: ['English', 'Bengali', 'Arabic'],
    issues: [
      {
        summary: 'Parents worry about cars speeding past the school gate at pick-up time.',
        outcome: 'concern',
        topic: 'unsafe_place',
      },
    ],
    referrals: [
      {
        to: 'Citizens Advice West Northamptonshire',
        reason: 'Parent behind on council tax after losing work',
      },
    ],
  },
  {
    type: 'community_event',
    ward: 'Abington',
    place: 'Abington Park, summer fun day',
    groups: 'Friends of Abington Park; local scouts',
    people: 120,
    languages: ['English'],
    issues: [
      {
        summary: 'Older residents would like more benches and better lighting on the lakeside path.',
        outcome: 'suggestion',
        topic: 'access_inclusion',
      },
    ],
    referrals: [],
  },
  {
    type: 'drop_in',
    ward: 'Semilong',
    place: 'Semilong community centre, Tuesday drop-in',
    groups: 'Residents; the community centre manager',
    people: 9,
    languages: ['English', 'Somali', 'Tigrinya'],
    issues: [
      {
        summary: 'A young man says he is shouted at on the way to the bus stop because of his skin colour.',
        outcome: 'concern',
        topic: 'hate_harassment',
      },
      {
        summary: 'People would come to an English conversation club if it was in the evening.',
        outcome: 'suggestion',
        topic: 'idea',
      },
    ],
    referrals: [{ to: 'voluntary', reason: 'Help applying for a food bank voucher' }],
    followUp: 'Check the young man has met the neighbourhood team',
  },
  {
    type: 'partner_meeting',
    ward: 'Spencer',
    place: 'Spencer Contact Centre',
    groups: 'Neighbourhood police team; housing; youth service',
    people: 8,
    languages: ['English'],
    issues: [
      {
        summary:
          'Partners hear of groups of teenagers gathering by the shops on Spencer Parade in the evenings.',
        outcome: 'concern',
        topic: 'antisocial_behaviour',
      },
    ],
    referrals: [{ to: 'youth', reason: 'Outreach sessions on Spencer Parade on Thursday evenings' }],
  },
  {
    type: 'online',
    ward: 'Towcester Mill',
    place: 'Towcester community Facebook group, live Q&A',
    groups: 'Group members; the group’s admins',
    people: 45,
    languages: ['English'],
    issues: [
      {
        summary:
          'A post claims asylum seekers are being housed in the old police station; it is not true and it is spreading.',
        outcome: 'concern',
        topic: 'hate_disinformation',
      },
    ],
    referrals: [],
  },
  {
    type: 'door_knocking',
    ward: 'Abbey North',
    place: 'Abbey North, Southbrook estate',
    groups: 'Residents',
    people: 31,
    languages: ['English', 'Polish', 'Ukrainian'],
    issues: [
      {
        summary: 'Fly-tipping behind the garages attracts rats and people feel the estate is forgotten.',
        outcome: 'concern',
        topic: 'something_else',
      },
      {
        summary: 'Ukrainian families would like somewhere to meet that is not a church hall.',
        outcome: 'suggestion',
        topic: 'idea',
      },
    ],
    referrals: [{ to: 'council', reason: 'Report the fly-tipping site to waste services' }],
  },
  {
    type: 'faith_venue',
    ward: 'Trinity',
    place: 'Guru Nanak Gurdwara, langar',
    groups: 'Gurdwara committee; volunteers',
    people: 80,
    languages: ['English', 'Punjabi'],
    issues: [
      {
        summary: 'Volunteers say the community feels well supported; no concerns this month.',
        outcome: 'noted',
      },
    ],
    referrals: [],
  },
  {
    type: 'school_college',
    ward: 'Brackley South',
    place: 'Magdalen College School, sixth form assembly',
    groups: 'Sixth form students; head of year',
    people: 150,
    languages: ['English'],
    issues: [
      {
        summary: 'Students describe racist comments in online gaming chats spilling into school.',
        outcome: 'concern',
        topic: 'hate_harassment',
      },
    ],
    referrals: [
      { to: 'Northamptonshire Rape Crisis', reason: 'Student asked for support; referred with consent' },
    ],
  },
  {
    type: 'drop_in',
    ward: 'Castle',
    place: 'Doddridge Centre, advice drop-in',
    groups: 'Residents; the centre’s advice worker',
    people: 12,
    languages: ['English', 'Romanian', 'Portuguese'],
    issues: [
      {
        summary: 'People do not know where to report a landlord who threatens them.',
        outcome: 'suggestion',
        topic: 'access_inclusion',
      },
    ],
    referrals: [{ to: 'council', reason: 'Private tenant threatened with illegal eviction' }],
  },
  {
    type: 'community_event',
    ward: 'Hill',
    place: 'Daventry market day stall',
    groups: 'Shoppers; market traders',
    people: 70,
    languages: ['English', 'Polish'],
    issues: [
      {
        summary: 'Traders ask for more police presence on market days after a spate of shoplifting.',
        outcome: 'concern',
        topic: 'antisocial_behaviour',
      },
    ],
    referrals: [],
  },
];

const ORG_KEYS = ['police', 'council', 'fire', 'nhs', 'voluntary', 'youth', 'interfaith'] as const;
type OrgKey = (typeof ORG_KEYS)[number];

/** A small deterministic generator, so the demo is the same every time. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

export async function seedEngagementDemo(
  tx: Tx,
  deps: {
    concerns: ConcernsService;
    officer: Actor;
    areasByName: Record<string, string>;
    organisations: Partial<Record<OrgKey, string>>;
    organisationNames: Partial<Record<OrgKey, string>>;
    now?: Date;
  },
): Promise<number> {
  const now = deps.now ?? new Date();
  const next = random(4);
  let made = 0;
  // About 40 visits over 26 weeks, the most recent a couple of days ago.
  for (let i = 0; i < 40; i++) {
    const visit = VISITS[i % VISITS.length]!;
    const areaId = deps.areasByName[visit.ward] ?? Object.values(deps.areasByName)[i % 10]!;
    const daysAgo = 2 + Math.floor(i * 4.4 + next() * 3);
    const day = londonToday(new Date(now.getTime() - daysAgo * 86_400_000));
    const hour = 9 + Math.floor(next() * 9);
    const occurredAt = londonInstant(day, `${String(hour).padStart(2, '0')}:${next() < 0.5 ? '00' : '30'}`);
    const recent = daysAgo < 21;
    const followUpDue =
      visit.followUp && recent
        ? londonToday(new Date(now.getTime() + (i % 3 === 0 ? -2 : 5 + i) * 86_400_000))
        : null;
    const id = await engagementRepository.insert(tx, {
      partnershipId: deps.officer.partnershipId,
      officerStaffId: deps.officer.staffId!,
      occurredAt,
      areaId,
      place: visit.place,
      type: visit.type,
      groupsMet: visit.groups,
      peopleEstimate: Math.max(1, Math.round(visit.people * (0.7 + next() * 0.6))),
      languages: visit.languages,
      notes: null,
      followUpDue,
      followUpNote: followUpDue ? visit.followUp! : null,
      followUpDoneAt: visit.followUp && !recent ? occurredAt : null,
      idempotencyKey: `demo-engagement-${i}`,
      createdAt: occurredAt,
    });
    const issues = [];
    for (const [position, issue] of visit.issues.entries()) {
      let concernId: string | null = null;
      if (issue.outcome !== 'noted') {
        const created = await deps.concerns.createIn(tx, deps.officer, {
          kind: issue.outcome,
          topic: issue.topic!,
          description: issue.summary,
          areaId,
          placeDescription: visit.place,
          affectedGroups: [],
          forGroup: false,
          anonymous: true,
          consentToShare: false,
          channel: 'engagement',
          source: `engagement: ${visit.type.replace(/_/g, ' ')}, ${visit.place}`,
          language: 'en',
          createdAt: occurredAt,
        });
        concernId = created.id;
      }
      issues.push({
        partnershipId: deps.officer.partnershipId,
        engagementId: id,
        position,
        summary: issue.summary,
        outcome: issue.outcome,
        concernId,
      });
    }
    await engagementRepository.insertIssues(tx, issues);
    await engagementRepository.insertReferrals(
      tx,
      visit.referrals.map((r, position) => {
        const key = (ORG_KEYS as readonly string[]).includes(r.to) ? (r.to as OrgKey) : undefined;
        const status: ReferralStatus = recent
          ? 'open'
          : daysAgo < 60
            ? 'accepted'
            : next() < 0.8
              ? 'completed'
              : 'declined';
        return {
          partnershipId: deps.officer.partnershipId,
          engagementId: id,
          position,
          organisationId: key ? (deps.organisations[key] ?? null) : null,
          serviceName: key ? (deps.organisationNames[key] ?? r.to) : r.to,
          reason: r.reason,
          status,
          followUpDue:
            status === 'open' || status === 'accepted'
              ? londonToday(new Date(now.getTime() + ((i % 4) * 3 - 1) * 86_400_000))
              : null,
        };
      }),
    );
    made++;
  }
  made += await seedWeeklyDropIns(tx, deps, now, next);
  return made;
}

/**
 * Since the rumours and the protest on the tension picture, the officer has held a weekly drop-in in
 * Castle and in St James: ten weeks each, so the dashboard's engagement panel shows two busy wards
 * beside the rest. Issues heard there are noted (the concerns came through the visits above); now
 * and then someone is referred on.
 */
const DROP_INS = [
  {
    ward: 'Castle',
    place: 'Doddridge Centre, weekly drop-in',
    groups: 'Residents of Spring Boroughs; tenants’ association',
    issue: 'People asked whether the story shared online about the Doddridge Centre was true.',
    referral: { to: 'council', reason: 'Housing repairs the tenant has reported twice' },
  },
  {
    ward: 'St James',
    place: 'St James community room, weekly drop-in',
    groups: 'Neighbours of the mosque; mosque committee',
    issue: 'Neighbours and worshippers talked about parking and about feeling watched since the protest.',
    referral: { to: 'voluntary', reason: 'Support for an older resident living alone' },
  },
] as const;
const DROP_IN_WEEKS = 10;

async function seedWeeklyDropIns(
  tx: Tx,
  deps: Parameters<typeof seedEngagementDemo>[1],
  now: Date,
  next: () => number,
): Promise<number> {
  let made = 0;
  for (const [d, dropIn] of DROP_INS.entries()) {
    const areaId = deps.areasByName[dropIn.ward];
    if (!areaId) continue;
    for (let week = 0; week < DROP_IN_WEEKS; week++) {
      const daysAgo = 3 + d + week * 7;
      const day = londonToday(new Date(now.getTime() - daysAgo * 86_400_000));
      const occurredAt = londonInstant(day, d === 0 ? '10:00' : '15:30');
      const id = await engagementRepository.insert(tx, {
        partnershipId: deps.officer.partnershipId,
        officerStaffId: deps.officer.staffId!,
        occurredAt,
        areaId,
        place: dropIn.place,
        type: 'drop_in',
        groupsMet: dropIn.groups,
        peopleEstimate: 6 + Math.floor(next() * 10),
        languages: ['English'],
        notes: null,
        followUpDue: null,
        followUpNote: null,
        followUpDoneAt: null,
        idempotencyKey: `demo-drop-in-${d}-${week}`,
        createdAt: occurredAt,
      });
      await engagementRepository.insertIssues(tx, [
        {
          partnershipId: deps.officer.partnershipId,
          engagementId: id,
          position: 0,
          summary: dropIn.issue,
          outcome: 'noted',
          concernId: null,
        },
      ]);
      if (week % 3 === 1) {
        const key = dropIn.referral.to;
        const status: ReferralStatus = daysAgo < 21 ? 'open' : daysAgo < 50 ? 'accepted' : 'completed';
        await engagementRepository.insertReferrals(tx, [
          {
            partnershipId: deps.officer.partnershipId,
            engagementId: id,
            position: 0,
            organisationId: deps.organisations[key] ?? null,
            serviceName: deps.organisationNames[key] ?? key,
            reason: dropIn.referral.reason,
            status,
            followUpDue:
              status === 'completed' ? null : londonToday(new Date(now.getTime() + 7 * 86_400_000)),
          },
        ]);
      }
      made++;
    }
  }
  return made;
}
