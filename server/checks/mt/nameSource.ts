/**
 * What a Chinese source offers the names check to match the MT's names against: its names
 * (`findZhNames`), the keys of every gloss of its words, and the pinyin of its characters.
 */
import { newsFurniture } from '../../core/zh/clauses.js';
import { hasZhWord, lookupZhWord, toSimplified } from '../../core/zh/dict.js';
import { findZhNames, type ZhName } from '../../core/zh/names.js';
import { personPinyin, syllablesOf } from '../../core/zh/pinyin.js';
import { segmentZh } from '../../core/zh/segment.js';
import { phraseKeys, wordKeys } from './nameMatch.js';

/** Longest romanised name compared with the source's pinyin, in syllables. */
export const MAX_NAME_SYLLABLES = 4;

export interface SourceFacts {
  names: ZhName[];
  /** Keys of every gloss of every source word and name, and of its Latin-script words. */
  keys: Set<string>;
  /** Keys of the source's names only (not of common words' glosses). */
  nameKeys: Set<string>;
  /** Letters of every run of 1..MAX_NAME_SYLLABLES consecutive syllables: "songtao", "xi". */
  pinyin: Set<string>;
  /**
   * Syllables (surname reading first) of words jieba's HMM made up of a surname and one or two
   * characters the dictionary does not have as a word: a name read in Chinese characters whose own
   * reading is unknown here (朴振 = Park Jin, Korean), which the MT may romanise its own way.
   */
  unreadPeople: string[][];
}

export function sourceFacts(source: string): SourceFacts {
  // One source is checked against each of its MT versions in turn (systems compared, a batch re-run).
  const known = recentFacts.get(source);
  if (known) return known;
  const facts = computeSourceFacts(source);
  if (recentFacts.size >= RECENT) recentFacts.delete(recentFacts.keys().next().value!);
  recentFacts.set(source, facts);
  return facts;
}

const RECENT = 32;
const recentFacts = new Map<string, SourceFacts>();

function computeSourceFacts(source: string): SourceFacts {
  const names = findZhNames(source).map((n, i, all) => (n.solo || !qualifierOnly(n, all[i + 1], source) ? n : { ...n, solo: true }));
  const keys = new Set<string>();
  const nameKeys = new Set<string>();
  const add = (gloss: string, proper: boolean) => {
    for (const k of phraseKeys(gloss, proper)) {
      keys.add(k);
      if (proper) nameKeys.add(k);
    }
  };
  for (const n of names) for (const e of n.english) add(e, true);
  const simplified = toSimplified(source);
  const tokens = segmentZh(simplified);
  for (const t of tokens) {
    if (t.tag === 'eng') {
      add(t.word, true);
      continue;
    }
    // A character alone lends its glosses only as a noun (党 = party): 日 in 9日 is not Japan.
    if (t.word.length < 2 && !NOUN_TAGS.has(t.tag)) continue;
    const info = lookupZhWord(t.word);
    if (info) {
      for (const g of info.glosses) add(g, false);
      continue;
    }
    // An unknown name led by a country's abbreviation (越通社 = Vietnam News Agency).
    if (UNKNOWN_NAME_TAGS.has(t.tag)) {
      const first = [...t.word][0]!;
      for (const g of [...(lookupZhWord(first)?.names ?? []), ...(CITY_INITIALS[first] ?? [])]) add(g, true);
    }
    // A compound the dictionary lacks lends the glosses of the words in it (中共中央 → 中央 = central).
    for (const word of wordsWithin(t.word)) for (const g of lookupZhWord(word)?.glosses ?? []) add(g, false);
  }
  // Names inside words jieba did not split (美国 in 美国劳工部, 新加坡 in 新加坡旅游业).
  for (const word of wordsWithin(simplified)) for (const name of lookupZhWord(word)?.names ?? []) add(name, true);
  if (DEICTIC_COUNTRY.test(simplified)) keys.add(OWN_COUNTRY);
  if (tokens.some((t) => t.word === '党')) add(THE_PARTY, true);
  const unreadPeople = tokens
    .filter((t) => t.tag === 'un' && /^\p{Script=Han}{2,3}$/u.test(t.word) && !FUNCTION_CHARS.test(t.word.slice(1)) && !hasZhWord(t.word) && lookupZhWord([...t.word][0]!)?.surname)
    .map((t) => personPinyin(t.word));
  const syllables = syllablesOf(simplified);
  const pinyin = new Set<string>();
  for (let i = 0; i < syllables.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(syllables.length, i + MAX_NAME_SYLLABLES); j++) {
      // Only syllables of adjacent characters join into one name.
      if (j > i && syllables[j]!.start !== syllables[j - 1]!.end) break;
      if (!syllables[j]!.text) break;
      joined += syllables[j]!.text;
      pinyin.add(joined);
    }
  }
  return { names, keys, nameKeys, pinyin, unreadPeople };
}

/**
 * A source name a translation may drop without loss, which is then only a counterpart for the MT's
 * names, never called missing: one in the news furniture (a dateline, byline or site credit, which
 * the omission check weighs), or a place written straight before a Latin-script name it qualifies
 * (欧洲Euractiv网站, 美国CNN).
 */
function qualifierOnly(name: ZhName, next: ZhName | undefined, source: string): boolean {
  if (next?.kind === 'latin' && next.start === name.end && name.kind !== 'person') return true;
  return furnitureOf(source).some((f) => name.start < f.end && f.start < name.end);
}

let furnitureMemo: { source: string; spans: ReturnType<typeof newsFurniture> } | undefined;

function furnitureOf(source: string): ReturnType<typeof newsFurniture> {
  if (furnitureMemo?.source !== source) furnitureMemo = { source, spans: newsFurniture(toSimplified(source)) };
  return furnitureMemo.spans;
}

const UNKNOWN_NAME_TAGS = new Set(['un', 'j', 'nt', 'nz', 'ns']);

/**
 * Cities a character stands for at the head of an abbreviated name, where CC-CEDICT gives the
 * character no such reading: 北交所 = Beijing Stock Exchange, 上交所 Shanghai, 深交所 Shenzhen.
 */
const CITY_INITIALS: Record<string, readonly string[]> = { 北: ['Beijing'], 上: ['Shanghai'], 深: ['Shenzhen'] };

/** Characters of grammar, not of names: a made-up word holding one (中有, "among them, there are") is no unread name. */
const FUNCTION_CHARS = /[的了是在有和与及或而为把被对从向于将也都就还又只这那其之所以但]/u;

const NOUN_TAGS = new Set(['n', 'nr', 'ns', 'nt', 'nz', 'j', 'vn']);
/** Longest dictionary word looked for inside the source's tokens, in characters. */
const MAX_WORD = 6;

/** Every dictionary word of two or more characters anywhere in a text. */
function wordsWithin(text: string): string[] {
  const out: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    let word = chars[i]!;
    for (let j = i + 1; j < Math.min(chars.length, i + MAX_WORD); j++) {
      word += chars[j]!;
      if (hasZhWord(word)) out.push(word);
    }
  }
  return out;
}

/**
 * "Our country", "the motherland", "at home": news Chinese names its own country so,
 * and the translation may write the country's name (我国, 国内 → China, or Singapore in Singapore's press).
 */
const DEICTIC_COUNTRY = /我国|本国|祖国|我们国家|国内|国人/u;
/** 党 alone, "the Party", is the governing party, which English news names. */
const THE_PARTY = 'Communist Party';
/** The key that marks a source naming its own country that way. */
export const OWN_COUNTRY = '#own-country';
/** The countries whose national press writes Chinese, which 我国 may stand for. */
export const OWN_COUNTRY_KEYS = new Set(['China', 'Taiwan', 'Singapore', 'Malaysia'].flatMap((c) => wordKeys(c)));
