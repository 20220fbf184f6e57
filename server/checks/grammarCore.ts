/**
 * Grammar and readability flags for English paragraphs, using Harper (harper.js, an offline
 * grammar checker compiled to WebAssembly) plus a few cheap checks of our own — run in the
 * calling thread. The rest of the app uses `./grammar.js`, which runs these same functions on
 * Harper's own worker thread (`./offThreadGrammar.ts`, `./grammarWorker.ts`) and falls back to
 * calling them here, in-process, if that worker cannot start or dies.
 *
 * - `lintParagraph(text)` → flags with [start, end) offsets in JS string units (UTF-16 code
 *   units, i.e. what `text.slice(start, end)` uses). Harper 2.10's wasm binding already reports
 *   spans in UTF-16 units; every span is still verified against Harper's own problem text (and
 *   converted from code-point offsets if a future binding changes) and dropped if it cannot be
 *   matched, so a flag can never point at the wrong words.
 * - `safeFixes(text)` → text with only the fixes that are safe by construction applied
 *   (see `SAFE_FIX_KINDS` and `safeReplacement` below).
 *
 * One Harper linter is shared by the thread that uses this module. It is created lazily by the
 * first call (about 1–2 s: the 21 MB inlined binary is imported dynamically, so importing this
 * module is cheap) and reused; concurrent first calls share the same setup promise. Harper's
 * linter is synchronous WebAssembly, so each lint call blocks the thread's event loop: to keep a
 * hostile paragraph from stalling it we
 *   1. only check the first `GRAMMAR_LIMITS.maxChars` characters,
 *   2. blank out (for Harper only) runs of non-space characters longer than
 *      `GRAMMAR_LIMITS.maxTokenChars` — Harper is super-linear on those and panics on very long
 *      ones —, dropping any lint that touches a blanked run,
 *   3. lint in sentence-aligned chunks of about `GRAMMAR_LIMITS.chunkChars`, yielding to the
 *      event loop between chunks and stopping once `timeBudgetMs` is spent.
 * Whatever is skipped is reported with one `Info` flag. If Harper throws (a Rust panic poisons
 * the instance) the instance is discarded, a fresh one is built on the next call, and the
 * paragraph gets an `Info` flag instead of an exception.
 */
import type { Lint, LocalLinter, SuggestionKind } from 'harper.js';

export interface GrammarFlag {
  /** Harper's lint kind (`Repetition`, `Agreement`, `Spelling`, `Formatting`, …),
   *  `Readability` for our long-sentence check, or `Info` for notices about the check itself. */
  kind: string;
  message: string;
  /** UTF-16 offsets into the paragraph: `text.slice(start, end)` is the flagged text. */
  start: number;
  end: number;
  /** Harper's first suggestion, as the full replacement for `text.slice(start, end)`
   *  (`''` means "delete it"). Absent when Harper has none. */
  suggestion?: string;
}

export interface GrammarOptions {
  /** Wall-clock budget for Harper on this paragraph, in ms (default `GRAMMAR_LIMITS.timeBudgetMs`). */
  timeBudgetMs?: number;
}

/** A fix `safeFixes` would apply: replace `[start, end)` of the original text by `replacement`. */
export interface PlannedFix {
  kind: string;
  message: string;
  start: number;
  end: number;
  original: string;
  replacement: string;
}

export const GRAMMAR_LIMITS = {
  /** Only the first this-many characters of a paragraph are checked. */
  maxChars: 20_000,
  /** Runs of non-space characters longer than this are hidden from Harper. */
  maxTokenChars: 48,
  /** Target size of the sentence-aligned chunks handed to Harper. */
  chunkChars: 600,
  /** Hard maximum chunk size (a longer sentence is split at a space). */
  maxChunkChars: 1_000,
  /** Default time budget for Harper per paragraph. */
  timeBudgetMs: 2_000,
  /** At most this many flags are returned per paragraph (plus one Info flag). */
  maxFlags: 500,
  /** Sentences with more words than this get a Readability flag. */
  longSentenceWords: 40,
} as const;

/** Kind used for notices about the check itself (truncation, time limit, checker failure). */
export const INFO_KIND = 'Info';
/** Kind of our own long-sentence flag (Harper's own `LongSentences` rule is switched off). */
export const READABILITY_KIND = 'Readability';

/**
 * Lint kinds whose suggestions `safeFixes` may apply — each only under the extra condition noted:
 * - `Repetition`: the flagged text is one lowercase word repeated ("the the"), replaced by one copy.
 * - `Formatting`, `Punctuation`: the change is whitespace only (double spaces, space before a
 *   comma or full stop, "$ 5" → "$5"); no letter, digit or punctuation mark is added or removed.
 * - `Agreement`, `Miscellaneous` (Harper files a/an here), `Grammar`: only lowercase function
 *   words are swapped for other lowercase function words (a↔an, is↔are, was↔were, this↔these…),
 *   everything else in the flagged text stays identical.
 * Never: `Spelling` or any other kind. Always also required: exactly one suggestion, and the
 * numbers and the capitalised words around the edit are unchanged by it.
 */
export const SAFE_FIX_KINDS: ReadonlySet<string> = new Set([
  'Repetition',
  'Formatting',
  'Punctuation',
  'Agreement',
  'Miscellaneous',
  'Grammar',
]);

const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those',
  'is', 'are', 'was', 'were', 'am', 'has', 'have', 'do', 'does',
  'much', 'many', 'less', 'fewer',
]);

/** Number of real issues in a list of flags (Info notices about the check itself excluded). */
export function countFlags(flags: readonly GrammarFlag[]): number {
  return flags.filter((f) => f.kind !== INFO_KIND).length;
}

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

/** Build this thread's linter now instead of on the first call. Resolves to the time spent waiting, in ms. */
export async function warmUpGrammar(): Promise<number> {
  const t0 = performance.now();
  await getEngine();
  return performance.now() - t0;
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
    warm: () => warmUpGrammar(),
  };
  return run[op]();
}

// ---------------------------------------------------------------------------------------------
// Harper engine (one per thread, lazily created, replaced if it ever fails)

interface Engine {
  linter: LocalLinter;
  suggestionKind: typeof SuggestionKind;
}

let enginePromise: Promise<Engine> | null = null;

/**
 * Run once at setup: Harper builds its spelling-suggestion index lazily on the first misspelling
 * (~1 s) and the wasm code gets optimised on first use, so warm both up with varied news English.
 */
const WARM_UP_TEXT = [
  'Baoan District held an the the meeting on smart wearabel industry tecnology, and and officials said',
  'the output value reached 1.2 billion yuan in 2014 , up 12.4% from a year earlier.',
  'According to the report, most of the products is made by local enterprises; a industry alliance',
  "was established in January, and the city's government will introduce new policies soon.",
  'Its a important step.  He dont know where they was going... "We was there," she said.',
].join(' ');

function getEngine(): Promise<Engine> {
  if (enginePromise === null) {
    const p = createEngine();
    enginePromise = p;
    p.catch(() => {
      if (enginePromise === p) enginePromise = null;
    });
  }
  return enginePromise;
}

async function createEngine(): Promise<Engine> {
  const [harper, inlined] = await Promise.all([import('harper.js'), import('harper.js/binaryInlined')]);
  const linter = new harper.LocalLinter({ binary: inlined.binaryInlined, dialect: harper.Dialect.American });
  await linter.setup();
  // Let the event loop turn once: a one-off ~1 s main-thread task that V8 queues after the wasm
  // set-up is cheap now but would otherwise land in the middle of the first real request.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const config = await linter.getLintConfig();
  // We report long sentences ourselves (fixed message format, our own sentence splitter).
  if ('LongSentences' in config) await linter.setLintConfig({ ...config, LongSentences: false });
  for (const lint of await linter.lint(WARM_UP_TEXT, { language: 'plaintext' })) lint.free();
  return { linter, suggestionKind: harper.SuggestionKind };
}

function discardEngine(p: Promise<Engine>): void {
  if (enginePromise === p) enginePromise = null;
  p.then((e) => e.linter.dispose()).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Running Harper over a paragraph

interface RawLint {
  kind: string;
  message: string;
  start: number;
  end: number;
  /** The flagged text, `text.slice(start, end)`. */
  problem: string;
  /** Each suggestion as the full replacement for `[start, end)`. */
  replacements: string[];
}

interface HarperRun {
  lints: RawLint[];
  /** Offset up to which the text was considered (≤ maxChars). */
  checkedEnd: number;
  notices: string[];
}

async function runHarper(text: string, options: GrammarOptions): Promise<HarperRun> {
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

// ---------------------------------------------------------------------------------------------
// Our own checks

/** A name, abbreviation or code rather than a misspelling: starts with a capital or has digits. */
function isNameLike(word: string): boolean {
  return /^\p{Lu}/u.test(word) || /\p{N}/u.test(word);
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’.,\-][\p{L}\p{N}]+)*/gu;

export function countWords(sentence: string): number {
  let n = 0;
  for (const _ of sentence.matchAll(WORD_RE)) n++;
  return n;
}

function longSentenceFlags(text: string): GrammarFlag[] {
  const flags: GrammarFlag[] = [];
  for (const { start, end } of sentenceSpans(text)) {
    const words = countWords(text.slice(start, end));
    if (words > GRAMMAR_LIMITS.longSentenceWords) {
      flags.push({ kind: READABILITY_KIND, message: `Long sentence: ${words} words`, start, end });
    }
  }
  return flags;
}

const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'no', 'nos', 'co', 'corp', 'ltd', 'inc', 'jr', 'sr', 'vs',
  'etc', 'e.g', 'i.e', 'u.s', 'u.k', 'approx', 'dept', 'gov', 'gen', 'sen', 'rep', 'fig',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

/**
 * Sentences of a paragraph as trimmed [start, end) spans. A sentence ends at . ! ? … (plus closing
 * quotes/brackets) followed by whitespace and a non-lowercase character, or at a line break;
 * a full stop after a known abbreviation or a single capital (an initial) does not end it.
 */
export function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  const terminator = /[.!?…]+["'”’»)\]]*(?=\s|$)|\n/gu;
  const nextChar = /\s*(\S)/uy;
  let start = 0;
  for (const m of text.matchAll(terminator)) {
    const at = m.index;
    const after = at + m[0].length;
    if (m[0] !== '\n') {
      if (m[0].startsWith('.') && !m[0].startsWith('..') && isAbbreviationBefore(text, at)) continue;
      nextChar.lastIndex = after;
      const next = nextChar.exec(text)?.[1];
      if (next !== undefined && /\p{Ll}/u.test(next)) continue;
    }
    push(start, after);
    start = after;
  }
  push(start, text.length);
  return spans;
}

function isAbbreviationBefore(text: string, dotAt: number): boolean {
  const word = /[\p{L}.]+$/u.exec(text.slice(Math.max(0, dotAt - 12), dotAt))?.[0];
  if (word === undefined) return false;
  if (/^\p{Lu}$/u.test(word)) return true; // an initial, as in "J. Smith"
  return ABBREVIATIONS.has(word.replace(/^\.+/, '').toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Safe fixes

/** The replacement for `lint` if it is safe by construction (see SAFE_FIX_KINDS), else null. */
function safeReplacement(text: string, lint: RawLint): string | null {
  if (!SAFE_FIX_KINDS.has(lint.kind) || lint.replacements.length !== 1) return null;
  const replacement = lint.replacements[0]!;
  const original = text.slice(lint.start, lint.end);
  if (replacement === original) return null;

  let ok = false;
  switch (lint.kind) {
    case 'Repetition': {
      const m = /^(\p{Ll}+)\s+(\p{Ll}+)$/u.exec(original);
      ok = m !== null && m[1] === m[2] && replacement === m[1];
      break;
    }
    case 'Formatting':
    case 'Punctuation':
      ok =
        original.replace(/\s+/gu, '') === replacement.replace(/\s+/gu, '') &&
        (!/[\r\n]/.test(replacement) || /[\r\n]/.test(original));
      break;
    default:
      ok = functionWordSwapOnly(original, replacement);
  }
  if (!ok) return null;

  // The numbers and capitalised words around the edit must survive it unchanged.
  let ws = lint.start;
  while (ws > 0 && lint.start - ws < 64 && !/\s/.test(text[ws - 1]!)) ws--;
  let we = lint.end;
  while (we < text.length && we - lint.end < 64 && !/\s/.test(text[we]!)) we++;
  const before = text.slice(ws, we);
  const after = text.slice(ws, lint.start) + replacement + text.slice(lint.end, we);
  return sameTokens(before, after) ? replacement : null;
}

function functionWordSwapOnly(original: string, replacement: string): boolean {
  const a = original.split(/(\p{L}+)/u);
  const b = replacement.split(/(\p{L}+)/u);
  if (a.length !== b.length) return false;
  let changed = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (i % 2 === 0) return false; // a non-letter part changed
    const lower = (w: string): boolean => w === w.toLowerCase() && FUNCTION_WORDS.has(w);
    if (!lower(x) || !lower(y)) return false;
    changed++;
  }
  return changed > 0;
}

const NUMBER_RE = /\p{N}+(?:[.,:/]\p{N}+)*/gu;
const CAPITALISED_RE = /\p{Lu}[\p{L}\p{M}\p{N}'’\-]*/gu;

function sameTokens(a: string, b: string): boolean {
  const seq = (s: string, re: RegExp): string => Array.from(s.matchAll(re), (m) => m[0]).join('\u0000');
  return seq(a, NUMBER_RE) === seq(b, NUMBER_RE) && seq(a, CAPITALISED_RE) === seq(b, CAPITALISED_RE);
}
