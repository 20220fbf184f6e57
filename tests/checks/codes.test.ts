/** The inline-codes suggestion check, and the other checks seeing texts without markers. */
import { describe, expect, it } from 'vitest';
import { codesCheck } from '../../server/checks/codes.js';
import { factChecks, runChecks } from '../../server/checks/index.js';
import { runMtChecks } from '../../server/checks/mt/index.js';
import type { InlineCode } from '../../server/core/inlineCodes.js';

const codes: InlineCode[] = [
  { n: 1, kind: 'standalone', open: '<ph id="1">1.0.1</ph>', label: '1.0.1' },
  { n: 2, kind: 'pair', open: '<g id="2">', close: '</g>', label: '<b>' },
];
const before = 'See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ now.';
const run = (after: string) => codesCheck.run(before, after, { codes });

describe('the inline-codes check', () => {
  it('is registered with the fact guard', () => {
    expect(factChecks).toContain(codesCheck);
  });

  it('is quiet when every code is kept in place', () => {
    expect(run('See section ⟦1⟧, then click ⟦2⟧here⟦/2⟧.')).toEqual([]);
  });

  it('flags a lost code as a warning with its place in the original', () => {
    const f = run('See the section and click ⟦2⟧here⟦/2⟧ now.');
    expect(f).toEqual([{ check: 'codes', severity: 'warning', message: 'Inline code ⟦1⟧ (1.0.1) was lost.', beforeSpans: [[12, 15]], afterSpans: [] }]);
    expect(before.slice(12, 15)).toBe('⟦1⟧');
  });

  it('flags a duplicated, an invented, a crossed and a reordered code with spans in the rewrite', () => {
    const dup = 'See section ⟦1⟧ and ⟦1⟧ click ⟦2⟧here⟦/2⟧ now.';
    expect(run(dup)).toEqual([expect.objectContaining({ message: 'Inline code ⟦1⟧ (1.0.1) appears 2 times.', afterSpans: [[12, 15], [20, 23]] })]);
    const invented = `${before} ⟦7⟧`;
    expect(run(invented)).toEqual([expect.objectContaining({ message: 'Inline code ⟦7⟧ is not in the original.', beforeSpans: [], afterSpans: [[invented.length - 3, invented.length]] })]);
    const reordered = 'Click ⟦2⟧here⟦/2⟧ now to see section ⟦1⟧.';
    const f = run(reordered);
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', message: 'The inline codes are in a different order than in the original.' })]);
    expect(f[0]!.afterSpans.map(([a, b]) => reordered.slice(a, b))).toEqual(['⟦2⟧', '⟦/2⟧', '⟦1⟧']);
  });

  it('flags a pair closed across another', () => {
    const nested: InlineCode[] = [{ n: 1, kind: 'pair', open: '<b>', close: '</b>', label: 'b' }, { n: 2, kind: 'pair', open: '<i>', close: '</i>', label: 'i' }];
    const f = codesCheck.run('⟦1⟧a ⟦2⟧b⟦/2⟧⟦/1⟧', '⟦1⟧a ⟦2⟧b⟦/1⟧⟦/2⟧', { codes: nested });
    expect(f.map((x) => x.message)).toEqual(['Inline code ⟦/1⟧ closes across ⟦/2⟧.']);
  });

  it('works without the paragraph\'s list, from the markers of the original', () => {
    expect(codesCheck.run('a ⟦1⟧b⟦/1⟧', 'a b⟦/1⟧', {}).map((f) => f.message)).toEqual(['Inline code ⟦1⟧ was lost.', 'Inline code ⟦/1⟧ comes before ⟦1⟧.']);
  });
});

describe('the other checks do not see markers as words or numbers', () => {
  it('a lost code is the codes check\'s finding only (not a dropped number 12)', () => {
    const f = runChecks('Press ⟦12⟧ to start the engine today.', 'Press to start the engine today.');
    expect(f.map((x) => x.check)).toEqual(['codes']);
  });

  it('a number finding points into the text with markers', () => {
    const after = 'It cost ⟦1⟧ 6 million yuan ⟦2⟧in 2023⟦/2⟧.';
    const f = runChecks('It cost ⟦1⟧ 5 million yuan ⟦2⟧in 2023⟦/2⟧.', after, { codes }).filter((x) => x.check === 'numbers');
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]!.afterSpans.map(([a, b]) => after.slice(a, b)).join(' ')).toContain('6');
  });

  it('the MT checks see the MT without markers; their offsets point into the MT with them', () => {
    const mt = 'The ⟦1⟧plant⟦/1⟧ cost 2927 billion yuan ⟦2⟧.';
    const flags = runMtChecks(mt, undefined, {});
    const magnitude = flags.find((x) => x.kind === 'magnitude');
    expect(magnitude).toBeDefined();
    expect(mt.slice(magnitude!.start, magnitude!.end)).toContain('2927 billion');
    // Marker digits are no numbers: nothing to match in the source.
    expect(runMtChecks('Figure ⟦1234⟧ shows growth.', '图表⟦1234⟧显示增长。', {}).filter((x) => x.kind === 'number')).toEqual([]);
  });
});
