import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import type { Services } from '../../services.js';
import { londonToUtc } from './forums.rules.js';
import type { NewForum, NewIssue, NewJoinRequest } from './forums.service.js';

/**
 * Demo forums for West Northamptonshire, one for each characteristic the partnership's forums cover,
 * with past and upcoming meetings in Northampton, Daventry, Towcester and Brackley, members, requests
 * waiting, and issues raised that became concerns, some already answered. People are invented.
 */

export interface ForumsDemoIds {
  partnershipId: string;
  /** Creates the forums: only partnership admins may. */
  admin: { id: string; organisationId: string };
  facilitator: { id: string; organisationId: string };
  triage: { id: string; organisationId: string };
  organisations: { council: string; police: string };
}

const VENUES = {
  guildhall: {
    venueName: 'The Guildhall',
    venueAddress: 'St Giles Square, Northampton NN1 1DE',
    venueAccess:
      'Step-free entrance from St Giles Square. Lift to all floors. Hearing loop in the Great Hall. Accessible toilets on the ground floor.',
  },
  daventry: {
    venueName: 'Daventry Library',
    venueAddress: 'North Street, Daventry',
    venueAccess: 'Level entrance and lift. Hearing loop at the meeting room. Blue badge parking nearby.',
  },
  towcester: {
    venueName: 'Towcester Community Centre',
    venueAddress: 'Towcester',
    venueAccess: 'All on the ground floor, level access. Accessible toilet. Free parking.',
  },
  brackley: {
    venueName: 'Brackley Town Hall',
    venueAddress: 'Market Place, Brackley',
    venueAccess: 'Ramp at the side entrance. Meeting room on the ground floor. Hearing loop.',
  },
  community: {
    venueName: 'Northampton community centre (demo venue)',
    venueAddress: 'Northampton town centre',
    venueAccess: 'Step-free access. Quiet room available. Accessible toilet.',
  },
} as const;

interface DemoForum {
  forum: NewForum;
  venue: keyof typeof VENUES;
  online: boolean;
  members: [string, string][];
  requests: NewJoinRequest[];
  /** Issues raised at the last meeting; `answer` is the partnership's public update, if any yet. */
  issues: (NewIssue & { answer?: string; lead?: 'council' | 'police' })[];
}

const FORUMS: DemoForum[] = [
  {
    forum: {
      name: 'Disability Forum',
      characteristics: ['disability'],
      description:
        'For disabled people, people with long-term health conditions, and their families and carers. We talk about getting around safely, hate incidents, and how services can be easier to use.',
      coChairs: 'Ruth Bailey and Sunil Mistry',
      howToJoin:
        'Ask to join on this page, or phone the partnership on 0300 126 7000 and ask for the Disability Forum.',
      meetingPattern:
        'Every two months, on a Thursday, 6pm to 8pm, at the Guildhall in Northampton, and online.',
      accessibility: [
        'bsl',
        'hearing_loop',
        'step_free',
        'large_print',
        'easy_read',
        'online',
        'childcare_caring',
      ],
      accessibilityNotes: 'Papers are sent a week before each meeting in the format you ask for.',
    },
    venue: 'guildhall',
    online: true,
    members: [
      ['Margaret Ellis', 'margaret.ellis@example.org'],
      ['Kwame Boateng', 'kwame.boateng@example.org'],
      ['Joanne Price', 'joanne.price@example.org'],
      ['Harpreet Gill', 'harpreet.gill@example.org'],
    ],
    requests: [
      {
        name: 'Daniel Hughes',
        email: 'daniel.hughes@example.org',
        participation: 'online',
        accessNeeds: ['large_print', 'online'],
        accessNotes: 'I have a visual impairment; screen reader friendly papers please.',
        equality: { disability: 'yes', ageBand: '35_44' },
      },
    ],
    issues: [
      {
        kind: 'concern',
        topic: 'access_inclusion',
        summary: 'No dropped kerb at the Market Square bus stop',
        details:
          'Two wheelchair users said they cannot get on buses at the Market Square stop in Northampton because there is no dropped kerb near the stop.',
        answer:
          'Thank you for raising this. The council’s highways team has visited and a dropped kerb is booked to be fitted at the Market Square stop in the new year.',
        lead: 'council',
      },
      {
        kind: 'concern',
        topic: 'hate_harassment',
        summary: 'Disabled people being mocked on the town centre night buses',
        details:
          'Several members said they had been laughed at and filmed on late buses through Northampton town centre, and did not know how to report it.',
        answer:
          'Northamptonshire Police will brief the bus company’s drivers, and officers will ride the late services in December. You can report hate incidents at any time, and third-party reporting centres can do it for you.',
        lead: 'police',
      },
    ],
  },
  {
    forum: {
      name: 'Women and Gender Equality Forum',
      characteristics: ['sex', 'gender_reassignment'],
      description:
        'For women and for anyone who wants to talk about gender equality and safety: feeling safe at night, in parks and on transport, and how services respond to harassment.',
      coChairs: 'Claire Dunmore',
      howToJoin: 'Ask to join on this page. You can come to one meeting first to see if it is for you.',
      meetingPattern:
        'Every two months, on a Wednesday, 10am to midday, at Daventry Library. Childcare costs can be paid.',
      accessibility: ['step_free', 'hearing_loop', 'interpreters', 'childcare_caring'],
    },
    venue: 'daventry',
    online: false,
    members: [
      ['Lucy Warren', 'lucy.warren@example.org'],
      ['Fatima Begum', 'fatima.begum@example.org'],
      ['Agnieszka Kowalska', 'a.kowalska@example.org'],
    ],
    requests: [
      {
        name: 'Rebecca Stone',
        phone: '07700 900451',
        participation: 'in_person',
        accessNeeds: ['childcare_caring'],
        equality: { sex: 'female' },
      },
    ],
    issues: [
      {
        kind: 'suggestion',
        topic: 'unsafe_place',
        summary: 'Better lighting on the path from Daventry bus station to the leisure centre',
        details:
          'Members who use the leisure centre in the evening said the path from the bus station is dark and they avoid it after 5pm in winter.',
      },
    ],
  },
  {
    forum: {
      name: 'LGBTQ+ Forum',
      characteristics: ['sexual_orientation', 'gender_reassignment'],
      description:
        'For lesbian, gay, bisexual, trans, queer and questioning people in West Northamptonshire. A safe space to talk about hate incidents, feeling welcome in services, and events.',
      coChairs: 'Alex Morgan and Priya Desai',
      howToJoin:
        'Ask to join on this page. You do not have to be out to join, and we never share who our members are.',
      meetingPattern: 'Monthly, on the first Tuesday, 7pm to 8:30pm, in Northampton town centre, and online.',
      accessibility: ['step_free', 'online', 'large_print'],
    },
    venue: 'community',
    online: true,
    members: [
      ['Sam Taylor', 'sam.taylor@example.org'],
      ['Jordan Reid', 'jordan.reid@example.org'],
      ['Chris Okoro', 'chris.okoro@example.org'],
    ],
    requests: [
      {
        name: 'Morgan Lee',
        email: 'morgan.lee@example.org',
        participation: 'either',
        accessNeeds: [],
        equality: { sexualOrientation: 'prefer_not' },
      },
    ],
    issues: [
      {
        kind: 'concern',
        topic: 'hate_disinformation',
        summary: 'Hostile stickers appearing around the town centre',
        details:
          'Members have seen stickers targeting trans people on lamp posts along Abington Street and Gold Street.',
        answer:
          'The council’s street cleaning team has removed the stickers reported and will check the area weekly.',
        lead: 'council',
      },
    ],
  },
  {
    forum: {
      name: 'Older People’s Forum',
      characteristics: ['age'],
      description:
        'For people aged 60 and over. We talk about scams and doorstep crime, getting about safely, loneliness, and what services older people need.',
      coChairs: 'Brian Hollis',
      howToJoin: 'Ask to join on this page, or come along to a meeting. Tea and biscuits provided.',
      meetingPattern: 'Every two months, on a Monday, 2pm to 4pm, at Towcester Community Centre.',
      accessibility: ['step_free', 'hearing_loop', 'large_print'],
    },
    venue: 'towcester',
    online: false,
    members: [
      ['Jean Marsh', 'jean.marsh@example.org'],
      ['Peter Collins', 'peter.collins@example.org'],
      ['Dorothy Adams', 'dorothy.adams@example.org'],
    ],
    requests: [],
    issues: [
      {
        kind: 'concern',
        topic: 'something_else',
        summary: 'Cold callers selling roof repairs in Towcester',
        details: 'Three members had cold callers offering roof repairs and asking for cash up front.',
      },
    ],
  },
  {
    forum: {
      name: 'Youth Forum',
      characteristics: ['age'],
      description:
        'For young people aged 13 to 25 across the south of West Northamptonshire. Have your say on feeling safe, what there is to do, and how police and council talk to young people.',
      coChairs: 'Ellie Grant (17) and Marcus Bell (19)',
      howToJoin: 'Ask to join on this page. If you are under 16, we will also talk to a parent or carer.',
      meetingPattern: 'Monthly in term time, on a Friday, 4:30pm to 6pm, at Brackley Town Hall, and online.',
      accessibility: ['step_free', 'online', 'easy_read'],
    },
    venue: 'brackley',
    online: true,
    members: [
      ['Ellie Grant', 'ellie.grant@example.org'],
      ['Marcus Bell', 'marcus.bell@example.org'],
      ['Aisha Khan', 'aisha.khan@example.org'],
    ],
    requests: [
      {
        name: 'Ben Carter',
        email: 'ben.carter@example.org',
        participation: 'online',
        accessNeeds: ['easy_read'],
        equality: { ageBand: 'under_18' },
      },
    ],
    issues: [
      {
        kind: 'suggestion',
        topic: 'idea',
        summary: 'A youth space open on Friday evenings in Brackley',
        details: 'Young people asked for somewhere warm and supervised to go on Friday evenings in Brackley.',
        answer:
          'The council’s youth service is looking at opening the youth hub on Fridays from February, and will come to the next forum to talk about it.',
        lead: 'council',
      },
    ],
  },
  {
    forum: {
      name: 'Faith and Belief Forum',
      characteristics: ['religion_belief'],
      description:
        'People of every faith and none, working together for good relations between communities, safe places of worship, and a quick response when tensions rise.',
      coChairs: 'Revd Anne Fletcher and Imam Yusuf Patel',
      howToJoin: 'Ask to join on this page. Faith groups can also nominate a representative.',
      meetingPattern: 'Every two months, on a Sunday, 3pm to 5pm, at the Guildhall in Northampton.',
      accessibility: ['step_free', 'hearing_loop', 'interpreters'],
    },
    venue: 'guildhall',
    online: false,
    members: [
      ['Anne Fletcher', 'anne.fletcher@example.org'],
      ['Yusuf Patel', 'yusuf.patel@example.org'],
      ['Gurpreet Sandhu', 'gurpreet.sandhu@example.org'],
      ['Miriam Cohen', 'miriam.cohen@example.org'],
    ],
    requests: [],
    issues: [
      {
        kind: 'concern',
        topic: 'community_tensions',
        summary: 'Worry about a planned protest near places of worship',
        details:
          'Members were worried about social media posts calling for a protest outside places of worship in Northampton.',
        answer:
          'The police are aware and are working with faith leaders. Officers will be visible near places of worship that weekend.',
        lead: 'police',
      },
    ],
  },
  {
    forum: {
      name: 'Race and Ethnicity Forum',
      characteristics: ['race'],
      description:
        'For people from Black, Asian, Gypsy, Roma and Traveller, and all minority ethnic communities, and new arrivals. We talk about racism and hate crime, trust in services, and community safety.',
      coChairs: 'Grace Mensah and Tariq Hussain',
      howToJoin: 'Ask to join on this page. Interpreters can be booked for meetings.',
      meetingPattern: 'Every two months, on a Saturday, 11am to 1pm, in Northampton town centre.',
      accessibility: ['step_free', 'interpreters', 'childcare_caring'],
    },
    venue: 'community',
    online: false,
    members: [
      ['Tariq Hussain', 'tariq.hussain@example.org'],
      ['Grace Mensah', 'grace.mensah@example.org'],
      ['Olena Shevchenko', 'olena.shevchenko@example.org'],
    ],
    requests: [
      {
        name: 'Samuel Adjei',
        email: 'samuel.adjei@example.org',
        participation: 'in_person',
        accessNeeds: ['interpreters'],
        accessNotes: 'Twi interpreter for my mother, who would like to come with me.',
        equality: { ethnicity: 'black' },
      },
    ],
    issues: [],
  },
];

/** London wall-clock time `days` from today at hh:mm. */
function at(now: Date, days: number, hour: number, minute = 0): Date {
  const d = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  return londonToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute);
}

export async function seedForumsDemo(
  services: Services,
  ids: ForumsDemoIds,
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
  const admin: Actor = {
    partnershipId: ids.partnershipId,
    staffId: ids.admin.id,
    organisationId: ids.admin.organisationId,
    roles: ['partnership_admin'],
    label: 'demo seed (as the partnership admin)',
    correlationId,
  };
  const triage: Actor = {
    partnershipId: ids.partnershipId,
    staffId: ids.triage.id,
    organisationId: ids.triage.organisationId,
    roles: ['triage_officer'],
    label: 'demo seed (as the triage officer)',
    correlationId,
  };

  for (const [index, demo] of FORUMS.entries()) {
    const created = await services.forums.createForum(admin, {
      ...demo.forum,
      facilitatorStaffIds: [ids.facilitator.id],
    });
    if (!created.ok) throw new Error(`demo forum ${demo.forum.name}: ${created.problem}`);
    const { slug } = created.forum;
    const venue = VENUES[demo.venue];
    const startHour = 10 + (index % 4) * 2;
    const place = {
      ...venue,
      onlineUrl: demo.online ? `https://meet.example.org/${slug}` : undefined,
    };

    // Members joined through the public form, a few months ago.
    const memberIds: string[] = [];
    for (const [m, [name, email]] of demo.members.entries()) {
      const asked = await services.forums.requestToJoin(
        ids.partnershipId,
        slug,
        {
          name,
          email,
          participation: m % 2 === 0 ? 'in_person' : 'either',
          accessNeeds: m === 0 ? ['hearing_loop'] : [],
          createdAt: new Date(now.getTime() - (120 + m) * 24 * 60 * 60 * 1000),
        },
        correlationId,
      );
      if (!asked.ok) continue;
      const approved = await services.forums.approve(facilitator, slug, asked.requestId);
      if (approved.ok && approved.memberId) memberIds.push(approved.memberId);
    }
    for (const request of demo.requests) {
      await services.forums.requestToJoin(ids.partnershipId, slug, request, correlationId);
    }

    const past = await services.forums.scheduleMeeting(facilitator, slug, {
      title: 'Autumn meeting',
      startsAt: at(now, -21 - index, startHour),
      endsAt: at(now, -21 - index, startHour + 2),
      ...place,
      agenda:
        '1. Welcome and introductions\n2. Updates from the partnership\n3. What members want to raise\n4. Any other business',
    });
    if (!past.ok) throw new Error(`demo meeting: ${past.problem}`);
    await services.forums.recordAttendance(facilitator, slug, past.meeting.id, {
      memberIds: memberIds.slice(0, Math.max(1, memberIds.length - 1)),
      guestCount: 2 + (index % 3),
    });
    await services.forums.recordMinutes(
      facilitator,
      slug,
      past.meeting.id,
      'Members shared what they have noticed since the last meeting. The issues raised have been sent to the partnership, and the answers will be shared at the next meeting.',
    );
    for (const issue of demo.issues) {
      const raised = await services.forums.raiseIssue(facilitator, slug, past.meeting.id, {
        ...issue,
        createdAt: past.meeting.startsAt,
      });
      if (!raised.ok) throw new Error(`demo issue: ${raised.problem}`);
      if (issue.lead) {
        await services.concerns.share(triage, raised.reference, ids.organisations[issue.lead], []);
      }
      if (issue.answer) {
        await services.concerns.addNote(triage, raised.reference, issue.answer, 'public');
      }
    }

    for (const [n, days] of [7 + index, 63 + index].entries()) {
      await services.forums.scheduleMeeting(facilitator, slug, {
        title: n === 0 ? 'Winter meeting' : 'Spring meeting',
        startsAt: at(now, days, startHour),
        endsAt: at(now, days, startHour + 2),
        ...place,
        agenda:
          n === 0
            ? '1. Welcome\n2. Answers to what we raised last time\n3. Feeling safe over the winter\n4. Any other business'
            : '1. Welcome\n2. Plans for the year\n3. Any other business',
      });
    }
  }
}
