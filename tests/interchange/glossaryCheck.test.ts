import { describe, expect, it } from 'vitest';
import { glossaryCheck, glossaryTermsIn } from '../../server/checks/glossary.js';
import { runChecks } from '../../server/checks/index.js';
import type { GlossaryEntry } from '../../server/core/glossary.js';

const glossary: GlossaryEntry[] = [
  { term: 'intelligent wearable', preferred: 'smart wearable', note: 'Desk term.' },
  { term: 'intelligent wear', preferred: 'smart wearable' },
  { term: 'production, learning and research', preferred: 'industry-university-research' },
  { term: 'Chinese Communist Party', preferred: 'Communist Party of China' },
];
const run = (before: string, after: string) => glossaryCheck.run(before, after, { glossary });

describe('the glossary check', () => {
  it('flags a rewrite that drops the preferred wording', () => {
    const before = 'The smart wearable industry grew.';
    const f = run(before, 'The wearable industry grew.');
    expect(f).toEqual([
      { check: 'glossary', severity: 'warning', message: 'The glossary wording “smart wearable” was dropped.', beforeSpans: [[4, 18]], afterSpans: [] },
    ]);
    expect(before.slice(4, 18)).toBe('smart wearable');
  });

  it('flags a glossary term rewritten into something other than the preferred wording', () => {
    const f = run('A production, learning and research platform.', 'A joint research platform.');
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('“production, learning and research” was rewritten without the glossary wording “industry-university-research”') })]);
  });

  it('notes (info) a rewrite that keeps the term instead of the preferred wording', () => {
    const after = 'The Intelligent Wearable alliance met on Monday.';
    const f = run('The intelligent wearable alliance met.', after);
    expect(f).toEqual([expect.objectContaining({ severity: 'info', afterSpans: [[4, 24]] })]);
    expect(after.slice(4, 24)).toBe('Intelligent Wearable');
  });

  it('is quiet when the rewrite uses the preferred wording, or the text has no glossary term', () => {
    expect(run('The intelligent wearable alliance.', 'The smart wearable alliance.')).toEqual([]);
    expect(run('The Smart Wearable alliance.', 'The smart  wearable alliance, again.')).toEqual([]);
    expect(run('Nothing to see here.', 'Nothing here.')).toEqual([]);
    expect(glossaryCheck.run('smart wearable', 'wearable', {})).toEqual([]);
  });

  it('reports one preferred wording once, even when several terms lead to it', () => {
    const f = run('The smart wearable and intelligent wear and intelligent wearable sectors.', 'The sectors.');
    expect(f).toHaveLength(1);
  });

  it('runs as a registered check would (through runChecks)', () => {
    const f = runChecks('Communist Party of China officials said.', 'Party officials said.', { glossary }, [glossaryCheck]);
    expect(f.map((x) => x.check)).toEqual(['glossary']);
  });
});

describe('glossary terms in a paragraph', () => {
  it('lists the terms to replace and the preferred wording already there, in order, longest term first', () => {
    const text = 'Intelligent wearable makers and the Communist Party of China: intelligent wear, and intelligent wearable again.';
    const hits = glossaryTermsIn(text, glossary);
    expect(hits.map((h) => [h.found, h.term, h.matched, h.spans.length])).toEqual([
      ['term', 'intelligent wearable', 'Intelligent wearable', 2],
      ['preferred', 'Chinese Communist Party', 'Communist Party of China', 1],
      ['term', 'intelligent wear', 'intelligent wear', 1],
    ]);
    expect(hits[0]!.note).toBe('Desk term.');
    for (const h of hits) for (const [a, b] of h.spans) expect(text.slice(a, b).toLowerCase()).toBe(h.matched.toLowerCase());
  });

  it('finds nothing in a text without glossary words', () => {
    expect(glossaryTermsIn('Nothing here.', glossary)).toEqual([]);
    expect(glossaryTermsIn('anything', [])).toEqual([]);
  });
});
