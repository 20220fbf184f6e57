/**
 * Grammar and readability flags for English paragraphs, using Harper (harper.js, an offline
 * grammar checker compiled to WebAssembly) plus a few cheap checks of our own — run in the
 * calling thread. The rest of the app uses `./grammar.js`, which runs these same functions on
 * Harper's own worker thread (`./offThreadGrammar.ts`, `./grammarWorker.ts`) and falls back to
 * calling them here, in-process, if that worker cannot start or dies.
 *
 * - `lintParagraph(text)` → flags with [start, end) offsets in JS string units (UTF-16 code
 *   units, i.e. what `text.slice(start, end)` uses).
 * - `safeFixes(text)` → text with only the fixes that are safe by construction applied
 *   (see `SAFE_FIX_KINDS` and `safeReplacement` in `./grammarRules.ts`).
 *
 * The parts: `./grammarLinter.ts` loads, warms and replaces Harper's linter (one per thread);
 * `./grammarRun.ts` runs it over a paragraph within `GRAMMAR_LIMITS` and maps its lints to
 * offsets; `./grammarRules.ts` holds our own rules; `./grammarTypes.ts` the types and limits.
 */
import { warmUpGrammar } from './grammarLinter.js';
import { isNameLike, longSentenceFlags, safeReplacement, sameTokens } from './grammarRules.js';
import { runHarper } from './grammarRun.js';
import { GRAMMAR_LIMITS, INFO_KIND, type GrammarFlag, type GrammarOptions, type PlannedFix } from './grammarTypes.js';

export { warmUpGrammar } from './grammarLinter.js';
export { countWords, sentenceSpans } from './grammarRules.js';
export {
  countFlags,
  GRAMMAR_LIMITS,
  INFO_KIND,
  READABILITY_KIND,
  SAFE_FIX_KINDS,
  type GrammarFlag,
  type GrammarOptions,
  type PlannedFix,
} from './grammarTypes.js';

export async function lintParagraph(text: string, options: GrammarOptions = {}): Promise<GrammarFlag[]> {
  const run = await runHarper(text, options);
  const flags: GrammarFlag[] = [];
  for (const lint of run.lints) {
    if (lint.kind === 'Spelling' && isNameLike(lint.problem)) continue;
    const flag: GrammarFlag = { kind: lint.kind, message: lint.message, start: lint.start, end: lint.end };
    const first = lint.replacements[0];
    if (first !== undefined) flag.suggestion = first;
    flags.push(flag);
  }
  flags.push(...longSentenceFlags(text.slice(0, run.checkedEnd)));
  flags.sort((a, b) => a.start - b.start || a.end - b.end);

  const notices = [...run.notices];
  if (flags.length > GRAMMAR_LIMITS.maxFlags) {
    notices.push(`Only the first ${GRAMMAR_LIMITS.maxFlags} of ${flags.length} grammar flags are shown.`);
    flags.length = GRAMMAR_LIMITS.maxFlags;
  }
  if (notices.length > 0) {
    flags.push({ kind: INFO_KIND, message: notices.join(' '), start: 0, end: 0 });
  }
  return flags;
}

/** The fixes `safeFixes` would apply, in text order, non-overlapping, with original offsets. */
export async function planSafeFixes(text: string, options: GrammarOptions = {}): Promise<PlannedFix[]> {
  const run = await runHarper(text, options);
  const candidates: PlannedFix[] = [];
  for (const lint of run.lints) {
    const replacement = safeReplacement(text, lint);
    if (replacement === null) continue;
    candidates.push({
      kind: lint.kind,
      message: lint.message,
      start: lint.start,
      end: lint.end,
      original: text.slice(lint.start, lint.end),
      replacement,
    });
  }
  // Keep non-overlapping fixes, preferring the later one (we apply from the end backwards).
  candidates.sort((a, b) => b.start - a.start || b.end - a.end);
  const kept: PlannedFix[] = [];
  let limit = Infinity;
  for (const fix of candidates) {
    if (fix.end > limit) continue;
    kept.push(fix);
    limit = fix.start;
  }
  return kept.reverse();
}

/** Apply only the safe Harper fixes (see `SAFE_FIX_KINDS`), from the end of the text backwards. */
export async function safeFixes(text: string, options: GrammarOptions = {}): Promise<string> {
  const fixes = await planSafeFixes(text, options);
  let out = text;
  for (let i = fixes.length - 1; i >= 0; i--) {
    const fix = fixes[i]!;
    out = out.slice(0, fix.start) + fix.replacement + out.slice(fix.end);
  }
  // Belt and braces: the whole text must keep the same numbers and capitalised words.
  if (!sameTokens(text, out)) return text;
  return out;
}


/** What each grammar operation resolves to (the operations `./grammar.js` runs off-thread). */
export interface GrammarResults {
  lint: GrammarFlag[];
  plan: PlannedFix[];
  fix: string;
  warm: number;
}
export type GrammarOp = keyof GrammarResults;

/** Run one grammar operation in this thread (the worker's body, and the in-process fallback). */
export function runGrammarOp<K extends GrammarOp>(op: K, text: string, options: GrammarOptions = {}): Promise<GrammarResults[K]> {
  const run: { [P in GrammarOp]: () => Promise<GrammarResults[P]> } = {
    lint: () => lintParagraph(text, options),
    plan: () => planSafeFixes(text, options),
    fix: () => safeFixes(text, options),
    // With a text: also lint it, results dropped, so the linter has met its words (see grammar.ts's
    // warmUpGrammar) before the changed text comes.
    warm: async () => {
      const ms = await warmUpGrammar();
      if (text.trim()) await lintParagraph(text, options);
      return ms;
    },
  };
  return run[op]();
}
