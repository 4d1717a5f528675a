import type { Published } from '../../platform/suppression.js';
import type { ActionStatus, Rag } from './programme.table.js';

/**
 * The programme's rules, kept free of the database so they can be tested on their own: which status
 * moves are allowed, when a reason is owed, what counts as overdue.
 */

/** Where an action may go from each status. Done and dropped are final unless a manager reopens them. */
const NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
  planned: ['in_progress', 'paused', 'dropped', 'done'],
  in_progress: ['paused', 'dropped', 'done'],
  paused: ['in_progress', 'dropped'],
  done: [],
  dropped: [],
};
const REOPEN: Partial<Record<ActionStatus, readonly ActionStatus[]>> = {
  done: ['in_progress'],
  dropped: ['planned'],
};

export function nextStatuses(from: ActionStatus, mayManage: boolean): ActionStatus[] {
  return [...NEXT[from], ...(mayManage ? (REOPEN[from] ?? []) : [])];
}

export type ProgressProblem =
  'statusNotAllowed' | 'dropReasonRequired' | 'ragReasonRequired' | 'progressOutOfRange';

export interface ProgressChange {
  status: ActionStatus;
  statusReason?: string | undefined;
  progress: number;
  rag: Rag;
  ragReason?: string | undefined;
}

/**
 * Checks a change of status, progress and RAG. Returns the values to store (a done action is 100%
 * complete; a green action carries no RAG reason) or the first problem found.
 */
export function checkProgress(
  current: { status: ActionStatus },
  change: ProgressChange,
  mayManage: boolean,
):
  | {
      ok: true;
      value: Required<Omit<ProgressChange, 'statusReason' | 'ragReason'>> & {
        statusReason: string | null;
        ragReason: string | null;
      };
    }
  | { ok: false; problem: ProgressProblem } {
  if (change.status !== current.status && !nextStatuses(current.status, mayManage).includes(change.status))
    return { ok: false, problem: 'statusNotAllowed' };
  if (!Number.isInteger(change.progress) || change.progress < 0 || change.progress > 100)
    return { ok: false, problem: 'progressOutOfRange' };
  if (change.status === 'dropped' && !change.statusReason)
    return { ok: false, problem: 'dropReasonRequired' };
  if (change.rag !== 'green' && !change.ragReason) return { ok: false, problem: 'ragReasonRequired' };
  const progress = change.status === 'done' ? 100 : change.progress;
  return {
    ok: true,
    value: {
      status: change.status,
      statusReason:
        change.status === 'dropped' || change.status === 'paused' ? (change.statusReason ?? null) : null,
      progress,
      rag: change.rag,
      ragReason: change.rag === 'green' ? null : change.ragReason!,
    },
  };
}

/** Finished actions (done or dropped) are never overdue. */
export const isFinished = (status: ActionStatus) => status === 'done' || status === 'dropped';

/** Dates are yyyy-mm-dd, so they compare as strings. */
export function isMilestoneOverdue(m: { dueDate: string; doneAt: Date | null }, today: string): boolean {
  return m.doneAt === null && m.dueDate < today;
}

export function isActionOverdue(a: { dueDate: string | null; status: ActionStatus }, today: string): boolean {
  return a.dueDate !== null && a.dueDate < today && !isFinished(a.status);
}

/** Counts of items by a key, largest first, ties by label, for "what shaped this action". */
export function countBy<T>(
  items: readonly T[],
  key: (item: T) => string | null,
): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** A published count as words for the page, feed and exports, from the locale's labels. */
export function publishedText(
  p: Published,
  t: (key: string, vars?: Record<string, string | number>) => string,
): string {
  if (p.state === 'shown') return t('programme.counts.shown', { count: p.value });
  return t(`programme.counts.${p.state}`);
}
