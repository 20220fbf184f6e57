import { describe, expect, it } from 'vitest';
import { untranslatedCheck } from '../../../server/checks/mt/untranslated.js';

const run = (mt: string, source?: string) => untranslatedCheck.run(mt, source, {});
const spans = (mt: string, source?: string) => run(mt, source).map((f) => [mt.slice(f.start, f.end), f.severity]);

describe('untranslatedCheck', () => {
  it('flags each run of Chinese left in the MT as major, with where the source has it', () => {
    const source = '同抗中共 美日菲达成防卫共识';
    const mt = 'US, 美日菲 reach 防卫 consensus';
    const flags = run(mt, source);
    expect(flags.map((f) => mt.slice(f.start, f.end))).toEqual(['美日菲', '防卫']);
    expect(flags.every((f) => f.severity === 'major' && f.kind === 'untranslated' && f.check === 'mt-untranslated')).toBe(true);
    expect(flags[1]!.message).toBe('Chinese left untranslated: "防卫" (= to defend)');
    expect(flags.map((f) => f.sourceSpans)).toEqual([[[5, 8]], [[10, 12]]]);
  });

  it('works without a source', () => {
    expect(spans('The 中国理财网 website')).toEqual([['中国理财网', 'major']]);
  });

  it('keeps one run across spaces, digits and CJK punctuation inside it', () => {
    expect(spans('On 2月9日, he said 我们 同意，明天 见 then left')).toEqual([
      ['2月9日', 'major'],
      ['我们 同意，明天 见', 'major'],
    ]);
  });

  it.each<[string, string]>([
    ['Tokyo のニュース today', 'Japanese'],
    ['Seoul 서울 news', 'Korean'],
    ['the 同抗中共 headline', 'Chinese'],
  ])('names the script: %s', (mt, language) => {
    expect(run(mt)[0]!.message.startsWith(`${language} left untranslated`)).toBe(true);
  });

  it('marks full-width punctuation alone as a minor fluency flag', () => {
    expect(spans('He said，we go。')).toEqual([
      ['，', 'minor'],
      ['。', 'minor'],
    ]);
  });

  it('leaves English typography alone', () => {
    expect(run('No CJK here — “quoted” · a dot… and 100% café')).toEqual([]);
  });

  it('quotes a long run shortened', () => {
    const long = '这是一个非常长的没有翻译的中文句子，它包含了很多很多的汉字和标点符号';
    expect(run(`Text ${long}`)[0]!.message).toMatch(/^Chinese left untranslated: ".{24}…"$/u);
  });
});
