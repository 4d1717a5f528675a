/**
 * The concern workflow: new → triaged → assigned → in progress → resolved, or closed early as a
 * duplicate, referred elsewhere, or no further action, each with a reason. Closed and resolved
 * concerns can be reopened. Every rule about which move is allowed lives here.
 */
export const STATUSES = [
  'new',
  'triaged',
  'assigned',
  'in_progress',
  'resolved',
  'duplicate',
  'referred',
  'no_further_action',
] as const;
export type Status = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly Status[] = ['new', 'triaged', 'assigned', 'in_progress'];
export const CLOSURES = ['duplicate', 'referred', 'no_further_action'] as const;
export type Closure = (typeof CLOSURES)[number];

const TRANSITIONS: Record<Status, readonly Status[]> = {
  new: ['triaged', 'duplicate', 'referred', 'no_further_action'],
  triaged: ['assigned', 'in_progress', 'duplicate', 'referred', 'no_further_action'],
  assigned: ['in_progress', 'triaged', 'duplicate', 'referred', 'no_further_action'],
  in_progress: ['resolved', 'assigned', 'duplicate', 'referred', 'no_further_action'],
  resolved: ['in_progress'],
  duplicate: ['triaged'],
  referred: ['triaged'],
  no_further_action: ['triaged'],
};

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export function isClosure(status: string): status is Closure {
  return (CLOSURES as readonly string[]).includes(status);
}

export function allowedNext(from: Status): readonly Status[] {
  return TRANSITIONS[from];
}

export type TransitionCheck =
  | { ok: true }
  | { ok: false; problem: 'notAllowed' | 'reasonRequired' | 'referredToRequired' | 'duplicateOfRequired' };

export interface TransitionInput {
  from: Status;
  to: Status;
  reason?: string | undefined;
  referredTo?: string | undefined;
  duplicateOf?: string | undefined;
}

export function checkTransition(input: TransitionInput): TransitionCheck {
  if (!TRANSITIONS[input.from].includes(input.to)) return { ok: false, problem: 'notAllowed' };
  if (isClosure(input.to) && !input.reason?.trim()) return { ok: false, problem: 'reasonRequired' };
  if (input.to === 'referred' && !input.referredTo?.trim())
    return { ok: false, problem: 'referredToRequired' };
  if (input.to === 'duplicate' && !input.duplicateOf?.trim())
    return { ok: false, problem: 'duplicateOfRequired' };
  return { ok: true };
}
