/**
 * Grammar and readability flags for English paragraphs (Harper plus a few checks of our own), and
 * the offline engine's "safe fixes" pass. What the functions compute is described in
 * `./grammarCore.ts`; here they run on Harper's own worker thread (`./offThreadGrammar.ts`), so
 * Harper's WebAssembly — milliseconds per paragraph, ~1.5 s and several hundred MB on first use —
 * never runs on the thread that serves HTTP requests. If the worker cannot start or dies, the
 * same code runs in-process instead: same answers, nothing skipped.
 */
import { runGrammarOffThread } from './offThreadGrammar.js';
import type { GrammarFlag, GrammarOptions, PlannedFix } from './grammarCore.js';

export {
  countFlags,
  countWords,
  GRAMMAR_LIMITS,
  INFO_KIND,
  READABILITY_KIND,
  SAFE_FIX_KINDS,
  sentenceSpans,
  type GrammarFlag,
  type GrammarOptions,
  type PlannedFix,
} from './grammarCore.js';
export { grammarRunsOffThread, releaseGrammarWorker } from './offThreadGrammar.js';

/** Flags with [start, end) UTF-16 offsets into `text`, sorted by position (see grammarCore.ts). */
export function lintParagraph(text: string, options: GrammarOptions = {}): Promise<GrammarFlag[]> {
  return runGrammarOffThread('lint', text, options);
}

/** The fixes `safeFixes` would apply, in text order, non-overlapping, with original offsets. */
export function planSafeFixes(text: string, options: GrammarOptions = {}): Promise<PlannedFix[]> {
  return runGrammarOffThread('plan', text, options);
}

/** `text` with only the safe Harper fixes applied (see `SAFE_FIX_KINDS`). */
export function safeFixes(text: string, options: GrammarOptions = {}): Promise<string> {
  return runGrammarOffThread('fix', text, options);
}

/**
 * Start the worker and build its linter now (e.g. at server start) instead of on the first request.
 * With `text` — a paragraph someone is about to change (an edit box opened, a suggestion asked for) —
 * also lint it there, results dropped, so the changed text's flags wait neither for Harper's start
 * (~1.5–3 s) nor for what a new linter pays once on the first word of six letters or more with no near
 * dictionary word (many pinyin names: ~4 s of CPU here, ~8 s before the tier-up budget of grammarLinter.ts).
 * Resolves to the time spent waiting, in ms.
 */
export async function warmUpGrammar(text = ''): Promise<number> {
  const t0 = performance.now();
  await runGrammarOffThread('warm', text);
  return performance.now() - t0;
}
