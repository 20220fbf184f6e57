/**
 * The review state machine: who may move a paragraph from which review state to which.
 * Text-changing actions are refused on approved paragraphs (they are locked until reopened).
 */
import type { ParagraphStatus, ReviewState, Role } from './types.js';
import { aRole } from './policy.js';
import { isUndecided } from './paragraphState.js';

export type ReviewAction = 'submit' | 'approve' | 'send-back' | 'reopen';

interface Transition {
  from: ReviewState[];
  to: ReviewState;
  roles: Role[];
}

const TRANSITIONS: Record<ReviewAction, Transition> = {
  submit: { from: ['none', 'sent-back'], to: 'in-review', roles: ['editor', 'reviewer', 'admin'] },
  approve: { from: ['none', 'in-review', 'sent-back'], to: 'approved', roles: ['reviewer', 'admin'] },
  'send-back': { from: ['in-review', 'approved', 'none'], to: 'sent-back', roles: ['reviewer', 'admin'] },
  reopen: { from: ['approved'], to: 'none', roles: ['reviewer', 'admin'] },
};

export function reviewTarget(action: ReviewAction): ReviewState {
  return TRANSITIONS[action].to;
}

/** Whether the role may take the review action at all (from some state). */
export function canReviewAsRole(role: Role, action: ReviewAction): boolean {
  return TRANSITIONS[action].roles.includes(role);
}

export function canReview(role: Role, action: ReviewAction, from: ReviewState): boolean {
  const t = TRANSITIONS[action];
  return t.roles.includes(role) && t.from.includes(from);
}

export function describeReviewRefusal(role: Role, action: ReviewAction, from: ReviewState): string {
  const t = TRANSITIONS[action];
  if (!t.roles.includes(role)) return `${aRole(role)} may not ${action.replace('-', ' ')} paragraphs`;
  return `cannot ${action.replace('-', ' ')} a paragraph that is ${from === 'none' ? 'not in review' : from}`;
}

/**
 * Submit and approve need an editor's decision on the paragraph first: one nobody has decided on
 * (pending, suggested) stays with the editors. A reviewer could not approve it once submitted, and
 * the whole-article submit leaves it out too (`submittable`).
 */
export function needsDecision(action: ReviewAction, status: ParagraphStatus): boolean {
  return (action === 'submit' || action === 'approve') && isUndecided(status);
}

export function describeUndecidedRefusal(action: ReviewAction, paragraphId: string, status: ParagraphStatus): string {
  return `cannot ${action} paragraph ${paragraphId}: it is ${status}, not decided yet (an editor must accept, edit, reject or keep it first)`;
}

/** Text changes (edit, accept, revert, split…) are refused while a paragraph is approved. */
export function isLocked(review: ReviewState | undefined): boolean {
  return review === 'approved';
}

/** Which paragraphs a whole-article submission sends: decided ones not yet in review or approved. */
export function submittable(status: ParagraphStatus, review: ReviewState): boolean {
  return status !== 'deleted' && status !== 'pending' && status !== 'suggested' && (review === 'none' || review === 'sent-back');
}

/** An article's review status, derived from its live paragraphs. */
export type ArticleReview = 'not started' | 'in progress' | 'in review' | 'changes requested' | 'approved';

export function articleReview(paragraphs: Array<{ status: ParagraphStatus; review?: ReviewState }>): ArticleReview {
  const live = paragraphs.filter((p) => p.status !== 'deleted');
  if (live.length === 0) return 'not started';
  const reviews = live.map((p) => p.review ?? 'none');
  if (reviews.every((r) => r === 'approved')) return 'approved';
  if (reviews.includes('sent-back')) return 'changes requested';
  if (reviews.includes('in-review')) return 'in review';
  if (live.every((p) => p.status === 'pending')) return 'not started';
  return 'in progress';
}
