import { describe, expect, it } from 'vitest';
import { findZhNames } from '../../../server/core/zh/names.js';

const names = (text: string) => findZhNames(text).map((n) => [n.text, n.kind, n.english[n.english.length - 1]]);

describe('findZhNames', () => {
  it('reads a run of country abbreviations as one name each, grouped', () => {
    const found = findZhNames('同抗中共 美日菲达成防卫共识');
    const run = found.filter((n) => n.group);
    expect(run.map((n) => [n.text, n.english])).toEqual([
      ['美', ['Americas', 'USA']],
      ['日', ['Japan']],
      ['菲', ['Philippines']],
    ]);
    expect(run.every((n) => n.group!.text === '美日菲' && n.group!.start === 5)).toBe(true);
  });

  it.each<[string, string[]]>([
    ['中美日关系好转', ['中', '美', '日']],
    ['土叙地震救灾', ['土', '叙']],
  ])('splits abbreviations jieba leaves together: %s', (text, chars) => {
    expect(findZhNames(text).filter((n) => n.group).map((n) => n.text)).toEqual(chars);
  });

  it.each<[string, string]>([
    ['中日韩合作', 'Japan'],
    ['俄乌冲突', 'Russo-Ukrainian'],
  ])('reads a pair the dictionary has as one name: %s', (text, gloss) => {
    expect(findZhNames(text)[0]!.english.join(' ')).toContain(gloss);
  });

  it.each<[string]>([['美丽的日子'], ['美德'], ['伊斯兰共和国去死'], ['2月11日电'], ['89.6亿新元']])('finds no abbreviation run in %s', (text) => {
    expect(findZhNames(text).filter((n) => n.group)).toEqual([]);
  });

  it('finds dictionary places, people by pinyin, and Latin-script names', () => {
    expect(names('菲律宾总统小马科斯（Bongbong Marcos）造访日本，外交部长宋涛会见孙先生。')).toEqual([
      ['菲律宾', 'place', 'Philippines'],
      ['马科斯', 'person', 'Ma Kesi'],
      ['Bongbong Marcos', 'latin', 'Bongbong Marcos'],
      ['日本', 'place', 'Japan'],
      ['宋涛', 'person', 'Song Tao'],
      ['孙', 'person', 'Sun'],
    ]);
  });

  it('reads a dictionary name jieba split in two as one name', () => {
    expect(names('（德国之声中文网）距离土耳其')).toEqual([
      ['德国之声', 'name', 'Deutsche Welle'],
      ['土耳其', 'place', 'Turkey'],
    ]);
  });

  it('finds no country abbreviations in a transliteration jieba cut up (阿亚图/拉 = ayatollah)', () => {
    expect(findZhNames('最高领袖阿亚图拉·阿里·哈梅内伊发布了一项大赦令').filter((n) => n.kind === 'place')).toEqual([]);
  });

  it('does not take characters the HMM merged for a person', () => {
    expect(names('预计可达138亿至14').filter(([, kind]) => kind === 'person')).toEqual([]);
  });

  it('keeps offsets into the text as written, traditional characters included', () => {
    const text = '美日菲達成防衛共識，臺灣';
    for (const n of findZhNames(text)) expect(text.slice(n.start, n.end)).toBe(n.text);
    expect(findZhNames(text).find((n) => n.text === '臺灣')?.english).toEqual(['Taiwan']);
  });
});
