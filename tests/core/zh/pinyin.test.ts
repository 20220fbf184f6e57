import { describe, expect, it } from 'vitest';
import { personPinyin, splitPinyin, syllablesOf } from '../../../server/core/zh/pinyin.js';

describe('splitPinyin', () => {
  it.each<[string, string[] | undefined]>([
    ['Jinping', ['jin', 'ping']],
    ["Xi'an", ['xi', 'an']],
    ['Songtao', ['song', 'tao']],
    ['Guangdong', ['guang', 'dong']],
    ['Fiji', undefined],
    ['Marcos', undefined],
    ['Japan', undefined],
    ['Philippines', undefined],
  ])('%s → %j', (word, syllables) => {
    expect(splitPinyin(word)).toEqual(syllables);
  });
});

describe('syllablesOf', () => {
  it('reads Chinese characters only, with their offsets', () => {
    const text = '宋涛会见 Marcos，𠀋日本';
    const syllables = syllablesOf(text);
    expect(syllables.map((s) => s.text)).toEqual(['song', 'tao', 'hui', 'jian', '', 'ri', 'ben']);
    expect(text.slice(syllables[5]!.start, syllables[5]!.end)).toBe('日');
  });
});

describe('personPinyin', () => {
  it('reads surnames as surnames', () => {
    expect(personPinyin('曾国藩')).toEqual(['zeng', 'guo', 'fan']);
    expect(personPinyin('宋涛')).toEqual(['song', 'tao']);
  });
});
