/**
 * What the MT has for one content word of the source: a figure's value, a Latin-script token, a
 * romanised name, an acronym, or the MT words its CC-CEDICT glosses (or those of a compound's
 * parts) stem or derive to.
 */
import { hasZhWord, lookupZhWord } from '../../core/zh/dict.js';
import { glossStems, rootOf } from '../../core/zh/glosses.js';
import { personPinyin, syllablesOf } from '../../core/zh/pinyin.js';
import type { ZhToken } from '../../core/zh/segment.js';
import { phraseKeys } from './nameMatch.js';
import { OWN_COUNTRY_KEYS } from './nameSource.js';
import type { MtIndex } from './omissionMtIndex.js';
import { NAME_TAGS, ORGANISATION_TAGS, PERSON_TAGS, UNCERTAIN_TAGS } from './omissionSource.js';

/** `WordEvidence.found` for a checkable word the MT has nothing for. */
export const NOT_FOUND = -2;

/**
 * What the MT has for a word: a fixed answer (see `WordEvidence.found`), or the keys of MT words
 * that could stand for it, best first (none: NOT_FOUND once linked).
 */
export function counterpart(token: ZhToken, mt: MtIndex): number | undefined | string[] {
  const word = token.word;
  const figure = /^(\d+(?:,\d{3})*(?:\.\d+)?)([万亿]*)$/u.exec(word);
  if (figure) return figureInMt(figure[1]!.replace(/,/gu, ''), figure[2]!, mt);
  if (/^[\p{N}A-Za-z.,%-]+$/u.test(word)) {
    const lower = word.toLowerCase();
    const at = mt.lower.indexOf(lower);
    if (at >= 0) return at + lower.length;
    // A figure may be written another way in English (3.5万 → 35,000): only its presence counts.
    if (mt.lower.replace(/,/gu, '').includes(lower.replace(/,/gu, ''))) return -1;
    return /\d/u.test(word) ? undefined : NOT_FOUND;
  }
  const digits = word.match(/\d+(?:[.,]\d+)*/gu);
  if (digits) {
    // 170公分, 3.5%: the figure's digits are what the MT must show; other spellings go unchecked.
    const found = digits.every((d) => mt.lower.replace(/,/gu, '').includes(d.replace(/,/gu, '')));
    return found ? -1 : undefined;
  }
  let keys = glossKeys(token, mt);
  if (NAME_TAGS.has(token.tag)) {
    // A name the MT romanises: 范明政 = Fan Mingzheng, 添颐 = Tianyi; a 先生 after a surname is Mr.
    const key = `p:${romanised(token)}`;
    if (mt.occurrences.has(key)) keys = [key, ...(keys ?? [])];
    // An organisation the MT writes as an acronym (越通社 = VNA) when the dictionary has no gloss for it.
    else if (!keys?.length && ORGANISATION_TAGS.has(token.tag)) keys = [...mt.acronyms];
  }
  // A person or a word jieba guessed is too uncertain to call missing (a foreign name, a misread word).
  if (keys?.length === 0 && UNCERTAIN_TAGS.has(token.tag)) return undefined;
  return keys;
}

/** Gloss keys of a word, or of the dictionary words a compound the dictionary lacks is made of (理财产品, 旅游局). */
function glossKeys(token: ZhToken, mt: MtIndex): string[] | undefined {
  const info = lookupZhWord(token.word);
  if (info) {
    const keys = glossesInMt(info.names, info.common, mt);
    // 国内 "domestic", 我国 "our country": the translation may name the country instead.
    if (keys && OWN_COUNTRY_WORDS.has(token.word)) for (const k of OWN_COUNTRY_KEYS) if (mt.occurrences.has(`n:${k}`)) keys.push(`n:${k}`);
    return keys;
  }
  if (PERSON_TAGS.has(token.tag)) return undefined;
  const parts = dictionaryParts(token.word);
  if (!parts) return undefined;
  const keys = parts.map((part) => glossesInMt(lookupZhWord(part)!.names, lookupZhWord(part)!.common, mt));
  return keys.some(Array.isArray) ? keys.flatMap((k) => k ?? []) : undefined;
}

/** Words by which Chinese news names its own country. */
const OWN_COUNTRY_WORDS = new Set(['国内', '全国', '我国', '本国', '国人', '举国', '祖国', '国家']);

const TITLE = /(?:先生|女士|小姐|夫人|太太)$/u;

function romanised(token: ZhToken): string {
  const bare = token.word.replace(TITLE, '') || token.word;
  const syllables = PERSON_TAGS.has(token.tag) ? personPinyin(bare) : syllablesOf(bare).map((s) => s.text);
  return syllables.join('');
}

/** A word the dictionary lacks cut into the longest dictionary words, left to right; undefined when some piece is unknown. */
function dictionaryParts(word: string): string[] | undefined {
  const chars = [...word];
  if (chars.length < 2) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < chars.length; ) {
    let len = Math.min(4, chars.length - i);
    while (len > 0 && !hasZhWord(chars.slice(i, i + len).join(''))) len--;
    if (!len) return undefined;
    parts.push(chars.slice(i, i + len).join(''));
    i += len;
  }
  return parts.length > 1 ? parts : undefined;
}

function glossesInMt(names: readonly string[], common: readonly string[], mt: MtIndex): string[] | undefined {
  let checkable = false;
  const keys: string[] = [];
  const add = (key: string) => {
    if (mt.occurrences.has(key) && !keys.includes(key)) keys.push(key);
  };
  // Names by their keys: China meets Chinese, US meets American and U.S.
  for (const name of names) {
    for (const k of phraseKeys(name, true)) {
      checkable = true;
      add(`n:${k}`);
    }
  }
  const stems = glossStems(common);
  if (stems.size) checkable = true;
  for (const w of stems) add(`s:${w}`);
  for (const w of stems) {
    // Derived forms: system → systematic, create → creative (a stem of five letters or more begins
    // the other), independent → independence (all but their last two letters shared).
    if (w.length >= 5) {
      for (const stem of mt.byStart.get(w.slice(0, 5)) ?? []) {
        if (stem.startsWith(w) || w.startsWith(stem) || sharedStart(stem, w) >= Math.max(6, Math.min(stem.length, w.length) - 2)) add(`s:${stem}`);
      }
    }
    // plant → implant, place → replace: a prefix before the whole gloss word.
    for (const stem of mt.prefixed.get(w) ?? []) add(`s:${stem}`);
    // pay → payment, attend → attendance.
    add(`r:${w}`);
    const root = w.length >= 4 ? rootOf(w) : undefined;
    if (root) {
      add(`r:${root}`);
      add(`s:${root}`);
    }
  }
  return checkable ? keys : undefined;
}

function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function figureInMt(digits: string, scale: string, mt: MtIndex): number | undefined {
  let value = Number(digits);
  for (const s of scale) value *= s === '万' ? 1e4 : 1e8;
  if (!Number.isFinite(value)) return undefined;
  // 51.7 × 10⁴ is 517000.00000000006 in floating point.
  value = Number(value.toPrecision(12));
  const forms = new Set([digits, String(value)]);
  for (const unit of [1e3, 1e6, 1e9]) {
    const v = value / unit;
    if (v >= 0.1 && v < 1e4) forms.add(String(Number(v.toFixed(3))));
  }
  for (const f of forms) if (mt.figures.has(f)) return -1;
  // A figure the MT may spell out (一百万 → one million) or round: not judged.
  return scale ? undefined : /^\d{1,2}$/u.test(digits) ? undefined : NOT_FOUND;
}
