import { describe, expect, it } from 'vitest';
import { mtNamesCheck } from '../../../server/checks/mt/names.js';
import type { MtFlag } from '../../../server/core/types.js';

const run = (mt: string, source?: string): MtFlag[] => mtNamesCheck.run(mt, source, {});
const majors = (mt: string, source: string) => run(mt, source).filter((f) => f.severity === 'major').map((f) => mt.slice(f.start, f.end));
const minors = (mt: string, source: string) => run(mt, source).filter((f) => f.severity === 'minor');

describe('mtNamesCheck: MT names the source does not have', () => {
  it('flags "Fiji" for 美日菲 (US, Japan, Philippines) and says what the source names', () => {
    const source = '同抗中共 美日菲达成防卫共识';
    const mt = 'US and Fiji reach defense consensus against Communist China';
    const flags = run(mt, source).filter((f) => f.severity === 'major');
    expect(flags).toHaveLength(1);
    const [fiji] = flags;
    expect(mt.slice(fiji!.start, fiji!.end)).toBe('Fiji');
    expect(fiji!.kind).toBe('name');
    expect(fiji!.check).toBe('mt-names');
    expect(fiji!.message).toBe('"Fiji" is not in the source (source: 美日菲 = US, Japan, Philippines)');
    expect(fiji!.sourceSpans).toEqual([[5, 8]]);
  });

  it.each<[string, string, string]>([
    ['a swapped country', '中国外交部长会见了日本代表团。', 'The Chinese foreign minister met a delegation from Brazil.'],
    ['a swapped city', '记者从南京获悉，楼市出现新变化。', 'Reporters learned in Chongqing that the property market has changed.'],
    ['a romanised person the source does not name', '外交部长宋涛会见记者。', 'Foreign Minister Li Qiang met reporters.'],
    ['a dictionary person the source does not name', '与首相岸田文雄会谈。', 'held talks with Prime Minister Shinzo Abe.'],
  ])('flags %s', (_, source, mt) => {
    expect(majors(mt, source)).toHaveLength(1);
  });

  it.each<[string, string, string]>([
    ['country abbreviations', '美日菲达成防卫共识', 'The US, Japan and the Philippines reach a defence consensus'],
    ['abbreviations inside a compound', '中日韩合作取得进展', 'China-Japan-South Korea cooperation has progressed'],
    ['aliases of the United States', '美国劳工部公布数据', 'The U.S. Department of Labor released data; America is watching'],
    ['demonyms', '菲律宾总统访问中国', 'The Philippine president visited Chinese officials'],
    ['a demonym no suffix rule reaches', '法国工会再次动员', 'French unions mobilise again'],
    ['a demonym by its consonants', '西班牙专家表示', 'A Spanish expert said'],
    ['pinyin for a person outside the dictionary', '外交部长宋涛会见记者', 'Foreign Minister Song Tao met reporters'],
    ['pinyin written as one word', '外交部长宋涛会见记者', 'Foreign Minister Songtao met reporters'],
    ['a Latin-script name copied in the source', '菲律宾总统小马科斯（Bongbong Marcos）造访日本', 'Philippine President Bongbong Marcos visited Japan'],
    ['a province the dictionary calls "Guangdong Province"', '来自广东的女生', 'a girl from Guangdong'],
    ['"our country" written as China', '我国基金投资者超过7.2亿人', 'China has more than 720 million fund investors'],
    ['an acronym of an organisation the source spells out', '中国农业银行推出新产品', 'ABC launched a new product'],
  ])('accepts %s', (_, source, mt) => {
    expect(majors(mt, source)).toEqual([]);
  });

  it('never flags titles, months, weekdays or "Communist" as names missing from the source', () => {
    const source = '2月9日周四，中共中央总书记会见了外交部长。';
    const mt = 'On Thursday, February 9, the General Secretary of the Communist Party Central Committee met the Foreign Minister.';
    expect(majors(mt, source)).toEqual([]);
  });

  it('needs a source', () => {
    expect(run('US and Fiji reach defense consensus', undefined)).toEqual([]);
    expect(run('US and Fiji reach defense consensus', '  ')).toEqual([]);
  });
});

describe('mtNamesCheck: source names missing from the MT', () => {
  it('marks a dropped country as a minor point with its source span', () => {
    const source = '菲律宾总统访问日本';
    const mt = 'The Philippine president made a visit.';
    const flags = minors(mt, source);
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag!.start).toBe(flag!.end);
    expect(flag!.message).toBe('Source name not in the MT: 日本 = Japan');
    expect(flag!.sourceSpans).toEqual([[7, 9]]);
  });

  it('marks a dropped person by pinyin', () => {
    const flags = minors('The foreign minister met reporters.', '外交部长宋涛会见记者。');
    expect(flags.map((f) => f.message)).toEqual(['Source name not in the MT: 宋涛 = Song Tao']);
  });

  it('stays quiet when the names are there, in any form', () => {
    expect(minors('Foreign Minister Song Tao met the Philippine president in Tokyo.', '外交部长宋涛在东京会见菲律宾总统。')).toEqual([]);
    // A foreign name transliterated into Chinese (马科斯 ma-ke-si) meets its English spelling.
    expect(minors('President Marcos spoke.', '总统马科斯发表讲话。')).toEqual([]);
  });

  it('does not repeat what a major flag already cites', () => {
    const flags = run('US and Fiji reach defense consensus', '美日菲达成防卫共识');
    expect(flags.filter((f) => f.severity === 'minor')).toEqual([]);
  });
});
