/** Negation cues of a text (not, never, no …) with their spans. */
import { recent, type Span } from './words.js';

export interface NegationFact {
  text: string;
  span: Span;
  /** The cue in a canonical form: `not` (also for n't and cannot), `no`, `never`, `fail to`, `deny`… */
  cue: string;
}

const NEGATION =
  /\b(?:not|no|never|neither|nor|without|none|nobody|nothing|nowhere|cannot|fail(?:s|ed|ing)?\s+to|den(?:y|ies|ied|ying))\b|\Bn['’]t\b/giu;
/** Phrases built on a negation word that say something positive or merely compare. */
const NOT_NEGATION =
  /^(?:not\s+only|not\s+just|not\s+least|no\s+doubt|no\s+(?:more|less|fewer)\s+than|not\s+(?:more|less|fewer)\s+than|nothing\s+but|no\.?\s*\d)/iu;

function negationCue(word: string): string {
  const w = word.toLowerCase().replace(/\s+/g, ' ');
  if (w === 'cannot' || /^n['’]t$/.test(w)) return 'not';
  if (w.startsWith('fail')) return 'fail to';
  if (w.startsWith('den')) return 'deny';
  return w;
}

/** Negation cues: not, n't, cannot, no, never, neither, nor, without, none, nobody, nothing, fail to, deny. */
/** Shared between callers (memoised per text): do not change the array. */
export function findNegations(text: string): readonly NegationFact[] {
  return findNegationsMemo(text);
}

const findNegationsMemo = recent((text: string): readonly NegationFact[] => findNegationsOf(text));

function findNegationsOf(text: string): NegationFact[] {
  const out: NegationFact[] = [];
  let neither = -1;
  for (const m of text.matchAll(NEGATION)) {
    const start = m.index;
    if (NOT_NEGATION.test(text.slice(start, start + 24))) continue;
    const cue = negationCue(m[0]);
    // "neither … nor" is one negation, as "not … or" is.
    if (cue === 'nor' && neither >= 0 && !/[.!?;]/.test(text.slice(neither, start))) {
      neither = -1;
      continue;
    }
    if (cue === 'neither') neither = start;
    out.push({ text: m[0], span: [start, start + m[0].length], cue });
  }
  return out;
}
