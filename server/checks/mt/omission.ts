/**
 * Omission check: a source clause none of whose content words shows up in the MT. Each content word
 * of the clause (nouns, verbs, adjectives, numbers, names; jieba's tags) is looked up in CC-CEDICT;
 * it has a counterpart when a word of one of its glosses (lightly stemmed) is among the MT's words,
 * or, for numbers and Latin-script words, when the same token is. Glosses miss synonyms, so a clause
 * is flagged only when several of its words are checkable and (almost) none has a counterpart.
 */
import { isFunctionWord, normalizeWord } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import { splitZhClauses } from '../../core/zh/clauses.js';
import { lookupZh, toSimplified } from '../../core/zh/dict.js';
import { segmentZh, type ZhToken } from '../../core/zh/segment.js';
import type { MtCheck } from './types.js';

const ID = 'mt-omission';
/** jieba tags of content words: nouns, verbs, adjectives, numerals, names, idioms, Latin words. */
const CONTENT_TAG = /^(n|v|a|m|t|s|j|i|l|eng|un|vn|an|nr|ns|nt|nz)/u;
/** Frequent words that are tagged as content but carry little a translation must show. */
const LIGHT = new Set([
  ...'的 了 在 是 和 与 也 都 将 等 有 被 把 对 为 从 向 以 于 而 及 或 但 并 又 就 还 要 会 能 可 让 使 给 这 那 其 之 所 该 个 些 说 表示 进行 认为 称 指出 一 一个 没有 已经 正在 可以 能够 目前 当前 今年 去年 相关 方面 问题 情况 工作 时间 时候 地方 地区 方面 一些 这些 那些 不断 进一步 年 月 日 号 时 点 分'.split(
    ' ',
  ),
]);
/** A clause needs this many checkable content words to be judged. */
const MIN_WORDS = 2;
/** Flag when at most this share of the clause's checkable words has a counterpart. */
const MAX_MATCHED = 0.25;
/** Clauses with this many checkable words (or more) are a major omission. */
const MAJOR_WORDS = 5;
const MAX_QUOTED = 30;

export const omissionCheck: MtCheck = {
  id: ID,
  name: 'Omissions',
  description: 'A source clause whose content words have no counterpart in the MT.',
  version: 1,
  run(mt, source) {
    if (!source || !mt.trim()) return [];
    const mtIndex = indexMt(mt);
    const simplified = toSimplified(source);
    const tokens = segmentZh(simplified);
    const flags: MtFlag[] = [];
    /** MT offset just after the last counterpart found so far: where a missing clause would go. */
    let lastMatchEnd = 0;
    const clauses = splitZhClauses(simplified);
    const clauseWords = clauses.map((c) => tokens.filter((t) => t.start >= c.start && t.end <= c.end && isContent(t)));
    // A word several clauses share cannot tell which of them the MT kept.
    const clausesOf = new Map<string, number>();
    for (const words of clauseWords) for (const w of new Set(words.map((t) => t.word))) clausesOf.set(w, (clausesOf.get(w) ?? 0) + 1);
    for (const [i, clause] of clauses.entries()) {
      const words = clauseWords[i]!.filter((t) => clausesOf.get(t.word) === 1);
      let checkable = 0;
      let matched = 0;
      const matchEnds: number[] = [];
      for (const word of words) {
        const at = counterpart(word, mtIndex);
        if (at === undefined) continue;
        checkable++;
        if (at === NOT_FOUND) continue;
        matched++;
        if (at >= 0) matchEnds.push(at);
      }
      if (checkable >= MIN_WORDS && matched <= checkable * MAX_MATCHED) {
        const point = i === 0 ? 0 : pointAfter(mt, lastMatchEnd);
        flags.push({
          start: point,
          end: point,
          kind: 'omission',
          severity: checkable >= MAJOR_WORDS ? 'major' : 'minor',
          message: `Source clause not in the MT: "${quote(source.slice(clause.start, clause.end))}"`,
          check: ID,
          sourceSpans: [[clause.start, clause.end]],
        });
      }
      if (matchEnds.length) lastMatchEnd = Math.max(lastMatchEnd, median(matchEnds));
    }
    return flags;
  },
};

function isContent(token: ZhToken): boolean {
  // Numeral words without digits (许多, 一起, 一家) are mostly quantity fillers.
  if (token.tag === 'm' && !/\d/u.test(token.word)) return false;
  return CONTENT_TAG.test(token.tag) && !LIGHT.has(token.word);
}

interface MtIndex {
  /** Stem → MT offset of the end of its first occurrence. */
  stems: Map<string, number>;
  lower: string;
}

function indexMt(mt: string): MtIndex {
  const stems = new Map<string, number>();
  for (const m of mt.matchAll(/[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu)) {
    const stem = stemOf(normalizeWord(m[0]));
    if (!stems.has(stem)) stems.set(stem, m.index + m[0].length);
  }
  return { stems, lower: mt.toLowerCase() };
}

/** `counterpart`'s answer for a checkable word the MT has nothing for. */
const NOT_FOUND = -2;

/**
 * Where the word's counterpart ends in the MT; -1 when it has one whose place is unknown, NOT_FOUND
 * when it has none; undefined when the word cannot be checked (the dictionary does not know it).
 */
function counterpart(token: ZhToken, mt: MtIndex): number | undefined {
  const word = token.word;
  if (/^[\p{N}A-Za-z.,%]+$/u.test(word)) {
    const lower = word.toLowerCase();
    const at = mt.lower.indexOf(lower);
    if (at >= 0) return at + lower.length;
    // A figure may be written another way in English (3.5万 → 35,000): only its presence counts.
    if (mt.lower.replace(/,/gu, '').includes(lower.replace(/,/gu, ''))) return -1;
    return /\d/u.test(word) ? undefined : NOT_FOUND;
  }
  const digits = word.match(/\d+(?:[.,]\d+)*/gu);
  if (digits) {
    // 170公分, 3.5万: the figure's digits are what the MT must show; other spellings go unchecked.
    const found = digits.every((d) => mt.lower.replace(/,/gu, '').includes(d.replace(/,/gu, '')));
    return found ? -1 : undefined;
  }
  const entry = lookupZh(word);
  if (!entry) return undefined;
  const glossWords = glossWordsOf(entry.glosses);
  if (!glossWords.size) return undefined;
  for (const w of glossWords) {
    const at = mt.stems.get(w);
    if (at !== undefined) return at;
  }
  // Derived forms: system → systematic, create → creative (a stem of five letters or more begins the other).
  for (const w of glossWords) {
    if (w.length < 5) continue;
    for (const [stem, at] of mt.stems) {
      if (stem.length >= 5 && (stem.startsWith(w) || w.startsWith(stem))) return at;
    }
  }
  return NOT_FOUND;
}

const glossCache = new Map<readonly string[], Set<string>>();

function glossWordsOf(glosses: readonly string[]): Set<string> {
  let words = glossCache.get(glosses);
  if (words) return words;
  words = new Set<string>();
  for (const gloss of glosses) {
    const plain = gloss.replace(/\([^)]*\)|\[[^\]]*\]|CL:.*|variant of.*|used in.*|see also.*/giu, ' ');
    for (const m of plain.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = normalizeWord(m[0]);
      if (w.length < 2 || isFunctionWord(w) || GLOSS_NOISE.has(w)) continue;
      words.add(stemOf(w));
    }
  }
  if (glossCache.size > 5000) glossCache.clear();
  glossCache.set(glosses, words);
  return words;
}

/** Gloss words that say how a word is used rather than what it means. */
const GLOSS_NOISE = new Set(['sth', 'sb', 'one', 'someone', 'something', 'etc', 'lit', 'fig', 'abbr', 'pr', 'pl', 'esp', 'person', 'thing', 'make', 'get', 'take', 'put', 'give', 'go', 'come', 'do', 'be']);

/** A light stem: plural, -ed, -ing, -ly, -er/-est and a final e removed ("produced", "production" differ). */
export function stemOf(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ss|sh|ch|x)es$/u.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length > 3 && /([^aeiou])\1$/u.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = w.slice(0, -1);
  return w;
}

/** The MT offset after the clause break that follows `from` (or the end of the MT). */
function pointAfter(mt: string, from: number): number {
  const m = /[,;:.!?](?=\s|$)/u.exec(mt.slice(from));
  return m ? from + m.index + 1 : mt.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function quote(text: string): string {
  const chars = [...text];
  return chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join('')}…` : text;
}
