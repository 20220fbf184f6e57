/**
 * From the annotator's MQM errors to MT flags: each error's span looked up in the MT (a span that is
 * not there is dropped, never guessed; an omission with only a source span gets a point in the MT),
 * and a one-line message that starts with the category's label.
 */
import type { MtFlag } from '../core/types.js';
import type { MqmCategory, RawMqmError } from './mtAnnotatorPrompt.js';
import { SpanPlacer } from './mtSpans.js';

/** The `check` of every LLM flag. */
export const MT_LLM_CHECK = 'mt-llm';

/** Short labels that start each message; also how mergeMtFlags tells a flag's category. */
const LABELS: Record<MqmCategory, string> = {
  'accuracy/mistranslation': 'Mistranslation',
  'accuracy/omission': 'Omission',
  'accuracy/addition': 'Addition',
  'accuracy/untranslated': 'Untranslated',
  terminology: 'Terminology',
  'fluency/grammar': 'Grammar',
  'fluency/spelling': 'Spelling',
  'fluency/punctuation': 'Punctuation',
  'fluency/register': 'Register',
  'style/awkward': 'Awkward',
  other: 'Other',
};

const MAX_MESSAGE = 200;
/** Control characters, zero-width and bidirectional formatting characters. */
const UNSAFE = /[\p{Cc}\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** One line of plain text: no control or bidi characters, no runs of spaces, at most MAX_MESSAGE long. */
export function plainLine(s: string): string {
  const flat = s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

function messageOf(e: RawMqmError): string {
  const label = LABELS[e.category];
  const why = plainLine(e.explanation) || (e.span.trim() ? `"${plainLine(e.span)}"` : 'no explanation given');
  return plainLine(`${label}: ${why}`);
}

/** The category of an LLM flag, read back from its message label; undefined for other flags. */
export function llmCategoryOf(flag: MtFlag): MqmCategory | undefined {
  if (flag.kind !== 'llm') return undefined;
  const label = flag.message.split(':', 1)[0];
  return (Object.keys(LABELS) as MqmCategory[]).find((c) => LABELS[c] === label);
}

/**
 * Where in the MT the content of a source span would go, when the model gives no MT span for an
 * omission: the same relative position, moved to the nearest word end.
 */
function omissionPoint(mt: string, source: string, [start, end]: [number, number]): number {
  const guess = Math.round((((start + end) / 2) / Math.max(1, source.length)) * mt.length);
  const isWordEnd = (i: number) => i === 0 || i === mt.length || /\s/.test(mt[i]!);
  for (let d = 0; d <= mt.length; d++) {
    if (guess - d >= 0 && isWordEnd(guess - d)) return guess - d;
    if (guess + d <= mt.length && isWordEnd(guess + d)) return guess + d;
  }
  return mt.length;
}

/** Flags for the errors whose spans occur; the rest are counted as dropped. */
export function placeErrors(mt: string, source: string | undefined, errors: readonly RawMqmError[]): { flags: MtFlag[]; dropped: number } {
  const inMt = new SpanPlacer(mt);
  const inSource = source?.trim() ? new SpanPlacer(source) : undefined;
  const flags: MtFlag[] = [];
  let dropped = 0;
  for (const e of errors) {
    const src = inSource && e.sourceSpan.trim() ? inSource.place(e.sourceSpan) : null;
    let range: [number, number] | null;
    if (e.span.trim()) range = inMt.place(e.span);
    else if (e.category === 'accuracy/omission' && src && source) {
      const at = omissionPoint(mt, source, src);
      range = [at, at];
    } else range = null;
    if (!range) {
      dropped++;
      continue;
    }
    flags.push({
      start: range[0],
      end: range[1],
      kind: 'llm',
      severity: e.severity,
      message: messageOf(e),
      check: MT_LLM_CHECK,
      ...(src ? { sourceSpans: [src] } : {}),
    });
  }
  return { flags: sortFlags(flags), dropped };
}

/** Sorted by start, then end (in place). */
export function sortFlags(flags: MtFlag[]): MtFlag[] {
  return flags.sort((a, b) => a.start - b.start || a.end - b.end);
}
