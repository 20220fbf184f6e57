/**
 * Whether the MT has a source name: by the keys of its English glosses, or romanised — in pinyin,
 * by its surname after a first mention or a form of address, by a foreign name's consonants, or
 * syllable by syllable (范明政 ≈ Pham Minh Chinh).
 */
import { extractWords, type WordFact } from '../../core/facts.js';
import type { ZhName } from '../../core/zh/names.js';
import { knownName } from './nameDictionary.js';
import { letters, mayBeginSyllable, mayTransliterate, phraseKeys, spellsSyllables, wordKeys } from './nameMatch.js';

const mtKeysOf = new WeakMap<object, Set<string>>();

function mtKeys(mt: string): Set<string> {
  const words = extractWords(mt);
  let keys = mtKeysOf.get(words);
  if (!keys) {
    // "Chinanews.com" is read as "Chinanews" and "com" too.
    keys = new Set(words.flatMap((w) => [w.text, ...w.text.split('.')]).flatMap((t) => (t ? wordKeys(t) : [])));
    // Two-word aliases ("United States", "North Korea").
    for (let i = 0; i + 1 < words.length; i++) for (const k of phraseKeys(`${words[i]!.text} ${words[i + 1]!.text}`)) keys.add(k);
    mtKeysOf.set(words, keys);
  }
  return keys;
}

export function inMt(name: ZhName, mt: string): boolean {
  const keys = mtKeys(mt);
  if (name.english.some((e) => phraseKeys(e, true).some((k) => keys.has(k)))) return true;
  return !!name.pinyin?.length && romanisedInMt(name, mt);
}

/** Forms of address an English text puts before a surname. */
const ADDRESS = /^(?:mr|ms|mrs|miss|madam|madame|dr)$/u;

/**
 * "Song Tao", "Songtao", "Song" alone after a first mention, "Jiangbei" for 江北, "Mr. Sun" for
 * 孙先生; a foreign name by its consonants (马科斯 ≈ Marcos, 莱西 ≈ Raisi, 胡里奥 ≈ Julio), and a
 * Vietnamese or Korean name read in Chinese characters syllable by syllable (范明政 ≈ Pham Minh Chinh).
 */
function romanisedInMt(name: ZhName, mt: string): boolean {
  const pinyin = name.pinyin!;
  const full = pinyin.join('');
  const surname = name.kind === 'person' ? pinyin[0]! : full;
  // "Zhongxin.com" is the name Zhongxin.
  const words = extractWords(mt);
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w.text)).map((w) => ({ ...w, text: w.text.split('.')[0]! }));
  for (let i = 0; i < capitalised.length; i++) {
    const w = capitalised[i]!;
    const l = letters(w.text);
    const next = capitalised[i + 1];
    if (l === full || l === surname || (next && l + letters(next.text) === full)) return true;
    // The first syllables of a longer name: Zhongxin (.com) for 中新网.
    if (pinyin.length > 2 && l.length >= 4 && l === pinyin.slice(0, 2).join('')) return true;
    // A foreign name in characters, or an MT word that is no name the dictionary knows (Raisi for 莱西, a place in China too).
    if ((name.kind === 'person' || name.foreign || !knownName(w.norm)) && mayTransliterate(w.text, pinyin, name.foreign)) return true;
    if (name.kind === 'person' && sameInitials(capitalised, i, mt, pinyin)) return true;
  }
  // 孙先生 = "Mr. Son": a surname alone, after a form of address.
  if (name.kind === 'person' && pinyin.length === 1) {
    for (let i = 0; i + 1 < words.length; i++) {
      if (ADDRESS.test(words[i]!.norm) && /^\p{Lu}/u.test(words[i + 1]!.text) && mayBeginSyllable(words[i + 1]!.text, pinyin[0]!)) return true;
    }
  }
  return false;
}

/** Whether capitalised words from i on, side by side, spell the syllables (`spellsSyllables`). */
function sameInitials(capitalised: ReadonlyArray<WordFact>, i: number, mt: string, syllables: readonly string[]): boolean {
  if (syllables.length < 2) return false;
  const pieces: string[] = [];
  for (let j = i; j < capitalised.length && pieces.length < syllables.length; j++) {
    if (j > i && !/^[ \u00a0]+$/u.test(mt.slice(capitalised[j - 1]!.span[1], capitalised[j]!.span[0]))) break;
    pieces.push(...capitalised[j]!.text.split(/[-‐]/u).filter(Boolean));
  }
  return spellsSyllables(pieces, syllables);
}
