import { describe, expect, it } from 'vitest';
import { articleReview, canReview, isLocked, reviewTarget, type ReviewAction } from '../../server/core/reviewState.js';
import type { ReviewState, Role } from '../../server/core/types.js';

describe('review state machine', () => {
  // [role, action, from, allowed]
  it.each([
    ['editor', 'submit', 'none', true],
    ['editor', 'submit', 'sent-back', true],
    ['editor', 'submit', 'in-review', false],
    ['editor', 'submit', 'approved', false],
    ['editor', 'approve', 'in-review', false],
    ['editor', 'send-back', 'in-review', false],
    ['editor', 'reopen', 'approved', false],
    ['reviewer', 'approve', 'in-review', true],
    ['reviewer', 'approve', 'none', true],
    ['reviewer', 'approve', 'approved', false],
    ['reviewer', 'send-back', 'in-review', true],
    ['reviewer', 'send-back', 'approved', true],
    ['reviewer', 'send-back', 'sent-back', false],
    ['reviewer', 'reopen', 'approved', true],
    ['reviewer', 'reopen', 'in-review', false],
    ['admin', 'approve', 'sent-back', true],
    ['admin', 'reopen', 'approved', true],
  ] as Array<[Role, ReviewAction, ReviewState, boolean]>)('%s %s from %s: %s', (role, action, from, allowed) => {
    expect(canReview(role, action, from)).toBe(allowed);
  });

  it.each([
    ['submit', 'in-review'], ['approve', 'approved'], ['send-back', 'sent-back'], ['reopen', 'none'],
  ] as Array<[ReviewAction, ReviewState]>)('%s leads to %s', (action, to) => {
    expect(reviewTarget(action)).toBe(to);
  });

  it('locks approved paragraphs only', () => {
    expect(isLocked('approved')).toBe(true);
    expect(isLocked('in-review')).toBe(false);
    expect(isLocked(undefined)).toBe(false);
  });

  it.each([
    [[{ status: 'pending' }, { status: 'pending' }], 'not started'],
    [[{ status: 'edited' }, { status: 'pending' }], 'in progress'],
    [[{ status: 'edited', review: 'in-review' }, { status: 'pending' }], 'in review'],
    [[{ status: 'edited', review: 'sent-back' }, { status: 'accepted', review: 'in-review' }], 'changes requested'],
    [[{ status: 'edited', review: 'approved' }, { status: 'deleted' }, { status: 'accepted', review: 'approved' }], 'approved'],
  ] as const)('derives the article status %#', (paragraphs, expected) => {
    expect(articleReview(paragraphs as never)).toBe(expected);
  });
});
