import { describe, expect, it } from 'vitest';
import { mtTermCheck } from '../../../server/checks/mt/term.js';
import type { GlossaryEntry } from '../../../server/core/glossary.js';

const desk: GlossaryEntry[] = [
  { term: 'intelligent wearable', preferred: 'smart wearable' },
  { term: 'intelligent wear', preferred: 'smart wearable' },
  { term: 'Chinese Communist Party', preferred: 'Communist Party of China' },
];

const run = (mt: string, glossary: GlossaryEntry[], source?: string) => mtTermCheck.run(mt, source, { glossary });

describe('mtTermCheck, English glossary (MT wording → desk wording)', () => {
  it.each([
    ['The intelligent wearable industry grew.', 'intelligent wearable', 'smart wearable'],
    ['Sales of intelligent wearables rose.', 'intelligent wearables', 'smart wearables'],
    ["The intelligent wearable's market rose.", "intelligent wearable's", "smart wearable's"],
    ['Intelligent wear is booming.', 'Intelligent wear', 'Smart wearable'],
    ['The Chinese  Communist Party met.', 'Chinese  Communist Party', 'Communist Party of China'],
  ])('%s', (mt, span, fix) => {
    const flags = run(mt, desk);
    expect(flags).toHaveLength(1);
    expect(mt.slice(flags[0]!.start, flags[0]!.end)).toBe(span);
    expect(flags[0]).toMatchObject({ kind: 'term', severity: 'minor', fix });
  });

  it.each([
    ['The smart wearable industry grew.'],
    ['Intelligent wearing of hats.'],
    ['The Communist Party of China met.'],
  ])('leaves alone: %s', (mt) => {
    expect(run(mt, desk)).toEqual([]);
  });

  it('returns nothing without a glossary', () => {
    expect(mtTermCheck.run('The intelligent wearable industry.', undefined, {})).toEqual([]);
  });
});

describe('mtTermCheck, Chinese glossary (source term → required English)', () => {
  const glossary: GlossaryEntry[] = [{ term: '智能穿戴', preferred: 'smart wearable' }];
  const source = '宝安智能穿戴产业发展迅速';

  it('flags a source term whose required English the MT lacks', () => {
    const flags = run('Bao’an’s intelligent dress industry grows fast.', glossary, source);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'term', severity: 'major', sourceSpans: [[2, 6]] });
  });

  it('accepts the required English, inflected', () => {
    expect(run('Bao’an’s smart wearables industry grows fast.', glossary, source)).toEqual([]);
  });

  it('ignores entries whose term is not in the source', () => {
    expect(run('The industry grows.', glossary, '产业发展迅速')).toEqual([]);
  });
});
