import { describe, expect, it } from 'vitest';
import { lengthCheck } from '../../../server/checks/mt/length.js';
import { omissionCheck, stemOf } from '../../../server/checks/mt/omission.js';

const source = '欧盟领导人呼吁委员会立即调动大量资金，以基础设施和监视等手段加强外部边界。';
const clause2 = '以基础设施和监视等手段加强外部边界';
const full = 'EU leaders called on the Commission to immediately mobilize substantial funding to strengthen external borders through infrastructure and surveillance.';

describe('omissionCheck', () => {
  it('flags a source clause the MT dropped, with the clause as source span and a point in the MT', () => {
    const mt = 'EU leaders called on the Commission to immediately mobilize substantial funding.';
    const flags = omissionCheck.run(mt, source, {});
    expect(flags).toHaveLength(1);
    const flag = flags[0]!;
    expect(flag.kind).toBe('omission');
    expect(flag.start).toBe(flag.end);
    expect(flag.start).toBe(mt.length);
    expect(source.slice(...flag.sourceSpans![0]!)).toBe(clause2);
    expect(flag.message).toContain('以基础设施');
  });

  it('flags a dropped first clause at the start of the MT', () => {
    const flags = omissionCheck.run('Strengthen external borders through infrastructure and surveillance.', source, {});
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ start: 0, end: 0, sourceSpans: [[0, source.indexOf('，')]] });
  });

  it.each([
    ['a faithful translation', full],
    ['a paraphrase', 'The leaders of the EU urged the Commission to mobilise large funds at once, and to reinforce the outer borders with infrastructure and monitoring.'],
  ])('leaves alone %s', (_, mt) => {
    expect(omissionCheck.run(mt, source, {})).toEqual([]);
  });

  it('needs a source', () => {
    expect(omissionCheck.run(full, undefined, {})).toEqual([]);
  });

  it.each([
    ['products', 'product'],
    ['produced', 'produc'],
    ['planning', 'plan'],
    ['policies', 'polic'],
    ['quickly', 'quick'],
  ])('stems %s as %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });
});

describe('lengthCheck', () => {
  const src = '新加坡旅游局日前宣布，预计2023年访新国际游客人数将达到1200万至1400万人次。';
  const mt = 'The Singapore Tourism Board recently announced that the number of international visitors to Singapore in 2023 is expected to reach 12 million to 14 million.';

  it('leaves a normal MT alone', () => {
    expect(lengthCheck.run(mt, src, {})).toEqual([]);
  });

  it('flags an MT far shorter than the source warrants, major when extreme', () => {
    expect(lengthCheck.run('The Singapore Tourism Board recently announced expected visitor numbers for 2023.', src, {})).toMatchObject([{ kind: 'length', severity: 'minor' }]);
    expect(lengthCheck.run('Singapore tourism.', src, {})).toMatchObject([{ kind: 'length', severity: 'major', start: 0 }]);
  });

  it("compares with the article's own ratio when known", () => {
    expect(lengthCheck.run(mt, src, { articleLengthRatio: 8 })).toMatchObject([{ kind: 'length' }]);
  });

  it('flags an MT far longer than the source', () => {
    expect(lengthCheck.run(`${mt} ${mt} ${mt}`, src, {})).toMatchObject([{ kind: 'length', severity: 'minor' }]);
  });

  it('is lenient with headlines', () => {
    const head = 'The Singapore Tourism Board recently announced visitor numbers.';
    expect(lengthCheck.run(head, src, { kind: 'heading' })).toEqual([]);
  });

  it('skips short sources', () => {
    expect(lengthCheck.run('Hi.', '中新网报道', {})).toEqual([]);
  });
});
