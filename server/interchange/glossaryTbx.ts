/**
 * TBX glossaries: TBX-Basic / TBX 2008 `martif` (termEntry → langSet → tig|ntig → term) and TBX v3
 * `tbx` (conceptEntry → langSec → termSec → term). A termbase is concept-oriented, so every pair of
 * languages of an entry gives entries both ways; within a language, a deprecated or superseded term
 * maps to the preferred one. Definitions, contexts and notes become the note.
 */
import { isLangTag } from '../core/articleFacts.js';
import type { GlossaryEntry } from '../core/glossary.js';
import { checkEntry, finish, GlossaryFileError, type ParsedGlossary } from './glossaryEntries.js';
import { attr, childrenOf, findAll, localName, parseXml, rootElement, textContent, XmlFileError, XmlTooComplexError, type XNode } from './xml.js';

type TermStatus = 'preferred' | 'admitted' | 'deprecated' | 'superseded' | undefined;

function statusOf(termHolder: XNode): TermStatus {
  for (const n of findAll(childrenOf(termHolder), 'termNote')) {
    const type = attr(n, 'type') ?? '';
    if (type !== 'administrativeStatus' && type !== 'normativeAuthorization') continue;
    const v = textContent(n).trim().toLowerCase();
    if (v.startsWith('preferred')) return 'preferred';
    if (v.startsWith('admitted')) return 'admitted';
    if (v.startsWith('deprecated')) return 'deprecated';
    if (v.startsWith('superseded')) return 'superseded';
  }
  return undefined;
}

interface TbxTerm {
  text: string;
  status: TermStatus;
}

function langTerms(lang: XNode): TbxTerm[] {
  const holders = childrenOf(lang).filter((c) => ['tig', 'ntig', 'termSec'].includes(localName(c) ?? ''));
  const out: TbxTerm[] = [];
  for (const h of holders) {
    const term = findAll(childrenOf(h), 'term')[0];
    const text = term ? textContent(term).replace(/\s+/g, ' ').trim() : '';
    if (text) out.push({ text, status: statusOf(h) });
  }
  return out;
}

function entryNote(entry: XNode): string | undefined {
  const notes: string[] = [];
  const walk = (nodes: XNode[]) => {
    for (const n of nodes) {
      const name = localName(n);
      if (name === 'descrip' || name === 'note') {
        const t = textContent(n).replace(/\s+/g, ' ').trim();
        if (t && !notes.includes(t)) notes.push(t);
      } else if (name && name !== 'term' && name !== 'termNote' && name !== 'admin') walk(childrenOf(n));
    }
  };
  walk(childrenOf(entry));
  return notes.length ? notes.join('; ') : undefined;
}

function langOf(langSet: XNode): string | undefined {
  return attr(langSet, 'xml:lang') ?? attr(langSet, 'lang');
}

function usableTerms(terms: TbxTerm[]): TbxTerm[] {
  return terms.filter((t) => t.status !== 'deprecated' && t.status !== 'superseded');
}

/**
 * The glossary entries of one concept whose langSets name their languages: every ordered pair of
 * languages (each term of one → the other's preferred term, its other usable terms as alternatives),
 * and within a language each deprecated or superseded term → the preferred one.
 */
function conceptEntries(langSets: XNode[], note: string | undefined, where: string): GlossaryEntry[] {
  const byLang = new Map<string, { lang: string; terms: TbxTerm[] }>();
  for (const l of langSets) {
    const lang = langOf(l)!;
    const key = lang.toLowerCase();
    const known = byLang.get(key) ?? { lang, terms: [] };
    known.terms.push(...langTerms(l));
    byLang.set(key, known);
  }
  const langs = [...byLang.values()].filter((l) => l.terms.length);
  const out: GlossaryEntry[] = [];
  const withNote = (e: GlossaryEntry): GlossaryEntry => checkEntry(note ? { ...e, note } : e, where);
  const preferredOf = (terms: TbxTerm[]) => {
    const usable = usableTerms(terms);
    const preferred = usable.find((t) => t.status === 'preferred') ?? usable[0];
    return { preferred, alternatives: usable.filter((t) => t !== preferred).map((t) => t.text).filter((t, i, all) => t !== preferred?.text && all.indexOf(t) === i) };
  };
  for (const l of langs) {
    const { preferred } = preferredOf(l.terms);
    if (!preferred) continue;
    for (const t of l.terms) {
      if ((t.status === 'deprecated' || t.status === 'superseded') && t.text !== preferred.text) {
        out.push(withNote({ term: t.text, preferred: preferred.text, sourceLang: l.lang, targetLang: l.lang }));
      }
    }
  }
  for (const s of langs) {
    for (const t of langs) {
      if (s === t) continue;
      const { preferred, alternatives } = preferredOf(t.terms);
      if (!preferred) continue;
      const seen = new Set<string>();
      for (const term of s.terms) {
        if (seen.has(term.text)) continue;
        seen.add(term.text);
        out.push(withNote({ term: term.text, preferred: preferred.text, ...(alternatives.length ? { alternatives } : {}), sourceLang: s.lang, targetLang: t.lang }));
      }
    }
  }
  return out;
}

/** A TBX glossary. */
export function parseTbx(xml: string): ParsedGlossary {
  let nodes: XNode[];
  try {
    nodes = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlTooComplexError) throw new GlossaryFileError(e.message, { cause: e });
    if (e instanceof XmlFileError) throw new GlossaryFileError(e.message);
    throw e;
  }
  const root = rootElement(nodes);
  const rootName = root ? localName(root) : undefined;
  if (!root || (rootName !== 'martif' && rootName !== 'tbx')) {
    throw new GlossaryFileError(`it is not a TBX file: the root element is <${rootName ?? 'none'}>, not <martif> or <tbx>`);
  }
  const concepts = [...findAll([root], 'termEntry'), ...findAll([root], 'conceptEntry')];
  const entries: GlossaryEntry[] = [];
  const warnings: string[] = [];
  let single = 0;
  concepts.forEach((entry, i) => {
    const where = `entry ${attr(entry, 'id') ?? i + 1}`;
    const langs = childrenOf(entry).filter((c) => ['langSet', 'langSec'].includes(localName(c) ?? ''));
    const note = entryNote(entry);
    if (langs.length && langs.every((l) => isLangTag(langOf(l)))) {
      const added = conceptEntries(langs, note, where);
      if (added.length) entries.push(...added);
      else single++;
      return;
    }
    // langSets that name no language: read as before (first language's first term → the second's).
    const perLang = langs.map(langTerms).filter((t) => t.length > 0);
    const all = perLang.flat();
    const add = (term: string, preferred: string) => entries.push(checkEntry(note ? { term, preferred, note } : { term, preferred }, where));
    const preferred = all.find((t) => t.status === 'preferred');
    const others = all.filter((t) => t.status && t.status !== 'preferred');
    if (preferred && others.length) {
      for (const t of others) if (t.text !== preferred.text) add(t.text, preferred.text);
      return;
    }
    const first = perLang[0]?.[0];
    const second = perLang.length >= 2 ? perLang[1]![0] : perLang[0]?.[1];
    if (!first || !second) {
      single++;
      return;
    }
    add(first.text, second.text);
  });
  if (single) warnings.push(`${single} entr${single === 1 ? 'y has' : 'ies have'} a single term (no second language or preferred term) and ${single === 1 ? 'was' : 'were'} skipped`);
  if (concepts.length === 0) throw new GlossaryFileError('the TBX file has no termEntry (or conceptEntry) elements');
  return finish(entries, warnings);
}
