/** Desk glossary: terms the MT gets wrong and the wording the desk prefers. */

export interface GlossaryEntry {
  /** Wording to look for (case-insensitive, whole words). */
  term: string;
  /** Wording the desk wants instead. */
  preferred: string;
  note?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression matching the term as whole words, case-insensitively, any spacing. */
export function termPattern(term: string): RegExp {
  let re = patterns.get(term);
  if (!re) {
    const body = term.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu');
    if (patterns.size >= 2000) patterns.clear();
    patterns.set(term, re);
  }
  return re;
}

/**
 * Compiled term patterns, reused: every check and suggestion asks for the same glossary's terms.
 * Shared global regexes are safe with replace and matchAll (which reset or copy lastIndex); never
 * use them with exec or test.
 */
const patterns = new Map<string, RegExp>();

/** Keeps a capital first letter when the replaced wording had one. */
function matchCase(found: string, preferred: string): string {
  const first = found[0];
  if (first && first !== first.toLowerCase()) return preferred[0]!.toUpperCase() + preferred.slice(1);
  return preferred;
}

/** Replaces every glossary term by its preferred wording. Longer terms win over shorter ones. */
export function applyGlossary(text: string, glossary: GlossaryEntry[]): string {
  const entries = [...glossary].filter((e) => e.term.trim()).sort((a, b) => b.term.length - a.term.length);
  let out = text;
  for (const e of entries) out = out.replace(termPattern(e.term), (m) => matchCase(m, e.preferred));
  return out;
}

/** Validates a parsed glossary file; throws with a message naming the bad entry. */
export function parseGlossary(data: unknown): GlossaryEntry[] {
  if (!Array.isArray(data)) throw new Error('a glossary must be a JSON array of {term, preferred, note?}');
  return data.map((e, i) => {
    if (!e || typeof e !== 'object' || typeof (e as GlossaryEntry).term !== 'string' || typeof (e as GlossaryEntry).preferred !== 'string') {
      throw new Error(`glossary entry ${i + 1} needs string fields "term" and "preferred"`);
    }
    const { term, preferred, note } = e as GlossaryEntry;
    return note === undefined ? { term, preferred } : { term, preferred, note: String(note) };
  });
}
