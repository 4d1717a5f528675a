import type { Tx } from '../../platform/db/index.js';
import {
  concernThemes,
  programmeActions,
  programmeLinks,
  programmeMilestones,
  programmePriorities,
  programmeThemes,
  programmeUpdates,
  type ActionStatus,
  type Rag,
} from './programme.table.js';

/**
 * The demo partnership's programme: West Northamptonshire's four priorities, the themes staff tag
 * concerns with, a dozen actions across police, council, fire, NHS and voluntary partners with
 * milestones, RAG and updates (most public), and the demo concerns tagged and linked to them.
 * Dates are relative to "now", so the demo always has work in progress and a few overdue milestones.
 */

type Org = 'police' | 'council' | 'fire' | 'nhs' | 'voluntary' | 'youth' | 'interfaith';
type Person = 'admin' | 'police' | 'council' | 'fire' | 'nhs' | 'voluntary' | 'cohesion' | 'caseworker';

export interface ProgrammeDemoIds {
  partnershipId: string;
  organisations: Record<Org, string>;
  staff: Record<Person, string>;
  now: Date;
  /** The demo concerns, oldest first: id, topic and when. */
  concerns: { id: string; topic: string; createdAt: Date; status: string }[];
}

const PRIORITIES = [
  {
    key: 'engagement',
    title: 'Increase neighbourhood engagement',
    summary:
      'Many people said they did not know who to talk to about problems on their street, or felt that nobody came back to them. Young people told us there is little to do in the evenings.',
  },
  {
    key: 'health',
    title: 'Address health inequalities',
    summary:
      'People told us it is hard to get mental health support, that drug dealing and drinking near homes makes them feel unsafe, and that some streets and buildings are hard to use with a wheelchair or pushchair.',
  },
  {
    key: 'hate',
    title: 'Tackle hate and disinformation',
    summary:
      'People described being shouted at or abused because of who they are, and rumours spreading online after incidents. Several said they did not report it because they did not think anything would happen.',
  },
  {
    key: 'arrivals',
    title: 'Support the integration of new arrivals',
    summary:
      'New arrivals and their neighbours asked for more English classes, help to find somewhere to live after a Home Office decision, and more chances to meet people.',
  },
] as const;
type PriorityKey = (typeof PRIORITIES)[number]['key'];

const THEMES: { key: string; name: string; priority: PriorityKey; summary: string; topics: string[] }[] = [
  {
    key: 'unheard',
    name: 'Not knowing who to talk to',
    priority: 'engagement',
    summary: 'People did not know which service deals with what, or heard nothing back.',
    topics: ['something_else'],
  },
  {
    key: 'youth',
    name: 'Places for young people',
    priority: 'engagement',
    summary: 'Groups of young people with nowhere to go in the evenings, and parents asking for youth clubs.',
    topics: ['antisocial_behaviour'],
  },
  {
    key: 'streets',
    name: 'Safer streets and routes',
    priority: 'engagement',
    summary: 'Dark underpasses, broken lights and paths that feel unsafe after dark.',
    topics: ['unsafe_place'],
  },
  {
    key: 'ideas',
    name: 'Neighbourhood events and meeting places',
    priority: 'engagement',
    summary: 'Ideas for street events, community cafés and shared spaces.',
    topics: ['idea'],
  },
  {
    key: 'mental',
    name: 'Mental health support',
    priority: 'health',
    summary: 'Long waits for support, and people in crisis in public places.',
    topics: [],
  },
  {
    key: 'drugs',
    name: 'Drug and alcohol harm',
    priority: 'health',
    summary: 'Dealing and drinking near homes, parks and schools.',
    topics: [],
  },
  {
    key: 'access',
    name: 'Accessible streets and buildings',
    priority: 'health',
    summary: 'Pavements, crossings and buildings that are hard to use with a disability.',
    topics: ['access_inclusion'],
  },
  {
    key: 'harassment',
    name: 'Hate incidents in the street',
    priority: 'hate',
    summary: 'Abuse shouted at people on buses, in shops and on their way home.',
    topics: ['hate_harassment'],
  },
  {
    key: 'rumours',
    name: 'Online rumours and disinformation',
    priority: 'hate',
    summary: 'False stories shared on social media after local incidents.',
    topics: ['hate_disinformation'],
  },
  {
    key: 'tensions',
    name: 'Tension between communities',
    priority: 'hate',
    summary: 'Worries about protests, graffiti and arguments between neighbours.',
    topics: ['community_tensions'],
  },
  {
    key: 'english',
    name: 'English classes',
    priority: 'arrivals',
    summary: 'Waiting lists for ESOL classes and classes at times parents can attend.',
    topics: [],
  },
  {
    key: 'housing',
    name: 'Housing after a Home Office decision',
    priority: 'arrivals',
    summary: 'People leaving asylum accommodation with little time to find a home.',
    topics: [],
  },
  {
    key: 'welcome',
    name: 'Welcome and meeting neighbours',
    priority: 'arrivals',
    summary: 'Requests for welcome events and ways to meet people locally.',
    topics: [],
  },
];

interface DemoAction {
  priority: PriorityKey;
  title: string;
  description: string;
  lead: Org;
  officer?: Person;
  partners: Org[];
  /** Days from now. */
  start: number;
  due: number;
  status: ActionStatus;
  statusReason?: string;
  progress: number;
  rag: Rag;
  ragReason?: string;
  public: boolean;
  milestones: { title: string; due: number; done?: boolean }[];
  updates: {
    body: string;
    daysAgo: number;
    public: boolean;
    by: Person;
    figures?: [string, string][];
    links?: [string, string][];
  }[];
  /** Themes whose concerns shaped it, and how many of each to link. */
  shapedBy: [string, number][];
}

const ACTIONS: DemoAction[] = [
  {
    priority: 'engagement',
    title: 'Neighbourhood surgeries in every community area',
    description:
      'Monthly drop-in sessions where residents can meet their neighbourhood police team, council officers and fire safety advisers together, in libraries and community centres.',
    lead: 'council',
    officer: 'council',
    partners: ['police', 'fire'],
    start: -240,
    due: 120,
    status: 'in_progress',
    progress: 65,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Venues agreed in all nine community areas', due: -180, done: true },
      { title: 'First round of surgeries held', due: -90, done: true },
      { title: 'Review attendance and move sessions to evenings where asked', due: 30 },
    ],
    updates: [
      {
        body: 'The first round of surgeries has been held in all nine community areas. Most people came about parking, anti-social behaviour and street lighting.',
        daysAgo: 80,
        public: true,
        by: 'council',
        figures: [
          ['Surgeries held', '27'],
          ['Residents who came', '412'],
        ],
      },
      {
        body: 'Residents in Kingsthorpe and Daventry asked for evening sessions; from next month sessions there will start at 6pm.',
        daysAgo: 20,
        public: true,
        by: 'council',
      },
    ],
    shapedBy: [
      ['unheard', 12],
      ['streets', 6],
    ],
  },
  {
    priority: 'engagement',
    title: 'Evening youth provision in Kings Heath and Spencer',
    description:
      'Youth workers, the police and the fire service run free evening sessions for 11 to 18 year olds, with sport, music and fire cadets.',
    lead: 'youth',
    officer: undefined,
    partners: ['police', 'fire', 'council'],
    start: -200,
    due: 160,
    status: 'in_progress',
    progress: 40,
    rag: 'amber',
    ragReason:
      'Recruiting two youth workers has taken longer than planned; sessions run two nights a week instead of three.',
    public: true,
    milestones: [
      { title: 'Youth workers recruited', due: -60 },
      { title: 'Sessions running three nights a week', due: 40 },
    ],
    updates: [
      {
        body: 'Sessions started at the Kings Heath community centre on Tuesday and Thursday evenings.',
        daysAgo: 100,
        public: true,
        by: 'voluntary',
        figures: [['Young people attending each week', '35']],
      },
      {
        body: 'Fire cadets taster evening held with Northamptonshire Fire and Rescue Service.',
        daysAgo: 30,
        public: true,
        by: 'fire',
      },
      {
        body: 'Second youth worker post re-advertised after no suitable candidates.',
        daysAgo: 12,
        public: false,
        by: 'council',
      },
    ],
    shapedBy: [['youth', 15]],
  },
  {
    priority: 'engagement',
    title: 'Street lighting and safer routes review',
    description:
      'Walk the routes residents told us feel unsafe after dark, with residents, and fix lighting and overgrown paths.',
    lead: 'council',
    officer: 'council',
    partners: ['police'],
    start: -150,
    due: -10,
    status: 'in_progress',
    progress: 80,
    rag: 'red',
    ragReason: 'Two underpass lighting schemes are waiting for a contractor; the due date has passed.',
    public: true,
    milestones: [
      { title: 'Night-time walks with residents completed', due: -100, done: true },
      { title: 'Lighting repairs completed', due: -20 },
      { title: 'Report back to residents', due: 20 },
    ],
    updates: [
      {
        body: 'We walked 14 routes with residents and found 63 faults. 51 have been repaired.',
        daysAgo: 45,
        public: true,
        by: 'council',
        figures: [
          ['Routes walked', '14'],
          ['Faults found', '63'],
          ['Faults repaired', '51'],
        ],
      },
    ],
    shapedBy: [['streets', 14]],
  },
  {
    priority: 'health',
    title: 'Mental health crisis cafés',
    description:
      'An evening crisis café in Northampton town centre, run by NHS and voluntary partners, so people in distress have somewhere to go other than A&E or a police cell.',
    lead: 'nhs',
    officer: 'nhs',
    partners: ['voluntary', 'police'],
    start: -300,
    due: -30,
    status: 'done',
    progress: 100,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Venue and staffing agreed', due: -240, done: true },
      { title: 'Café open four evenings a week', due: -60, done: true },
    ],
    updates: [
      {
        body: 'The crisis café is open on Thursday to Sunday evenings at the Guildhall Road centre.',
        daysAgo: 90,
        public: true,
        by: 'nhs',
        links: [['Crisis café opening times', 'https://www.example.org/crisis-cafe']],
      },
      {
        body: 'In its first three months the café supported 380 visits. Police say mental health calls in the town centre have fallen.',
        daysAgo: 32,
        public: true,
        by: 'nhs',
        figures: [['Visits supported', '380']],
      },
    ],
    shapedBy: [['unheard', 3]],
  },
  {
    priority: 'health',
    title: 'Closing drug dealing hotspots near schools',
    description:
      'Police operations and council enforcement at the places residents named, with drug and alcohol services offering support on the spot.',
    lead: 'police',
    officer: 'police',
    partners: ['council', 'nhs'],
    start: -120,
    due: 90,
    status: 'in_progress',
    progress: 50,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Hotspots mapped from residents’ reports', due: -90, done: true },
      { title: 'First operation phase complete', due: -15 },
      { title: 'Second phase and support outreach', due: 60 },
    ],
    updates: [
      {
        body: 'Officers have carried out patrols and warrants at four of the places residents named. Support workers joined the patrols.',
        daysAgo: 25,
        public: true,
        by: 'police',
        figures: [
          ['Warrants executed', '6'],
          ['People referred to support', '11'],
        ],
      },
    ],
    shapedBy: [
      ['youth', 4],
      ['tensions', 2],
    ],
  },
  {
    priority: 'health',
    title: 'Accessible high streets audit',
    description:
      'Disabled residents and the council audit the five high streets for dropped kerbs, crossings and step-free access, and fix what they find.',
    lead: 'council',
    officer: 'council',
    partners: ['voluntary'],
    start: -60,
    due: 240,
    status: 'planned',
    progress: 10,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Audit volunteers recruited', due: 15 },
      { title: 'Audits of five high streets', due: 120 },
    ],
    updates: [],
    shapedBy: [['access', 9]],
  },
  {
    priority: 'hate',
    title: 'Hate crime reporting centres in libraries',
    description:
      'Library staff trained as third-party hate crime reporting centres, so people can report with someone they trust instead of going to a police station.',
    lead: 'police',
    officer: 'police',
    partners: ['council', 'interfaith'],
    start: -180,
    due: 60,
    status: 'in_progress',
    progress: 75,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Training for library staff', due: -120, done: true },
      { title: 'Reporting centres open in eight libraries', due: -30, done: true },
      { title: 'Publicity in community languages', due: -5 },
    ],
    updates: [
      {
        body: 'Eight libraries are now hate crime reporting centres. Staff can help you report, in person, and you do not have to give your name.',
        daysAgo: 28,
        public: true,
        by: 'police',
        figures: [
          ['Library staff trained', '46'],
          ['Libraries open as reporting centres', '8'],
        ],
        links: [['Report hate crime online (True Vision)', 'https://www.report-it.org.uk/']],
      },
    ],
    shapedBy: [['harassment', 18]],
  },
  {
    priority: 'hate',
    title: 'Rapid rebuttal of local disinformation',
    description:
      'When false stories spread after an incident, partners publish plain facts quickly through trusted community voices.',
    lead: 'council',
    officer: 'cohesion',
    partners: ['police', 'interfaith'],
    start: -100,
    due: 200,
    status: 'in_progress',
    progress: 30,
    rag: 'amber',
    ragReason: 'Sign-off between partners takes too long; agreeing a shared protocol.',
    public: true,
    milestones: [
      { title: 'Protocol agreed by all partners', due: -10 },
      { title: 'Network of community messengers trained', due: 90 },
    ],
    updates: [
      {
        body: 'After false stories about a local hotel spread online, partners published the facts within six hours through faith and community leaders.',
        daysAgo: 40,
        public: true,
        by: 'cohesion',
      },
    ],
    shapedBy: [
      ['rumours', 7],
      ['tensions', 3],
    ],
  },
  {
    priority: 'hate',
    title: 'Safer journeys on buses for women and girls',
    description:
      'Bus operators, the police and the council train drivers to respond to harassment and put reporting information on every bus.',
    lead: 'police',
    officer: 'police',
    partners: ['council'],
    start: -90,
    due: 150,
    status: 'paused',
    statusReason: 'Paused until the new bus contract starts in the spring.',
    progress: 20,
    rag: 'amber',
    ragReason: 'Waiting for the new bus contract.',
    public: true,
    milestones: [{ title: 'Driver training programme agreed', due: 45 }],
    updates: [],
    shapedBy: [['harassment', 3]],
  },
  {
    priority: 'arrivals',
    title: 'More ESOL classes with childcare',
    description:
      'Extra English classes at Entry 1 to 3, in the daytime with a crèche, run by the council and voluntary partners.',
    lead: 'council',
    officer: 'caseworker',
    partners: ['voluntary'],
    start: -150,
    due: 100,
    status: 'in_progress',
    progress: 55,
    rag: 'green',
    public: true,
    milestones: [
      { title: 'Two new classes open', due: -60, done: true },
      { title: 'Crèche places available at both', due: 20 },
    ],
    updates: [
      {
        body: 'Two new daytime classes have opened at Far Cotton and St James, with 30 places between them.',
        daysAgo: 55,
        public: true,
        by: 'caseworker',
        figures: [
          ['New class places', '30'],
          ['People on the waiting list', '74'],
        ],
      },
    ],
    shapedBy: [['welcome', 2]],
  },
  {
    priority: 'arrivals',
    title: 'Move-on support for people leaving asylum accommodation',
    description:
      'A caseworker meets every household as soon as a decision arrives, to start housing, Universal Credit and bank account applications at once.',
    lead: 'council',
    officer: 'caseworker',
    partners: ['voluntary', 'nhs'],
    start: -80,
    due: 180,
    status: 'in_progress',
    progress: 35,
    rag: 'red',
    ragReason:
      'More decisions than expected; caseworkers cannot meet every household within the 28-day move-on period.',
    public: false,
    milestones: [
      { title: 'Referral route agreed with the Home Office accommodation provider', due: -40, done: true },
      { title: 'Second caseworker in post', due: -3 },
    ],
    updates: [
      {
        body: 'Caseload rose to 38 households this month; escalated to the partnership board.',
        daysAgo: 9,
        public: false,
        by: 'caseworker',
      },
    ],
    shapedBy: [],
  },
  {
    priority: 'arrivals',
    title: 'Welcome events with faith and community groups',
    description: 'Quarterly welcome events where new arrivals meet neighbours, services and local groups.',
    lead: 'interfaith',
    officer: undefined,
    partners: ['council', 'voluntary'],
    start: -365,
    due: -120,
    status: 'dropped',
    statusReason: 'Merged into the neighbourhood surgeries, which now include a welcome table.',
    progress: 50,
    rag: 'green',
    public: true,
    milestones: [],
    updates: [
      {
        body: 'We have stopped separate welcome events: the neighbourhood surgeries now have a welcome table run by the interfaith forum, which reaches more people.',
        daysAgo: 130,
        public: true,
        by: 'cohesion',
      },
    ],
    shapedBy: [['ideas', 4]],
  },
];

const DAY = 24 * 60 * 60 * 1000;
const dateIn = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);

export async function seedProgrammeDemo(tx: Tx, ids: ProgrammeDemoIds): Promise<void> {
  const { partnershipId, now } = ids;
  const priorityId: Record<string, string> = {};
  for (const [position, p] of PRIORITIES.entries()) {
    const [row] = await tx
      .insert(programmePriorities)
      .values({ partnershipId, title: p.title, publicSummary: p.summary, position })
      .returning({ id: programmePriorities.id });
    priorityId[p.key] = row!.id;
  }
  const themeId: Record<string, string> = {};
  for (const th of THEMES) {
    const [row] = await tx
      .insert(programmeThemes)
      .values({
        partnershipId,
        name: th.name,
        priorityId: priorityId[th.priority]!,
        publicSummary: th.summary,
      })
      .returning({ id: programmeThemes.id });
    themeId[th.key] = row!.id;
  }

  // Tag the demo concerns: each topic's concerns go to its theme; every seventh hate incident also
  // mentions online rumours. Themes without a topic get none, so the public page shows small counts.
  const tagged: Record<string, string[]> = {};
  const tags: (typeof concernThemes.$inferInsert)[] = [];
  const counted = ids.concerns.filter((c) => c.status !== 'duplicate');
  for (const [i, c] of counted.entries()) {
    const themes = THEMES.filter((th) => th.topics.includes(c.topic)).map((th) => th.key);
    if (c.topic === 'hate_harassment' && i % 7 === 0) themes.push('rumours');
    if (c.topic === 'something_else' && i % 5 === 0) themes.push('mental');
    if (c.topic === 'access_inclusion' && i % 4 === 0) themes.push('english');
    if (c.topic === 'community_tensions' && i % 3 === 0) themes.push('welcome');
    if (c.topic === 'antisocial_behaviour' && i % 6 === 0) themes.push('drugs');
    for (const key of themes) {
      tags.push({ partnershipId, concernId: c.id, themeId: themeId[key]!, createdAt: c.createdAt });
      (tagged[key] ??= []).push(c.id);
    }
  }
  for (let i = 0; i < tags.length; i += 500) await tx.insert(concernThemes).values(tags.slice(i, i + 500));

  for (const a of ACTIONS) {
    const completedAt = a.status === 'done' ? new Date(now.getTime() + a.due * DAY) : null;
    const [row] = await tx
      .insert(programmeActions)
      .values({
        partnershipId,
        priorityId: priorityId[a.priority]!,
        title: a.title,
        description: a.description,
        leadOrganisationId: ids.organisations[a.lead],
        leadStaffId: a.officer ? ids.staff[a.officer] : null,
        partnerOrganisationIds: a.partners.map((p) => ids.organisations[p]),
        startDate: dateIn(now, a.start),
        dueDate: dateIn(now, a.due),
        status: a.status,
        statusReason: a.statusReason ?? null,
        progress: a.progress,
        rag: a.rag,
        ragReason: a.ragReason ?? null,
        public: a.public,
        completedAt,
        createdAt: new Date(now.getTime() + a.start * DAY),
        updatedAt: new Date(now.getTime() - Math.min(...a.updates.map((u) => u.daysAgo), 60) * DAY),
      })
      .returning({ id: programmeActions.id });
    const actionId = row!.id;
    if (a.milestones.length > 0)
      await tx.insert(programmeMilestones).values(
        a.milestones.map((m) => ({
          partnershipId,
          actionId,
          title: m.title,
          dueDate: dateIn(now, m.due),
          doneAt: m.done ? new Date(now.getTime() + (m.due - 2) * DAY) : null,
        })),
      );
    if (a.updates.length > 0)
      await tx.insert(programmeUpdates).values(
        a.updates.map((u) => ({
          partnershipId,
          actionId,
          body: u.body,
          visibility: u.public ? ('public' as const) : ('internal' as const),
          figures: (u.figures ?? []).map(([label, value]) => ({ label, value })),
          links: (u.links ?? []).map(([text, url]) => ({ text, url })),
          staffId: ids.staff[u.by],
          createdAt: new Date(now.getTime() - u.daysAgo * DAY),
        })),
      );
    // Link the most recent concerns of each theme that shaped it.
    const links = new Set<string>();
    for (const [key, n] of a.shapedBy) for (const id of (tagged[key] ?? []).slice(-n)) links.add(id);
    if (links.size > 0)
      await tx
        .insert(programmeLinks)
        .values(
          [...links].map((concernId) => ({ partnershipId, actionId, concernId, staffId: ids.staff.admin })),
        );
  }
}
