/**
 * Proper names in a Chinese text — people, places, organisations, Latin-script names — with the
 * English forms a translation would use: CC-CEDICT glosses (斐济 = Fiji, 日 = Japan), pinyin for
 * people outside the dictionary (宋涛 = Song Tao), the Latin text itself (Bongbong Marcos).
 *
 * Known limit: Japanese and Korean names written in Chinese characters (岸田文雄 = Fumio Kishida)
 * are read as Mandarin pinyin (An Tianwenxiong); nothing here guesses their own reading.
 */
import { lookupZhWord, hasZhWord, toSimplified } from './dict.js';
import { personPinyin, syllablesOf } from './pinyin.js';
import { dictionaryPieces, segmentZh, type ZhToken } from './segment.js';

export type ZhNameKind = 'person' | 'place' | 'organisation' | 'name' | 'latin';

export interface ZhName {
  /** As written in the text. */
  text: string;
  start: number;
  end: number;
  kind: ZhNameKind;
  /** English forms: glosses, "Song Tao" for a person, the text itself for a Latin-script name. */
  english: string[];
  /** Toneless pinyin syllables of a Chinese-script name (surname readings for people). */
  pinyin?: string[];
  /** A foreign name written in Chinese characters (jieba's nrt, or dotted 胡里奥·里奥斯): its pinyin is a transliteration. */
  foreign?: boolean;
  /** A lone abbreviation (华 in 访华): a counterpart for the MT, too uncertain to call missing. */
  solo?: boolean;
  /** A run of abbreviations the name is one of (美日菲 for 日): shown together in messages. */
  group?: { text: string; start: number; end: number };
}

/** jieba tags of proper nouns: person, place, organisation, other proper noun, abbreviation. */
const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt', 'ns', 'nt', 'nz', 'j']);
const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const HAN = /^\p{Script=Han}+$/u;
const CAPITALISED_LATIN = /^\p{Lu}/u;

function kindOf(tag: string): ZhNameKind {
  if (PERSON_TAGS.has(tag)) return 'person';
  if (tag === 'ns') return 'place';
  if (tag === 'nt') return 'organisation';
  return 'name';
}

/**
 * A character that stands for a country or region in compounds (美 = US, 菲 = Philippines): one
 * whose dictionary entry has a proper-noun reading other than a surname.
 */
function abbreviationNames(char: string): readonly string[] | undefined {
  const own = (lookupZhWord(char)?.names ?? []).filter((n) => !NOT_A_PLACE.test(n));
  const names = [...own, ...(ABBREVIATIONS_CEDICT_LACKS[char] ?? [])];
  return names.length ? names : undefined;
}

/** Proper readings of a character that are not places it abbreviates (元 = the Yuan dynasty). */
const NOT_A_PLACE = /dynasty|ethnic|kingdom|state during|period/iu;

/**
 * Country abbreviations of news Chinese that CC-CEDICT does not gloss as such (土叙地震 = the
 * Turkey–Syria earthquake; 朝韩 = the two Koreas), added to its own (美, 日, 菲, 俄, 叙, 伊 …).
 */
const ABBREVIATIONS_CEDICT_LACKS: Readonly<Record<string, readonly string[]>> = {
  土: ['Turkey'],
  沙: ['Saudi Arabia'],
  瑞: ['Sweden', 'Switzerland'],
  希: ['Greece'],
  阿: ['Argentina', 'Arab'],
  朝: ['North Korea'],
  韩: ['South Korea'],
};

/** The names of a Chinese text, in order. Traditional characters are read as simplified. */
export function findZhNames(text: string): ZhName[] {
  const tokens = segmentZh(toSimplified(text));
  const names: ZhName[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tag === 'eng') {
      i = latinName(text, tokens, i, names);
      continue;
    }
    if (!HAN.test(token.word)) continue;
    // A name the dictionary has over several of jieba's tokens (德国/之声 = Deutsche Welle), or a
    // foreign word jieba cut up (阿亚图/拉 = ayatollah): read whole, not piece by piece.
    const joined = joinedWord(tokens, i);
    if (joined) {
      if (joined.name) names.push(joined.name);
      i = joined.last;
      continue;
    }
    const run = abbreviationRun(tokens, i);
    if (run) {
      names.push(...run.names);
      i = run.last;
      continue;
    }
    // 2月11日电 ("dateline, 11th"): 日电 is not NEC.
    if (/^[日月年号]/u.test(token.word) && tokens[i - 1]?.tag === 'm' && tokens[i - 1]!.end === token.start) continue;
    const name = wordName(token, i) ?? personName(tokens, i);
    if (name) {
      names.push(name.name);
      i = name.last;
    }
  }
  return names.map((n) => ({ ...n, text: text.slice(n.start, n.end), group: n.group && { ...n.group, text: text.slice(n.group.start, n.group.end) } }));
}

/** Longest run of tokens looked at for a dictionary word jieba split, in characters. */
const MAX_JOINED = 8;

/**
 * The longest dictionary word made of tokens i, i+1, … that jieba split: a proper noun is a name;
 * a common word begun by a person-tagged piece (阿亚图/nr 拉/v = ayatollah) is a foreign word, no name.
 */
function joinedWord(tokens: ZhToken[], i: number): { name?: ZhName; last: number } | undefined {
  let word = tokens[i]!.word;
  let found: { word: string; last: number } | undefined;
  for (let j = i + 1; j < tokens.length && tokens[j]!.start === tokens[j - 1]!.end && HAN.test(tokens[j]!.word); j++) {
    word += tokens[j]!.word;
    if (word.length > MAX_JOINED) break;
    if (hasZhWord(word)) found = { word, last: j };
  }
  if (!found) return undefined;
  const info = lookupZhWord(found.word)!;
  const first = tokens[i]!;
  if (info.proper && info.names.length) {
    const pieces = tokens.slice(i, found.last + 1);
    const kind = pieces.some((t) => PERSON_TAGS.has(t.tag)) ? 'person' : 'name';
    const pinyin = kind === 'person' ? personPinyin(found.word) : syllablesOf(found.word).map((s) => s.text);
    const foreign = pieces.some((t) => t.tag === 'nrt');
    return { name: { text: found.word, start: first.start, end: first.start + found.word.length, kind, english: [...info.names], pinyin, foreign }, last: found.last };
  }
  return FOREIGN_PIECE_TAGS.has(first.tag) ? { last: found.last } : undefined;
}

/** Capitalised Latin-script words, joined across single spaces: "Bongbong Marcos". */
function latinName(text: string, tokens: ZhToken[], i: number, out: ZhName[]): number {
  let last = i;
  while (tokens[last + 1]?.tag === 'eng' && /^[ \u00a0·]$/u.test(text.slice(tokens[last]!.end, tokens[last + 1]!.start))) last++;
  const start = tokens[i]!.start;
  const end = tokens[last]!.end;
  const words = tokens.slice(i, last + 1).map((t) => t.word);
  if (words.some((w) => CAPITALISED_LATIN.test(w) && w.length >= 2)) out.push({ text: text.slice(start, end), start, end, kind: 'latin', english: [text.slice(start, end)] });
  return last;
}

/**
 * Countries abbreviated to one character each, written together (美日菲, 中美关系, 俄乌): each
 * character is a name. A lone character counts only where jieba tags it a place or abbreviation.
 */
function abbreviationRun(tokens: ZhToken[], i: number): { names: ZhName[]; last: number } | undefined {
  const chars: Array<{ char: string; start: number; names: readonly string[] }> = [];
  let last = i - 1;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (j > i && t.start !== tokens[j - 1]!.end) break;
    const split = splitAbbreviations(t);
    if (!split) break;
    chars.push(...split.chars);
    last = j;
    if (split.rest) break;
  }
  if (!chars.length) return undefined;
  const single = chars.length === 1;
  if (single && !['ns', 'j', 'nt'].includes(tokens[i]!.tag)) return undefined;
  if (inTransliteration(tokens, i, last)) return undefined;
  const start = chars[0]!.start;
  const end = chars[chars.length - 1]!.start + chars[chars.length - 1]!.char.length;
  const group = single ? undefined : { text: '', start, end };
  return {
    names: chars.map((c) => ({ text: c.char, start: c.start, end: c.start + c.char.length, kind: 'place' as const, english: [...c.names], group, solo: single })),
    last,
  };
}

/** Forms of address written after a surname. */
const TITLE = /(?:先生|女士|小姐|夫人|太太)$/u;
const FOREIGN_PIECE_TAGS = new Set(['nr', 'nrt', 'nrfg', 'un']);

/**
 * Whether tokens [first, last] are a piece of a transliterated foreign name (法/j 里/un 巴/ns ·
 * 阿德尔/nr): a name piece or the name dot · is written onto them.
 */
function inTransliteration(tokens: ZhToken[], first: number, last = first): boolean {
  const prev = tokens[first - 1];
  const next = tokens[last + 1];
  const foreign = (o: ZhToken | undefined) => o && (FOREIGN_PIECE_TAGS.has(o.tag) || /^[·•]$/u.test(o.word));
  return !!((foreign(prev) && prev!.end === tokens[first]!.start) || (foreign(next) && next!.start === tokens[last]!.end));
}

/**
 * The abbreviation characters a token starts with: all of a one-character token with a country
 * reading, or the leading characters of a compound jieba did not split (中日韩, 中美关系) when at
 * least two of them are abbreviations and the rest is a word. `rest` is set when a word follows.
 */
function splitAbbreviations(t: ZhToken): { chars: Array<{ char: string; start: number; names: readonly string[] }>; rest: boolean } | undefined {
  const chars = [...t.word];
  // A word jieba reads as a person (阿亚图 of a transliteration) is not a row of countries.
  if (chars.length > 1 && PERSON_TAGS.has(t.tag)) return undefined;
  if (chars.length === 1) {
    const names = abbreviationNames(t.word);
    return names ? { chars: [{ char: t.word, start: t.start, names }], rest: false } : undefined;
  }
  // A word in its own right is never split: 美德 is virtue, 新加坡 Singapore, 中美 China-USA.
  if (hasZhWord(t.word)) return undefined;
  const found: Array<{ char: string; start: number; names: readonly string[] }> = [];
  let at = t.start;
  for (const char of chars) {
    const names = abbreviationNames(char);
    if (!names) break;
    found.push({ char, start: at, names });
    at += char.length;
  }
  if (found.length < 2) return undefined;
  // 伊斯兰 (Islam) in 伊斯兰共和国 is a word, not Iran-Slovakia-Lanzhou.
  if (found.length >= 3 && hasZhWord(found.map((c) => c.char).join(''))) return undefined;
  const rest = t.word.slice(at - t.start);
  if (rest && !hasZhWord(rest)) return undefined;
  // A word jieba's HMM made up of a surname and two characters is a name read in Chinese characters
  // more often than two countries and a character (韩德洙 = Han Duck-soo, not Korea-Germany-洙).
  if (t.tag === 'un' && chars.length === 3 && [...rest].length === 1 && lookupZhWord(chars[0]!)?.surname) return undefined;
  return { chars: found, rest: rest.length > 0 };
}

/** A dictionary word that is a name: every reading a proper noun, or a proper reading jieba tags as a name. */
function wordName(token: ZhToken, i: number): { name: ZhName; last: number } | undefined {
  if ([...token.word].length < 2) return undefined;
  const info = lookupZhWord(token.word);
  if (!info?.names.length || !(info.proper || NAME_TAGS.has(token.tag))) return undefined;
  const firstIsSurname = lookupZhWord([...token.word][0]!)?.surname ?? false;
  const kind = token.tag === 'un' && firstIsSurname ? 'person' : kindOf(token.tag);
  const pinyin = kind === 'person' ? personPinyin(token.word) : syllablesOf(token.word).map((s) => s.text);
  return { name: { text: token.word, start: token.start, end: token.end, kind, english: [...info.names], pinyin, foreign: token.tag === 'nrt' }, last: i };
}

/**
 * A person jieba tagged (or found outside its dictionary) whose first character is a surname:
 * 宋涛 → "Song Tao". Adjacent person-tagged pieces (宋 / 涛) are joined.
 */
function personName(tokens: ZhToken[], i: number): { name: ZhName; last: number } | undefined {
  const first = tokens[i]!;
  if (!PERSON_TAGS.has(first.tag) && first.tag !== 'un') return undefined;
  let last = i;
  while (
    PERSON_TAGS.has(tokens[last + 1]?.tag ?? '') &&
    tokens[last + 1]!.start === tokens[last]!.end &&
    tokens[last + 1]!.end - first.start <= 4
  ) last++;
  const written = tokens.slice(i, last + 1).map((t) => t.word).join('');
  // 孙先生 (Mr Sun): the name is the surname.
  const word = written.replace(TITLE, '');
  const length = [...word].length;
  if (length < (word === written ? 2 : 1) || length > 4 || !HAN.test(word)) return undefined;
  // Four characters jieba calls a person are more often an idiom (殷切期望) than a Chinese name.
  if (length === 4 && !lookupZhWord(word)?.proper) return undefined;
  if (!lookupZhWord([...word][0]!)?.surname) return undefined;
  // A word the HMM made up is a name only when jieba's dictionary reads its pieces as one (宋/nr 涛/nr).
  if (first.tag === 'un' && word === written && !dictionaryPieces(word).every((p) => PERSON_TAGS.has(p.tag))) return undefined;
  // A common word jieba mistook for a name (e.g. 高达 "as high as").
  if (word === written && lookupZhWord(word)?.common.length) return undefined;
  const pinyin = personPinyin(word);
  const [surname, ...given] = pinyin;
  const english = [given.length ? `${cap(surname!)} ${cap(given.join(''))}` : cap(surname!)];
  const glossed = lookupZhWord(word)?.names ?? [];
  const foreign = tokens.slice(i, last + 1).some((t) => t.tag === 'nrt') || inTransliteration(tokens, i);
  return { name: { text: word, start: first.start, end: first.start + word.length, kind: 'person', english: [...glossed, ...english], pinyin, foreign }, last };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
