/**
 * The MT side of the omission check: the MT's words indexed by every form a source word's gloss,
 * name, romanisation or figure may meet them by, each with the MT offsets where it ends.
 */
import { normalizeWord } from '../../core/facts.js';
import { rootOf, stemOf } from '../../core/zh/glosses.js';
import { splitPinyin } from '../../core/zh/pinyin.js';
import { phraseKeys, wordKeys } from './nameMatch.js';

export interface MtIndex {
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

export function indexMt(mt: string): MtIndex {
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

const PREFIXES = new Set(['im', 'in', 're', 'un', 'dis', 'en', 'em', 'pre', 'co', 'ex', 'sub', 'inter', 'trans', 'over', 'out', 'up', 'non', 'anti', 'counter', 'mis', 'de']);
