import { describe, expect, it } from 'vitest';
import { hasZhWord, headwordsForName, lookupZh, lookupZhWord, toSimplified } from '../../../server/core/zh/dict.js';

describe('lookupZh', () => {
  it.each<[string, string]>([
    ['斐济', 'Fiji'],
    ['日本', 'Japan'],
    ['菲律宾', 'Philippines'],
    ['美国', 'US'],
    ['深圳', 'Shenzhen'], // "see 深圳市" resolved
    ['共识', 'consensus'],
  ])('%s has the gloss %s', (word, gloss) => {
    expect(lookupZh(word)?.glosses).toContain(gloss);
  });

  it('marks words whose every reading is a name as proper', () => {
    expect(lookupZh('斐济')?.proper).toBe(true);
    expect(lookupZh('共识')?.proper).toBe(false);
    // 美 is both "USA" (Mei3) and "beautiful" (mei3).
    expect(lookupZh('美')?.proper).toBe(false);
  });

  it.each<[string, string]>([
    ['美', 'USA'],
    ['日', 'Japan'],
    ['菲', 'Philippines'],
    ['俄', 'Russia'],
    ['加', 'Canada'],
    ['越', 'Vietnam'],
    ['乌', 'Ukraine'],
  ])('resolves the abbreviation %s to %s, kept apart from common readings', (char, name) => {
    const info = lookupZhWord(char)!;
    expect(info.names).toContain(name);
    expect(info.common).not.toContain(name);
  });

  it('cleans glosses: no classifiers, variant notes, parentheses or surnames', () => {
    for (const word of ['宋', '中', '法', '台湾', '北京', '习近平']) {
      for (const g of lookupZh(word)!.glosses) expect(g).not.toMatch(/CL:|variant of|[()[\]]|^surname|\p{Script=Han}/u);
    }
    expect(lookupZhWord('宋')!.surname).toBe(true);
    expect(lookupZhWord('斐济')!.surname).toBe(false);
    expect(lookupZh('习近平')!.glosses).toEqual(['Xi Jinping']);
  });

  it('knows nothing of non-words', () => {
    expect(lookupZh('抗中共美')).toBeUndefined();
    expect(hasZhWord('抗中共美')).toBe(false);
    expect(lookupZh('')).toBeUndefined();
  });
});

describe('toSimplified', () => {
  it('converts traditional characters and keeps the length', () => {
    expect(toSimplified('臺灣總統')).toBe('台湾总统');
    expect(toSimplified('美日菲達成防衛共識')).toBe('美日菲达成防卫共识');
    expect(toSimplified('Marcos 2月')).toBe('Marcos 2月');
  });
});

describe('headwordsForName', () => {
  it('finds the Chinese for an English name, in any word order and without a designator', () => {
    expect(headwordsForName('Fiji')).toContain('斐济');
    expect(headwordsForName('Shinzo Abe')).toContain('安倍晋三');
    expect(headwordsForName('Beijing')).toContain('北京');
    expect(headwordsForName('Japan')).toContain('日');
    expect(headwordsForName('beautiful')).toEqual([]);
  });
});
