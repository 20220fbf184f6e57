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

/**
 * A regular expression matching the term as whole words, case-insensitively, any spacing, with its
 * last word also plural or possessive ("smart wearable" finds "smart wearables", "smart wearable's";
 * "smart city" finds "smart cities").
 */
export function termPattern(term: string): RegExp {
  let re = patterns.get(term);
  if (!re) {
    const words = term.trim().split(/\s+/);
    const last = words.pop()!;
    const body = [...words.map(escapeRegExp), inflectedWord(last)].join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu');
    if (patterns.size >= 2000) patterns.clear();
    patterns.set(term, re);
  }
  return re;
}

const POSSESSIVE = "(?:'s|’s)";
const PLURAL_POSSESSIVE = "(?:'|’)";

/** The last word of a term with the English plural and possessive endings it may carry. */
function inflectedWord(word: string): string {
  if (!/\p{Ll}$/u.test(word)) return escapeRegExp(word);
  const consonantY = /[^aeiou]y$/i.test(word);
  if (consonantY) {
    const stem = escapeRegExp(word.slice(0, -1));
    return `${stem}(?:y${POSSESSIVE}?|ies${PLURAL_POSSESSIVE}?)`;
  }
  return `${escapeRegExp(word)}(?:(?:s|es)${PLURAL_POSSESSIVE}?|${POSSESSIVE})?`;
}

interface Inflection {
  plural: boolean;
  /** The possessive ending as written ("'s", "’", …), or "". */
  possessive: string;
}

/** Which inflection a match of `term` carries. */
function inflectionOf(found: string, term: string): Inflection {
  const lastFound = found.trim().split(/\s+/).pop()!;
  const lastTerm = term.trim().split(/\s+/).pop()!;
  const possessive = /(?:['’]s?)$/u.exec(lastFound)?.[0] ?? '';
  const bare = lastFound.slice(0, lastFound.length - possessive.length);
  // Only plural endings lengthen the bare word: -s, -es, and -ies for -y.
  return { plural: bare.length > lastTerm.length, possessive };
}

/** `wording` with the plural and possessive of a match: "smart wearable" → "smart wearables’". */
function inflect(wording: string, inflection: Inflection): string {
  let out = wording;
  if (inflection.plural && /\p{Ll}$/u.test(out)) {
    if (/[^aeiou]y$/i.test(out)) out = `${out.slice(0, -1)}ies`;
    else if (/(?:s|x|z|ch|sh)$/i.test(out)) out = `${out}es`;
    else out = `${out}s`;
  }
  if (inflection.possessive) out += inflection.plural ? inflection.possessive[0]! : inflection.possessive;
  return out;
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

/**
 * Replaces every glossary term by its preferred wording, keeping a plural or possessive ("intelligent
 * wearables" → "smart wearables"). Longer terms win over shorter ones.
 */
export function applyGlossary(text: string, glossary: GlossaryEntry[]): string {
  const entries = [...glossary].filter((e) => e.term.trim()).sort((a, b) => b.term.length - a.term.length);
  let out = text;
  for (const e of entries) out = out.replace(termPattern(e.term), (m) => matchCase(m, inflect(e.preferred, inflectionOf(m, e.term))));
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
