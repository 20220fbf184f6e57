import { describe, expect, it } from 'vitest';
import { corpusHter, hter, wordEditDistance } from '../../server/core/metrics.js';

describe('wordEditDistance', () => {
  it.each([
    ['', '', 0],
    ['a b c', 'a b c', 0],
    ['a b c', 'a c', 1],
    ['a b c', 'a x c', 1],
    ['a b c', 'c b a', 2],
    ['the cat sat on the mat', 'the cat sat on a mat today', 2],
    ['kitten sitting', 'sitting kitten', 2],
  ])('%s → %s is %i', (a, b, d) => {
    expect(wordEditDistance(a, b)).toBe(d);
  });

  it('is case-sensitive', () => {
    expect(wordEditDistance('The cat', 'the cat')).toBe(1);
  });
});

describe('hter', () => {
  it('divides edits by reference words (hand-computed)', () => {
    // 2 edits (substitute "a"→"the", insert "today") over 7 reference words.
    expect(hter('the cat sat on a mat', 'the cat sat on the mat today')).toBeCloseTo(2 / 7, 10);
  });

  it('is 0 for an untouched sentence and 1 against an empty reference with output', () => {
    expect(hter('same words', 'same words')).toBe(0);
    expect(hter('x', '')).toBe(1);
  });

  it('sums edits and reference words over a corpus', () => {
    expect(corpusHter([
      { hypothesis: 'a b', reference: 'a c' },
      { hypothesis: 'x y z', reference: 'x y z w' },
    ])).toBeCloseTo(2 / 6, 10);
  });
});
