import { describe, expect, it } from 'vitest';
import {
  allowedNext,
  checkTransition,
  CLOSURES,
  isClosure,
  isOpen,
  isStatus,
  OPEN_STATUSES,
  STATUSES,
  type Status,
  type TransitionInput,
} from './workflow.js';

/** The table, written out again on purpose: a change to the workflow should have to change this test. */
const ALLOWED: Record<Status, Status[]> = {
  new: ['triaged', 'duplicate', 'referred', 'no_further_action'],
  triaged: ['assigned', 'in_progress', 'duplicate', 'referred', 'no_further_action'],
  assigned: ['in_progress', 'triaged', 'duplicate', 'referred', 'no_further_action'],
  in_progress: ['resolved', 'assigned', 'duplicate', 'referred', 'no_further_action'],
  resolved: ['in_progress'],
  duplicate: ['triaged'],
  referred: ['triaged'],
  no_further_action: ['triaged'],
};

/** Everything a transition to `to` could need, so only the table decides. */
function complete(from: Status, to: Status): TransitionInput {
  return { from, to, reason: 'Reason given', referredTo: 'Victim Support', duplicateOf: 'ABCD-EFGH-JKM' };
}

const PAIRS = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
const ALLOWED_PAIRS = PAIRS.filter(([from, to]) => ALLOWED[from].includes(to));
const DISALLOWED_PAIRS = PAIRS.filter(([from, to]) => !ALLOWED[from].includes(to));

describe('transition table', () => {
  it('matches allowedNext for every status', () => {
    for (const s of STATUSES) expect([...allowedNext(s)].sort()).toEqual([...ALLOWED[s]].sort());
  });

  it('never allows staying in the same status', () => {
    for (const s of STATUSES) expect(allowedNext(s)).not.toContain(s);
  });

  it.each(ALLOWED_PAIRS)('allows %s -> %s', (from, to) => {
    expect(checkTransition(complete(from, to))).toEqual({ ok: true });
  });

  it.each(DISALLOWED_PAIRS)('refuses %s -> %s', (from, to) => {
    expect(checkTransition(complete(from, to))).toEqual({ ok: false, problem: 'notAllowed' });
  });

  it('covers every pair', () => {
    expect(ALLOWED_PAIRS.length + DISALLOWED_PAIRS.length).toBe(STATUSES.length ** 2);
    expect(ALLOWED_PAIRS.length).toBe(23);
  });
});

describe('closures', () => {
  const closingFrom = (to: Status) => STATUSES.filter((from) => ALLOWED[from].includes(to));

  it.each(CLOSURES.flatMap((to) => closingFrom(to).map((from) => [from, to] as const)))(
    'need a reason: %s -> %s',
    (from, to) => {
      for (const reason of [undefined, '', '   \n ']) {
        expect(checkTransition({ ...complete(from, to), reason })).toEqual({
          ok: false,
          problem: 'reasonRequired',
        });
      }
    },
  );

  it('referred needs who it was referred to', () => {
    for (const from of closingFrom('referred')) {
      for (const referredTo of [undefined, '', '  ']) {
        expect(checkTransition({ from, to: 'referred', reason: 'Not ours', referredTo })).toEqual({
          ok: false,
          problem: 'referredToRequired',
        });
      }
      expect(checkTransition({ from, to: 'referred', reason: 'Not ours', referredTo: 'Housing' })).toEqual({
        ok: true,
      });
    }
  });

  it('duplicate needs the concern it duplicates', () => {
    for (const from of closingFrom('duplicate')) {
      for (const duplicateOf of [undefined, '', ' ']) {
        expect(checkTransition({ from, to: 'duplicate', reason: 'Same report', duplicateOf })).toEqual({
          ok: false,
          problem: 'duplicateOfRequired',
        });
      }
      expect(
        checkTransition({ from, to: 'duplicate', reason: 'Same report', duplicateOf: 'ABCD-EFGH-JKM' }),
      ).toEqual({
        ok: true,
      });
    }
  });

  it('no further action needs only a reason', () => {
    expect(checkTransition({ from: 'new', to: 'no_further_action', reason: 'Resolved itself' })).toEqual({
      ok: true,
    });
  });

  it('other moves need no reason', () => {
    expect(checkTransition({ from: 'new', to: 'triaged' })).toEqual({ ok: true });
    expect(checkTransition({ from: 'in_progress', to: 'resolved' })).toEqual({ ok: true });
    expect(checkTransition({ from: 'referred', to: 'triaged' })).toEqual({ ok: true });
  });

  it('checks the table before anything else', () => {
    expect(checkTransition({ from: 'resolved', to: 'duplicate' })).toEqual({
      ok: false,
      problem: 'notAllowed',
    });
  });
});

describe('status helpers', () => {
  it('isOpen is true exactly for new, triaged, assigned and in progress', () => {
    expect(STATUSES.filter(isOpen)).toEqual(['new', 'triaged', 'assigned', 'in_progress']);
    expect([...OPEN_STATUSES]).toEqual(['new', 'triaged', 'assigned', 'in_progress']);
    expect(isOpen('resolved')).toBe(false);
    expect(isOpen('something')).toBe(false);
  });

  it('isClosure is true exactly for the early closures', () => {
    expect(STATUSES.filter(isClosure)).toEqual(['duplicate', 'referred', 'no_further_action']);
  });

  it('isStatus recognises the statuses only', () => {
    for (const s of STATUSES) expect(isStatus(s)).toBe(true);
    expect(isStatus('closed')).toBe(false);
    expect(isStatus('')).toBe(false);
  });

  it('every closed status can be reopened, and every status is reachable', () => {
    for (const s of STATUSES.filter((x) => !isOpen(x))) {
      expect(allowedNext(s).some((next) => isOpen(next))).toBe(true);
    }
    const reachable = new Set<Status>(['new']);
    for (let changed = true; changed;) {
      changed = false;
      for (const s of [...reachable]) {
        for (const next of allowedNext(s)) {
          if (!reachable.has(next)) {
            reachable.add(next);
            changed = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual([...STATUSES].sort());
  });
});
