/**
 * Glossary check: a rewrite must not lose the desk's preferred wording.
 *
 *  - warning: the preferred wording is in the text before and gone after ("smart wearable" dropped);
 *  - warning: the text before has a glossary term, and after the rewrite neither the term nor its
 *    preferred wording is there (the term was rewritten into something else);
 *  - info: the term is still there and the preferred wording is not (the rewrite kept the MT's
 *    wording; worth a look, not a reason to hold an accept back).
 *
 * Terms match as whole words, case-insensitively, any spacing, with a plural or possessive last word
 * ("smart wearables" is the preferred "smart wearable"; `termPattern`). Entries run longest
 * term first, and one preferred wording is reported once per rewrite.
 *
 * A bilingual entry (zh → en: its term is in the source language) is only looked for by its wording
 * (preferred or an alternative) in the text: the term belongs to the source, not to the rewrite.
 */
import { isBilingual, termPattern, wordingsOf, type GlossaryEntry } from '../core/glossary.js';
import type { Finding } from '../core/types.js';
import type { Check } from './types.js';

type Span = [number, number];

function spans(text: string, phrase: string): Span[] {
  if (!phrase.trim()) return [];
  return [...text.matchAll(termPattern(phrase))].map((m) => [m.index, m.index + m[0].length] as Span);
}

/** Where the entry's accepted wording (preferred or an alternative) is in the text. */
function wordingSpans(text: string, e: GlossaryEntry): Span[] {
  return wordingsOf(e).flatMap((w) => spans(text, w));
}

function usable(entries: GlossaryEntry[] = []): GlossaryEntry[] {
  return entries.filter((e) => e.term.trim() && e.preferred.trim()).sort((a, b) => b.term.length - a.term.length);
}

export const glossaryCheck: Check = {
  id: 'glossary',
  name: 'Glossary',
  description: 'The rewrite keeps the desk glossary’s preferred wording and does not lose a glossary term.',
  run(before, after, ctx) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const entries = usable(ctx.glossary);
    // Preferred wording present before and gone after.
    for (const e of entries) {
      const key = e.preferred.toLowerCase();
      if (reported.has(key)) continue;
      const was = wordingSpans(before, e);
      if (was.length && wordingSpans(after, e).length === 0) {
        reported.add(key);
        findings.push({
          check: 'glossary',
          severity: 'warning',
          message: `The glossary wording “${e.preferred}” was dropped.`,
          beforeSpans: was,
          afterSpans: [],
        });
      }
    }
    // A glossary term before, and no preferred wording after.
    for (const e of entries) {
      const key = e.preferred.toLowerCase();
      if (reported.has(key) || e.term.trim().toLowerCase() === key || isBilingual(e)) continue;
      const was = spans(before, e.term);
      if (!was.length || spans(after, e.preferred).length) continue;
      reported.add(key);
      const kept = spans(after, e.term);
      findings.push(
        kept.length
          ? {
              check: 'glossary',
              severity: 'info',
              message: `“${e.term}” is still here: the glossary prefers “${e.preferred}”.`,
              beforeSpans: was,
              afterSpans: kept,
            }
          : {
              check: 'glossary',
              severity: 'warning',
              message: `“${e.term}” was rewritten without the glossary wording “${e.preferred}”.`,
              beforeSpans: was,
              afterSpans: [],
            },
      );
    }
    return findings;
  },
};

/** A glossary entry found in a paragraph, for the editor to show beside it. */
export interface GlossaryHit {
  term: string;
  preferred: string;
  note?: string;
  /** What was found: the term (to be replaced) or already the preferred wording. */
  found: 'term' | 'preferred';
  /** The text as written in the paragraph at the first match. */
  matched: string;
  spans: Span[];
}

/**
 * Which glossary entries a text contains, in order of first appearance: terms the desk wants
 * replaced (`found: 'term'`) and preferred wording already in place (`found: 'preferred'`). A
 * stretch of text counts for one entry only, the longest term that matches it.
 */
export function glossaryTermsIn(text: string, entries: GlossaryEntry[]): GlossaryHit[] {
  const taken: Span[] = [];
  const overlaps = (s: Span) => taken.some(([a, b]) => s[0] < b && a < s[1]);
  const hits: GlossaryHit[] = [];
  const seenPreferred = new Set<string>();
  for (const e of usable(entries)) {
    if (isBilingual(e)) continue;
    const found = spans(text, e.term).filter((s) => !overlaps(s));
    if (!found.length) continue;
    taken.push(...found);
    hits.push({ term: e.term, preferred: e.preferred, ...(e.note ? { note: e.note } : {}), found: 'term', matched: text.slice(found[0]![0], found[0]![1]), spans: found });
  }
  for (const e of [...usable(entries)].sort((a, b) => b.preferred.length - a.preferred.length)) {
    const key = e.preferred.toLowerCase();
    if (seenPreferred.has(key)) continue;
    const found = spans(text, e.preferred).filter((s) => !overlaps(s));
    if (!found.length) continue;
    seenPreferred.add(key);
    taken.push(...found);
    hits.push({ term: e.term, preferred: e.preferred, ...(e.note ? { note: e.note } : {}), found: 'preferred', matched: text.slice(found[0]![0], found[0]![1]), spans: found });
  }
  return hits.sort((a, b) => a.spans[0]![0] - b.spans[0]![0]);
}
