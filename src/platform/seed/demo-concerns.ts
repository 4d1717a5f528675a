import { randomUUID } from 'node:crypto';
import type { ConcernInsert, EventInsert } from '../../capabilities/concerns/concerns.repository.js';
import type { concernEquality, concernShares } from '../../capabilities/concerns/concerns.table.js';
import { generateReference } from '../../capabilities/concerns/reference.js';
import { DEFAULT_TARGETS, dueDates, type Targets } from '../../capabilities/concerns/targets.js';
import { detectUrgency } from '../../capabilities/concerns/urgency.js';
import { detectWrittenLanguage } from '../../capabilities/concerns/written-language.js';
import {
  EQUALITY_QUESTIONS,
  type AffectedGroup,
  type Channel,
  type Kind,
  type Topic,
} from '../../capabilities/concerns/vocabulary.js';
import type { Status } from '../../capabilities/concerns/workflow.js';
import { WARDS } from './wards.js';

/**
 * Synthetic concerns and suggestions for the demo partnership: 18 months of history, written the
 * way residents of West Northamptonshire write, moved through the whole workflow with consistent,
 * backdated events. Everything comes from a seeded pseudo-random generator, so two runs produce the
 * same texts, places and statuses (only "now" and the random references differ).
 */

export type OrgKey = 'police' | 'council' | 'fire' | 'nhs' | 'voluntary' | 'youth' | 'interfaith';
export type StaffKey =
  | 'admin'
  | 'triage'
  | 'police'
  | 'council'
  | 'fire'
  | 'nhs'
  | 'voluntary'
  | 'cohesion'
  | 'facilitator'
  | 'caseworker'
  | 'analyst';

export interface DemoIds {
  partnershipId: string;
  organisations: Record<OrgKey, { id: string; name: string }>;
  /** Ward code to area id. */
  areas: Record<string, string>;
  staff: Record<StaffKey, { id: string; name: string }>;
  targets: Partial<Record<Topic, Targets>>;
  now: Date;
}

export interface DemoRows {
  concerns: ConcernInsert[];
  shares: (typeof concernShares.$inferInsert)[];
  equality: (typeof concernEquality.$inferInsert)[];
  events: EventInsert[];
}

export const DEMO_CONCERN_COUNT = 360;
const SEED = 20_260_115;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 548;

/** mulberry32: tiny, fast and good enough for varied demo data; the same seed gives the same run. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const chance = (p: number) => next() < p;
  const weighted = <T>(options: readonly (readonly [T, number])[]): T => {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [value, w] of options) {
      r -= w;
      if (r < 0) return value;
    }
    return options[options.length - 1]![0];
  };
  const subset = <T>(list: readonly T[], p: number): T[] => list.filter(() => next() < p);
  return { next, int, pick, chance, weighted, subset };
}
type Rng = ReturnType<typeof generator>;

// ---------------------------------------------------------------------------------------------
// Places residents mention, each tied to the ward it is in.

type PlaceKind = 'centre' | 'night' | 'transport' | 'park' | 'path' | 'estate' | 'village' | 'road';

interface Place {
  text: string;
  ward: string;
  kind: PlaceKind;
}

const PLACES: Place[] = [
  { text: 'Abington Street', ward: 'Castle', kind: 'centre' },
  { text: 'the Market Square', ward: 'Castle', kind: 'centre' },
  { text: 'Gold Street', ward: 'Castle', kind: 'night' },
  { text: 'Bridge Street', ward: 'Castle', kind: 'night' },
  { text: 'the Drapery', ward: 'Castle', kind: 'centre' },
  { text: 'St Giles Street', ward: 'Castle', kind: 'centre' },
  { text: 'the entrance to the Grosvenor Centre', ward: 'Castle', kind: 'centre' },
  { text: 'the underpass by the bus station', ward: 'Castle', kind: 'path' },
  { text: 'North Gate bus station', ward: 'Castle', kind: 'transport' },
  { text: 'the railway station car park', ward: 'Castle', kind: 'transport' },
  { text: 'Becket’s Park', ward: 'Castle', kind: 'park' },
  { text: 'the Spring Boroughs estate', ward: 'Castle', kind: 'estate' },
  { text: 'Wellingborough Road', ward: 'Phippsville', kind: 'night' },
  { text: 'the top end of Wellingborough Road near Abington Square', ward: 'Castle', kind: 'night' },
  { text: 'Kettering Road by the Racecourse', ward: 'Kingsley', kind: 'road' },
  { text: 'the Racecourse', ward: 'Kingsley', kind: 'park' },
  { text: 'Abington Park', ward: 'Abington', kind: 'park' },
  { text: 'the Weston Favell Centre', ward: 'Billing', kind: 'centre' },
  { text: 'the shops on Harborough Road in Kingsthorpe', ward: 'Kingsthorpe', kind: 'centre' },
  { text: 'St Leonard’s Road in Far Cotton', ward: 'Delapre and Briar Hill', kind: 'road' },
  { text: 'the grounds of Delapre Abbey', ward: 'Delapre and Briar Hill', kind: 'park' },
  { text: 'Hunsbury Hill Country Park', ward: 'West Hunsbury', kind: 'park' },
  { text: 'the cut-through off Semilong Road', ward: 'Semilong', kind: 'path' },
  { text: 'the footpath behind the Blackthorn shops', ward: 'Talavera', kind: 'path' },
  { text: 'the Lings shops', ward: 'Talavera', kind: 'estate' },
  { text: 'the riverside path by Midsummer Meadow', ward: 'Riverside', kind: 'path' },
  { text: 'the footbridge over the A45', ward: 'Nene Valley', kind: 'path' },
  { text: 'Barrack Road', ward: 'Trinity', kind: 'road' },
  { text: 'the Eastfield estate', ward: 'Eastfield', kind: 'estate' },
  { text: 'the play area on the Kings Heath estate', ward: 'Kings Heath', kind: 'estate' },
  { text: 'the new estate at Upton', ward: 'Upton', kind: 'estate' },
  { text: 'the Sixfields leisure park', ward: 'St James', kind: 'night' },
  { text: 'St James Road', ward: 'St James', kind: 'road' },
  { text: 'the parade of shops in Rectory Farm', ward: 'Rectory Farm', kind: 'estate' },
  { text: 'the Headlands shops', ward: 'Headlands', kind: 'centre' },
  { text: 'the Parklands shops', ward: 'Parklands', kind: 'estate' },
  { text: 'Main Road in Duston', ward: 'Old Duston', kind: 'road' },
  { text: 'the playing fields in New Duston', ward: 'New Duston', kind: 'park' },
  { text: 'the Obelisk Rise estate', ward: 'Obelisk', kind: 'estate' },
  { text: 'the shops at Boothville', ward: 'Boothville', kind: 'estate' },
  { text: 'Spencer Bridge Road', ward: 'Spencer', kind: 'road' },
  { text: 'Sheaf Street in Daventry', ward: 'Abbey North', kind: 'night' },
  { text: 'Daventry High Street', ward: 'Abbey South', kind: 'centre' },
  { text: 'the bus stops on New Street in Daventry', ward: 'Abbey North', kind: 'transport' },
  { text: 'the Drayton estate in Daventry', ward: 'Drayton', kind: 'estate' },
  { text: 'Daventry Country Park', ward: 'Hill', kind: 'park' },
  { text: 'Long Buckby station', ward: 'Long Buckby', kind: 'transport' },
  { text: 'the market square in Long Buckby', ward: 'Long Buckby', kind: 'village' },
  { text: 'Brixworth Country Park', ward: 'Brixworth', kind: 'park' },
  { text: 'Moulton village centre', ward: 'Moulton', kind: 'village' },
  { text: 'the A5 through Weedon', ward: 'Weedon', kind: 'road' },
  { text: 'the canal towpath at Braunston', ward: 'Braunston and Welton', kind: 'path' },
  { text: 'Woodford Halse', ward: 'Woodford', kind: 'village' },
  { text: 'the lay-bys near DIRFT', ward: 'Yelvertoft', kind: 'road' },
  { text: 'Kilsby village', ward: 'Barby and Kilsby', kind: 'village' },
  { text: 'Welford', ward: 'Welford', kind: 'village' },
  { text: 'Watling Street in Towcester', ward: 'Towcester Mill', kind: 'centre' },
  { text: 'the Sponne Shopping Centre in Towcester', ward: 'Towcester Mill', kind: 'centre' },
  { text: 'the Washlands in Towcester', ward: 'Towcester Brook', kind: 'park' },
  { text: 'Brackley Market Place', ward: 'Brackley South', kind: 'centre' },
  { text: 'the bus stops on Brackley High Street', ward: 'Brackley East', kind: 'transport' },
  { text: 'St James Lake in Brackley', ward: 'Brackley West', kind: 'park' },
  { text: 'Silverstone village on Grand Prix weekend', ward: 'Silverstone', kind: 'village' },
  { text: 'the recreation ground in Deanshanger', ward: 'Deanshanger', kind: 'park' },
  { text: 'Old Stratford roundabout', ward: 'Old Stratford', kind: 'road' },
  { text: 'Middleton Cheney high street', ward: 'Middleton Cheney', kind: 'village' },
  { text: 'Kings Sutton station', ward: 'Kings Sutton', kind: 'transport' },
  { text: 'the Grand Union towpath at Blisworth', ward: 'Blisworth and Roade', kind: 'path' },
  { text: 'Grange Park', ward: 'Grange Park', kind: 'estate' },
  { text: 'Bugbrooke', ward: 'Heyfords and Bugbrooke', kind: 'village' },
  { text: 'Hackleton', ward: 'Hackleton', kind: 'village' },
  { text: 'the Salcey Forest car park', ward: 'Salcey', kind: 'park' },
];

/** What a resident writes when they do not name the place. */
const UNNAMED: Record<PlaceKind, string> = {
  centre: 'the town centre',
  night: 'the town centre',
  transport: 'the bus station',
  park: 'the park near us',
  path: 'the alleyway near us',
  estate: 'the estate',
  village: 'the village',
  road: 'the main road near us',
};

/** Places with no ward: online, on a bus route, or "everywhere". */
const NOWHERE = [
  'Local Facebook groups',
  'A WhatsApp group for parents at my children’s school',
  'TikTok and Facebook',
  'On the buses between Northampton and Daventry',
  'All over town',
  'Various streets in Northampton',
  'Nextdoor and Facebook',
];

// ---------------------------------------------------------------------------------------------
// What residents write. {place} is a place above; {since} a length of time.

interface Template {
  text: string;
  kind?: Kind;
  groups?: AffectedGroup[];
  lead?: OrgKey;
  supporting?: OrgKey[];
  places?: PlaceKind[];
  /** About something online or everywhere: usually no ward. */
  online?: boolean;
}

interface TopicDefinition {
  weight: number;
  lead: OrgKey;
  supporting: OrgKey[];
  templates: Template[];
  progress: string[];
  resolution: string[];
  notes: string[];
}

const ANY: PlaceKind[] = ['centre', 'night', 'transport', 'park', 'path', 'estate', 'village', 'road'];

const TOPICS_DEMO: Record<Topic, TopicDefinition> = {
  unsafe_place: {
    weight: 16,
    lead: 'council',
    supporting: ['police'],
    templates: [
      {
        text: 'The street lights along {place} have been out for {since}. It is pitch black by five o’clock and I don’t feel safe walking home from work.',
        places: ['path', 'road', 'estate', 'park'],
      },
      {
        text: '{place} is really badly lit and there is nowhere to go if someone follows you. Women I know avoid it completely after dark. Could the lighting be fixed or a camera put in?',
        places: ['path', 'park', 'transport'],
      },
      {
        text: 'The underpass floods every time it rains and half the lights are smashed, so people cross the main road instead. Someone is going to be knocked down.',
        places: ['path'],
      },
      {
        text: 'There is broken glass and drug litter, including needles, at {place}, a few yards from where children play on the swings.',
        places: ['park', 'estate', 'path'],
      },
      {
        text: 'The hedges along {place} are so overgrown that the path is half blocked and you can’t see who is coming. Older people on our street won’t use it any more.',
        places: ['path', 'road', 'park'],
      },
      {
        text: 'Cars race through {place} at all hours and there is no proper crossing. My mum uses a walking frame and cannot get across safely.',
        places: ['road', 'village', 'estate'],
        groups: ['age', 'disability'],
      },
      {
        text: 'The CCTV camera at {place} has been pointing at the sky for {since}. Is it even working? A woman had her bag snatched there recently.',
        places: ['centre', 'transport', 'night'],
      },
      {
        text: 'Groups of men hang around {place} drinking and making comments at women walking past. I now go the long way round, which adds twenty minutes.',
        places: ['centre', 'night', 'transport', 'park'],
        groups: ['sex'],
      },
      {
        text: 'The fence by {place} has been pulled down and there is a steep drop onto the railway line. Teenagers have been climbing through to take a shortcut.',
        places: ['path', 'transport'],
      },
      {
        text: 'The taxi rank on {place} is chaos at closing time: no marshals, scuffles in the queue and people stepping out into the traffic.',
        places: ['night'],
      },
      {
        kind: 'suggestion',
        text: 'Could more lighting and a help point be put in at {place}? Lots of us walk through there after late shifts at the hospital and the warehouses.',
        places: ['path', 'transport', 'park'],
      },
      {
        kind: 'suggestion',
        text: 'Please consider a safe haven scheme in the shops around {place}, like other towns have, where anyone who feels threatened can go in and wait.',
        places: ['centre', 'night'],
      },
      {
        kind: 'suggestion',
        text: 'Cutting back the trees along {place} and putting a mirror on the blind corner would make it feel much less intimidating, especially in winter.',
        places: ['path', 'park'],
      },
    ],
    progress: [
      'Our highways team has inspected the area and ordered repairs to the faulty street lights.',
      'We walked the route with local councillors and residents after dark and listed the problem spots.',
      'The landowner has been asked to repair the fencing and clear the vegetation.',
    ],
    resolution: [
      'The street lights have been repaired and we have added the route to our regular night-time checks.',
      'The vegetation has been cut back, the litter cleared and the camera re-aligned. Thank you for telling us.',
      'New lighting has been installed and neighbourhood officers will patrol the area for the next month.',
    ],
    notes: [
      'Logged fault with the street lighting contractor.',
      'Checked the CCTV: the camera needs an engineer visit.',
      'Raised at the monthly partnership tasking meeting.',
      'Similar reports from this location last winter.',
    ],
  },
  antisocial_behaviour: {
    weight: 24,
    lead: 'police',
    supporting: ['council'],
    templates: [
      {
        text: 'Youths on e-scooters ride along the pavement on {place} at speed, weaving between people. An elderly neighbour was nearly knocked over last week.',
        places: ['centre', 'road', 'estate', 'park'],
      },
      {
        text: 'A group gathers at {place} most evenings, playing loud music from their cars, revving engines and leaving nitrous oxide canisters everywhere.',
        places: ['park', 'estate', 'road', 'night', 'village'],
      },
      {
        text: 'Graffiti keeps appearing on walls and shutters around {place}. It gets painted over and comes back within days, and some of it is really offensive.',
        lead: 'council',
        supporting: ['police'],
      },
      {
        text: 'Fly-tipping again at {place}: mattresses, builders’ rubble and black bags. It attracts rats and makes the whole area look abandoned.',
        lead: 'council',
        supporting: [],
        places: ['path', 'estate', 'road', 'village', 'park'],
      },
      {
        text: 'Wheelie bins are being set alight behind {place} most weekends. The fire service have been out several times and the wall is blackened.',
        lead: 'fire',
        supporting: ['police', 'council'],
        places: ['estate', 'centre', 'path'],
      },
      {
        text: 'Drug dealing is happening openly at {place}. Cars pull up, something is passed through the window and they drive off. Everyone can see it.',
        places: ['estate', 'park', 'path', 'road'],
      },
      {
        text: 'Off-road motorbikes tear across {place}, churning up the grass where families have picnics. None of them have number plates.',
        places: ['park'],
      },
      {
        text: 'Noise from the flats above the shops at {place}: parties until four in the morning several nights a week. We have complained to the landlord and nothing changes.',
        lead: 'council',
        supporting: ['police'],
        places: ['centre', 'estate'],
      },
      {
        text: 'Street drinking and aggressive begging outside the shops on {place} has got much worse. Shop staff are being sworn at and people are put off coming into town.',
        places: ['centre', 'night'],
      },
      {
        text: 'Young lads throw stones at the buses as they go along {place}. A driver had to stop last week when a window cracked.',
        places: ['road', 'estate', 'transport'],
      },
      {
        text: 'When the bars and clubs empty out on {place}, people urinate in doorways and shout in the street until three in the morning. Those of us in the town centre flats cannot sleep.',
        places: ['night'],
      },
      {
        text: 'Fireworks are being let off in the street at {place} late at night, weeks before and after Bonfire Night. The older residents are frightened by the bangs.',
        places: ['estate', 'road', 'village'],
      },
      {
        text: 'Cars park on the pavement all along {place}, so people in wheelchairs and parents with buggies have to go into the road.',
        lead: 'council',
        supporting: [],
        places: ['road', 'village', 'estate'],
        groups: ['disability'],
      },
      {
        text: 'Lorries park overnight at {place} and drivers leave litter and bottles of urine behind. The lay-by is a mess every morning.',
        lead: 'council',
        supporting: [],
        places: ['road'],
      },
      {
        kind: 'suggestion',
        text: 'What about a proper youth shelter and a free football session on Friday nights near {place}? The teenagers have nowhere to go, that is why they hang around the shops.',
        lead: 'council',
        supporting: ['youth'],
        places: ['estate', 'park', 'village'],
      },
      {
        kind: 'suggestion',
        text: 'Could the police do regular foot patrols around {place} on weekend evenings? Just seeing an officer now and then would make a difference.',
        places: ['centre', 'night', 'park'],
      },
    ],
    progress: [
      'Neighbourhood officers have added this location to their patrol plan for the next four weeks.',
      'We have written to residents nearby asking for any information and reminding them how to report incidents.',
      'The council’s environmental crime team has visited and is looking for evidence to identify those responsible.',
    ],
    resolution: [
      'Patrols and a dispersal order over the summer have reduced reports here. We will keep monitoring.',
      'The area has been cleared and added to the regular cleansing round. Two fixed penalty notices were issued.',
      'Warning letters were sent and the behaviour has stopped for now. Please report again if it returns.',
      'The graffiti has been removed and anti-graffiti coating applied to the worst-affected walls.',
    ],
    notes: [
      'Known hotspot; PCSO aware and visiting on late shifts.',
      'Linked with earlier reports from the same street.',
      'Shared with the housing officer for the block.',
      'Fire service attended twice last month for deliberate bin fires.',
      'Requested footage from the shop’s CCTV.',
    ],
  },
  hate_harassment: {
    weight: 12,
    lead: 'police',
    supporting: ['council', 'interfaith'],
    templates: [
      {
        text: 'My neighbour shouts racist abuse at my family whenever we leave the house and tells us to go back where we came from. My children are scared to play in the garden.',
        groups: ['race'],
        places: ['estate', 'road', 'village'],
      },
      {
        text: 'A woman wearing a hijab was spat at and sworn at on {place}. I saw it happen and nobody stopped to check she was all right.',
        groups: ['religion_belief', 'sex'],
        places: ['centre', 'transport', 'night'],
      },
      {
        text: 'Stickers with anti-Muslim slogans have been put up on lampposts all along {place}. They were removed once and are back again.',
        groups: ['religion_belief'],
      },
      {
        text: 'My partner and I were followed and called homophobic names as we walked home through {place}. It is the third time this year.',
        groups: ['sexual_orientation'],
        places: ['night', 'centre', 'path'],
      },
      {
        text: 'My son has a learning disability and some local teenagers film him and post the videos online to mock him. He won’t go to the shop on his own any more.',
        groups: ['disability'],
        places: ['estate', 'village', 'centre'],
      },
      {
        text: 'I am a trans woman and I have had abuse shouted at me from passing cars on {place} three times this month. I have stopped reporting it because nothing happens.',
        groups: ['gender_reassignment'],
        places: ['road', 'centre', 'night'],
      },
      {
        text: 'Eastern European workers from the warehouses get abuse at {place} on their way to night shifts. Some of them are too worried about their jobs to report it.',
        groups: ['race'],
        places: ['transport', 'road'],
      },
      {
        text: 'Antisemitic graffiti has been sprayed on a wall at {place}. It has been there for a week and nobody has cleaned it off.',
        groups: ['religion_belief', 'race'],
      },
      {
        text: 'Staff at the takeaway on {place} get racist abuse most weekends from drunk customers. The owner says it is just part of the job now. It shouldn’t be.',
        groups: ['race'],
        places: ['night', 'centre'],
      },
      {
        text: 'Older residents in our sheltered housing near {place} are being targeted by a group who bang on the windows and shout insults about their disabilities.',
        groups: ['age', 'disability'],
        places: ['estate', 'village'],
      },
      {
        text: 'A man on the bus at {place} told a Sikh passenger to take off his turban and then followed him off the bus, shouting. The driver did nothing.',
        groups: ['religion_belief', 'race'],
        places: ['transport'],
      },
      {
        kind: 'suggestion',
        text: 'Could there be more hate crime reporting centres in libraries and community centres? Lots of people around {place} will never walk into a police station.',
        lead: 'council',
        supporting: ['police', 'interfaith'],
      },
    ],
    progress: [
      'Officers have spoken to the person who reported this and the case is being investigated as a hate incident.',
      'The graffiti has been photographed for evidence and removal has been booked as a priority.',
      'A hate crime officer has been in touch and support has been offered through the victim service.',
    ],
    resolution: [
      'The offensive material has been removed. Officers have identified a suspect and the matter is with the courts.',
      'The person responsible received a community resolution and agreed to stop. Support remains available.',
      'A warning was issued and the neighbourhood team visited the street. Please report any further incidents.',
    ],
    notes: [
      'Recorded as a hate incident on the police system.',
      'Victim support referral made with consent.',
      'Cohesion team informed; monitoring for further incidents in the area.',
      'Offensive graffiti: priority removal (within 24 hours) requested.',
    ],
  },
  hate_disinformation: {
    weight: 8,
    lead: 'council',
    supporting: ['police', 'interfaith'],
    templates: [
      {
        text: 'Leaflets have been pushed through doors around {place} claiming that men housed in the hotel have committed crimes locally. None of it is true and it is frightening people.',
        places: ['estate', 'village', 'road'],
        groups: ['race', 'religion_belief'],
      },
      {
        text: 'A post going round local Facebook groups says a girl was attacked by migrants near {place}. The police have said it did not happen but people keep sharing it and talking about “doing something”.',
        groups: ['race'],
      },
      {
        text: 'A WhatsApp message is spreading among parents saying the council gives new houses to refugees ahead of local families. Can someone publish the actual facts?',
        online: true,
        groups: ['race'],
      },
      {
        text: 'Stickers saying “Stop the invasion” have appeared on lampposts around {place}, with a QR code linking to a far-right channel.',
        groups: ['race', 'religion_belief'],
      },
      {
        text: 'Someone is organising a “protest” outside the asylum hotel on social media, using made-up stories about crimes. I am worried it will turn nasty like it did in other towns.',
        online: true,
        groups: ['race', 'religion_belief'],
      },
      {
        text: 'A TikTok video claims the mosque near {place} is being used for something sinister. It is completely made up and it has thousands of local views.',
        groups: ['religion_belief'],
      },
      {
        text: 'Rumours that a planned Traveller site near {place} will bring burglaries are being repeated at parish meetings and online. It is stirring up real hostility.',
        groups: ['race'],
        places: ['village', 'road'],
      },
      {
        text: 'A fake “council notice” is being shared online saying a school will be turned into housing for asylum seekers. It uses the council logo.',
        online: true,
        groups: ['race'],
      },
    ],
    progress: [
      'We have published the facts on the council website and shared them with the admins of local Facebook groups.',
      'The platforms have been asked to remove the false posts. The cohesion team is speaking to community leaders.',
      'Officers are assessing whether any of the material is a criminal offence.',
    ],
    resolution: [
      'A factual statement was published and shared widely; the false posts have been taken down.',
      'The leaflets were reported to the police and residents received a letter with accurate information.',
      'The fake notice was removed by the platform after we reported it as impersonation.',
    ],
    notes: [
      'Screenshot saved to the shared tensions log.',
      'Community tension monitoring: raised to amber for this area.',
      'Comms team drafting a myth-busting statement.',
      'Shared with the Prevent coordinator for awareness only.',
    ],
  },
  community_tensions: {
    weight: 8,
    lead: 'council',
    supporting: ['police', 'interfaith', 'voluntary'],
    templates: [
      {
        text: 'Since flags went up on every lamppost along {place}, some of my neighbours from minority backgrounds say they feel unwelcome. Others say it is just patriotism. It is causing arguments in the street.',
        groups: ['race'],
        places: ['road', 'estate', 'village'],
      },
      {
        text: 'There is growing tension between groups of young people from two estates near {place}. There were scuffles after school last week and threats on social media.',
        places: ['estate', 'park'],
      },
      {
        text: 'The residents’ meeting about the asylum hotel got very heated and some people were shouted down. We need someone neutral to help us talk about it properly.',
        groups: ['race', 'religion_belief'],
      },
      {
        text: 'Parking near the places of worship on {place} during festivals has turned into something nastier, with notes left on cars that mention people’s religion.',
        groups: ['religion_belief'],
        places: ['road', 'centre'],
      },
      {
        text: 'New families from Hong Kong and Ukraine have moved into our street near {place} and some long-standing residents are unhappy. Small things are turning into rows.',
        groups: ['race'],
        places: ['estate', 'road', 'village'],
      },
      {
        text: 'The Polish shop at {place} has had its window smashed and there is a petition going round to get it closed. It feels organised.',
        groups: ['race'],
        places: ['centre', 'estate'],
      },
      {
        kind: 'suggestion',
        text: 'We would like to hold a community iftar during Ramadan near {place}, open to all neighbours and not just Muslims. Could the partnership help with a venue and publicity?',
        groups: ['religion_belief'],
        lead: 'voluntary',
        supporting: ['interfaith', 'council'],
      },
      {
        kind: 'suggestion',
        text: 'A walk between the churches, mosques, gurdwara and synagogue in Northampton, with each one opening its doors, would help people get to know each other.',
        groups: ['religion_belief'],
        lead: 'voluntary',
        supporting: ['interfaith'],
      },
      {
        kind: 'suggestion',
        text: 'Could we have a “meet your neighbours” street party at {place} in the summer, with help from the council on road closure costs?',
        lead: 'council',
        supporting: ['voluntary'],
        places: ['road', 'estate', 'village'],
      },
    ],
    progress: [
      'The community cohesion team is arranging a facilitated meeting with residents and faith leaders.',
      'We have spoken to the schools involved and youth workers will be at the park after school.',
      'A local forum facilitator has offered to host a listening session in the community centre.',
    ],
    resolution: [
      'The facilitated meeting took place with around forty residents and agreed a few practical steps. Thank you for asking for it.',
      'Youth workers now run a weekly session for both groups and the incidents have stopped.',
      'The event went ahead with support from the partnership and over a hundred neighbours came.',
    ],
    notes: [
      'Added to the community tensions report for this week.',
      'Interfaith forum contacted; happy to help facilitate.',
      'Schools’ safeguarding leads informed.',
    ],
  },
  access_inclusion: {
    weight: 10,
    lead: 'council',
    supporting: ['nhs', 'voluntary'],
    templates: [
      {
        text: 'The lift at {place} has been out of order for {since}, so I cannot get to the platform in my wheelchair. There is no notice saying when it will be fixed.',
        groups: ['disability'],
        places: ['transport'],
      },
      {
        text: 'Buses from {place} into town stop at six in the evening, and when they do run the wheelchair space is often full. I am stuck at home most evenings.',
        groups: ['disability'],
        places: ['village', 'estate'],
      },
      {
        text: 'Forms for reporting problems only work online and in English. My parents speak Punjabi and don’t use the internet; how are they supposed to tell you about things?',
        groups: ['race', 'age'],
      },
      {
        text: 'There are no dropped kerbs on {place}, so I have to ride my mobility scooter in the road with the traffic.',
        groups: ['disability', 'age'],
        places: ['road', 'village', 'estate'],
      },
      {
        text: 'The community centre near {place} has steps and no ramp, so disabled residents cannot get to the residents’ meetings held there.',
        groups: ['disability'],
        places: ['estate', 'village'],
      },
      {
        text: 'There is no working hearing loop at the council’s customer service centre and staff would not write things down for me. I am Deaf and I left feeling humiliated.',
        groups: ['disability'],
      },
      {
        text: 'Information about the consultation was only in English. Many people around {place} speak Polish, Romanian, Urdu, Bengali or Gujarati.',
        groups: ['race'],
      },
      {
        text: 'The accessible toilets in the town centre are locked by five o’clock, which stops many disabled people coming into town in the evening.',
        groups: ['disability'],
        places: ['centre', 'night'],
      },
      {
        kind: 'suggestion',
        text: 'Could there be a community minibus linking the villages around {place} with Daventry and Towcester on market days? Older people without cars are very isolated.',
        groups: ['age', 'disability'],
        places: ['village'],
      },
      {
        kind: 'suggestion',
        text: 'Please publish community safety information in Easy Read and in the main community languages, and say on every leaflet how to get it in other formats.',
        groups: ['disability', 'race'],
      },
      {
        kind: 'suggestion',
        text: 'A quiet hour at the events on the Market Square, with the music turned down, would make them accessible to autistic children and adults like my son.',
        groups: ['disability'],
        lead: 'voluntary',
        supporting: ['council'],
      },
    ],
    progress: [
      'We have raised this with the service provider and asked for a repair date.',
      'The accessibility officer has visited and is costing the changes needed.',
      'Translated versions are being prepared with help from local community groups.',
    ],
    resolution: [
      'The repair has been completed and we have asked to be told straight away about any future faults.',
      'Dropped kerbs have been added to the highways programme for this financial year.',
      'Easy Read and translated versions are now available, and the hearing loop has been repaired and tested.',
    ],
    notes: [
      'Contacted the operator; part on order.',
      'Accessibility audit requested for the building.',
      'NHS community services may be able to help with transport.',
    ],
  },
  idea: {
    weight: 14,
    lead: 'council',
    supporting: ['voluntary', 'youth'],
    templates: [
      {
        text: 'Open a youth club near {place} on Friday and Saturday evenings. Since the old one shut, the trouble in the park has started.',
        lead: 'voluntary',
        supporting: ['youth', 'council'],
        places: ['estate', 'village', 'park'],
      },
      {
        text: 'Could the empty shop units on {place} be used for pop-up community projects, like a repair café or an art space for young people?',
        places: ['centre'],
      },
      {
        text: 'Set up a community email or WhatsApp alert so residents hear from the police and council about what is going on locally, instead of relying on rumours on Facebook.',
        supporting: ['police'],
      },
      {
        text: 'A walking bus for children going to school along {place} would make parents much happier about the route.',
        places: ['road', 'estate', 'path'],
      },
      {
        text: 'Fund a mural project with local young people on the walls at {place}. It would stop the tagging and make the place look cared for.',
        places: ['path', 'centre', 'estate'],
        supporting: ['youth'],
      },
      {
        text: 'Run a women’s safety walk after dark around {place} with council and police officers, so they can see the dark spots for themselves.',
        supporting: ['police'],
        groups: ['sex'],
      },
      {
        text: 'Could the leisure centre offer free swimming sessions for refugees and new arrivals? It is a great way for people to meet their neighbours.',
        lead: 'voluntary',
        supporting: ['council'],
        groups: ['race'],
      },
      {
        text: 'A community garden on the unused land by {place} would give people of all ages something positive to do together.',
        places: ['estate', 'park', 'village'],
        lead: 'voluntary',
        supporting: ['council'],
      },
      {
        text: 'Hold a regular drop-in at the library where people can speak to the police, the council and housing in one place, without booking.',
        supporting: ['police', 'nhs'],
      },
      {
        text: 'Set up a good neighbours scheme for older people living alone around {place}, so someone checks in on them in winter.',
        lead: 'voluntary',
        supporting: ['nhs'],
        groups: ['age'],
        places: ['village', 'estate'],
      },
      {
        text: 'Free bystander training for residents, so people know what to do when they see someone being harassed in the street.',
        supporting: ['police', 'interfaith'],
      },
      {
        text: 'A community iftar in Daventry, open to everyone, would be a lovely way to bring people together. Our group would help cook.',
        lead: 'voluntary',
        supporting: ['interfaith'],
        groups: ['religion_belief'],
      },
      {
        text: 'Put on a summer holiday programme of sport and music at {place} for teenagers, run by young people themselves.',
        lead: 'voluntary',
        supporting: ['youth'],
        places: ['park', 'estate'],
        groups: ['age'],
      },
    ],
    progress: [
      'Thank you for the idea. We are discussing it with local voluntary groups and will let you know what we decide.',
      'Your idea is on the agenda for the next partnership meeting.',
      'We are looking for funding and a venue; a voluntary group has offered to help run it.',
    ],
    resolution: [
      'A pilot starts next month at the community centre, thanks to your suggestion and a small grant from the partnership.',
      'The idea was agreed at the partnership meeting and is now part of this year’s plan.',
      'Local volunteers have set this up; details are on the partnership’s news page.',
    ],
    notes: [
      'Good idea: check the small grants budget.',
      'Youth trust interested in running this.',
      'Similar suggestion from the residents’ forum last year.',
    ],
  },
  something_else: {
    weight: 8,
    lead: 'council',
    supporting: [],
    templates: [
      {
        text: 'Not sure who to tell: a house near {place} has lots of different men coming and going at all hours and the windows are covered. I am worried people are being exploited there.',
        lead: 'police',
        supporting: ['council'],
        places: ['estate', 'road', 'village'],
      },
      {
        text: 'There is an abandoned car at {place} that has been there for {since} with flat tyres, and now the windows have been smashed.',
        places: ['road', 'estate', 'village'],
      },
      {
        text: 'People are sleeping in the doorways on {place} and one man seemed very unwell and confused. Who should I contact so he gets some support?',
        lead: 'nhs',
        supporting: ['council', 'voluntary'],
        places: ['centre', 'night'],
      },
      {
        text: 'Scam callers pretending to be from the council are ringing older residents around {place} and asking for bank details.',
        lead: 'police',
        supporting: ['council'],
        groups: ['age'],
      },
      {
        text: 'Dogs are regularly walked off the lead on {place} and one of them went for a child last week. The owner just laughed.',
        lead: 'council',
        supporting: ['police'],
        places: ['park', 'path'],
      },
      {
        text: 'The potholes on {place} are so deep that cyclists swerve out into the traffic to avoid them.',
        places: ['road', 'village'],
      },
      {
        text: 'An elderly neighbour near {place} has new “friends” staying at his flat and he seems frightened of them. I think they are using his home to deal from.',
        lead: 'police',
        supporting: ['council', 'nhs'],
        groups: ['age', 'disability'],
        places: ['estate', 'centre'],
      },
      {
        text: 'The bins outside the flats at {place} overflow every week and the rubbish blows all over the street.',
        places: ['estate', 'centre'],
      },
    ],
    progress: [
      'We have passed this to the right team, who will visit this week.',
      'Officers are looking into this and have checked on the person concerned.',
    ],
    resolution: [
      'The vehicle has been removed and the area cleaned.',
      'Officers visited, the person concerned now has support in place, and the address is being monitored.',
      'The repairs have been done. Thank you for letting us know.',
    ],
    notes: [
      'Welfare check requested.',
      'Passed to the neighbourhood team for a visit.',
      'Called the resident back; left a voicemail.',
    ],
  },
};

/**
 * A handful of concerns that need action the same day; each trips the urgency detector, as a real
 * one would. Fixed ages and statuses, so the demo queue always opens with an urgent item on top.
 */
const URGENT: { topic: Topic; text: string; ageDays: number; status: Status; groups?: AffectedGroup[] }[] = [
  {
    topic: 'antisocial_behaviour',
    text: 'A man on our street has threatened to stab my brother and says he will come back tonight. We are frightened to leave the house.',
    ageDays: 0.15,
    status: 'new',
  },
  {
    topic: 'hate_harassment',
    text: 'A note came through our door saying they will burn our house down if we don’t leave the area. We are Muslim and it started after the leaflets about the hotel.',
    ageDays: 1.2,
    status: 'triaged',
    groups: ['religion_belief', 'race'],
  },
  {
    topic: 'unsafe_place',
    text: 'Teenagers carrying knives near the skate park; one of them showed a blade to my son and his friends.',
    ageDays: 12,
    status: 'in_progress',
  },
  {
    topic: 'hate_disinformation',
    text: 'Someone in a local Facebook group has posted that they will petrol bomb the asylum hotel this weekend, and others are cheering them on.',
    ageDays: 41,
    status: 'resolved',
    groups: ['race', 'religion_belief'],
  },
  {
    topic: 'antisocial_behaviour',
    text: 'Last night a group of men with machetes chased someone through the estate. Everyone is scared it will happen again.',
    ageDays: 96,
    status: 'resolved',
  },
  {
    topic: 'something_else',
    text: 'A little boy of about six was left alone outside the shop late at night for over an hour. I waited with him until his mum came.',
    ageDays: 160,
    status: 'referred',
  },
  {
    topic: 'hate_harassment',
    text: 'Graffiti on the wall of the gurdwara says “we will kill you all”. People are afraid to go to prayers.',
    ageDays: 233,
    status: 'resolved',
    groups: ['religion_belief', 'race'],
  },
  {
    topic: 'community_tensions',
    text: 'My neighbour says I am going to die if I keep speaking up at the residents’ meetings. I fear for my life.',
    ageDays: 318,
    status: 'resolved',
  },
  {
    topic: 'antisocial_behaviour',
    text: 'Youths fired what looked like a gun at the bus shelter; the glass is shattered. It was just after school.',
    ageDays: 452,
    status: 'no_further_action',
  },
];

// ---------------------------------------------------------------------------------------------
// People and the ways concerns arrive.

// prettier-ignore
const FIRST_NAMES = [
  'Sarah', 'James', 'Aisha', 'Mohammed', 'Emma', 'Tomasz', 'Agnieszka', 'Priya', 'Rajesh', 'Chloe',
  'Daniel', 'Fatima', 'Gary', 'Karen', 'Oluwaseun', 'Chinedu', 'Hannah', 'Liam', 'Zainab', 'Sophie',
  'Andrei', 'Ioana', 'Mark', 'Julie', 'Kwame', 'Amira', 'Craig', 'Deborah', 'Harjit', 'Gurpreet',
  'Yusuf', 'Ellie', 'Oliver', 'Jade', 'Kevin', 'Patricia', 'Nadia', 'Ravi', 'Megan', 'Wei',
];
// prettier-ignore
const LAST_NAMES = [
  'Smith', 'Patel', 'Khan', 'Nowak', 'Jones', 'Williams', 'Brown', 'Okoye', 'Ahmed', 'Taylor',
  'Singh', 'Kowalski', 'Popescu', 'Hussain', 'Clarke', 'Begum', 'Wright', 'Adeyemi', 'Evans', 'Walker',
  'Mensah', 'Thompson', 'Ali', 'Green', 'Hall', 'Kaur', 'Wood', 'Hughes', 'Robinson', 'Sharma',
];

const GROUP_NAMES = [
  'Far Cotton Residents’ Association',
  'Semilong Community Garden group',
  'Towcester Over-60s Club',
  'Brackley Youth Football Club parents',
  'Northampton Polish Saturday School',
  'Daventry Ladies’ Walking Group',
  'Kings Heath Tenants’ Group',
  'St James Mums and Tots',
];

const WHEN = [
  'Most Friday and Saturday nights',
  'Every evening after about 9pm',
  'Weekday afternoons when school finishes',
  'Last Tuesday at around 4pm',
  'Since the start of the summer holidays',
  'On and off for a couple of months',
  'Yesterday evening',
  'Mostly at weekends',
  'Early mornings, between 6 and 7am',
  'It is ongoing',
  'Sunday night, about 11pm',
  'Over the last three weeks',
];

const SINCE = [
  'three weeks',
  'over a month',
  'nearly two months',
  'about ten days',
  'the whole winter',
  'weeks',
];

const OPENERS = [
  'Hello.',
  'I hope this is the right place for this.',
  'I have lived here for over twenty years and never had to report anything before.',
  'Not sure who deals with this, so trying here.',
  'I am writing on behalf of my mum, who is in her eighties.',
];
const CLOSERS = [
  'Thanks.',
  'Please can someone look into it.',
  'This has been reported before and nothing has changed.',
  'My neighbours feel the same way.',
  'Happy to talk to someone about it.',
  'I have photos if they would help.',
  'It has got worse over the last few months.',
  'I would really like to know what can be done.',
];
const SUGGESTION_CLOSERS = [
  'Thank you.',
  'Thanks for listening.',
  'I would be happy to help make it happen.',
  'Lots of people I know would support this.',
];
const ANONYMOUS_CLOSERS = [
  'I would rather not give my name because I have to live here.',
  'Please don’t share my details.',
];

const DESKS = [
  'the customer service centre in Northampton',
  'the drop-in at Daventry library',
  'the customer service desk in Towcester',
  'the drop-in at Brackley library',
];
const THIRD_PARTIES = [
  'Nene Community Voluntary Action (demo)',
  'a school safeguarding lead',
  'a housing association neighbourhood officer',
  'Northampton Together Interfaith Forum (demo)',
  'the refugee and asylum drop-in',
];

const REFERRALS: { to: string; reason: string; topics?: Topic[] }[] = [
  {
    to: 'West Northamptonshire Council highways team',
    reason: 'Street lighting, potholes and kerbs are repaired by highways, who have the report.',
    topics: ['unsafe_place', 'access_inclusion', 'something_else'],
  },
  {
    to: 'Network Rail',
    reason: 'The fencing and land belong to Network Rail, who have been asked to repair it.',
    topics: ['unsafe_place'],
  },
  {
    to: 'Canal & River Trust',
    reason: 'The towpath is managed by the Canal & River Trust.',
    topics: ['unsafe_place', 'antisocial_behaviour'],
  },
  {
    to: 'the housing association landlord',
    reason: 'This is a tenancy matter for the landlord to take up with the tenants.',
    topics: ['antisocial_behaviour', 'something_else', 'community_tensions'],
  },
  {
    to: 'the town or parish council',
    reason: 'The town or parish council runs this and has been sent the suggestion with our support.',
    topics: ['idea', 'access_inclusion', 'community_tensions'],
  },
  {
    to: 'the bus operator',
    reason: 'Timetables and accessibility on board are for the operator, who has been sent the details.',
    topics: ['access_inclusion'],
  },
  {
    to: 'the platform where it was posted',
    reason: 'Reported to the platform under its hate speech and false information rules.',
    topics: ['hate_disinformation'],
  },
  {
    to: 'Action Fraud',
    reason: 'Scam calls are reported to Action Fraud so they can be linked nationally.',
    topics: ['something_else'],
  },
  {
    to: 'Northamptonshire Police as a crime report',
    reason: 'This is a crime and has been recorded so that it can be investigated.',
    topics: ['hate_harassment', 'antisocial_behaviour', 'something_else', 'hate_disinformation'],
  },
  {
    to: 'Children’s Trust safeguarding team',
    reason: 'A child welfare concern, passed to the safeguarding team the same day.',
    topics: ['something_else'],
  },
];

const NO_FURTHER_ACTION = [
  'No location or details were given and we could not contact the person who raised it.',
  'Checked on site twice at the times given and found no evidence of the problem.',
  'A private dispute between neighbours; advice given about community mediation.',
  'Considered at the partnership meeting: no funding this year, but kept on file for next year.',
  'The problem had already been dealt with by the time we visited.',
];

const DUPLICATE_REASON =
  'The same issue was already reported; merged so that updates reach everyone who raised it.';

// ---------------------------------------------------------------------------------------------

const wardCodeByName = new Map(WARDS.map((w) => [w.name, w.code]));
function wardCode(name: string): string {
  const code = wardCodeByName.get(name);
  if (!code) throw new Error(`Demo place refers to unknown ward ${name}`);
  return code;
}

function capitalise(s: string): string {
  return s.replace(
    /(^|[.!?]\s+)([a-z])/g,
    (_m, before: string, letter: string) => before + letter.toUpperCase(),
  );
}

interface Draft {
  index: number;
  topic: Topic;
  template: Template;
  kind: Kind;
  ageDays: number;
  forcedStatus?: Status;
  urgentText?: string;
}

/** The workflow steps a concern went through, in order. */
type Step = 'triage' | 'assign' | 'start' | 'resolve' | 'close';

function pathTo(status: Status, rng: Rng): Step[] {
  switch (status) {
    case 'new':
      return [];
    case 'triaged':
      return ['triage'];
    case 'assigned':
      return ['triage', 'assign'];
    case 'in_progress':
      return ['triage', 'assign', 'start'];
    case 'resolved':
      return ['triage', 'assign', 'start', 'resolve'];
    case 'duplicate':
      return rng.chance(0.6) ? ['close'] : ['triage', 'close'];
    case 'referred':
      return rng.chance(0.6) ? ['triage', 'close'] : ['triage', 'assign', 'start', 'close'];
    case 'no_further_action':
      return rng.weighted([
        [['close'] as Step[], 3],
        [['triage', 'close'] as Step[], 4],
        [['triage', 'assign', 'start', 'close'] as Step[], 3],
      ]);
  }
}

/** Older concerns are mostly closed; the last fortnight is mostly still open. */
function statusForAge(ageDays: number, rng: Rng): Status {
  if (ageDays < 2)
    return rng.weighted([
      ['new', 8],
      ['triaged', 2],
    ] as const);
  if (ageDays < 7) {
    return rng.weighted([
      ['new', 35],
      ['triaged', 30],
      ['assigned', 15],
      ['in_progress', 10],
      ['duplicate', 5],
      ['no_further_action', 5],
    ] as const);
  }
  if (ageDays < 30) {
    return rng.weighted([
      ['new', 5],
      ['triaged', 15],
      ['assigned', 15],
      ['in_progress', 25],
      ['resolved', 20],
      ['referred', 8],
      ['no_further_action', 6],
      ['duplicate', 6],
    ] as const);
  }
  if (ageDays < 90) {
    return rng.weighted([
      ['new', 1],
      ['triaged', 2],
      ['assigned', 3],
      ['in_progress', 8],
      ['resolved', 60],
      ['referred', 8],
      ['no_further_action', 7],
      ['duplicate', 5],
    ] as const);
  }
  return rng.weighted([
    ['assigned', 0.5],
    ['in_progress', 1.5],
    ['resolved', 70],
    ['referred', 10],
    ['no_further_action', 9],
    ['duplicate', 5],
  ] as const);
}

const ASSIGNEE: Record<OrgKey, StaffKey | undefined> = {
  police: 'police',
  council: 'council',
  fire: 'fire',
  nhs: 'nhs',
  voluntary: 'voluntary',
  youth: undefined,
  interfaith: undefined,
};

export function buildDemoConcerns(ids: DemoIds, count = DEMO_CONCERN_COUNT): DemoRows {
  const rng = generator(SEED);
  const { partnershipId, now } = ids;
  const topics = Object.entries(TOPICS_DEMO) as [Topic, TopicDefinition][];

  // 1. What each concern is about and how old it is. Ages lean recent: more people use it over time.
  const drafts: Draft[] = [];
  const urgentEvery = Math.floor(count / URGENT.length);
  for (let i = 0; i < count; i++) {
    const urgent = i % urgentEvery === 0 ? URGENT[i / urgentEvery] : undefined;
    if (urgent) {
      drafts.push({
        index: i,
        topic: urgent.topic,
        template: { text: urgent.text, groups: urgent.groups ?? [], lead: 'police', supporting: ['council'] },
        kind: 'concern',
        ageDays: urgent.ageDays,
        forcedStatus: urgent.status,
        urgentText: urgent.text,
      });
      continue;
    }
    const topic = rng.weighted(topics.map(([t, d]) => [t, d.weight] as const));
    const template = rng.pick(TOPICS_DEMO[topic].templates);
    const kind: Kind = topic === 'idea' ? 'suggestion' : (template.kind ?? 'concern');
    drafts.push({ index: i, topic, template, kind, ageDays: HISTORY_DAYS * rng.next() ** 1.4 });
  }

  const rows: DemoRows = { concerns: [], shares: [], equality: [], events: [] };
  const seenTexts = new Set<string>();
  const references = new Set<string>();
  const earlierByTopic = new Map<Topic, { id: string; reference: string }[]>();

  // 2. Oldest first, so a duplicate can always point at an earlier concern.
  drafts.sort((a, b) => b.ageDays - a.ageDays);
  for (const d of drafts) {
    const id = randomUUID();
    let reference = generateReference();
    while (references.has(reference)) reference = generateReference();
    references.add(reference);

    let createdAt = new Date(now.getTime() - d.ageDays * DAY);
    if (d.ageDays >= 1) {
      // Daytime and evening submissions, in UTC, from 7am to 11pm.
      createdAt.setUTCHours(rng.int(7, 22), rng.int(0, 59), rng.int(0, 59), 0);
      if (createdAt > now) createdAt = new Date(now.getTime() - d.ageDays * DAY);
    }

    // Where.
    const kinds = d.template.places ?? ANY;
    const candidates = PLACES.filter((p) => kinds.includes(p.kind));
    const place = rng.pick(candidates.length > 0 ? candidates : PLACES);
    let areaCode: string | undefined;
    let placeDescription: string | undefined;
    let placeInText: string;
    if (d.urgentText) {
      areaCode = wardCode(place.ward);
      placeInText = place.text;
    } else if (d.template.online) {
      placeDescription = rng.pick(NOWHERE);
      areaCode = rng.chance(0.3) ? wardCode(place.ward) : undefined;
      placeInText = place.text;
    } else {
      const where = rng.weighted([
        ['both', 55],
        ['area', 20],
        ['description', 10],
        ['none', 15],
      ] as const);
      if (where === 'both' || where === 'area') areaCode = wardCode(place.ward);
      if (where === 'both') placeDescription = place.text;
      if (where === 'description') placeDescription = rng.chance(0.5) ? place.text : rng.pick(NOWHERE);
      if (where === 'area' && rng.chance(0.5)) {
        // Some pick a ward from the list and describe nothing more; spread those across every ward.
        areaCode = rng.pick(WARDS).code;
      }
      placeInText = where === 'both' || rng.chance(0.5) ? place.text : UNNAMED[place.kind];
    }

    // How it arrived, and who raised it.
    const channel: Channel = d.urgentText
      ? rng.pick(['phone', 'web', 'email'] as const)
      : rng.weighted([
          ['web', 60],
          ['email', 15],
          ['phone', 12],
          ['walk_in', 7],
          ['third_party', 6],
        ] as const);
    const anonymous =
      channel === 'email'
        ? false
        : channel === 'web'
          ? rng.chance(0.4)
          : channel === 'phone'
            ? rng.chance(0.25)
            : rng.chance(0.15);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const contactName = anonymous ? null : `${first} ${last}`;
    const withEmail = !anonymous && (channel === 'email' || channel === 'web' || rng.chance(0.4));
    const withPhone = !anonymous && (channel === 'phone' || rng.chance(0.35) || !withEmail);
    const contactEmail = withEmail ? `${first}.${last}${rng.int(1, 99)}@example.com`.toLowerCase() : null;
    const contactPhone = withPhone ? `07700 900${String(rng.int(0, 999)).padStart(3, '0')}` : null;
    const preferredContact = anonymous
      ? null
      : withEmail && withPhone
        ? rng.pick(['email', 'phone'] as const)
        : withEmail
          ? 'email'
          : 'phone';
    const forGroup = !d.urgentText && rng.chance(0.08);

    // What they wrote.
    let description = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      let body = capitalise(
        d.template.text.replace('{place}', placeInText).replace('{since}', rng.pick(SINCE)),
      );
      if (!d.urgentText) {
        if (rng.chance(0.3)) body = `${rng.pick(OPENERS)} ${body}`;
        if (rng.chance(0.45))
          body = `${body} ${rng.pick(d.kind === 'suggestion' ? SUGGESTION_CLOSERS : CLOSERS)}`;
        if (anonymous && rng.chance(0.3)) body = `${body} ${rng.pick(ANONYMOUS_CLOSERS)}`;
      }
      if (forGroup) body = `${body} Several of our members have noticed this.`;
      if (channel === 'email') {
        body =
          `${rng.pick(['Dear Sir or Madam,', 'To the community safety team,', 'Hi,'])}\n\n${body}\n\n${contactName ? `Kind regards,\n${contactName}` : ''}`.trim();
      } else if (channel === 'phone') {
        body = `Phone call to the community safety line. Caller told us: ${body}`;
      } else if (channel === 'walk_in') {
        body = `Resident came to ${rng.pick(DESKS)}. They told us: ${body}`;
      } else if (channel === 'third_party') {
        body = `Passed on by ${rng.pick(THIRD_PARTIES)} with the person’s agreement. ${body}`;
      }
      description = body;
      if (!seenTexts.has(description)) break;
    }
    seenTexts.add(description);
    const whenText = !d.urgentText && d.kind === 'concern' && rng.chance(0.6) ? rng.pick(WHEN) : null;
    const urgency = detectUrgency(description, placeDescription, whenText);
    const written = detectWrittenLanguage({ description, placeDescription, whenText }, 'en');

    const recordedBy: StaffKey | undefined =
      channel === 'phone' || channel === 'walk_in'
        ? rng.pick(['triage', 'triage', 'caseworker', 'council'] as const)
        : channel === 'third_party'
          ? rng.pick(['caseworker', 'facilitator', 'cohesion'] as const)
          : undefined;
    const source =
      channel === 'email'
        ? 'concerns@demo.heard.test'
        : channel === 'phone'
          ? 'Community safety phone line'
          : channel === 'third_party'
            ? 'Referral from a partner organisation'
            : null;

    const topicDef = TOPICS_DEMO[d.topic];
    const affected =
      d.template.groups ??
      (rng.chance(0.1) ? rng.subset(['age', 'disability', 'race', 'sex'] as const, 0.4) : []);
    const targets = ids.targets[d.topic] ?? DEFAULT_TARGETS;
    const due = dueDates(createdAt, urgency.urgent, targets);

    // 3. Its journey through the workflow.
    const status = d.forcedStatus ?? statusForAge(d.ageDays, rng);
    let steps = pathTo(status, rng);
    const earlier = earlierByTopic.get(d.topic) ?? [];
    let finalStatus = status;
    if (status === 'duplicate' && earlier.length === 0) {
      finalStatus = 'no_further_action';
      steps = ['triage', 'close'];
    }
    const leadKey: OrgKey = d.template.lead ?? topicDef.lead;
    const supportingKeys = rng.subset(
      (d.template.supporting ?? topicDef.supporting).filter((k) => k !== leadKey),
      0.6,
    );
    const assigneeKey = ASSIGNEE[leadKey] ?? 'council';
    const triager: StaffKey = rng.chance(0.8) ? 'triage' : 'admin';

    // Offsets from createdAt, in ms; squeezed to fit before now if the concern is recent.
    const timeline: { step: Step | 'ack' | 'update' | 'note'; at: number }[] = [];
    let t = 0;
    for (const step of steps) {
      if (step === 'triage') {
        t += urgency.urgent ? rng.int(1, 3) * HOUR * 0.5 : rng.int(2, 40) * HOUR;
        timeline.push({ step, at: t });
        if (urgency.urgent || rng.chance(0.7))
          timeline.push({ step: 'ack', at: t + rng.int(5, 90) * 60_000 });
      } else if (step === 'assign') {
        t += rng.int(2, 48) * HOUR;
        timeline.push({ step, at: t });
      } else if (step === 'start') {
        t += rng.int(2, 96) * HOUR;
        timeline.push({ step, at: t });
        if (rng.chance(0.5)) timeline.push({ step: 'note', at: t + rng.int(1, 72) * HOUR });
        if (rng.chance(0.6) || status === 'resolved')
          timeline.push({ step: 'update', at: t + rng.int(24, 120) * HOUR });
        t = Math.max(t, ...timeline.map((e) => e.at));
      } else if (step === 'resolve') {
        t += rng.int(2, 30) * DAY;
        timeline.push({ step, at: t });
      } else {
        t += steps.length === 1 ? rng.int(4, 48) * HOUR : rng.int(2, 72) * HOUR;
        timeline.push({ step, at: t });
      }
    }
    const room = now.getTime() - createdAt.getTime() - 5 * 60_000;
    const latest = Math.max(0, ...timeline.map((e) => e.at));
    const scale = latest > room ? Math.max(room, 0) / latest : 1;
    timeline.sort((a, b) => a.at - b.at);
    const at = (offset: number) => new Date(createdAt.getTime() + Math.round(offset * scale));

    const organisation = (k: OrgKey) => ids.organisations[k];
    const person = (k: StaffKey) => ids.staff[k];
    const event = (
      kind: string,
      visibility: 'internal' | 'public',
      when: Date,
      staffKey: StaffKey | undefined,
      body: string | null,
      details: Record<string, unknown> = {},
    ) =>
      rows.events.push({
        partnershipId,
        concernId: id,
        kind,
        visibility,
        body,
        details,
        staffId: staffKey ? person(staffKey).id : null,
        createdAt: when,
      });

    event('created', 'public', createdAt, recordedBy, null, { channel });
    let current = 'new' as Status;
    let lead: OrgKey | undefined;
    let assigned: StaffKey | undefined;
    let firstResponseAt: Date | null = null;
    let closedAt: Date | null = null;
    let updatedAt = createdAt;
    let closureReason: string | null = null;
    let referredTo: string | null = null;
    let duplicateOfId: string | null = null;
    const move = (to: Status, when: Date, by: StaffKey) => {
      event('status', 'public', when, by, null, { from: current, to });
      current = to;
    };
    const worker = () => assigned ?? triager;
    for (const entry of timeline) {
      const when = at(entry.at);
      updatedAt = when;
      switch (entry.step) {
        case 'triage': {
          lead = leadKey;
          event('shared', 'internal', when, triager, null, {
            lead: organisation(leadKey).name,
            supporting: supportingKeys.map((k) => organisation(k).name),
          });
          rows.shares.push({
            partnershipId,
            concernId: id,
            organisationId: organisation(leadKey).id,
            role: 'lead',
            createdAt: when,
          });
          for (const k of supportingKeys) {
            rows.shares.push({
              partnershipId,
              concernId: id,
              organisationId: organisation(k).id,
              role: 'supporting',
              createdAt: when,
            });
          }
          move('triaged', when, triager);
          break;
        }
        case 'ack': {
          const text =
            d.kind === 'suggestion'
              ? `Thank you for your suggestion. We have passed it to ${organisation(leadKey).name}, who will consider it and post an update here.`
              : `Thank you for telling us. We have shared this with ${organisation(leadKey).name}${supportingKeys.length > 0 ? ' and partner organisations' : ''}, who will look into it. We will post updates here.`;
          event('public_update', 'public', when, triager, text);
          firstResponseAt ??= when;
          break;
        }
        case 'assign': {
          assigned = assigneeKey;
          event('assigned', 'internal', when, triager, null, { to: person(assigneeKey).name });
          move('assigned', when, triager);
          break;
        }
        case 'start':
          move('in_progress', when, worker());
          break;
        case 'note':
          event('note', 'internal', when, worker(), rng.pick(topicDef.notes));
          break;
        case 'update':
          event('public_update', 'public', when, worker(), rng.pick(topicDef.progress));
          firstResponseAt ??= when;
          break;
        case 'resolve': {
          const note = new Date(when.getTime() - 60_000);
          event('public_update', 'public', note, worker(), rng.pick(topicDef.resolution));
          firstResponseAt ??= note;
          move('resolved', when, worker());
          closedAt = when;
          break;
        }
        case 'close': {
          const by = current === 'in_progress' ? worker() : triager;
          if (finalStatus === 'duplicate') {
            const target = rng.pick(earlier.slice(-10));
            duplicateOfId = target.id;
            closureReason = DUPLICATE_REASON;
            rows.events.push({
              partnershipId,
              concernId: target.id,
              kind: 'merged_in',
              visibility: 'internal',
              body: null,
              details: { reference },
              staffId: person(triager).id,
              createdAt: when,
            });
          } else if (finalStatus === 'referred') {
            const options = REFERRALS.filter((r) => !r.topics || r.topics.includes(d.topic));
            const referral = d.urgentText ? REFERRALS[REFERRALS.length - 1]! : rng.pick(options);
            referredTo = referral.to;
            closureReason = referral.reason;
          } else {
            closureReason = rng.pick(NO_FURTHER_ACTION);
          }
          move(finalStatus, when, by);
          closedAt = when;
          firstResponseAt ??= when;
          break;
        }
      }
    }

    rows.concerns.push({
      id,
      partnershipId,
      reference,
      kind: d.kind,
      topic: d.topic,
      description,
      areaId: areaCode ? ids.areas[areaCode]! : null,
      placeDescription: placeDescription ?? null,
      whenText,
      affectedGroups: affected,
      forGroup,
      groupName: forGroup ? rng.pick(GROUP_NAMES) : null,
      anonymous,
      contactName,
      contactEmail,
      contactPhone,
      preferredContact,
      consentToShare: anonymous ? rng.chance(0.5) : rng.chance(0.8),
      trackingCodeHash: null,
      channel,
      source,
      recordedByStaffId: recordedBy ? person(recordedBy).id : null,
      language: 'en',
      // Inserted in bulk, not through createIn, so detected here as createIn would.
      writtenLanguage: written.language,
      writtenLanguageSource: written.source,
      urgent: urgency.urgent,
      urgentSignals: urgency.signals,
      status: current,
      closureReason,
      referredTo,
      duplicateOfId,
      leadOrganisationId: lead ? organisation(lead).id : null,
      assignedStaffId: assigned ? person(assigned).id : null,
      createdAt,
      updatedAt,
      ...due,
      firstResponseAt,
      closedAt,
    });

    if (channel === 'web' && rng.chance(0.35)) {
      const answers: Record<string, string> = {};
      for (const [question, options] of Object.entries(EQUALITY_QUESTIONS)) {
        if (rng.chance(0.7)) answers[question] = rng.pick(options);
      }
      if (Object.keys(answers).length > 0) rows.equality.push({ concernId: id, partnershipId, answers });
    }

    if (current !== 'duplicate') earlier.push({ id, reference });
    earlierByTopic.set(d.topic, earlier);
  }
  return rows;
}
