/**
 * Spotting text that signals immediate danger. This is deliberately broad: a false alarm costs a
 * triage officer a minute, a missed one can cost a life. It flags, it never decides: staff judge.
 */
export type UrgencySignal =
  'threatToLife' | 'violenceNow' | 'selfHarm' | 'childAtRisk' | 'weapon' | 'dangerNow';

const PATTERNS: { signal: UrgencySignal; pattern: RegExp }[] = [
  {
    signal: 'selfHarm',
    pattern:
      /\b(kill(ing)? my ?self|end(ing)? (it all|my life)|suicid\w*|sucid\w*|sucide\w*|suicde\w*|self[- ]?harm\w*|hurt(ing)? my ?self|cut(ting)? my ?self|take my (own )?life|(want(s)?|wanna) to die|wanna die|don'?t want to (live|be alive|be here)|no reason to live|overdos\w*|better off dead|can'?t go on|kms)\b/i,
  },
  {
    signal: 'threatToLife',
    pattern:
      /\b(kill\w*|murder\w*|going to die|gonna die|threat(en)?\w* (to )?(kill|hurt|stab|shoot|burn|attack)|death threat\w*|shoot\w*|strangl\w*|chok(e|ed|ing) (me|her|him)|burn (the|our|my|their) (house|home|flat)|petrol bomb\w*|acid attack\w*|life is in danger|fear(ed|ing)? for (my|his|her|their|our) li(fe|ves)|kil+ (me|you|him|her|them|us|my\w*|the\w*)|(will|going to|gonna|wants? to|said (he|she|they)'?(ll| will)?) (hurt|harm|kill|kil|stab|shoot)\w* (me|you|him|her|them|us|my\w*|the (baby|kids?|children))|(threw|throw\w*|chuck\w*|spray\w*) acid|acid (thrown|throw\w*))\b/i,
  },
  {
    signal: 'weapon',
    pattern:
      /\b(knifes?|knives|machete\w*|gun|guns|firearm\w*|pistol\w*|rifle\w*|shotgun\w*|bomb\w*|explosive\w*|blade\w*|stabb?\w*|weapons?)\b/i,
  },
  {
    signal: 'violenceNow',
    pattern:
      /\b((being|getting) (attacked|beaten|hit|assaulted|stabbed|chased)|attack(ing)? (me|us|him|her|them) (now|right now)|(he|she|they) (is|are|keeps?|keep) (hitting|beating|punching|kicking) (me|us|her|him)|hits me|beats me|kicking (the|my|our) door|fight(ing)? (now|right now|outside)|(fight\w*|brawl\w*|attack\w*|assault\w*|beat\w*)[^.!?]{0,40}\b(now|still (here|there|outside))|(breaking|broke|broken) in(to)?|break in(to)? (\w+ )?(house|home|flat|car|door|shop|garden|shed|property|building|place)|break-in|trying to (get|break) in(to)?|domestic (abuse|violence)|(partner|husband|wife|boyfriend|girlfriend|ex|dad|father|mum|mother|stepdad) (hits|beats|hurts|attacks|abuses|chokes|strangles)|rap(e|ed|es|ing|ist)|sexual(ly)? assault\w*|beat (him|her|them|me|us) up|beat up|riot\w*|on fire|set fire|happening (now|right now)|right now)\b/i,
  },
  {
    signal: 'childAtRisk',
    pattern:
      /\b((child|children|kid|kids|baby|babies|toddler|boy|girl|son|daughter|teenager|minor|pupil)s?\b[^.!?]{0,60}\b(abus\w*|hurt\w*|hit|hitting|beaten|danger|alone|left alone|locked (in|out)|missing|neglect\w*|groom\w*|exploit\w*|trafficked|unsafe|starv\w*)|groom\w*|child abuse|sexual(ly)? exploit\w*|missing (child|children|girl|boy)|(hurt\w*|harm\w*|abus\w*|hit|hitting|beat\w*|touch(ed|ing)|neglect\w*|expos(ed|ing) (himself|herself|themselves) to)\b[^.!?]{0,30}\b(child|children|kid|kids|baby|babies|toddler|boy|girl|son|daughter|teenager|minor|pupil)s?)\b/i,
  },
  {
    signal: 'dangerNow',
    pattern:
      /\b((i am|i'm|we are|we're|she is|he is|they are) (in danger|not safe|trapped|being followed)|in (immediate )?danger|help me|please help|emergency|scared for (my|our) (life|lives|safety)|call (the )?police|999|call(ed)? (an|the) ambulance|needs? an ambulance|unconscious|not breathing|(is|are|was|were|he'?s|she'?s|they'?re) bleeding|bleeding (badly|heavily|everywhere|from)|blood everywhere|stalk(ed|ing|er|ers))\b/i,
  },
];

export interface UrgencyResult {
  urgent: boolean;
  signals: UrgencySignal[];
}

export function detectUrgency(...texts: (string | null | undefined)[]): UrgencyResult {
  // Phones type curly apostrophes ("don’t"); the patterns are written with straight ones.
  const text = texts
    .filter(Boolean)
    .join('\n')
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc]/g, "'");
  const signals = PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ signal }) => signal);
  return { urgent: signals.length > 0, signals };
}
