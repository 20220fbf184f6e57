/**
 * Pinyin both ways: the toneless syllables of Chinese characters (pinyin-pro, which reads
 * characters in context), and whether an English word is spelt as pinyin syllables ("Jinping" →
 * jin ping), as people's and places' names from Chinese are in English news.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type PinyinFn = typeof import('pinyin-pro').pinyin;
let pinyinFn: PinyinFn | undefined;

/** pinyin-pro (~20 MB resident) loads on first use, for the reason segment.ts gives for jieba. */
function pinyinPro(): PinyinFn {
  return (pinyinFn ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin);
}

export interface Syllable {
  /** Lowercase, toneless; ü written v. */
  text: string;
  /** UTF-16 offsets of its character in the text. */
  start: number;
  end: number;
}

const HAN_RUN = /\p{Script=Han}+/gu;

/** The syllables of every Chinese character of a text, in order. */
export function syllablesOf(text: string): Syllable[] {
  const out: Syllable[] = [];
  for (const m of text.matchAll(HAN_RUN)) {
    // One syllable per character (code point) of the run, read in context (多音字).
    const read = pinyinPro()(m[0], { toneType: 'none', type: 'array', v: true });
    let at = m.index;
    let i = 0;
    for (const ch of m[0]) {
      const syllable = (read[i++] ?? '').toLowerCase();
      // Rare characters pinyin-pro cannot read come back as themselves.
      out.push({ text: /^[a-z]+$/u.test(syllable) ? syllable : '', start: at, end: at + ch.length });
      at += ch.length;
    }
  }
  return out;
}

/** Toneless reading of a person's name, surname readings applied (曾 = Zeng): 宋涛 → ["song", "tao"]. */
export function personPinyin(name: string): string[] {
  return pinyinPro()(name, { toneType: 'none', type: 'array', v: true, mode: 'surname' }).map((s) => s.toLowerCase());
}

let syllableSet: Set<string> | undefined;
const LONGEST_SYLLABLE = 6;

/**
 * The syllables an English word spells when read as pinyin ("Jinping" → jin, ping; "Xi'an" → xi,
 * an), or undefined when it is not pinyin ("Fiji", "Marcos"). Prefers the reading with the fewest
 * syllables.
 */
export function splitPinyin(word: string): string[] | undefined {
  syllableSet ??= new Set(readFileSync(new URL('./data/pinyin-syllables.txt', import.meta.url), 'utf8').split(/\s+/u).filter(Boolean));
  const parts = word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ü/gu, 'v')
    .split(/['’-]/u);
  const out: string[] = [];
  for (const part of parts) {
    if (!/^[a-z]+$/u.test(part)) return undefined;
    const split = splitLetters(part, syllableSet);
    if (!split) return undefined;
    out.push(...split);
  }
  return out.length ? out : undefined;
}

function splitLetters(letters: string, syllables: Set<string>): string[] | undefined {
  // best[i]: the fewest syllables spelling letters[0, i).
  const best: Array<string[] | undefined> = [[]];
  for (let i = 1; i <= letters.length; i++) {
    for (let j = Math.max(0, i - LONGEST_SYLLABLE); j < i; j++) {
      const before = best[j];
      const piece = letters.slice(j, i);
      if (before && syllables.has(piece) && (!best[i] || best[i]!.length > before.length + 1)) best[i] = [...before, piece];
    }
  }
  return best[letters.length];
}
