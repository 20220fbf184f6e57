/**
 * Post-editing effort. HTER here is the "no shifts" variant: word-level Levenshtein distance over
 * whitespace tokens, case-sensitive, divided by the number of reference words (as in the shared
 * eval README's baseline). TER proper also allows block shifts; we say so wherever we print a figure.
 */
import { stripMarkers } from './inlineCodes.js';

export const HTER_VARIANT = 'word Levenshtein, no shifts, whitespace tokens, case-sensitive';

/** Whitespace tokens; inline-code markers (⟦1⟧, ⟦/1⟧) are not words and are left out. */
export function words(text: string): string[] {
  return stripMarkers(text).split(/\s+/).filter(Boolean);
}

/** Largest DP table computed exactly; beyond it the distance is estimated from a diff (an upper bound). */
const EXACT_LIMIT = 4_000_000;

/** Minimum number of word insertions, deletions and substitutions turning `a` into `b`. */
export function wordEditDistance(a: string | string[], b: string | string[]): number {
  const x = typeof a === 'string' ? words(a) : a;
  const y = typeof b === 'string' ? words(b) : b;
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  if (x.length * y.length > EXACT_LIMIT) return bandedEstimate(x, y);
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1]! + (xi === y[j - 1] ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}

/** For huge inputs: common prefix/suffix stripped, the rest counted as max(len) substitutions. */
function bandedEstimate(x: string[], y: string[]): number {
  let s = 0;
  while (s < x.length && s < y.length && x[s] === y[s]) s++;
  let e = 0;
  while (e < x.length - s && e < y.length - s && x[x.length - 1 - e] === y[y.length - 1 - e]) e++;
  return Math.max(x.length - s - e, y.length - s - e);
}

/** HTER of a hypothesis against a reference (post-edit): edits ÷ reference words. */
export function hter(hypothesis: string, reference: string): number {
  const ref = words(reference);
  const d = wordEditDistance(words(hypothesis), ref);
  if (ref.length === 0) return d === 0 ? 0 : 1;
  return d / ref.length;
}

/** Corpus-level HTER: Σ edits ÷ Σ reference words. */
export function corpusHter(pairs: Array<{ hypothesis: string; reference: string }>): number {
  let edits = 0;
  let refWords = 0;
  for (const p of pairs) {
    edits += wordEditDistance(p.hypothesis, p.reference);
    refWords += words(p.reference).length;
  }
  return refWords === 0 ? 0 : edits / refWords;
}

/** An HTER figure over several paragraphs: the mean of their HTERs and the corpus HTER (Σ edits ÷ Σ reference words). */
export interface HterStat {
  /** Paragraphs counted. */
  n: number;
  /** Σ word edits. */
  edits: number;
  /** Σ reference (final) words. */
  words: number;
  /** Mean of the paragraphs' HTER. */
  mean: number;
  /** Σ edits ÷ Σ words (0 when there are no reference words). */
  corpus: number;
}

/** HTER from an edit count and a reference length, with the same edge cases as `hter`. */
export function hterOf(edits: number, referenceWords: number): number {
  if (referenceWords === 0) return edits === 0 ? 0 : 1;
  return edits / referenceWords;
}

/** Mean and corpus HTER of paragraphs given as their edit counts and reference lengths; null for none. */
export function hterStat(items: Array<{ edits: number; words: number }>): HterStat | null {
  if (!items.length) return null;
  let edits = 0;
  let words = 0;
  let sum = 0;
  for (const x of items) {
    edits += x.edits;
    words += x.words;
    sum += hterOf(x.edits, x.words);
  }
  return { n: items.length, edits, words, mean: sum / items.length, corpus: words === 0 ? 0 : edits / words };
}

/** `part ÷ total`, or null when there is nothing to divide by. */
export function rate(part: number, total: number): number | null {
  return total > 0 ? part / total : null;
}

/** Seconds spent per word of the final text; null when no timed words. */
export function secondsPerWord(seconds: number, words: number): number | null {
  return words > 0 ? seconds / words : null;
}

export interface HterBin {
  /** Lower bound, inclusive. */
  from: number;
  /** Upper bound, exclusive; null for the open last bin (HTER can exceed 1 when the MT was longer). */
  to: number | null;
  count: number;
}

/**
 * Histogram of HTER values in bins of `width` from 0 up to `top`, plus an open bin `[top, ∞)`.
 * A value on a boundary goes to the bin it opens (0.1 is in [0.1, 0.2)).
 */
export function hterHistogram(values: number[], width = 0.1, top = 1): HterBin[] {
  const n = Math.round(top / width);
  const bins: HterBin[] = [];
  for (let i = 0; i < n; i++) bins.push({ from: round6(i * width), to: round6((i + 1) * width), count: 0 });
  bins.push({ from: round6(top), to: null, count: 0 });
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) continue;
    // The epsilon keeps 0.3 (= 2.9999… tenths in floating point) in [0.3, 0.4).
    const i = Math.min(n, Math.floor(v / width + 1e-9));
    bins[i]!.count++;
  }
  return bins;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
