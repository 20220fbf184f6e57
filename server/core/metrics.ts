/**
 * Post-editing effort. HTER here is the "no shifts" variant: word-level Levenshtein distance over
 * whitespace tokens, case-sensitive, divided by the number of reference words (as in the shared
 * eval README's baseline). TER proper also allows block shifts; we say so wherever we print a figure.
 */
export const HTER_VARIANT = 'word Levenshtein, no shifts, whitespace tokens, case-sensitive';

export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
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
