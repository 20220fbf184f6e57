/**
 * Running Harper over one paragraph within the limits of `GRAMMAR_LIMITS`, and mapping its lints
 * to plain data with UTF-16 offsets into the paragraph. Harper's linter is synchronous
 * WebAssembly, so each lint call blocks the thread's event loop: to keep a hostile paragraph from
 * stalling it we
 *   1. only check the first `GRAMMAR_LIMITS.maxChars` characters,
 *   2. blank out (for Harper only) runs of non-space characters longer than
 *      `GRAMMAR_LIMITS.maxTokenChars` — Harper is super-linear on those and panics on very long
 *      ones —, dropping any lint that touches a blanked run,
 *   3. lint in sentence-aligned chunks of about `GRAMMAR_LIMITS.chunkChars`, yielding to the
 *      event loop between chunks and stopping once `timeBudgetMs` is spent.
 * Whatever is skipped comes back as a notice. If Harper throws, its instance is discarded (a fresh
 * one is built on the next call) and the paragraph gets a notice instead of an exception.
 *
 * Harper 2.10's wasm binding reports spans in UTF-16 units; every span is still verified against
 * Harper's own problem text (and converted from code-point offsets if a future binding changes)
 * and dropped if it cannot be matched, so a flag can never point at the wrong words.
 */
import type { Lint, SuggestionKind } from 'harper.js';
import { discardEngine, getEngine, type Engine } from './grammarLinter.js';
import { sentenceSpans } from './grammarRules.js';
import { GRAMMAR_LIMITS, type GrammarOptions, type RawLint } from './grammarTypes.js';

export interface HarperRun {
  lints: RawLint[];
  /** Offset up to which the text was considered (≤ maxChars). */
  checkedEnd: number;
  notices: string[];
}

export async function runHarper(text: string, options: GrammarOptions): Promise<HarperRun> {
  const budget = options.timeBudgetMs ?? GRAMMAR_LIMITS.timeBudgetMs;
  const notices: string[] = [];
  const checkedEnd = cutPoint(text, GRAMMAR_LIMITS.maxChars);
  if (checkedEnd < text.length) {
    notices.push(
      `Paragraph is ${text.length} characters long; only the first ${checkedEnd} were checked for grammar.`,
    );
  }
  const { masked, ranges: maskedRanges } = maskLongTokens(text.slice(0, checkedEnd));
  const lints: RawLint[] = [];
  if (masked.trim() === '') return { lints, checkedEnd, notices };

  const enginePromiseForRun = getEngine();
  let engine: Engine;
  try {
    engine = await enginePromiseForRun;
  } catch (err) {
    notices.push(`Grammar checker unavailable: ${errorText(err)}`);
    return { lints, checkedEnd, notices };
  }

  const deadline = performance.now() + budget;
  const chunks = chunkSpans(masked);
  for (let i = 0; i < chunks.length; i++) {
    const [cs, ce] = chunks[i]!;
    if (i > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (performance.now() > deadline) {
        notices.push(`Grammar check stopped at character ${cs} of ${text.length} (time limit).`);
        break;
      }
    }
    const chunk = masked.slice(cs, ce);
    if (chunk.trim() === '') continue;
    try {
      const found = await engine.linter.lint(chunk, { language: 'plaintext' });
      collect(found, chunk, cs, engine.suggestionKind, lints);
    } catch (err) {
      discardEngine(enginePromiseForRun);
      notices.push(`Grammar checker failed at character ${cs}: ${errorText(err)}`);
      break;
    }
  }

  const clean = lints.filter(
    (l) => !maskedRanges.some(([ms, me]) => l.start < me && ms < l.end) && l.end <= checkedEnd,
  );
  for (const l of clean) l.problem = text.slice(l.start, l.end);
  return { lints: clean, checkedEnd, notices };
}

/** Read the wasm lint objects into plain data (offset by `base`), freeing them. */
function collect(found: Lint[], chunk: string, base: number, kinds: typeof SuggestionKind, out: RawLint[]): void {
  let codePointMap: number[] | null = null;
  try {
    for (const lint of found) {
      const span = lint.span();
      let start = span.start;
      let end = span.end;
      span.free();
      const problem = lint.get_problem_text();
      if (chunk.slice(start, end) !== problem) {
        // Not UTF-16 offsets? Try Unicode code-point offsets before giving up on this lint.
        codePointMap ??= utf16OffsetsOfCodePoints(chunk);
        const s16 = codePointMap[start];
        const e16 = codePointMap[end];
        if (s16 === undefined || e16 === undefined || chunk.slice(s16, e16) !== problem) continue;
        start = s16;
        end = e16;
      }
      if (!(start >= 0 && end > start && end <= chunk.length)) continue;

      const replacements: string[] = [];
      for (const s of lint.suggestions()) {
        const kind = s.kind();
        const value = s.get_replacement_text();
        s.free();
        if (kind === kinds.Replace) replacements.push(value);
        else if (kind === kinds.Remove) replacements.push('');
        else if (kind === kinds.InsertAfter) replacements.push(problem + value);
      }
      out.push({
        kind: lint.lint_kind(),
        message: lint.message(),
        start: base + start,
        end: base + end,
        problem,
        replacements,
      });
    }
  } finally {
    for (const lint of found) lint.free();
  }
}

/** `map[i]` = UTF-16 offset of the i-th code point; `map[count]` = `s.length`. */
function utf16OffsetsOfCodePoints(s: string): number[] {
  const map: number[] = [];
  let i = 0;
  for (const ch of s) {
    map.push(i);
    i += ch.length;
  }
  map.push(i);
  return map;
}

/** Largest prefix length ≤ max that does not split a surrogate pair, preferably ending at a space. */
function cutPoint(text: string, max: number): number {
  if (text.length <= max) return text.length;
  let cut = max;
  const c = text.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  for (let i = cut; i > cut - 200 && i > 0; i--) {
    if (/\s/.test(text[i - 1]!)) return i;
  }
  return cut;
}

/** Replace every run of more than maxTokenChars non-space characters by as many spaces. */
function maskLongTokens(text: string): { masked: string; ranges: Array<[number, number]> } {
  const ranges: Array<[number, number]> = [];
  const re = new RegExp(`\\S{${GRAMMAR_LIMITS.maxTokenChars + 1},}`, 'g');
  const masked = text.replace(re, (run: string, offset: number) => {
    ranges.push([offset, offset + run.length]);
    return ' '.repeat(run.length);
  });
  return { masked, ranges };
}

/** Sentence-aligned [start, end) chunks covering the whole text. */
function chunkSpans(text: string): Array<[number, number]> {
  const { chunkChars, maxChunkChars } = GRAMMAR_LIMITS;
  if (text.length <= chunkChars) return [[0, text.length]];
  // Cut candidates: the start of each sentence.
  const cuts = sentenceSpans(text).map((s) => s.start).filter((p) => p > 0);
  const coarse: Array<[number, number]> = [];
  let start = 0;
  let prev = 0;
  for (const cut of cuts) {
    if (cut - start > chunkChars && prev > start) {
      coarse.push([start, prev]);
      start = prev;
    }
    prev = cut;
  }
  if (text.length - start > chunkChars && prev > start) {
    coarse.push([start, prev]);
    start = prev;
  }
  coarse.push([start, text.length]);

  // Split oversized chunks at whitespace (masking guarantees a space at least every 49 chars).
  const chunks: Array<[number, number]> = [];
  for (const [cs, ce] of coarse) {
    let s = cs;
    while (ce - s > maxChunkChars) {
      let cut = s + chunkChars;
      while (cut > s + 1 && !/\s/.test(text[cut - 1]!)) cut--;
      if (cut <= s + 1) cut = s + chunkChars;
      chunks.push([s, cut]);
      s = cut;
    }
    chunks.push([s, ce]);
  }
  return chunks;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}
