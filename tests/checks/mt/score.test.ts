import { describe, expect, it } from 'vitest';
import type { MtFlag } from '../../../server/core/types.js';
import { kindOfError, overlaps, raterSpans, scoreLine, type Scores } from '../../../server/checks/mt/score.js';

const flag = (start: number, end: number, kind: MtFlag['kind'], sourceSpans?: Array<[number, number]>): MtFlag => ({ start, end, kind, severity: 'major', message: '', check: 'x', sourceSpans });

describe('MQM scorer', () => {
  it.each([
    [[0, 3], [2, 5], true],
    [[0, 3], [3, 5], false],
    [[4, 4], [4, 5], true],
    [[4, 4], [6, 8], false],
  ] as const)('overlap %j %j → %s', (a, b, want) => {
    expect(overlaps([...a] as [number, number], [...b] as [number, number])).toBe(want);
  });

  it.each([
    ['Accuracy/Mistranslation', '33.06 million', 'number'],
    ['Accuracy/Mistranslation', 'US and Fiji', 'name'],
    ['Accuracy/Mistranslation', 'reach', undefined],
    ['Accuracy/Omission (Translation 2)', '', 'omission'],
    ['Accuracy/Untranslated', '步步', 'untranslated'],
    ['Terminology/Inappropriate for context', 'smart wearables', 'term'],
    ['Fluency/Grammar', '2927', undefined],
  ])('%s on "%s" → %s', (category, text, kind) => {
    expect(kindOfError(category, text)).toBe(kind);
  });

  it('reads source-side omissions in both file formats and trailing spaces as omissions', () => {
    const mt = 'EU summit.';
    const src = '欧盟峰会步步';
    const spans = raterSpans(mt, src, [
      { category: 'Accuracy/Omission', side: 'src', start: 4, end: 6 },
      { category: 'Accuracy/Omission', start: null, end: null, src_start: 0, src_end: 2 },
      { category: 'Fluency/Punctuation', side: 'mt', start: 10, end: 11 },
    ]);
    expect(spans).toEqual([
      { side: 'src', start: 4, end: 6, kind: 'omission' },
      { side: 'src', start: 0, end: 2, kind: 'omission' },
      { side: 'mt', start: 10, end: 11, kind: 'omission' },
    ]);
  });

  it('counts a flag right when it overlaps a rater span, an omission through its source spans', () => {
    const mt = 'GDP grew 33.06 million in Fiji.';
    const spans = raterSpans(mt, '斐济GDP增长33.06万', [
      { category: 'Accuracy/Mistranslation', side: 'mt', start: 9, end: 22 },
      { category: 'Accuracy/Omission', side: 'src', start: 0, end: 2 },
    ]);
    const scores: Scores = new Map();
    scoreLine(scores, mt, [flag(9, 14, 'number'), flag(0, 3, 'number'), flag(26, 26, 'omission', [[0, 2]]), flag(26, 30, 'name')], spans);
    expect(scores.get('number')).toEqual({ flags: 2, rightFlags: 1, raterSpans: 1, foundSpans: 1 });
    expect(scores.get('omission')).toEqual({ flags: 1, rightFlags: 1, raterSpans: 1, foundSpans: 1 });
    expect(scores.get('name')).toEqual({ flags: 1, rightFlags: 0, raterSpans: 0, foundSpans: 0 });
  });
});
