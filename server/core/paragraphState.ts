/**
 * The paragraph state machine: which action may run from which status, and where it leads.
 * Deleted paragraphs only come back through revert or undo.
 */
import { PARAGRAPH_STATUSES, type ParagraphStatus, type RevisionAction } from './types.js';

export type ParagraphAction = 'suggest' | 'accept' | 'edit' | 'reject' | 'revert' | 'delete' | 'split' | 'merge';

const LIVE: ParagraphStatus[] = ['pending', 'suggested', 'accepted', 'edited', 'rejected'];

const ALLOWED_FROM: Record<ParagraphAction, ParagraphStatus[]> = {
  suggest: LIVE,
  accept: LIVE,
  edit: LIVE,
  reject: ['pending', 'suggested', 'accepted', 'edited', 'rejected'],
  revert: [...LIVE, 'deleted'],
  delete: LIVE,
  split: LIVE,
  merge: LIVE,
};

export function canApply(action: ParagraphAction, status: ParagraphStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

/**
 * Status after an action. A new suggestion only moves an untouched or rejected paragraph to
 * `suggested`: it never demotes text an editor accepted or edited.
 */
export function nextStatus(action: Exclude<ParagraphAction, 'revert'>, status: ParagraphStatus): ParagraphStatus {
  switch (action) {
    case 'suggest':
      return status === 'pending' || status === 'rejected' ? 'suggested' : status;
    case 'accept':
      return 'accepted';
    case 'edit':
      return 'edited';
    case 'reject':
      return 'rejected';
    case 'delete':
      return 'deleted';
    case 'split':
    case 'merge':
      return status === 'pending' || status === 'suggested' ? 'edited' : status;
  }
}

export function describeRefusal(action: ParagraphAction, status: ParagraphStatus): string {
  if (status === 'deleted') return `this paragraph is deleted: revert or undo to bring it back before you ${action} it`;
  return `cannot ${action} a paragraph that is ${status}`;
}

/** Actions that count as an editor's decision on a suggestion (for statistics). */
export const DECISIONS: RevisionAction[] = ['accept', 'accept-partial', 'edit', 'reject'];

/** How many paragraphs are in each status. */
export function countStatuses(paragraphs: Array<{ status: ParagraphStatus }>): Record<ParagraphStatus, number> {
  const counts = Object.fromEntries(PARAGRAPH_STATUSES.map((s) => [s, 0])) as Record<ParagraphStatus, number>;
  for (const p of paragraphs) counts[p.status]++;
  return counts;
}
