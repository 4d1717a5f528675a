import type { Tx } from '../../platform/db/index.js';
import { londonToday } from '../engagement/engagement.dates.js';
import { tensionRepository } from './tension.repository.js';
import { addDays, weekStart } from './tension.rules.js';
import type { TensionAssessment, TensionCategory, TensionLevel, TensionSource } from './vocabulary.js';

/**
 * A demo tension picture over the last six weeks: Castle rising to medium this week after rumours
 * online, St James falling back to low after a planned protest passed off peacefully, and a few low
 * reports elsewhere. Nothing reaches high, so seeding sends no escalation mail. All invented.
 */
interface DemoReport {
  ward: string;
  /** Days before the Monday of this week (0 = this week's Monday). */
  weeksAgo: number;
  dayOfWeek: number;
  source: TensionSource;
  category: TensionCategory;
  assessment: TensionAssessment;
  level: TensionLevel;
  summary: string;
  actions: string;
  reviewAfterDays: number;
  by: 'officer' | 'police';
}

const REPORTS: DemoReport[] = [
  {
    ward: 'Castle',
    weeksAgo: 5,
    dayOfWeek: 1,
    source: 'community',
    category: 'incident',
    assessment: 'experienced',
    level: 'low',
    summary: 'Argument between neighbours in Spring Boroughs turned into name-calling about nationality.',
    actions: 'Officer visited both households; housing officer informed.',
    reviewAfterDays: 14,
    by: 'officer',
  },
  {
    ward: 'Castle',
    weeksAgo: 2,
    dayOfWeek: 3,
    source: 'officer',
    category: 'rumour',
    assessment: 'potential',
    level: 'low',
    summary: 'Residents repeating a rumour that a new hostel will house men released from prison.',
    actions: 'Checked with housing: no such plan. Message shared with residents’ association.',
    reviewAfterDays: 10,
    by: 'officer',
  },
  {
    ward: 'Castle',
    weeksAgo: 0,
    dayOfWeek: 0,
    source: 'partner',
    category: 'online_disinformation',
    assessment: 'evidenced',
    level: 'medium',
    summary:
      'A local Facebook page is sharing a false story that a child was attacked by asylum seekers near the Doddridge Centre. Comments call for people to “sort it out”.',
    actions:
      'Police confirmed no such incident and posted a rebuttal; page admins asked to remove the post; faith and community leaders briefed; extra patrols this weekend.',
    reviewAfterDays: 7,
    by: 'officer',
  },
  {
    ward: 'St James',
    weeksAgo: 4,
    dayOfWeek: 2,
    source: 'police',
    category: 'planned_protest',
    assessment: 'evidenced',
    level: 'medium',
    summary: 'A small group has announced a protest outside the mosque on St James Road on Saturday.',
    actions:
      'Police engagement with organisers; mosque committee and neighbours informed; counter-protest discouraged.',
    reviewAfterDays: 14,
    by: 'police',
  },
  {
    ward: 'St James',
    weeksAgo: 2,
    dayOfWeek: 0,
    source: 'police',
    category: 'planned_protest',
    assessment: 'experienced',
    level: 'low',
    summary:
      'The protest passed off peacefully with about 15 people; no arrests. Some unease remains locally.',
    actions: 'Cohesion officer to attend Friday prayers and the residents’ meeting.',
    reviewAfterDays: 21,
    by: 'police',
  },
  {
    ward: 'Brackley South',
    weeksAgo: 1,
    dayOfWeek: 4,
    source: 'community',
    category: 'anniversary_event',
    assessment: 'potential',
    level: 'low',
    summary: 'Anniversary of a local incident next month; some posts online calling for a “memorial walk”.',
    actions: 'Monitor online; talk to the town council about the event.',
    reviewAfterDays: 21,
    by: 'officer',
  },
  {
    ward: 'Abbey North',
    weeksAgo: 5,
    dayOfWeek: 3,
    source: 'officer',
    category: 'incident',
    assessment: 'experienced',
    level: 'low',
    summary: 'Graffiti targeting Polish families on the Southbrook estate garages.',
    actions: 'Removed by the council within 24 hours; reported to police.',
    reviewAfterDays: 10,
    by: 'officer',
  },
];

export async function seedTensionDemo(
  tx: Tx,
  deps: {
    partnershipId: string;
    areasByName: Record<string, string>;
    officerStaffId: string;
    policeStaffId: string;
    now?: Date;
  },
): Promise<number> {
  const thisMonday = weekStart(londonToday(deps.now ?? new Date()));
  for (const r of REPORTS) {
    const reportedOn = addDays(thisMonday, -7 * r.weeksAgo + r.dayOfWeek);
    await tensionRepository.insert(tx, {
      partnershipId: deps.partnershipId,
      areaId: deps.areasByName[r.ward]!,
      reportedOn,
      source: r.source,
      category: r.category,
      assessment: r.assessment,
      level: r.level,
      summary: r.summary,
      actions: r.actions,
      reviewDate: addDays(reportedOn, r.reviewAfterDays),
      reportedByStaffId: r.by === 'police' ? deps.policeStaffId : deps.officerStaffId,
    });
  }
  return REPORTS.length;
}
