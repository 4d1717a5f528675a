import { describe, expect, it } from 'vitest';
import { detectUrgency, type UrgencySignal } from './urgency.js';

/**
 * The detector must err towards flagging: each positive example is something a resident could
 * plausibly write when they (or someone else) are in danger, and each must carry a signal that
 * explains why. The negatives are the everyday concerns that make up most of the queue; flagging
 * them would bury the real emergencies.
 */
const POSITIVES: [text: string, signal: UrgencySignal][] = [
  // Threats to life
  ['He said he will kill me', 'threatToLife'],
  ['he said hes going to kill me when he gets out', 'threatToLife'],
  ['I think he will kill her one of these days', 'threatToLife'],
  ['My ex threatened to stab me if I go to the police', 'threatToLife'],
  ['They threatened to burn our house down', 'threatToLife'],
  ['The man next door is strangling his wife', 'threatToLife'],
  ['my boyfriend choked me last night', 'threatToLife'],
  ['I fear for my life', 'threatToLife'],
  ['someone threw acid at a woman outside the station', 'threatToLife'],
  ['she is going to hurt the baby', 'threatToLife'],
  // Typos and capitals
  ['he said he wil kil me', 'threatToLife'],
  ['HE SAID HE WILL KILL ME', 'threatToLife'],
  ['HELP ME PLEASE HE IS OUTSIDE MY DOOR', 'dangerNow'],
  ['kids are carrying knifes on the bus', 'weapon'],
  ['i keep thinking about sucide', 'selfHarm'],
  // Violence happening now
  ['Someone is trying to break in right now', 'violenceNow'],
  ['someone is breaking into my house', 'violenceNow'],
  ['someone is trying to get into my flat', 'violenceNow'],
  ['There is a fight happening outside the pub now', 'violenceNow'],
  ['they are attacking him right now', 'violenceNow'],
  ['We were attacked because of our religion and they are still outside', 'violenceNow'],
  ['a gang beat up a boy', 'violenceNow'],
  ['Someone set fire to the bins and the flats are on fire', 'violenceNow'],
  ['I was raped', 'violenceNow'],
  ['my neighbour is being sexually assaulted', 'violenceNow'],
  // Domestic abuse
  ['My partner hits me and I am scared to go home', 'violenceNow'],
  ['My husband beats me every night', 'violenceNow'],
  ['He is hitting her next door, I can hear screaming', 'violenceNow'],
  ['Domestic abuse next door every night, she screams', 'violenceNow'],
  ['my ex is stalking me', 'dangerNow'],
  // Self-harm
  ['I want to end it all', 'selfHarm'],
  ["I can't go on anymore, I want to die", 'selfHarm'],
  ['i dont want to be alive anymore', 'selfHarm'],
  ['I don’t want to live any more', 'selfHarm'],
  ['I keep cutting myself', 'selfHarm'],
  ['Im going to kill myself tonight', 'selfHarm'],
  ['my mum has taken an overdose', 'selfHarm'],
  ['Everyone would be better off dead without me', 'selfHarm'],
  // Children at risk
  ["My neighbour's kids are left alone and the baby is crying for hours", 'childAtRisk'],
  ['A child is being abused in the flat above', 'childAtRisk'],
  ['the kids next door are being neglected and have no food', 'childAtRisk'],
  ['a girl from school is being groomed by older men', 'childAtRisk'],
  ['my daughter is missing since last night', 'childAtRisk'],
  ['a toddler wandering alone by the main road', 'childAtRisk'],
  ['a man exposed himself to children at the park', 'childAtRisk'],
  ['they will hurt my children', 'childAtRisk'],
  // Weapons
  ['There is a man with a knife outside the shop', 'weapon'],
  ['A group of lads with machetes on the estate', 'weapon'],
  ['I saw someone with a gun in the park', 'weapon'],
  ['There has been a stabbing outside the chip shop', 'weapon'],
  ['my ex turned up with a weapon', 'weapon'],
  ['there is a bomb threat at the mosque', 'weapon'],
  // Danger now
  ['I am not safe at home', 'dangerNow'],
  ['I am being followed home every night by the same man', 'dangerNow'],
  ['My life is in danger', 'dangerNow'],
  ['a man is unconscious in the underpass', 'dangerNow'],
  ['someone is bleeding in the street', 'dangerNow'],
];

const NEGATIVES: string[] = [
  'There is graffiti on the bus shelter on High Street',
  'Lots of litter in the park after the weekend',
  'The street lights on Mill Lane have been out for a week',
  'Loud music from the flat upstairs late at night',
  'E-scooters ridden on the pavement near the school',
  'I suggest a youth club in the community centre on Friday evenings',
  'Cars parked on the pavement so wheelchairs cannot get past',
  'Someone made rude comments about my accent at the bus stop',
  'The underpass feels dark and unpleasant at night',
  'Dog fouling on the footpath by the canal',
  'Fly-tipping behind the shops',
  'Teenagers hanging around the car park and being noisy',
  'Could we have more benches in the park for older people',
  'The ramp at the library is too steep for my mobility scooter',
  'Bins left out on the pavement all week',
  'People drinking in the park and leaving cans',
  'The bus stop timetable is broken',
  'There are potholes on the cycle path',
  'I would like a community garden on the empty land',
  'Speeding cars on Station Road every morning',
  'Skateboarders use the war memorial steps',
  'A leaflet with false claims about refugees was pushed through doors',
  'The noise from the takeaway extractor fan is constant',
  'Kids play football against my garage door',
  'Parking on double yellow lines outside the doctors',
];

describe('detectUrgency', () => {
  it('has a broad set of examples', () => {
    expect(POSITIVES.length).toBeGreaterThanOrEqual(40);
    expect(NEGATIVES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(POSITIVES)('flags "%s" (%s)', (text, signal) => {
    const result = detectUrgency(text);
    expect(result.urgent).toBe(true);
    expect(result.signals).toContain(signal);
  });

  it.each(NEGATIVES)('does not flag "%s"', (text) => {
    expect(detectUrgency(text)).toEqual({ urgent: false, signals: [] });
  });

  it('looks at every text it is given, and ignores missing ones', () => {
    expect(detectUrgency('Graffiti on the wall', undefined, null, 'he has a knife').signals).toEqual([
      'weapon',
    ]);
    expect(detectUrgency(undefined, null, '').urgent).toBe(false);
  });

  it('reports each signal once, in a stable order', () => {
    const result = detectUrgency('He said he will kill me, he has a knife, please help');
    expect(result.signals).toEqual(['threatToLife', 'weapon', 'dangerNow']);
  });

  it('reads full-width and curly-apostrophe text as the plain equivalent', () => {
    expect(detectUrgency('ＫＮＩＦＥ').signals).toContain('weapon');
    expect(detectUrgency('I don’t want to be here anymore').signals).toContain('selfHarm');
  });
});
