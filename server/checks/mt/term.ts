/**
 * Glossary terms in the MT. A bilingual entry (its term in the source language, e.g. zh → en; see
 * core/glossary.ts): when the source has the term and the MT has none of its required wordings
 * (`preferred`, `alternatives`), a major flag pointing at the source term. A monolingual entry (the
 * desk glossary: MT wording → desk wording): each place the MT uses the term where the preferred
 * wording is not, a minor flag with `fix`. Inflected forms match: a plural or possessive ending on the
 * last word ("intelligent wearables") is matched and kept in the fix.
 *
 * The glossary given is the article's (its language pair only: commands/articleGlossary.ts), so a
 * bilingual entry's source language is the article's source language.
 */
import { isBilingual, wordingsOf, type GlossaryEntry } from '../../core/glossary.js';
import type { MtFlag } from '../../core/types.js';
import type { MtCheck } from './types.js';

const ID = 'mt-terms';
/** Scripts written without spaces between words: a term is found anywhere in the source. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

export const mtTermCheck: MtCheck = {
  id: ID,
  name: 'Glossary terms',
  description: 'Glossary terms the MT renders differently from the wording the desk requires.',
  version: 2,
  run(mt, source, ctx) {
    const flags: MtFlag[] = [];
    const taken: Array<[number, number]> = [];
    // Longer terms first, so "intelligent wearable" wins over "intelligent wear" at the same place.
    const entries = [...(ctx.glossary ?? [])].sort((a, b) => b.term.length - a.term.length);
    for (const entry of entries) {
      if (!entry.term.trim() || !entry.preferred.trim()) continue;
      if (isBilingual(entry)) {
        const flag = sourceTermFlag(mt, source, entry);
        if (flag) flags.push(flag);
        continue;
      }
      const preferred = findInflected(mt, entry.preferred);
      for (const m of findInflected(mt, entry.term)) {
        if (overlaps(m, preferred) || overlaps(m, taken)) continue;
        taken.push(m);
        const found = mt.slice(m[0], m[1]);
        flags.push({
          start: m[0],
          end: m[1],
          kind: 'term',
          severity: 'minor',
          message: `Glossary: "${entry.preferred}", not "${entry.term}"${entry.note ? ` — ${entry.note}` : ''}`,
          check: ID,
          fix: matchCase(found, entry.preferred + endingOf(found, entry.term)),
        });
      }
    }
    return flags;
  },
};

/** A Chinese glossary term in the source whose required English the MT does not have. */
function sourceTermFlag(mt: string, source: string | undefined, entry: GlossaryEntry): MtFlag | undefined {
  if (!source) return undefined;
  const sourceSpans: Array<[number, number]> = [];
  if (UNSPACED.test(entry.term)) {
    for (let at = source.indexOf(entry.term); at >= 0; at = source.indexOf(entry.term, at + entry.term.length)) {
      sourceSpans.push([at, at + entry.term.length]);
    }
  } else sourceSpans.push(...findInflected(source, entry.term));
  if (!sourceSpans.length || wordingsOf(entry).some((w) => findInflected(mt, w).length)) return undefined;
  return {
    start: mt.length,
    end: mt.length,
    kind: 'term',
    severity: 'major',
    message: `Glossary: source ${entry.term} should read "${entry.preferred}" in the MT${entry.note ? ` — ${entry.note}` : ''}`,
    check: ID,
    sourceSpans,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Endings the last word of a term may carry: plural, possessive. */
const ENDING = "(?:s|es|'s|’s|s'|s’|es'|es’)?";

const patterns = new Map<string, RegExp>();

function inflectedPattern(term: string): RegExp {
  let re = patterns.get(term);
  if (!re) {
    const body = term.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}${/[\p{L}]$/u.test(term) ? ENDING : ''}(?![\\p{L}\\p{N}])`, 'giu');
    if (patterns.size >= 2000) patterns.clear();
    patterns.set(term, re);
  }
  return re;
}

/** Spans where the term occurs, case-insensitively, with any spacing and an inflected last word. */
export function findInflected(text: string, term: string): Array<[number, number]> {
  return [...text.matchAll(inflectedPattern(term))].map((m) => [m.index, m.index + m[0].length]);
}

function overlaps(span: [number, number], others: Array<[number, number]>): boolean {
  return others.some(([s, e]) => span[0] < e && s < span[1]);
}

/** The ending the matched text carries beyond the term ("s" of "intelligent wearables"). */
function endingOf(found: string, term: string): string {
  const base = found.replace(/\s+/gu, ' ');
  return base.length > term.trim().length ? base.slice(term.trim().length) : '';
}

function matchCase(found: string, replacement: string): string {
  const first = found[0];
  if (first && first !== first.toLowerCase()) return replacement[0]!.toUpperCase() + replacement.slice(1);
  return replacement;
}
