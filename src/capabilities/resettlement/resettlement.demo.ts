import type { Tx } from '../../platform/db/index.js';
import { resettlementRepository as repo } from './resettlement.repository.js';
import { addDays, isoDate } from './resettlement.rules.js';
import type { Domain, Scheme, SessionTopic } from './resettlement.vocabulary.js';
import { londonInstant } from './resettlement.service.js';

/**
 * Synthetic resettlement casework for the demo partnership: households under each scheme, with
 * members, hosts, needs, plans, referrals (some overdue) and sessions (some past, with attendance).
 * Every name is invented. Dates are relative to `now` so the caseworker's deadlines are always live.
 */
interface DemoMember {
  name: string;
  age: number;
  relationship: string;
  languages: string[];
  english?: string;
  education?: string;
  work?: string;
  esol?: boolean;
  gp?: boolean;
  visaInDays?: number;
}
interface DemoHousehold {
  ref: string;
  scheme: Scheme;
  name: string;
  arrivedDaysAgo: number;
  address: string;
  interpreter?: string;
  moveOnInDays?: number;
  host?: {
    name: string;
    email: string;
    phone: string;
    check: string;
    checkInDays?: number;
    arrangement: string;
  };
  members: DemoMember[];
  needs: Partial<Record<Domain, [string, string?]>>;
  goals?: [Domain, string, string, number][];
  referrals?: [Domain, string, string, number, number, string][];
  mine?: boolean;
}

const HOUSEHOLDS: DemoHousehold[] = [
  {
    ref: 'RH-4KD2MP',
    scheme: 'homes_for_ukraine',
    name: 'Melnyk family',
    arrivedDaysAgo: 420,
    address: '14 Abington Grove, Northampton NN1 4QY',
    interpreter: 'Ukrainian',
    host: {
      name: 'Graham and Susan Whitlock',
      email: 'whitlocks@example.org',
      phone: '01604 496 201',
      check: 'passed',
      checkInDays: -400,
      arrangement: 'at_risk',
    },
    members: [
      {
        name: 'Oksana Melnyk',
        age: 38,
        relationship: 'main_applicant',
        languages: ['uk', 'ru'],
        english: 'entry',
        work: 'employed',
        esol: true,
        gp: true,
        visaInDays: 30,
      },
      {
        name: 'Daryna Melnyk',
        age: 12,
        relationship: 'child',
        languages: ['uk'],
        english: 'level_1',
        education: 'school',
        gp: true,
        visaInDays: 30,
      },
      {
        name: 'Artem Melnyk',
        age: 7,
        relationship: 'child',
        languages: ['uk'],
        english: 'entry',
        education: 'school',
        gp: true,
        visaInDays: 30,
      },
    ],
    needs: {
      housing: ['in_progress', 'Hosts need their annexe back by spring; looking for a private rental.'],
      english: ['in_progress'],
      employment: ['met'],
      health: ['met'],
    },
    goals: [['housing', 'Find a private rental the family can afford', 'Olena (caseworker)', 45]],
    referrals: [
      [
        'housing',
        'West Northamptonshire Council housing options',
        'Move-on from hosting',
        -20,
        -6,
        'awaiting',
      ],
    ],
    mine: true,
  },
  {
    ref: 'RH-7QW3NB',
    scheme: 'homes_for_ukraine',
    name: 'Kovalchuk household',
    arrivedDaysAgo: 300,
    address: '3 Mill Lane, Brixworth NN6 9HA',
    host: {
      name: 'Peter Ashby',
      email: 'p.ashby@example.org',
      phone: '07700 900 318',
      check: 'booked',
      checkInDays: 9,
      arrangement: 'active',
    },
    members: [
      {
        name: 'Iryna Kovalchuk',
        age: 61,
        relationship: 'main_applicant',
        languages: ['uk', 'ru'],
        english: 'none',
        work: 'not_seeking',
        gp: true,
        visaInDays: 200,
      },
      {
        name: 'Mykola Kovalchuk',
        age: 64,
        relationship: 'spouse_partner',
        languages: ['uk'],
        english: 'none',
        work: 'not_seeking',
        gp: true,
        visaInDays: 200,
      },
    ],
    needs: {
      english: ['need_identified', 'Would like a conversation class near Brixworth.'],
      transport: ['need_identified', 'No bus on Sundays.'],
      wellbeing: ['in_progress'],
    },
    referrals: [
      [
        'wellbeing',
        'Nene Community Voluntary Action befriending',
        'Isolation in a village',
        -12,
        2,
        'awaiting',
      ],
    ],
    mine: true,
  },
  {
    ref: 'RH-9TZ5HC',
    scheme: 'homes_for_ukraine',
    name: 'Bondarenko family',
    arrivedDaysAgo: 200,
    address: '27 Harborough Road, Kingsthorpe, Northampton NN2 7AZ',
    interpreter: 'Ukrainian',
    host: {
      name: 'Rachel Osei',
      email: 'rachel.osei@example.org',
      phone: '07700 900 442',
      check: 'not_started',
      arrangement: 'active',
    },
    members: [
      {
        name: 'Svitlana Bondarenko',
        age: 34,
        relationship: 'main_applicant',
        languages: ['uk'],
        english: 'pre_entry',
        work: 'seeking_work',
        visaInDays: 560,
      },
      {
        name: 'Sofiia Bondarenko',
        age: 9,
        relationship: 'child',
        languages: ['uk'],
        english: 'entry',
        education: 'awaiting_place',
        visaInDays: 560,
      },
      {
        name: 'Maksym Bondarenko',
        age: 3,
        relationship: 'child',
        languages: ['uk'],
        education: 'early_years',
        visaInDays: 560,
      },
    ],
    needs: {
      education: ['need_identified', 'In-year school place applied for.'],
      health: ['need_identified', 'Not yet registered with a GP.'],
      finances: ['in_progress', 'Universal Credit claim made.'],
    },
    goals: [
      ['health', 'Register the family with a GP', 'Olena (caseworker)', 7],
      ['education', 'School place for Sofiia', 'Council admissions team', 21],
    ],
    referrals: [
      [
        'education',
        'West Northamptonshire Council school admissions',
        'In-year application',
        -30,
        -10,
        'awaiting',
      ],
    ],
    mine: true,
  },
  {
    ref: 'RH-2MX8RV',
    scheme: 'homes_for_ukraine',
    name: 'Shevchuk household',
    arrivedDaysAgo: 510,
    address: '8 Church Street, Daventry NN11 4BT',
    host: {
      name: 'Helen and David Marsh',
      email: 'marsh.family@example.org',
      phone: '01327 496 118',
      check: 'passed',
      checkInDays: -480,
      arrangement: 'active',
    },
    members: [
      {
        name: 'Andrii Shevchuk',
        age: 29,
        relationship: 'main_applicant',
        languages: ['uk', 'en'],
        english: 'level_2',
        work: 'employed',
        gp: true,
        visaInDays: 120,
      },
      {
        name: 'Kateryna Shevchuk',
        age: 27,
        relationship: 'spouse_partner',
        languages: ['uk'],
        english: 'level_1',
        work: 'training',
        esol: true,
        gp: true,
        visaInDays: 120,
      },
    ],
    needs: { employment: ['met', 'Andrii works at a Daventry warehouse.'], english: ['in_progress'] },
    mine: true,
  },
  {
    ref: 'RH-5PJ6GA',
    scheme: 'homes_for_ukraine',
    name: 'Tkachenko household',
    arrivedDaysAgo: 90,
    address: '52 Towcester Road, Far Cotton, Northampton NN4 8LG',
    host: {
      name: 'Simon Fairweather',
      email: 'simon.f@example.org',
      phone: '07700 900 587',
      check: 'failed',
      checkInDays: -60,
      arrangement: 'breakdown',
    },
    members: [
      {
        name: 'Liudmyla Tkachenko',
        age: 45,
        relationship: 'main_applicant',
        languages: ['uk', 'ru'],
        english: 'entry',
        work: 'seeking_work',
        visaInDays: 900,
      },
    ],
    needs: { housing: ['need_identified', 'Hosting broke down; in emergency accommodation.'] },
    referrals: [
      ['housing', 'Rematching: council Homes for Ukraine team', 'Rematch after breakdown', -5, 5, 'awaiting'],
    ],
    mine: true,
  },
  {
    ref: 'RH-8HC4WE',
    scheme: 'afghan_arap_acrs',
    name: 'Ahmadi family',
    arrivedDaysAgo: 700,
    address: '19 Delapre Crescent, Northampton NN4 8NX',
    interpreter: 'Dari',
    members: [
      {
        name: 'Farid Ahmadi',
        age: 42,
        relationship: 'main_applicant',
        languages: ['prs', 'ps', 'en'],
        english: 'level_2',
        work: 'employed',
        gp: true,
      },
      {
        name: 'Zarghona Ahmadi',
        age: 36,
        relationship: 'spouse_partner',
        languages: ['prs'],
        english: 'entry',
        work: 'not_seeking',
        esol: true,
        gp: true,
      },
      {
        name: 'Mariam Ahmadi',
        age: 15,
        relationship: 'child',
        languages: ['prs', 'en'],
        english: 'level_1',
        education: 'school',
        gp: true,
      },
      {
        name: 'Yusuf Ahmadi',
        age: 11,
        relationship: 'child',
        languages: ['prs', 'en'],
        english: 'level_1',
        education: 'school',
        gp: true,
      },
      {
        name: 'Sana Ahmadi',
        age: 6,
        relationship: 'child',
        languages: ['prs'],
        english: 'entry',
        education: 'school',
        gp: true,
      },
    ],
    needs: {
      employment: ['in_progress', 'Farid was an interpreter for UK forces; wants his degree recognised.'],
      english: ['in_progress'],
      education: ['met'],
    },
    goals: [['employment', 'Get Farid’s engineering degree assessed by ENIC', 'Farid, with Olena', 60]],
    referrals: [
      ['employment', 'UK ENIC statement of comparability', 'Qualification recognition', -40, -12, 'awaiting'],
      ['english', 'Northampton College ESOL', 'Evening ESOL for Zarghona', -200, -180, 'completed'],
    ],
    mine: true,
  },
  {
    ref: 'RH-3VN7KD',
    scheme: 'afghan_arap_acrs',
    name: 'Karimi family',
    arrivedDaysAgo: 380,
    address: '6 Elm Close, Towcester NN12 6BY',
    interpreter: 'Pashto',
    members: [
      {
        name: 'Abdul Karimi',
        age: 51,
        relationship: 'main_applicant',
        languages: ['ps', 'prs'],
        english: 'pre_entry',
        work: 'seeking_work',
        esol: true,
        gp: true,
      },
      {
        name: 'Nazia Karimi',
        age: 47,
        relationship: 'spouse_partner',
        languages: ['ps'],
        english: 'none',
        work: 'not_seeking',
        gp: true,
      },
      {
        name: 'Omid Karimi',
        age: 19,
        relationship: 'child',
        languages: ['ps', 'en'],
        english: 'level_1',
        work: 'training',
        esol: true,
        gp: true,
      },
      {
        name: 'Hamid Karimi',
        age: 16,
        relationship: 'child',
        languages: ['ps', 'en'],
        english: 'level_1',
        education: 'college',
        gp: true,
      },
    ],
    needs: {
      transport: ['need_identified', 'Abdul would like to convert his driving licence.'],
      employment: ['need_identified'],
      wellbeing: ['in_progress'],
    },
    goals: [['transport', 'Book a driving theory test', 'Abdul', 30]],
    mine: true,
  },
  {
    ref: 'RH-6RB9TF',
    scheme: 'afghan_arap_acrs',
    name: 'Rahimi household',
    arrivedDaysAgo: 150,
    address: '41 St James Road, Northampton NN5 5LD',
    interpreter: 'Dari',
    members: [
      {
        name: 'Laila Rahimi',
        age: 33,
        relationship: 'main_applicant',
        languages: ['prs', 'fa'],
        english: 'entry',
        work: 'seeking_work',
        esol: true,
        gp: true,
      },
      {
        name: 'Parisa Rahimi',
        age: 8,
        relationship: 'child',
        languages: ['prs'],
        english: 'entry',
        education: 'school',
        gp: true,
      },
    ],
    needs: { health: ['in_progress', 'Referred for talking therapy.'], finances: ['in_progress'] },
    referrals: [['health', 'NHS Talking Therapies Northamptonshire', 'Low mood', -25, -4, 'accepted']],
    mine: true,
  },
  {
    ref: 'RH-4FT2XY',
    scheme: 'afghan_arap_acrs',
    name: 'Noori family',
    arrivedDaysAgo: 60,
    address: '2 Lime Avenue, Daventry NN11 0QP',
    interpreter: 'Pashto',
    members: [
      {
        name: 'Mohammad Noori',
        age: 39,
        relationship: 'main_applicant',
        languages: ['ps'],
        english: 'none',
        work: 'seeking_work',
      },
      {
        name: 'Fatima Noori',
        age: 35,
        relationship: 'spouse_partner',
        languages: ['ps'],
        english: 'none',
        work: 'not_seeking',
      },
      {
        name: 'Bilal Noori',
        age: 13,
        relationship: 'child',
        languages: ['ps'],
        english: 'none',
        education: 'awaiting_place',
      },
    ],
    needs: {
      health: ['need_identified'],
      education: ['need_identified'],
      finances: ['need_identified', 'Bank account not yet opened.'],
    },
  },
  {
    ref: 'RH-7GK5QS',
    scheme: 'refugee_asylum_decision',
    name: 'Tesfay household',
    arrivedDaysAgo: 20,
    address: 'Initial accommodation, Northampton',
    interpreter: 'Tigrinya',
    moveOnInDays: 12,
    members: [
      {
        name: 'Senait Tesfay',
        age: 27,
        relationship: 'main_applicant',
        languages: ['ti', 'ar'],
        english: 'entry',
        work: 'seeking_work',
        gp: true,
      },
    ],
    needs: {
      housing: ['need_identified', 'Move-on from asylum accommodation within 56 days of the decision.'],
      finances: ['need_identified', 'Universal Credit advance needed.'],
      legal: ['in_progress', 'BRP received.'],
    },
    referrals: [['housing', 'Council homelessness prevention', 'Move-on', -14, -7, 'awaiting']],
    mine: true,
  },
  {
    ref: 'RH-2DW8LM',
    scheme: 'refugee_asylum_decision',
    name: 'Hassan family',
    arrivedDaysAgo: 35,
    address: 'Hotel accommodation, Northampton',
    interpreter: 'Arabic',
    moveOnInDays: 21,
    members: [
      {
        name: 'Omar Hassan',
        age: 44,
        relationship: 'main_applicant',
        languages: ['ar'],
        english: 'pre_entry',
        work: 'seeking_work',
        gp: true,
      },
      {
        name: 'Amal Hassan',
        age: 40,
        relationship: 'spouse_partner',
        languages: ['ar'],
        english: 'none',
        work: 'not_seeking',
        gp: true,
      },
      {
        name: 'Khalid Hassan',
        age: 14,
        relationship: 'child',
        languages: ['ar', 'en'],
        english: 'entry',
        education: 'school',
        gp: true,
      },
    ],
    needs: {
      housing: ['in_progress', 'Private rented options with a deposit scheme.'],
      employment: ['need_identified', 'Omar was a pharmacist in Sudan.'],
    },
    goals: [['housing', 'Secure a tenancy before the move-on date', 'Olena (caseworker)', 18]],
    mine: true,
  },
  {
    ref: 'RH-9NS3BC',
    scheme: 'refugee_asylum_decision',
    name: 'Abdi household',
    arrivedDaysAgo: 80,
    address: 'Flat 2, 11 Regent Street, Northampton NN1 2LA',
    members: [
      {
        name: 'Hodan Abdi',
        age: 23,
        relationship: 'main_applicant',
        languages: ['so', 'en'],
        english: 'level_1',
        work: 'training',
        esol: true,
        gp: true,
      },
    ],
    needs: { employment: ['in_progress', 'Care certificate course.'], english: ['in_progress'] },
  },
  {
    ref: 'RH-5CX6PV',
    scheme: 'refugee_asylum_decision',
    name: 'Haddad family',
    arrivedDaysAgo: 240,
    address: '73 Wellingborough Road, Northampton NN1 4EH',
    interpreter: 'Arabic',
    members: [
      {
        name: 'Rami Haddad',
        age: 37,
        relationship: 'main_applicant',
        languages: ['ar', 'ku'],
        english: 'level_1',
        work: 'employed',
        esol: true,
        gp: true,
      },
      {
        name: 'Nour Haddad',
        age: 10,
        relationship: 'child',
        languages: ['ar', 'en'],
        english: 'level_1',
        education: 'school',
        gp: true,
      },
    ],
    needs: { housing: ['met'], employment: ['met'] },
    mine: true,
  },
  {
    ref: 'RH-8YL4ZQ',
    scheme: 'other',
    name: 'Said household',
    arrivedDaysAgo: 130,
    address: '5 Spencer Parade, Northampton NN1 5AB',
    interpreter: 'Urdu',
    members: [
      {
        name: 'Ayesha Said',
        age: 30,
        relationship: 'main_applicant',
        languages: ['ur', 'en'],
        english: 'level_2',
        work: 'seeking_work',
        gp: true,
      },
      {
        name: 'Imran Said',
        age: 4,
        relationship: 'child',
        languages: ['ur'],
        education: 'early_years',
        gp: true,
      },
    ],
    needs: { finances: ['in_progress'], wellbeing: ['need_identified'] },
    mine: true,
  },
];

const SESSIONS: {
  topic: SessionTopic;
  inDays: number;
  start: string;
  end: string;
  venue: string;
  languages: string[];
  interpreter?: string;
  capacity: number;
}[] = [
  {
    topic: 'health_system',
    inDays: 6,
    start: '10:00',
    end: '12:00',
    venue: 'Northampton Guildhall, Committee Room 2',
    languages: ['en', 'uk'],
    interpreter: 'Ukrainian',
    capacity: 20,
  },
  {
    topic: 'uk_laws_culture',
    inDays: 13,
    start: '14:00',
    end: '16:00',
    venue: 'Daventry Library',
    languages: ['en', 'prs', 'ps'],
    interpreter: 'Dari and Pashto',
    capacity: 15,
  },
  {
    topic: 'education_system',
    inDays: 20,
    start: '10:00',
    end: '11:30',
    venue: 'St James Community Centre, Northampton',
    languages: ['en', 'ar'],
    interpreter: 'Arabic',
    capacity: 25,
  },
  {
    topic: 'road_safety',
    inDays: 27,
    start: '18:00',
    end: '19:30',
    venue: 'Northamptonshire Fire and Rescue, Moulton',
    languages: ['en'],
    capacity: 30,
  },
  {
    topic: 'english_conversation',
    inDays: 3,
    start: '13:00',
    end: '14:30',
    venue: 'Towcester Library',
    languages: ['en'],
    capacity: 12,
  },
  {
    topic: 'employment_workshop',
    inDays: 34,
    start: '09:30',
    end: '12:30',
    venue: 'Jobcentre Plus, Northampton',
    languages: ['en', 'uk', 'ar'],
    interpreter: 'Ukrainian',
    capacity: 18,
  },
  {
    topic: 'volunteering',
    inDays: -14,
    start: '11:00',
    end: '12:30',
    venue: 'Nene Community Voluntary Action office',
    languages: ['en', 'uk'],
    capacity: 15,
  },
  {
    topic: 'health_system',
    inDays: -35,
    start: '10:00',
    end: '12:00',
    venue: 'Northampton Guildhall, Committee Room 2',
    languages: ['en', 'prs'],
    interpreter: 'Dari',
    capacity: 20,
  },
];

function dateOfBirth(today: string, age: number, index: number): string {
  return addDays(today, -(age * 365 + 40 + index * 17));
}

export async function seedResettlementDemo(
  tx: Tx,
  options: { partnershipId: string; caseworkerStaffId: string; areaIds: string[]; now: Date },
): Promise<{ households: number; sessions: number }> {
  const { partnershipId, now } = options;
  const today = isoDate(now);
  const memberIds = new Map<string, string[]>();
  let n = 0;
  for (const h of HOUSEHOLDS) {
    const row = await repo.insertHousehold(tx, {
      partnershipId,
      reference: h.ref,
      scheme: h.scheme,
      name: h.name,
      arrivalDate: addDays(today, -h.arrivedDaysAgo),
      address: h.address,
      areaId: options.areaIds[n % options.areaIds.length] ?? null,
      // Most are the demo caseworker's; a few are a colleague's (unassigned in the demo) so "mine" filters.
      caseworkerStaffId: h.mine ? options.caseworkerStaffId : null,
      interpreterNeeded: h.interpreter !== undefined,
      interpreterLanguage: h.interpreter ?? null,
      moveOnDeadline: h.moveOnInDays === undefined ? null : addDays(today, h.moveOnInDays),
      lawfulBasis: 'public_task',
      consentGiven: true,
      consentDate: addDays(today, -h.arrivedDaysAgo + 3),
      consentNotes: 'Agreed to information being shared with partner services named in the support plan.',
    });
    n += 1;
    const ids: string[] = [];
    for (const [i, m] of h.members.entries()) {
      const member = await repo.insertMember(tx, {
        partnershipId,
        householdId: row.id,
        name: m.name,
        dateOfBirth: dateOfBirth(today, m.age, i),
        relationship: m.relationship,
        languages: m.languages,
        englishLevel: m.english ?? null,
        education: m.education ?? 'not_applicable',
        workStatus: m.work ?? 'not_applicable',
        esolEnrolled: m.esol ?? false,
        gpRegistered: m.gp ?? false,
        visaExpiry: m.visaInDays === undefined ? null : addDays(today, m.visaInDays),
      });
      ids.push(member.id);
    }
    memberIds.set(h.ref, ids);
    if (h.host)
      await repo.upsertHost(tx, {
        partnershipId,
        householdId: row.id,
        name: h.host.name,
        email: h.host.email,
        phone: h.host.phone,
        address: h.address,
        checkStatus: h.host.check,
        checkDate: h.host.checkInDays === undefined ? null : addDays(today, h.host.checkInDays),
        arrangementStatus: h.host.arrangement,
      });
    for (const [domain, [status, notes]] of Object.entries(h.needs))
      await repo.upsertNeed(tx, {
        partnershipId,
        householdId: row.id,
        domain,
        status,
        notes: notes ?? null,
        details: {},
        updatedByStaffId: options.caseworkerStaffId,
      });
    for (const [domain, goal, owner, dueIn] of h.goals ?? [])
      await repo.insertGoal(tx, {
        partnershipId,
        householdId: row.id,
        domain,
        goal,
        owner,
        dueDate: addDays(today, dueIn),
      });
    for (const [domain, service, reason, referredIn, dueIn, outcome] of h.referrals ?? [])
      await repo.insertReferral(tx, {
        partnershipId,
        householdId: row.id,
        domain,
        service,
        reason,
        referredOn: addDays(today, referredIn),
        responseDueOn: addDays(today, dueIn),
        outcome,
        outcomeOn: outcome === 'awaiting' ? null : addDays(today, dueIn),
      });
  }

  const sessionIds: string[] = [];
  for (const s of SESSIONS) {
    const day = addDays(today, s.inDays);
    const row = await repo.insertSession(tx, {
      partnershipId,
      topic: s.topic,
      startsAt: londonInstant(day, s.start),
      endsAt: londonInstant(day, s.end),
      venue: s.venue,
      languages: s.languages,
      interpreter: s.interpreter ?? null,
      capacity: s.capacity,
    });
    sessionIds.push(row.id);
  }
  // Past sessions with attendance taken, and a few bookings on upcoming ones.
  const book = async (
    session: number,
    ref: string,
    which: number[],
    attended: boolean | null,
    feedback?: string,
  ) => {
    const members = memberIds.get(ref)!;
    const householdId = (await repo.listHouseholds(tx, {})).find((h) => h.household.reference === ref)!
      .household.id;
    await repo.insertBookings(
      tx,
      which.map((i) => ({
        partnershipId,
        sessionId: sessionIds[session]!,
        memberId: members[i]!,
        householdId,
        attended,
        feedback: feedback ?? null,
      })),
    );
  };
  await book(6, 'RH-4KD2MP', [0], true, 'Useful: now volunteering at the food bank on Saturdays.');
  await book(6, 'RH-2MX8RV', [0, 1], true);
  await book(6, 'RH-7QW3NB', [0], false);
  await book(7, 'RH-8HC4WE', [0, 1], true, 'Did not know about NHS 111 before.');
  await book(7, 'RH-3VN7KD', [0, 1, 2], true);
  await book(7, 'RH-6RB9TF', [0], true);
  await book(7, 'RH-4FT2XY', [0, 1], false);
  await book(1, 'RH-3VN7KD', [0], null);
  await book(2, 'RH-2DW8LM', [0, 1], null);
  await book(4, 'RH-7QW3NB', [0, 1], null);
  return { households: HOUSEHOLDS.length, sessions: SESSIONS.length };
}
