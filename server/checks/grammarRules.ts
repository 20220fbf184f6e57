/**
 * Our own grammar rules beside Harper's: which Harper spelling flags are names, the long-sentence
 * readability flag and the sentence splitter behind it, and the conditions under which a Harper
 * suggestion is a safe fix (see `SAFE_FIX_KINDS`).
 */
import { GRAMMAR_LIMITS, READABILITY_KIND, SAFE_FIX_KINDS, type GrammarFlag, type RawLint } from './grammarTypes.js';

// ---------------------------------------------------------------------------------------------
// Sentences and names

/** A name, abbreviation or code rather than a misspelling: starts with a capital or has digits. */
export function isNameLike(word: string): boolean {
  return /^\p{Lu}/u.test(word) || /\p{N}/u.test(word);
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’.,\-][\p{L}\p{N}]+)*/gu;

export function countWords(sentence: string): number {
  let n = 0;
  for (const _ of sentence.matchAll(WORD_RE)) n++;
  return n;
}

export function longSentenceFlags(text: string): GrammarFlag[] {
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

/** The words a safe fix may swap for one another (a↔an, is↔are, this↔these…). */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those',
  'is', 'are', 'was', 'were', 'am', 'has', 'have', 'do', 'does',
  'much', 'many', 'less', 'fewer',
]);

/** The replacement for `lint` if it is safe by construction (see SAFE_FIX_KINDS), else null. */
export function safeReplacement(text: string, lint: RawLint): string | null {
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

export function sameTokens(a: string, b: string): boolean {
  const seq = (s: string, re: RegExp): string => Array.from(s.matchAll(re), (m) => m[0]).join('\u0000');
  return seq(a, NUMBER_RE) === seq(b, NUMBER_RE) && seq(a, CAPITALISED_RE) === seq(b, CAPITALISED_RE);
}

