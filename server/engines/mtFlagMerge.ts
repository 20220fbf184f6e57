/** Offline MT flags and LLM flags as one list: an LLM flag that repeats an offline flag is dropped. */
import type { MtFlag, MtFlagKind } from '../core/types.js';
import { llmCategoryOf, sortFlags } from './mtAnnotationFlags.js';
import type { MqmCategory } from './mtAnnotatorPrompt.js';

/** Offline flag kinds that find the same errors as an LLM category: an overlap of the two is one error. */
const SAME_NATURE: Record<MqmCategory, readonly MtFlagKind[]> = {
  'accuracy/mistranslation': ['number', 'magnitude', 'name', 'term'],
  'accuracy/omission': ['omission', 'length', 'number', 'name'],
  'accuracy/addition': ['number', 'magnitude', 'name', 'length'],
  'accuracy/untranslated': ['untranslated'],
  terminology: ['term', 'name'],
  'fluency/grammar': [],
  'fluency/spelling': [],
  'fluency/punctuation': ['untranslated'],
  'fluency/register': [],
  'style/awkward': [],
  other: [],
};

function rangesMeet(a: [number, number], b: [number, number]): boolean {
  if (a[0] < b[1] && b[0] < a[1]) return true;
  if (a[0] === a[1]) return a[0] >= b[0] && a[0] <= b[1];
  if (b[0] === b[1]) return b[0] >= a[0] && b[0] <= a[1];
  return false;
}

/** Same place: the MT ranges meet, or both point at source text that overlaps. */
function samePlace(a: MtFlag, b: MtFlag): boolean {
  if (rangesMeet([a.start, a.end], [b.start, b.end])) return true;
  return (a.sourceSpans ?? []).some((s) => (b.sourceSpans ?? []).some((t) => s[0] < t[1] && t[0] < s[1]));
}

/**
 * Offline flags and LLM flags as one list sorted by start: every offline flag, and the LLM flags
 * that do not repeat one — an LLM flag is dropped when it meets an offline flag of the same nature
 * (a mistranslation on a flagged number, an omission where the omission check points).
 */
export function mergeMtFlags(offline: readonly MtFlag[], llm: readonly MtFlag[]): MtFlag[] {
  const kept = llm.filter((f) => {
    const nature = SAME_NATURE[llmCategoryOf(f) ?? 'other'];
    return !offline.some((o) => nature.includes(o.kind) && samePlace(f, o));
  });
  return sortFlags([...offline, ...kept]);
}
