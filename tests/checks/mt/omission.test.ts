import { describe, expect, it } from 'vitest';
import { lengthCheck } from '../../../server/checks/mt/length.js';
import { clauseEvidence, NOT_FOUND, omissionCheck, stemOf } from '../../../server/checks/mt/omission.js';

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

  it('takes a figure found by value as evidence for its paraphrased clause, and flags the clause once the figure is gone too', () => {
    const src = '该市去年经济平稳发展，并且获得价值35亿元的订单。';
    // 获得, 价值 and 订单 have no gloss in "secured deals of": only 35亿 = 3.5 billion answers.
    expect(omissionCheck.run("The city's economy developed steadily last year, and it secured deals of 3.5 billion yuan.", src, {})).toEqual([]);
    for (const mt of ["The city's economy developed steadily last year, and it secured deals.", "The city's economy developed steadily last year."]) {
      expect(omissionCheck.run(mt, src, {}), mt).toMatchObject([{ kind: 'omission', sourceSpans: [[src.indexOf('并且'), src.length - 1]] }]);
    }
  });

  it('needs a source', () => {
    expect(omissionCheck.run(full, undefined, {})).toEqual([]);
  });

  it('flags a stretch of a long clause the MT dropped, though the rest of the clause is there', () => {
    const src = '河南省还整合确定了15个口腔种植类医疗服务价格项目并统一制定省管公立医疗机构价格和医保支付类别。';
    const mt = 'Henan Province has also integrated and determined 15 oral implant medical service price items.';
    expect(omissionCheck.run(mt, src, {})).toMatchObject([{ kind: 'omission', sourceSpans: [[0, src.length - 1]] }]);
  });

  it('leaves alone a clause whose only unmatched word is a connective (即 "namely")', () => {
    expect(omissionCheck.run("Vietnam's foreign policy, which is independence, diversification.", '越南的对外路线，即独立自主，多元化。', {})).toEqual([]);
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

/** Each content word of the source with ✓ (a counterpart in the MT), ✗ (none) or ? (not checkable). */
const marks = (mt: string, src: string): string[] =>
  clauseEvidence(mt, src).flatMap((c) => c.words.map((w) => `${w.word}${w.found === undefined ? '?' : w.found === NOT_FOUND ? '✗' : '✓'}`));

describe('clauseEvidence: what counts as a counterpart', () => {
  it.each<[string, string, string, string]>([
    ['a figure by its value (2万 = 20,000)', 'more than 20,000 people died', '造成超过2万人死亡', '2万✓'],
    ['a figure with thousands separators, whole', 'the death toll exceeded 3,500', '死亡人数超过3,500 人', '3,500✓'],
    ['a country by its demonym', 'Chinese investors', '中国投资者', '中国✓'],
    ['the United States written U.S.', "U.S. residents' savings", '美国居民储蓄', '美国✓'],
    ['"domestic" (国内) written as the country', 'fund managers in China', '国内基金管理人', '国内✓'],
    ['a person by pinyin over two words', 'said Li Yunjie', '李云杰说', '李云杰✓'],
    ['characters of a product name romanised together', 'the Tianyi Hongjin product', '添颐·鸿锦产品', '锦✓'],
    ['an organisation the dictionary lacks, by an acronym', 'VNA reported', '越通社报道', '越通社✓'],
    ['a compound the dictionary lacks, by its parts', 'wealth management products', '理财产品', '理财产品✓'],
    ['an irregular plural', 'two women were rescued', '两名妇女获救', '妇女✓'],
    ['a superlative', 'the biggest beneficiaries', '得利最大的一方', '最大✓'],
    ['a derived noun (pay → payment)', 'no payment of the costs', '不会支付费用', '支付✓'],
    ['a prefixed word (plant → implant)', 'dental implants', '种植牙', '种植✓'],
    ['a word sharing all but its ending (independent → independence)', 'which is independence', '即独立自主', '独立自主✓'],
  ])('finds %s', (_, mt, src, mark) => {
    expect(marks(mt, src)).toContain(mark);
  });

  it('lets one MT word answer for one source word only', () => {
    // 游客 and 旅客 both gloss "tourist": the one "tourists" is 游客's.
    expect(marks('The number of tourists rose sharply.', '游客人数大幅增长，旅客对服务很满意。')).toEqual(expect.arrayContaining(['游客✓', '旅客✗']));
  });

  it('does not call a person or a guessed word missing when the MT spells it otherwise', () => {
    expect(marks('von der Leyen said so', '冯德莱恩表示')).toEqual(['冯德?', '莱恩?']);
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
