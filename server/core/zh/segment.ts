/**
 * Chinese word segmentation with part-of-speech tags: jieba (`@node-rs/jieba`, bundled dictionary)
 * with its HMM on, so words its dictionary lacks (宋涛, 岸田文雄) come out whole rather than as
 * single characters.
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

export interface ZhToken {
  word: string;
  /** UTF-16 offsets into the segmented text. */
  start: number;
  end: number;
  /**
   * jieba's tag (ICTCLAS set: n, v, nr person, ns place, nt organisation, nz other proper noun,
   * j abbreviation, m numeral, eng Latin-script word, x punctuation/symbol …) — except that a
   * Chinese word jieba's HMM found outside its dictionary is tagged `un` (jieba says `x`).
   */
  tag: string;
}

let jieba: Jieba | undefined;

/**
 * jieba and its 5 MB dictionary (~30 MB resident) load on the first segmentation: the server's main
 * thread imports the MT checks but runs them on a worker thread, so it never pays for them.
 */
function loadJieba(): Jieba {
  const require = createRequire(import.meta.url);
  const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
  const { dict } = require('@node-rs/jieba/dict.js') as { dict: Buffer };
  return JiebaClass.withDict(dict);
}

const HAN = /\p{Script=Han}/u;
const SPACE = /^\s+$/u;

/**
 * The pieces jieba's dictionary alone makes of a word (HMM off): 宋涛 → 宋/nr 涛/nr, where
 * `segmentZh` gives 宋涛/un. Tells a name the HMM found (both pieces person-tagged) from a
 * stretch of unrelated characters it merged (万至 → 万/m 至/p). Offsets are into `word`.
 */
export function dictionaryPieces(word: string): ZhToken[] {
  if (!word) return [];
  jieba ??= loadJieba();
  let at = 0;
  return jieba.tag(word, false).map(({ word: w, tag }) => {
    const start = at;
    at += w.length;
    return { word: w, start, end: at, tag };
  });
}

/**
 * Tokens of a text in order, whitespace left out. Latin-script runs and digits come through as
 * tokens too ("Bongbong", "Marcos", tag `eng`; "2", tag `m`).
 */
export function segmentZh(text: string): ZhToken[] {
  if (!text) return [];
  // Checks of one paragraph segment the same source in turn: the last answer is kept (copied out).
  if (text === last?.text) return last.tokens.map((t) => ({ ...t }));
  const tokens = segment(text);
  last = { text, tokens };
  return tokens.map((t) => ({ ...t }));
}

let last: { text: string; tokens: ZhToken[] } | undefined;

function segment(text: string): ZhToken[] {
  jieba ??= loadJieba();
  const tokens: ZhToken[] = [];
  let at = 0;
  for (const { word, tag } of jieba.tag(text, true)) {
    // jieba returns the text cut in order; searching guards against it ever normalising a character.
    const start = text.startsWith(word, at) ? at : text.indexOf(word, at);
    if (start < 0) continue;
    at = start + word.length;
    if (SPACE.test(word)) continue;
    tokens.push({ word, start, end: at, tag: tag === 'x' && HAN.test(word) ? 'un' : tag });
  }
  return tokens;
}
