/**
 * The paragraph state machine: which action may run from which status, and where it leads.
 * Deleted paragraphs only come back through revert or undo.
 */
import { PARAGRAPH_STATUSES, type ParagraphStatus, type RevisionAction } from './types.js';

export type ParagraphAction = 'suggest' | 'accept' | 'edit' | 'reject' | 'keep' | 'revert' | 'delete' | 'split' | 'merge';

const LIVE: ParagraphStatus[] = ['pending', 'suggested', 'accepted', 'edited', 'rejected', 'kept'];

/** Statuses that record an editor's decision: runs and new suggestions never change them. */
export const DECIDED: readonly ParagraphStatus[] = ['accepted', 'edited', 'rejected', 'kept'];

export function isDecided(status: ParagraphStatus): boolean {
  return DECIDED.includes(status);
}

/** Live paragraphs still waiting for an editor's decision. */
export function isUndecided(status: ParagraphStatus): boolean {
  return status === 'pending' || status === 'suggested';
}

const ALLOWED_FROM: Record<ParagraphAction, ParagraphStatus[]> = {
  suggest: LIVE,
  accept: LIVE,
  edit: LIVE,
  reject: LIVE,
  // Keep confirms the text as it stands; an accepted or edited text is already a decision.
  keep: ['pending', 'suggested', 'rejected'],
  revert: [...LIVE, 'deleted'],
  delete: LIVE,
  split: LIVE,
  merge: LIVE,
};

export function canApply(action: ParagraphAction, status: ParagraphStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

/**
 * Status after an action. A new suggestion only moves an untouched paragraph to `suggested`: it
 * never changes a decision (accepted, edited, rejected, kept).
 */
export function nextStatus(action: Exclude<ParagraphAction, 'revert'>, status: ParagraphStatus): ParagraphStatus {
  switch (action) {
    case 'suggest':
      return status === 'pending' ? 'suggested' : status;
    case 'accept':
      return 'accepted';
    case 'edit':
      return 'edited';
    case 'reject':
      return 'rejected';
    case 'keep':
      return 'kept';
    case 'delete':
      return 'deleted';
    case 'split':
    case 'merge':
      return status === 'pending' || status === 'suggested' || status === 'kept' ? 'edited' : status;
  }
}

export function describeRefusal(action: ParagraphAction, status: ParagraphStatus): string {
  if (status === 'deleted') return `this paragraph is deleted: revert or undo to bring it back before you ${action} it`;
  if (action === 'keep' && status === 'kept') return 'this paragraph is already kept as is';
  if (action === 'keep') return `cannot keep a paragraph that is ${status}: its text is already a decision (revert to the MT to keep it as is)`;
  return `cannot ${action} a paragraph that is ${status}`;
}

/** Actions that count as an editor's decision on a suggestion (for statistics). */
export const DECISIONS: RevisionAction[] = ['accept', 'accept-partial', 'edit', 'reject', 'keep'];

/** How many paragraphs are in each status. */
export function countStatuses(paragraphs: Array<{ status: ParagraphStatus }>): Record<ParagraphStatus, number> {
  const counts = Object.fromEntries(PARAGRAPH_STATUSES.map((s) => [s, 0])) as Record<ParagraphStatus, number>;
  for (const p of paragraphs) counts[p.status]++;
  return counts;
}
