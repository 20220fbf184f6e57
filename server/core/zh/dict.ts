/**
 * Chinese→English dictionary lookups from CC-CEDICT (CC BY-SA 4.0, see `data/README.md`), read from
 * the compact file `scripts/build-zh-dict.ts` writes. Loaded on first use (~70 ms, ~20 MB RSS; the
 * English→Chinese name index another ~110 ms, ~15 MB when first asked); the raw `cc-cedict`
 * package is never loaded at runtime.
 */
import { readFileSync } from 'node:fs';

export interface DictEntry {
  /** English glosses of every reading, names first: 日 → Japan, sun, day, … */
  glosses: readonly string[];
  /** Whether every reading of the word is a proper noun (CC-CEDICT capitalises their pinyin). */
  proper: boolean;
}

/** Everything the dictionary knows about a simplified headword. */
export interface ZhWordInfo extends DictEntry {
  /** Glosses of the proper-noun readings only: 美 → Americas, USA (not "beautiful"). */
  names: readonly string[];
  /** Glosses of the common readings. */
  common: readonly string[];
  /** The character is also a surname (宋, 王, 中). */
  surname: boolean;
}

interface Loaded {
  text: string;
  /** Headword → offset of its line in `text`. */
  lines: Map<string, number>;
  /** Offsets of the lines that have name glosses. */
  nameLines: number[];
  t2s: Map<string, string>;
}

let loaded: Loaded | undefined;
const parsed = new Map<string, ZhWordInfo | null>();

function data(): Loaded {
  if (loaded) return loaded;
  const text = readFileSync(new URL('./data/cedict.tsv', import.meta.url), 'utf8');
  const lines = new Map<string, number>();
  const nameLines: number[] = [];
  for (let at = 0; at < text.length; ) {
    const tab = text.indexOf('\t', at);
    const nl = text.indexOf('\n', at);
    if (tab < 0 || nl < 0) break;
    lines.set(text.slice(at, tab), at);
    // word \t flags \t names: a character after the second tab other than a tab is a name gloss.
    const names = text.indexOf('\t', tab + 1) + 1;
    if (names > 0 && text[names] !== '\t') nameLines.push(at);
    at = nl + 1;
  }
  const t2s = new Map<string, string>();
  for (const line of readFileSync(new URL('./data/t2s.tsv', import.meta.url), 'utf8').split('\n')) {
    const [trad, simp] = [...line];
    if (trad && simp) t2s.set(trad, simp);
  }
  return (loaded = { text, lines, nameLines, t2s });
}

/** The dictionary entry of a simplified headword, or undefined when CC-CEDICT does not have it. */
export function lookupZh(word: string): DictEntry | undefined {
  return lookupZhWord(word);
}

/** Like `lookupZh`, with name and common readings apart and the surname flag. */
export function lookupZhWord(word: string): ZhWordInfo | undefined {
  const known = parsed.get(word);
  if (known !== undefined) return known ?? undefined;
  const { text, lines } = data();
  const at = lines.get(word);
  let info: ZhWordInfo | null = null;
  if (at !== undefined) {
    const [, flags = '', names = '', common = ''] = text.slice(at, text.indexOf('\n', at)).split('\t');
    const nameList = names ? names.split('|') : [];
    const commonList = common ? common.split('|') : [];
    info = {
      glosses: [...nameList, ...commonList],
      proper: nameList.length > 0 && commonList.length === 0,
      names: nameList,
      common: commonList,
      surname: flags.includes('s'),
    };
  }
  parsed.set(word, info);
  return info ?? undefined;
}

let nameIndex: Map<string, string[]> | undefined;
const PLACE_DESIGNATOR = /\s+(?:municipality|province|city|county|district|prefecture|(?:special administrative |autonomous )?region)$/iu;

/** The comparable form of an English name: lowercase words, accents and punctuation dropped, sorted ("Abe Shinzo" = "Shinzo Abe"). */
export function englishNameKey(english: string): string {
  return (/^[\x20-\x7e]*$/u.test(english) ? english : english.normalize('NFD'))
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/**
 * The headwords whose proper-noun readings have this English gloss: "Fiji" → [斐济], "Japan" →
 * [日, 日本, …]. Built on first use from the dictionary's names (~100 ms).
 */
export function headwordsForName(english: string): readonly string[] {
  if (!nameIndex) {
    nameIndex = new Map();
    const { text, nameLines } = data();
    for (const at of nameLines) {
      const [word, , names] = text.slice(at, text.indexOf('\n', at)).split('\t');
      if (!word || !names) continue;
      for (const name of names.split('|')) {
        const key = englishNameKey(name);
        // "Beijing municipality", "Guangdong Province" are written "Beijing", "Guangdong".
        const bare = englishNameKey(name.replace(PLACE_DESIGNATOR, ''));
        for (const k of new Set([key, bare])) {
          if (!k) continue;
          const list = nameIndex.get(k);
          if (list) list.push(word);
          else nameIndex.set(k, [word]);
        }
      }
    }
  }
  return nameIndex.get(englishNameKey(english)) ?? [];
}

/** Whether the dictionary has the headword at all (cheaper than a lookup). */
export function hasZhWord(word: string): boolean {
  return data().lines.has(word);
}

/**
 * Traditional characters turned simplified, character by character, where CC-CEDICT maps the
 * character one way only (臺灣 → 台湾); characters that are simplified in some words and not in
 * others (乾) are left alone. Keeps length and offsets.
 */
export function toSimplified(text: string): string {
  const { t2s } = data();
  let out = '';
  for (const ch of text) out += t2s.get(ch) ?? ch;
  return out;
}
