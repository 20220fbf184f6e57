/**
 * The offline engine: deterministic, safe cleanup only. It fixes spacing, doubled words, stray quotes,
 * applies the desk glossary and writes long plain numbers readably; it never changes a number's value
 * or a proper name. It is what editors get when no LLM is configured.
 */
import { maskCodes, markerSequence } from '../core/codeText.js';
import { isFunctionWord } from '../core/facts.js';
import { applyGlossary, monolingualEntries } from '../core/glossary.js';
import { applySourceFixes } from './sourceFixes.js';
import type { Engine, SuggestRequest, SuggestResult } from './types.js';

export const OFFLINE_VERSION = 'offline-cleanup-3';

/**
 * "sentence.The" → "sentence. The". After a capitalised word the dot may be part of a name
 * ("Kasparov.Ru", "Rino.Ink"): split only when the next word opens sentences ("April.The"). A dot,
 * slash or @ before the first word makes it part of an address: left alone.
 */
const GLUED_SENTENCES = /(?<![\p{L}\p{N}./@])(\p{L}{2,})\.(\p{Lu}\p{Ll}+)(?![\p{L}\p{N}]|\.[\p{L}\p{N}])/gu;

export function fixSpacing(text: string): string {
  return text
    .replace(/[ \t\u00A0]{2,}/g, ' ')
    .replace(/\s+([,.;:!?%)\]])/g, '$1')
    .replace(/([(\[])\s+/g, '$1')
    // A comma, semicolon or colon glued to the next word (but not inside numbers like 1,000 or 10:30).
    .replace(/([,;:])(?=\p{L})/gu, '$1 ')
    .replace(GLUED_SENTENCES, (m, before: string, after: string) => (/^\p{Ll}/u.test(before) || isFunctionWord(after) ? `${before}. ${after}` : m))
    .trim();
}

/** Words English doubles on purpose: "she had had enough", "he said that that was wrong". */
const GRAMMATICAL_DOUBLES = new Set(['had', 'that']);

/** "the the" → "the": lowercase words only, so names and numbers are never touched. */
export function removeDoubledWords(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])(\p{Ll}+)(\s+)\1(?![\p{L}\p{N}])/gu, (m, word: string) => (GRAMMATICAL_DOUBLES.has(word) ? m : word));
}

/**
 * With an odd number of straight double quotes, a quote standing alone after a word at the end
 * (`leader ".`) is a leftover of the MT; removing it balances the rest. A quote after the closing
 * punctuation (`hours. "`) closes a quotation opened in an earlier sentence: it stays.
 */
export function balanceQuotes(text: string): string {
  const count = (text.match(/"/g) ?? []).length;
  if (count % 2 === 0) return text;
  const stray = /(?<=[\p{L}\p{N}])\s+"(?=[.,;:!?]?\s*$)/u;
  if (stray.test(text)) return text.replace(stray, '');
  return text;
}

const SCALES: Array<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];

/** Writes a plain integer of a million or more as "1 billion", "8.56 billion", when that is exact. */
export function readableNumber(digits: string): string {
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return digits;
  for (const [scale, word] of SCALES) {
    if (n < scale) continue;
    // Only exact values with at most 3 decimals: the value must not change.
    const step = scale / 1000;
    if (n % step === 0) return `${String(n / step / 1000)} ${word}`;
    break;
  }
  if (n >= 10000) return n.toLocaleString('en-US');
  return digits;
}

/** A decimal comma ("85,7%", "3,14"): the text writes numbers the European way, where "31,000" misleads. */
const DECIMAL_COMMA = /\d,\d{1,2}(?!\d)/;

/**
 * Plain runs of 5+ digits not touching other digits, separators or decimals. A number right after an
 * all-capitals word, an abbreviation or a № sign is a code, not a quantity ("ISO 14001",
 * "No. 12345", "GB 50016"): left as written.
 */
export function readableNumbers(text: string): string {
  if (DECIMAL_COMMA.test(text)) return text;
  return text.replace(/(?<![\d.,])\d{5,}(?![\d]|[.,]\d)/g, (m, offset: number) => (CODE_BEFORE.test(text.slice(Math.max(0, offset - 24), offset)) ? m : readableNumber(m)));
}

const CODE_BEFORE = /(?:\b\p{Lu}[\p{Lu}\d/-]*|\bNo\.|\bno\.|#|№)\s*$/u;

export interface OfflineOptions {
  /** A last pass of fixes that are safe by construction (the Harper grammar checker's `safeFixes`
   *  in the app, which runs on Harper's own worker thread, off the thread serving requests). */
  polish?: (text: string) => Promise<string>;
}

export class OfflineEngine implements Engine {
  readonly id = 'offline';
  readonly model: string;
  readonly #polish: OfflineOptions['polish'];

  constructor(options: OfflineOptions = {}) {
    this.#polish = options.polish;
    this.model = options.polish ? `${OFFLINE_VERSION}+grammar` : OFFLINE_VERSION;
  }

  describe(): string {
    return 'Suggestions: offline cleanup — set OPENAI_API_KEY or OPENAI_BASE_URL for LLM rewrites';
  }

  async suggest(request: SuggestRequest): Promise<SuggestResult> {
    // Offsets of the MT checks are into the text as given: their fixes go first.
    const fixed = applySourceFixes(request.text, request.context.checks);
    // Inline codes (⟦1⟧, ⟦/1⟧) are masked: no rule below can change, drop or move one.
    const masked = maskCodes(fixed);
    let text = masked.text;
    text = fixSpacing(text);
    text = removeDoubledWords(text);
    text = balanceQuotes(text);
    // Only wording in the text's own language: a bilingual entry's translation is never inserted by
    // replacing words (the LLM gets those entries with their languages).
    text = applyGlossary(text, monolingualEntries(request.context.glossary, request.targetLang ?? 'en'));
    text = readableNumbers(text);
    const cleaned = masked.unmask(text);
    const codes = markerSequence(request.text);
    let out = cleaned;
    if (this.#polish) {
      const m = maskCodes(cleaned);
      out = m.unmask(await this.#polish(m.text));
      if (markerSequence(out) !== codes) out = cleaned;
    }
    // Belt and braces: whatever happened, the codes come back exactly as they were given.
    if (markerSequence(out) !== codes) out = request.text;
    return { text: out, model: this.model };
  }
}
