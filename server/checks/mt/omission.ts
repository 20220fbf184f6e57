/**
 * Omission check: a source clause none of whose content words shows up in the MT. Each content word
 * of the clause (nouns, verbs, adjectives, numbers, names; jieba's tags) is looked up in CC-CEDICT;
 * it has a counterpart when a word of one of its glosses is among the MT's words — stemmed, or
 * derived (pay ~ payment, plant ~ implant); a name when the MT names it (China = Chinese, US = U.S.)
 * or romanises it (李云杰 = Li Yunjie); a figure when the MT writes its value (2万 = 20,000); a
 * compound the dictionary lacks through its parts (理财产品); a Latin-script word when the same token
 * is there. Each MT word answers for one source word only, and a contested one goes to the clause
 * whose other counterparts are nearest. Glosses still miss synonyms, so a clause is flagged only when
 * several of its words are checkable and at most a third has a counterpart, or when a run of them in
 * a row has none (a dropped stretch of a long clause).
 */
import { normalizeWord } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import { splitZhClauses } from '../../core/zh/clauses.js';
import { hasZhWord, lookupZhWord, toSimplified } from '../../core/zh/dict.js';
import { glossStems, rootOf, stemOf } from '../../core/zh/glosses.js';
import { personPinyin, splitPinyin, syllablesOf } from '../../core/zh/pinyin.js';
import { segmentZh, type ZhToken } from '../../core/zh/segment.js';
import { phraseKeys, wordKeys } from './nameMatch.js';
import { OWN_COUNTRY_KEYS } from './nameSource.js';
import type { MtCheck } from './types.js';

export { stemOf };

const ID = 'mt-omission';
/** jieba tags of content words: nouns, verbs, adjectives, numerals, names, idioms, Latin words. */
const CONTENT_TAG = /^(n|v|a|m|t|s|j|i|l|eng|un|vn|an|nr|ns|nt|nz)/u;
/**
 * Frequent words that are tagged as content but carry little a translation must show: function-like
 * and support verbs (进行, 表示, 得到, 作出, 加以), time deixis a translation may leave to its tense
 * (目前, 近日), vague nouns (方面, 情况) and quantity words.
 */
const LIGHT = new Set(
  `的 了 在 是 和 与 也 都 将 等 有 被 把 对 为 从 向 以 于 而 及 或 但 并 又 就 还 要 会 能 可 让 使 给 这 那 其 之 所 该 个 些
  说 表示 进行 认为 称 指出 一 一个 没有 已经 正在 可以 能够 目前 当前 今年 去年 相关 方面 问题 情况 工作 时间 时候 地方 地区 一些
  这些 那些 不断 进一步 年 月 日 号 时 点 分 到 来 去 做 好 大 小 多 少 近 内 外 上 下 中 前 后 今天 现在 如今 近日 日前 此前 当天
  近年来 近期 今后 日后 未来 发生 得到 存在 需要 可能 看到 了解 告诉 作为 具有 有着 算是 在于 还有 不会 不用 不能 成为 出现 实现 开始 完
  像 达 达到 全部 所有 各 各种 各项 各类 其他 其中 部分 之一 以来 以上 以下 左右 之间 同时 一起 一样 这样 那样 如何 怎么 为何
  共有 加以 予以 给予 作出 做出 做好 做到 想要 感到 觉得 前往 即`.split(/\s+/u),
);
/** A clause needs this many checkable content words to be judged. */
const MIN_WORDS = 2;
/** Flag when at most this share of the clause's checkable words has a counterpart. */
const MAX_MATCHED = 1 / 3;
/** Or when this many checkable words in a row have none. */
const MISSING_RUN = 4;
/** Clauses with this many checkable words (or more) are a major omission. */
const MAJOR_WORDS = 5;
const MAX_QUOTED = 30;

export const omissionCheck: MtCheck = {
  id: ID,
  name: 'Omissions',
  description: 'A source clause whose content words have no counterpart in the MT.',
  version: 2,
  run(mt, source) {
    if (!source || !mt.trim()) return [];
    const flags: MtFlag[] = [];
    /** MT offset just after the last counterpart found so far: where a missing clause would go. */
    let lastMatchEnd = 0;
    for (const [i, clause] of clauseEvidence(mt, source).entries()) {
      const checked = clause.words.filter((w) => !w.shared && w.found !== undefined);
      const matched = checked.filter((w) => w.found !== NOT_FOUND);
      let run = 0;
      let longest = 0;
      for (const w of checked) {
        run = w.found === NOT_FOUND ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      if ((checked.length >= MIN_WORDS && matched.length <= checked.length * MAX_MATCHED) || longest >= MISSING_RUN) {
        const point = i === 0 ? 0 : pointAfter(mt, lastMatchEnd);
        flags.push({
          start: point,
          end: point,
          kind: 'omission',
          severity: checked.length - matched.length >= MAJOR_WORDS ? 'major' : 'minor',
          message: `Source clause not in the MT: "${quote(source.slice(clause.start, clause.end))}"`,
          check: ID,
          sourceSpans: [[clause.start, clause.end]],
        });
      }
      const ends = matched.map((w) => w.found!).filter((at) => at >= 0);
      if (ends.length) lastMatchEnd = Math.max(lastMatchEnd, median(ends));
    }
    return flags;
  },
};

/** One content word of a source clause and what the MT has for it. */
export interface WordEvidence {
  word: string;
  tag: string;
  /**
   * MT offset where its counterpart ends; -1 when it has one whose place is unknown; NOT_FOUND when
   * it has none; undefined when it cannot be checked (the dictionary does not know it).
   */
  found: number | undefined;
  /** The word is in several clauses, so it cannot tell which of them the MT kept. */
  shared: boolean;
}

export interface ClauseEvidence {
  start: number;
  end: number;
  words: WordEvidence[];
}

/** `WordEvidence.found` for a checkable word the MT has nothing for. */
export const NOT_FOUND = -2;

/** The source's clauses with their content words and each word's counterpart in the MT. */
export function clauseEvidence(mt: string, source: string): ClauseEvidence[] {
  const mtIndex = indexMt(mt);
  const { clauses, clauseWords, clausesOf } = sourceClauses(source);
  const evidence = clauses.map((c, i) => ({
    start: c.start,
    end: c.end,
    words: clauseWords[i]!.map((t) => ({ word: t.word, tag: t.tag, found: undefined as number | undefined, shared: clausesOf.get(t.word)! > 1, options: counterpart(t, mtIndex) })),
  }));
  linkWords(evidence, mtIndex);
  return evidence.map((c) => ({ start: c.start, end: c.end, words: c.words.map(({ options: _, ...w }) => w) }));
}

interface Linking {
  found: number | undefined;
  options: number | undefined | string[];
}

/**
 * Gives each source word an MT word, each MT word answering for one source word only (游客 and 旅客
 * cannot both be the one "tourists"). Words no other word competes with take theirs first; an MT
 * word several source words could stand for goes to the one whose clause has its other counterparts
 * nearest, so that a clause the MT dropped does not live on through words of its neighbours.
 */
function linkWords(evidence: ReadonlyArray<{ words: Linking[] }>, mt: MtIndex): void {
  const wanted = new Map<number, number>();
  const candidates = new Map<Linking, number[]>();
  for (const c of evidence) {
    for (const w of c.words) {
      if (!Array.isArray(w.options)) {
        w.found = w.options;
        continue;
      }
      const ends = [...new Set(w.options.flatMap((k) => (k.startsWith('p:') ? [] : mt.occurrences.get(k)!)))];
      candidates.set(w, ends);
      for (const end of ends) wanted.set(end, (wanted.get(end) ?? 0) + 1);
      // A romanised word spells several characters (Hongjin = 鸿 + 锦): it is not used up.
      const romanised = w.options.find((k) => k.startsWith('p:'));
      w.found = romanised ? mt.occurrences.get(romanised)![0]! : NOT_FOUND;
    }
  }
  const used = new Set<number>();
  const contested: Array<{ word: Linking; clause: number }> = [];
  evidence.forEach((c, clause) => {
    for (const w of c.words) {
      const ends = candidates.get(w);
      if (!ends || w.found !== NOT_FOUND) continue;
      const own = ends.find((end) => wanted.get(end) === 1);
      if (own !== undefined) {
        w.found = own;
        used.add(own);
      } else if (ends.length) contested.push({ word: w, clause });
    }
  });
  const anchors = evidence.map((c) => {
    const ends = c.words.map((w) => w.found!).filter((at) => at >= 0);
    return ends.length ? median(ends) : undefined;
  });
  const distance = (end: number, clause: number) => (anchors[clause] === undefined ? Infinity : Math.abs(end - anchors[clause]!));
  const pairs = contested.flatMap(({ word, clause }) => candidates.get(word)!.map((end) => ({ word, end, d: distance(end, clause) })));
  pairs.sort((a, b) => a.d - b.d);
  for (const { word, end } of pairs) {
    if (word.found !== NOT_FOUND || used.has(end)) continue;
    word.found = end;
    used.add(end);
  }
}

interface SourceClauses {
  clauses: ReturnType<typeof splitZhClauses>;
  /** The content words of each clause. */
  clauseWords: ZhToken[][];
  /** How many clauses each content word is in. */
  clausesOf: Map<string, number>;
}

let lastSource: { source: string; clauses: SourceClauses } | undefined;

function sourceClauses(source: string): SourceClauses {
  // One source is checked against each of its MT versions in turn.
  if (lastSource?.source === source) return lastSource.clauses;
  const simplified = toSimplified(source);
  const tokens = mergeFigures(segmentZh(simplified), simplified).map((t, i, all) => (strayPersonTag(all, i) ? { ...t, tag: 'n' } : t));
  const clauses = splitZhClauses(simplified);
  const clauseWords = clauses.map((c) => tokens.filter((t) => t.start >= c.start && t.end <= c.end && isContent(t)));
  const clausesOf = new Map<string, number>();
  for (const words of clauseWords) for (const w of new Set(words.map((t) => t.word))) clausesOf.set(w, (clausesOf.get(w) ?? 0) + 1);
  lastSource = { source, clauses: { clauses, clauseWords, clausesOf } };
  return lastSource.clauses;
}

/**
 * A one-character word jieba tags as a person with no name next to it is a surname read out of
 * context, not a name: 王 in 内容为王 ("content is king").
 */
function strayPersonTag(tokens: readonly ZhToken[], i: number): boolean {
  const t = tokens[i]!;
  if (!PERSON_TAGS.has(t.tag) || t.word.length !== 1) return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const nameNext = (o: ZhToken | undefined, touching: boolean) => !!o && touching && NAME_TAGS.has(o.tag);
  return !nameNext(prev, prev?.end === t.start) && !nameNext(next, next?.start === t.end);
}

function isContent(token: ZhToken): boolean {
  // Numeral words without digits (许多, 一起, 一家) are mostly quantity fillers.
  if (token.tag === 'm' && !/\d/u.test(token.word)) return false;
  return CONTENT_TAG.test(token.tag) && !LIGHT.has(token.word);
}

/**
 * Figures as one token: "3" "," "500" → 3,500; "2" "万人" → 2万 (the rest of the token, a measure
 * word or 人, dropped), so that the MT's "20,000" can answer for it.
 */
function mergeFigures(tokens: ZhToken[], text: string): ZhToken[] {
  const out: ZhToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/^\d+(?:\.\d+)?$/u.test(t.word)) {
      out.push(t);
      continue;
    }
    let end = t.end;
    let j = i;
    // Thousands groups: 3,500 / 20,665.
    while (tokens[j + 1]?.word === ',' && /^\d{3}(?:\.\d+)?$/u.test(tokens[j + 2]?.word ?? '') && tokens[j + 1]!.start === end) {
      j += 2;
      end = tokens[j]!.end;
    }
    const next = tokens[j + 1];
    const scale = next && next.start === end ? /^[万亿]+/u.exec(next.word)?.[0] : undefined;
    if (scale) {
      out.push({ word: text.slice(t.start, end) + scale, start: t.start, end: end + scale.length, tag: 'm' });
      j++;
    } else out.push({ word: text.slice(t.start, end), start: t.start, end, tag: 'm' });
    i = j;
  }
  return out;
}

interface MtIndex {
  /** Keys of the MT's words → MT offsets of the end of each occurrence: `s:` stems, `r:` derivational roots, `n:` name keys. */
  occurrences: Map<string, number[]>;
  /** Stems of the MT's words, for comparing with longer or shorter gloss words. */
  stems: Set<string>;
  /** Stems of five letters or more by their first five. */
  byStart: Map<string, string[]>;
  /** MT stems that are a prefix and a word of four letters or more, by the word: plant → [implant]. */
  prefixed: Map<string, string[]>;
  /** `a:` keys of the MT's acronyms (VNA, AFP). */
  acronyms: string[];
  /** The MT's figures, commas dropped, with the value of "2.5 million" too. */
  figures: Set<string>;
  lower: string;
}

const SCALE_WORDS: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

interface WordAnalysis {
  norm: string;
  stem: string;
  root: string | undefined;
  /** Name keys (`wordKeys`) of a capitalised word. */
  names: readonly string[];
}

const analysed = new Map<string, WordAnalysis>();

/** An MT word's comparable forms, remembered: news paragraphs repeat their words. */
function analyse(word: string): WordAnalysis {
  let a = analysed.get(word);
  if (!a) {
    if (analysed.size >= 50_000) analysed.clear();
    const norm = normalizeWord(word);
    const stem = stemOf(norm);
    a = { norm, stem, root: rootOf(stem), names: /^\p{Lu}/u.test(word) ? wordKeys(word) : [] };
    analysed.set(word, a);
  }
  return a;
}

function indexMt(mt: string): MtIndex {
  const occurrences = new Map<string, number[]>();
  const stems = new Set<string>();
  const figures = new Set<string>();
  const add = (key: string, at: number) => {
    const list = occurrences.get(key);
    if (!list) occurrences.set(key, [at]);
    else if (list[list.length - 1] !== at) list.push(at);
  };
  let previous: { text: string; end: number } | undefined;
  for (const m of mt.matchAll(/[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu)) {
    const end = m.index + m[0].length;
    // "20,000" is one figure; "Paris,France" two words.
    const parts = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u.test(m[0]) ? [m[0].replace(/,/gu, '')] : m[0].split(',');
    for (const part of parts) {
      const { norm, stem, root, names } = analyse(part);
      stems.add(stem);
      add(`s:${stem}`, end);
      if (root) add(`r:${root}`, end);
      for (const k of names) add(`n:${k}`, end);
      if (/^\d/u.test(part)) figures.add(part);
      const scale = SCALE_WORDS[norm];
      if (scale && previous && /^\d+(?:\.\d+)?$/u.test(previous.text)) figures.add(String(Number(previous.text) * scale));
      if (previous && /^\p{Lu}/u.test(previous.text) && /^\p{Lu}/u.test(part)) for (const k of phraseKeys(`${previous.text} ${part}`, true)) add(`n:${k}`, end);
      previous = { text: part, end };
    }
  }
  // Romanised names: every run of up to four syllables of capitalised pinyin words written together
  // ("Tianyi Hongjin" → tian, yi, tianyi, …, yihong, …; "Li Yunjie" → liyunjie; "Ling-li"), and acronyms (VNA, AFP).
  let run: Array<{ syllable: string; end: number }> = [];
  let runEnd = -1;
  const addRun = () => {
    for (let i = 0; i < run.length; i++) {
      let joined = '';
      for (let j = i; j < Math.min(run.length, i + 4); j++) add(`p:${(joined += run[j]!.syllable)}`, run[j]!.end);
    }
    run = [];
  };
  for (const m of mt.matchAll(/\p{Lu}[\p{L}'’-]*/gu)) {
    const end = m.index + m[0].length;
    if (/^\p{Lu}{2,}$/u.test(m[0])) add(`a:${m[0]}`, end);
    const syllables = m[0].length <= 24 ? splitPinyin(m[0]) : undefined;
    if (!syllables || m.index !== runEnd + 1 || mt[runEnd] !== ' ') addRun();
    if (syllables) run.push(...syllables.map((syllable) => ({ syllable, end })));
    runEnd = end;
  }
  addRun();
  const byStart = new Map<string, string[]>();
  for (const stem of stems) {
    if (stem.length < 5) continue;
    const start = stem.slice(0, 5);
    const list = byStart.get(start);
    if (list) list.push(stem);
    else byStart.set(start, [stem]);
  }
  const prefixed = new Map<string, string[]>();
  for (const stem of stems) {
    for (const prefix of PREFIXES) {
      if (stem.length - prefix.length < 4 || !stem.startsWith(prefix)) continue;
      const rest = stem.slice(prefix.length);
      const list = prefixed.get(rest);
      if (list) list.push(stem);
      else prefixed.set(rest, [stem]);
    }
  }
  const acronyms = [...occurrences.keys()].filter((k) => k.startsWith('a:'));
  return { occurrences, stems, byStart, prefixed, acronyms, figures, lower: mt.toLowerCase() };
}

/**
 * What the MT has for a word: a fixed answer (see `WordEvidence.found`), or the keys of MT words
 * that could stand for it, best first (none: NOT_FOUND once linked).
 */
function counterpart(token: ZhToken, mt: MtIndex): number | undefined | string[] {
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

/** jieba tags of words that may be names: people, places, organisations, other proper nouns, abbreviations, unknown words. */
const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt', 'ns', 'nt', 'nz', 'j', 'un']);
const ORGANISATION_TAGS = new Set(['nt', 'j', 'nz']);
const UNCERTAIN_TAGS = new Set(['nr', 'nrfg', 'nrt', 'un']);
const TITLE = /(?:先生|女士|小姐|夫人|太太)$/u;

function romanised(token: ZhToken): string {
  const bare = token.word.replace(TITLE, '') || token.word;
  const syllables = PERSON_TAGS.has(token.tag) ? personPinyin(bare) : syllablesOf(bare).map((s) => s.text);
  return syllables.join('');
}

const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);

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

const PREFIXES = new Set(['im', 'in', 're', 'un', 'dis', 'en', 'em', 'pre', 'co', 'ex', 'sub', 'inter', 'trans', 'over', 'out', 'up', 'non', 'anti', 'counter', 'mis', 'de']);

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
