import { describe, expect, it } from 'vitest';
import { applySpans, countSpans, diffSummary, diffWords, type DiffPart } from '../../server/core/diff.js';

function sides(parts: DiffPart[]) {
  return {
    before: parts.map((p) => (p.op === 'equal' ? p.text : p.del)).join(''),
    after: parts.map((p) => (p.op === 'equal' ? p.text : p.ins)).join(''),
  };
}

describe('diffWords', () => {
  it.each([
    ['Baoan smart wearable industry annual output value of 1000000000 yuan.', 'The annual output value of the Baoan smart wearable industry is 1 billion yuan.'],
    ['the the cat sat', 'the cat sat down'],
    ['a  b', 'a b'],
    ['', 'new text'],
    ['old text', ''],
    ['Same text.', 'Same text.'],
    ['“Quoted” — dash, 12.4%', '"Quoted" - dash, 12.4 percent'],
    ['中文 mixed with English', '中文 mixed in English'],
  ])('reconstructs both texts exactly: %s → %s', (a, b) => {
    expect(sides(diffWords(a, b))).toEqual({ before: a, after: b });
  });

  it('groups neighbouring changed words into one span', () => {
    const parts = diffWords('It is reported that the alliance was founded.', 'Reportedly, the alliance was founded.');
    expect(countSpans(parts)).toBe(1);
    expect(parts[0]).toEqual({ op: 'change', del: 'It is reported that', ins: 'Reportedly,', span: 0 });
  });

  it('numbers spans in order', () => {
    const parts = diffWords('one two three four five', 'one TWO three four FIVE');
    expect(parts.filter((p) => p.op === 'change').map((p) => (p.op === 'change' ? [p.span, p.del, p.ins] : null))).toEqual([
      [0, 'two', 'TWO'],
      [1, 'five', 'FIVE'],
    ]);
  });
});

describe('applySpans', () => {
  const before = 'one two three four five';
  const after = 'one TWO three four FIVE';
  const parts = diffWords(before, after);

  it('takes every span to get the suggestion and none to keep the text', () => {
    expect(applySpans(parts, [0, 1])).toBe(after);
    expect(applySpans(parts, [])).toBe(before);
  });

  it('takes only the chosen spans', () => {
    expect(applySpans(parts, [1])).toBe('one two three four FIVE');
    expect(applySpans(parts, [0])).toBe('one TWO three four five');
  });
});

describe('diffSummary', () => {
  it('counts words added and removed', () => {
    expect(diffSummary('a b c', 'a x y c')).toEqual({ added: 2, removed: 1 });
  });
});
