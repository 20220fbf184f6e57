/**
 * What a viewer may do, as plain booleans for the pages and the JSON: `can.accept`, `can.approve` …
 * Nothing here decides a rule of its own: each answer combines the policy table (core/policy.ts,
 * who), the paragraph state machine (core/paragraphState.ts, from which status) and the review state
 * machine (core/reviewState.ts, review states and the lock). Templates show an action iff `can` says so.
 */
import { allow } from '../../core/policy.js';
import { canApply, isDecided, type ParagraphAction } from '../../core/paragraphState.js';
import { canReview, isLocked, submittable, type ReviewAction } from '../../core/reviewState.js';
import type { Paragraph, Role } from '../../core/types.js';
import { openSuggestion } from './suggestion.js';

/** The actions on one paragraph, for one viewer. */
export interface ParagraphCan {
  suggest: boolean;
  /** Take the open suggestion (whole or in part): needs one. */
  accept: boolean;
  edit: boolean;
  /** Turn the open suggestion down: needs one. */
  reject: boolean;
  keep: boolean;
  revert: boolean;
  delete: boolean;
  split: boolean;
  merge: boolean;
  /** An undo that would change this paragraph goes through (not while it is locked). */
  undo: boolean;
  /** Send for review: a decided paragraph not in review yet (or sent back). */
  submit: boolean;
  /** Approve: reviewers, decided paragraphs not approved yet. */
  approve: boolean;
  sendBack: boolean;
  reopen: boolean;
  /** Add to the thread of a live paragraph. */
  comment: boolean;
}

export const PARAGRAPH_ACTIONS = [
  'suggest', 'accept', 'edit', 'reject', 'keep', 'revert', 'delete', 'split', 'merge', 'undo',
  'submit', 'approve', 'sendBack', 'reopen', 'comment',
] as const satisfies ReadonlyArray<keyof ParagraphCan>;

export function paragraphCan(role: Role, p: Paragraph): ParagraphCan {
  const open = openSuggestion(p) !== undefined;
  const review = p.review ?? 'none';
  const locked = isLocked(review);
  const live = p.status !== 'deleted';
  const text = (a: ParagraphAction) => allow(role, a) && !locked && canApply(a, p.status);
  const reviewing = (a: ReviewAction) => allow(role, a) && live && canReview(role, a, review);
  return {
    suggest: text('suggest'),
    accept: text('accept') && open,
    edit: text('edit'),
    reject: text('reject') && open,
    keep: text('keep'),
    revert: text('revert'),
    delete: text('delete'),
    split: text('split'),
    merge: text('merge'),
    undo: allow(role, 'undo') && !locked,
    submit: reviewing('submit') && submittable(p.status, review),
    approve: reviewing('approve') && isDecided(p.status),
    sendBack: reviewing('send-back'),
    reopen: reviewing('reopen'),
    comment: allow(role, 'comment') && live,
  };
}

/** What the viewer may do beyond one paragraph: the navigation and the article page's tools. */
export interface ViewerCan {
  import: boolean;
  manageUsers: boolean;
  runs: boolean;
  deleteArticle: boolean;
  export: boolean;
  /** Send a whole article's decided paragraphs for review. */
  submit: boolean;
  suggestAll: boolean;
  keepAll: boolean;
  undo: boolean;
  /** Ask an engine for anything (suggestions, the LLM check of the MT). */
  suggest: boolean;
}

export function viewerCan(role: Role): ViewerCan {
  return {
    import: allow(role, 'import'),
    manageUsers: allow(role, 'manage-users'),
    runs: allow(role, 'runs'),
    deleteArticle: allow(role, 'delete-article'),
    export: allow(role, 'export'),
    submit: allow(role, 'submit'),
    suggestAll: allow(role, 'suggest-all'),
    keepAll: allow(role, 'keep-all'),
    undo: allow(role, 'undo'),
    suggest: allow(role, 'suggest'),
  };
}
