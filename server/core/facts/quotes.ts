/** Quotations (paired quote marks) of a text with their spans. */
import { recent, type Span } from './words.js';

export interface QuoteFact {
  /** The quoted words, without the marks. */
  text: string;
  /** The whole quotation, marks included. */
  span: Span;
  innerSpan: Span;
  /** Lowercase, single-spaced, straight apostrophes, no edge punctuation: for comparing. */
  norm: string;
}

export function normalizeQuote(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’`´]/g, "'")
    // Bao'an and Baoan are one spelling of a name.
    .replace(/(\p{L})'(?=\p{L})/gu, '$1')
    .replace(/[“”„«»]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toLowerCase();
}

const MAX_SINGLE_QUOTE = 120;
const PAIRED_MARKS: Array<[string, string]> = [['“', '”'], ['‘', '’'], ['「', '」'], ['『', '』'], ['«', '»']];

/** Can a straight quote at `i` open a quotation? It follows a space or bracket and precedes a word. */
function canOpen(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1]! : ' ';
  const next = text[i + 1] ?? ' ';
  return /[\s(\[{—–-]/u.test(prev) && /[\p{L}\p{N}‘“'"$€£¥(\[]/u.test(next);
}

/** Can a straight quote at `i` close a quotation? It follows a non-space and precedes a non-word. */
function canClose(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1]! : ' ';
  const next = text[i + 1] ?? ' ';
  return !/\s/u.test(prev) && !/[\p{L}\p{N}]/u.test(next);
}

function quoteFact(text: string, open: number, close: number): QuoteFact | undefined {
  const inner = text.slice(open + 1, close);
  if (!inner.trim()) return undefined;
  return { text: inner, span: [open, close + 1], innerSpan: [open + 1, close], norm: normalizeQuote(inner) };
}

/** Quoted passages in "…", “…”, '…', ‘…’, 「…」, 『…』 and «…». Stray or unbalanced marks are skipped. */
/** Shared between callers (memoised per text): do not change the array. */
export function extractQuotes(text: string): readonly QuoteFact[] {
  return extractQuotesMemo(text);
}

const extractQuotesMemo = recent((text: string): readonly QuoteFact[] => extractQuotesOf(text));

function extractQuotesOf(text: string): QuoteFact[] {
  const out: QuoteFact[] = [];
  for (const [openMark, closeMark] of PAIRED_MARKS) {
    if (!text.includes(openMark)) continue;
    let open = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      // ’ doubles as an apostrophe (China’s): it closes only before a non-letter.
      if (c === openMark) open = i;
      else if (c === closeMark && open >= 0 && (closeMark !== '’' || !/[\p{L}\p{N}]/u.test(text[i + 1] ?? ''))) {
        const q = quoteFact(text, open, i);
        if (q) out.push(q);
        open = -1;
      }
    }
  }
  for (const mark of ['"', "'"]) {
    if (!text.includes(mark)) continue;
    let open = -1;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== mark) continue;
      // A lone ' may be an apostrophe ('90s) that would swallow the paragraph up to the next one.
      if (open >= 0 && mark === "'" && i - open > MAX_SINGLE_QUOTE) open = -1;
      if (open < 0) {
        if (canOpen(text, i)) open = i;
      } else if (canClose(text, i)) {
        const q = quoteFact(text, open, i);
        if (q) out.push(q);
        open = -1;
      }
    }
  }
  return out.sort((a, b) => a.span[0] - b.span[0]);
}
