import { describe, expect, it } from 'vitest';
import { segmentZh } from '../../../server/core/zh/segment.js';

describe('segmentZh', () => {
  const text = '菲律宾总统小马科斯（Bongbong Marcos）造访日本，与首相岸田文雄会谈。';

  it('gives tokens whose offsets point back into the text', () => {
    const tokens = segmentZh(text);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!.start).toBeGreaterThanOrEqual(tokens[i - 1]!.end);
  });

  it('tags places and keeps Latin-script names, without whitespace tokens', () => {
    const tokens = segmentZh(text);
    expect(tokens.find((t) => t.word === '菲律宾')?.tag).toBe('ns');
    expect(tokens.find((t) => t.word === '日本')?.tag).toBe('ns');
    expect(tokens.filter((t) => t.tag === 'eng').map((t) => t.word)).toEqual(['Bongbong', 'Marcos']);
    expect(tokens.some((t) => !t.word.trim())).toBe(false);
  });

  it('keeps words outside jieba’s dictionary whole, tagged un', () => {
    expect(segmentZh('与首相岸田文雄会谈').find((t) => t.word === '岸田文雄')?.tag).toBe('un');
  });

  it('counts UTF-16 units past characters outside the BMP', () => {
    const tokens = segmentZh('𠀋测试日本');
    const japan = tokens.find((t) => t.word === '日本')!;
    expect('𠀋测试日本'.slice(japan.start, japan.end)).toBe('日本');
    expect(japan.start).toBe(4);
  });

  it('returns nothing for empty text', () => {
    expect(segmentZh('')).toEqual([]);
  });
});
