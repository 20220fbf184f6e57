/**
 * Glossaries. An entry maps a term to the wording the desk requires, for a language pair:
 *
 *  - monolingual (source language = target language, e.g. en → en, the desk's own glossary): `term`
 *    is wording to avoid in the text, `preferred` the wording to use instead;
 *  - bilingual (e.g. zh → en, en → es): `term` is a source-language term, `preferred` (and any
 *    `alternatives`) its required translation in the target language.
 *
 * Entries without languages (the desk file, older uploads) read as before: a term in Chinese script
 * is zh → en, any other term en → en. An article gets only the entries of its own pair
 * (`glossaryForLanguages`): monolingual ones in its target language, bilingual ones from its source
 * language into its target language. An article without a source language gets monolingual ones only.
 */

export interface GlossaryEntry {
  /** Wording to look for (case-insensitive, whole words): in the text (monolingual) or in the source (bilingual). */
  term: string;
  /** Wording the desk wants: instead of the term (monolingual), or as its translation (bilingual). */
  preferred: string;
  note?: string;
  /** Language of `term` (BCP 47); absent in entries that do not say (see `entryLanguages`). */
  sourceLang?: string;
  /** Language of `preferred` (BCP 47). */
  targetLang?: string;
  /** Other accepted wordings in the target language (admitted terms of a termbase). */
  alternatives?: string[];
}

const HAN_TERM = /\p{Script=Han}/u;

/** The primary language subtag, lower case: `en-US` → `en`, `zh_Hans` → `zh`. */
export function primaryLanguage(tag: string): string {
  return tag.trim().split(/[-_]/)[0]!.toLowerCase();
}

/** Same language, regions and scripts aside (`en-GB` = `en`, `zh-Hans` = `zh-CN`). */
export function sameLanguage(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && primaryLanguage(a) === primaryLanguage(b);
}

/** An entry's language pair: as recorded, or for entries that do not say, zh → en for a Chinese term, else en → en. */
export function entryLanguages(e: Pick<GlossaryEntry, 'term' | 'sourceLang' | 'targetLang'>): { sourceLang: string; targetLang: string } {
  const targetLang = e.targetLang ?? 'en';
  const sourceLang = e.sourceLang ?? (e.targetLang ? e.targetLang : HAN_TERM.test(e.term) ? 'zh' : 'en');
  return { sourceLang, targetLang };
}

/** A bilingual entry: its term is in another language than its wording. */
export function isBilingual(e: Pick<GlossaryEntry, 'term' | 'sourceLang' | 'targetLang'>): boolean {
  const l = entryLanguages(e);
  return !sameLanguage(l.sourceLang, l.targetLang);
}

/** Every wording an entry accepts in the target language: the preferred one first. */
export function wordingsOf(e: Pick<GlossaryEntry, 'preferred' | 'alternatives'>): string[] {
  return [e.preferred, ...(e.alternatives ?? [])].filter((w) => w.trim());
}

/** Same term (case-insensitive, any spacing) for the same language pair: one entry of a glossary. */
export function glossaryEntryKey(e: Pick<GlossaryEntry, 'term' | 'sourceLang' | 'targetLang'>): string {
  const l = entryLanguages(e);
  return `${primaryLanguage(l.sourceLang)}\u0001${primaryLanguage(l.targetLang)}\u0001${e.term.trim().toLowerCase().replace(/\s+/g, ' ')}`;
}

/** "zh→en" */
export function pairLabel(l: { sourceLang: string; targetLang: string }): string {
  return sameLanguage(l.sourceLang, l.targetLang) ? `${l.targetLang} (monolingual)` : `${l.sourceLang}→${l.targetLang}`;
}

/**
 * The entries that apply to a text in `targetLang` translated from `sourceLang` (absent or `und`:
 * not known, so only monolingual entries of the target language apply).
 */
export function glossaryForLanguages(entries: readonly GlossaryEntry[], langs: { sourceLang?: string | undefined; targetLang?: string | undefined }): GlossaryEntry[] {
  const target = langs.targetLang || 'en';
  const source = langs.sourceLang && primaryLanguage(langs.sourceLang) !== 'und' ? langs.sourceLang : undefined;
  return entries.filter((e) => {
    const l = entryLanguages(e);
    if (!sameLanguage(l.targetLang, target)) return false;
    return sameLanguage(l.sourceLang, l.targetLang) || sameLanguage(l.sourceLang, source);
  });
}

/** Monolingual entries in `lang`: the only ones a rewrite of a `lang` text may apply by replacing wording. */
export function monolingualEntries(entries: readonly GlossaryEntry[], lang = 'en'): GlossaryEntry[] {
  return entries.filter((e) => {
    const l = entryLanguages(e);
    return sameLanguage(l.sourceLang, lang) && sameLanguage(l.targetLang, lang);
  });
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
    const { term, preferred, note, sourceLang, targetLang } = e as GlossaryEntry;
    return {
      term,
      preferred,
      ...(note === undefined ? {} : { note: String(note) }),
      ...(typeof sourceLang === 'string' && sourceLang.trim() ? { sourceLang: sourceLang.trim() } : {}),
      ...(typeof targetLang === 'string' && targetLang.trim() ? { targetLang: targetLang.trim() } : {}),
    };
  });
}
