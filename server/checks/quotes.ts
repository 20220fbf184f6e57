/** Quotes check: what someone said must reach the rewrite word for word. */
import type { Finding } from '../core/types.js';
import { extractQuotes, normalizeQuote, wordSet, type QuoteFact } from '../core/facts.js';
import type { Check } from './types.js';

/** Below this many words a quotation is a term in quote marks ("incubator"), not reported speech. */
const SPEECH_WORDS = 4;
/** Word overlap from which a different quotation counts as the same one reworded. */
const SAME_QUOTE_OVERLAP = 0.3;

function overlap(a: QuoteFact, b: QuoteFact): number {
  const x = wordSet(a.text);
  const y = wordSet(b.text);
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return (2 * common) / (x.size + y.size);
}

/** Whether the quoted words stand in `text` without the marks. */
function unquotedIn(text: string, q: QuoteFact): boolean {
  return q.norm.length > 0 && ` ${normalizeQuote(text)} `.includes(q.norm);
}

const isSpeech = (q: QuoteFact): boolean => wordSet(q.text).size >= SPEECH_WORDS;

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}

export const quotesCheck: Check = {
  id: 'quotes',
  name: 'Quotations',
  description: 'Warns when a quotation is reworded, dropped or made up in the rewrite.',
  run(before, after) {
    const quotesBefore = extractQuotes(before);
    const left = [...extractQuotes(after)];
    const findings: Finding[] = [];
    const finding = (q: QuoteFact, message: string, b: QuoteFact[], a: QuoteFact[]): Finding => ({
      check: 'quotes',
      severity: isSpeech(q) ? 'warning' : 'info',
      message,
      beforeSpans: b.map((x) => x.span),
      afterSpans: a.map((x) => x.span),
    });
    const unmatched: QuoteFact[] = [];
    for (const q of quotesBefore) {
      const i = left.findIndex((a) => a.norm === q.norm);
      if (i >= 0) left.splice(i, 1);
      else unmatched.push(q);
    }
    for (const q of unmatched) {
      let best = -1;
      let bestScore = SAME_QUOTE_OVERLAP;
      left.forEach((a, i) => {
        const s = overlap(q, a);
        if (s >= bestScore) [best, bestScore] = [i, s];
      });
      const a = best >= 0 ? left.splice(best, 1)[0] : undefined;
      if (a) findings.push(finding(q, `Quote altered: “${clip(q.text)}” → “${clip(a.text)}”`, [q], [a]));
      else if (unquotedIn(after, q)) findings.push({ ...finding(q, `Quote marks dropped around “${clip(q.text)}”`, [q], []), severity: 'info' });
      else findings.push(finding(q, `Quote removed or reworded: “${clip(q.text)}”`, [q], []));
    }
    for (const a of left) {
      if (!unquotedIn(before, a)) findings.push(finding(a, `Quote added: “${clip(a.text)}”`, [], [a]));
    }
    return findings;
  },
};
