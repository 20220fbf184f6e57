/** Inline-code markers in diffs, metrics, the checks' stripped texts and the offline engine's mask. */
import { describe, expect, it } from 'vitest';
import { codeProblems, codesFor, maskCodes, mapSpan, markerSequence, stripForChecks } from '../../server/core/codeText.js';
import { diffSummary, diffWords, tokenize } from '../../server/core/diff.js';
import type { InlineCode } from '../../server/core/inlineCodes.js';
import { hter, words } from '../../server/core/metrics.js';

const codes: InlineCode[] = [
  { n: 1, kind: 'standalone', open: '<ph id="1">1.0.1</ph>', label: '1.0.1' },
  { n: 2, kind: 'pair', open: '<g id="2">', close: '</g>', label: '<b>' },
];
const text = 'See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ now.';

describe('markers in the word diff', () => {
  it('are single tokens, also glued to words', () => {
    expect(tokenize('a⟦1⟧b ⟦/12⟧.')).toEqual(['a', '⟦1⟧', 'b', ' ', '⟦/12⟧', '.']);
  });

  it('a moved code is one deletion and one insertion of the whole marker, and counts as no word', () => {
    const after = 'See section ⟦1⟧ and ⟦2⟧click here⟦/2⟧ now.';
    const parts = diffWords(text, after);
    const changes = parts.filter((p) => p.op === 'change');
    expect(changes.map((c) => (c.op === 'change' ? [c.del, c.ins] : []))).toEqual([['', '⟦2⟧'], ['⟦2⟧', ''], ]);
    expect(diffSummary(text, after)).toEqual({ added: 0, removed: 0 });
  });
});

describe('metrics ignore markers', () => {
  it('words and HTER', () => {
    expect(words('Click ⟦2⟧here⟦/2⟧ ⟦1⟧ now')).toEqual(['Click', 'here', 'now']);
    expect(hter('Click ⟦1⟧ here', 'Click here')).toBe(0);
    expect(hter('Click there', 'Click ⟦2⟧here⟦/2⟧')).toBe(0.5);
  });
});

describe('stripForChecks', () => {
  it('maps offsets of the stripped text back past the markers', () => {
    const s = stripForChecks(text);
    expect(s.text).toBe('See section  and click here now.');
    const here = s.text.indexOf('here');
    const [a, b] = mapSpan(s, [here, here + 4]);
    expect(text.slice(a, b)).toBe('here');
    const [c, d] = mapSpan(s, [0, s.text.length]);
    expect([c, d]).toEqual([0, text.length]);
    // A point (something missing) stays a point.
    expect(mapSpan(s, [here, here])).toEqual([text.indexOf('here'), text.indexOf('here')]);
  });

  it('is the identity without markers', () => {
    const s = stripForChecks('no codes');
    expect([s.text, s.start(3), s.end(3)]).toEqual(['no codes', 3, 3]);
  });
});

describe('maskCodes', () => {
  it('hides markers from text rules and puts them back', () => {
    const m = maskCodes(text);
    expect(m.text).not.toMatch(/⟦|\d/);
    expect(m.unmask(m.text)).toBe(text);
    expect(m.unmask(m.text.replace('here', 'there'))).toBe(text.replace('here', 'there'));
    expect(markerSequence(text)).toBe('1,2,/2');
  });
});

describe('codeProblems', () => {
  it('names lost, duplicated, invented and crossed codes; a move is only a reorder', () => {
    const kinds = (after: string) => codeProblems(codes, text, after).map((p) => `${p.kind}:${p.n}`);
    expect(kinds(text)).toEqual([]);
    expect(kinds('See section and click ⟦2⟧here⟦/2⟧ now.')).toEqual(['lost:1']);
    expect(codeProblems(codes, text, 'See section and click ⟦2⟧here⟦/2⟧ now.')[0]!.message).toBe('code ⟦1⟧ (1.0.1) was lost');
    expect(kinds('See ⟦1⟧ section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ now.')).toEqual(['duplicated:1']);
    expect(kinds('See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ now ⟦3⟧.')).toEqual(['invented:3']);
    expect(kinds('See section ⟦1⟧ and click ⟦/2⟧here⟦2⟧ now.')).toEqual(['unpaired:2']);
    expect(kinds('See section and click ⟦2⟧here⟦/2⟧ ⟦1⟧ now.')).toEqual(['reordered:0']);
  });

  it('codes a paragraph lists but its text no longer holds are neither expected nor invented', () => {
    const merged = [...codes, { n: 3, kind: 'standalone' as const, open: '<x/>', label: 'x' }];
    expect(codeProblems(merged, text, `${text} ⟦3⟧`)).toEqual([]);
    expect(codeProblems(merged, `${text} ⟦3⟧`, text).map((p) => p.kind)).toEqual(['lost']);
  });

  it('infers codes from the markers when the paragraph lists none', () => {
    expect(codesFor('a ⟦1⟧b⟦/1⟧ ⟦2⟧').map((c) => [c.n, c.kind])).toEqual([[1, 'pair'], [2, 'standalone']]);
    expect(codeProblems(undefined, 'a ⟦1⟧b⟦/1⟧', 'a b').map((p) => p.kind)).toEqual(['lost', 'lost']);
  });
});
