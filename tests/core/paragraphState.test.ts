import { describe, expect, it } from 'vitest';
import { canApply, nextStatus } from '../../server/core/paragraphState.js';

describe('paragraph state machine', () => {
  it.each([
    ['suggest', 'pending', 'suggested'],
    ['suggest', 'rejected', 'rejected'],
    ['suggest', 'kept', 'kept'],
    ['suggest', 'accepted', 'accepted'],
    ['suggest', 'edited', 'edited'],
    ['accept', 'suggested', 'accepted'],
    ['edit', 'pending', 'edited'],
    ['edit', 'accepted', 'edited'],
    ['reject', 'suggested', 'rejected'],
    ['keep', 'pending', 'kept'],
    ['keep', 'suggested', 'kept'],
    ['keep', 'rejected', 'kept'],
    ['split', 'kept', 'edited'],
    ['delete', 'edited', 'deleted'],
    ['split', 'pending', 'edited'],
    ['merge', 'accepted', 'accepted'],
  ] as const)('%s from %s leads to %s', (action, from, to) => {
    expect(canApply(action, from)).toBe(true);
    expect(nextStatus(action, from)).toBe(to);
  });

  it.each(['suggest', 'accept', 'edit', 'reject', 'delete', 'split', 'merge'] as const)('refuses %s on a deleted paragraph', (action) => {
    expect(canApply(action, 'deleted')).toBe(false);
  });

  it('lets revert bring back a deleted paragraph', () => {
    expect(canApply('revert', 'deleted')).toBe(true);
  });
});
