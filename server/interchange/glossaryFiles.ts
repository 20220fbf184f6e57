/**
 * Glossary files: CSV and TSV, TBX (TBX-Basic / TBX 2008 `martif` with termEntry → langSet →
 * tig|ntig → term, and TBX v3 `tbx` with conceptEntry → langSec → termSec → term) and JSON.
 *
 * Every entry knows its language pair where the file says it (core/glossary.ts):
 *
 *  - CSV/TSV with columns named by language (`zh,en`; `English Term,Part of Speech,Spanish Term,
 *    Notes`; `term (en)`, `en_US`): bilingual, the first language column is the source, every other
 *    one a target; `source,target` (or `src,tgt`): bilingual with the languages in the header
 *    (`source (zh)`), given with the upload (`sourceLang`, `targetLang`), or read from the columns'
 *    script (Chinese, Japanese, Korean…) — refused when none says. Several terms in a cell are
 *    separated by `;` or `|` (more target terms are alternatives). Columns named note, comment,
 *    definition, context or description become the note. `term,preferred[,note]` (or no header) is
 *    the desk's monolingual form: wording to avoid → wording to use, in the upload's `targetLang` (else
 *    English, with a warning that the file did not say).
 *  - TBX: a termbase is concept-oriented, so every pair of languages of an entry gives entries both
 *    ways (each term of one language → the other language's preferred term, its admitted terms as
 *    alternatives); within a language, a deprecated or superseded term maps to the preferred one
 *    (monolingual). Definitions, contexts and notes become the note. An entry whose langSets name no
 *    language is read as before this: first language's first term → second language's first term.
 *
 * Notes longer than 2,000 characters are shortened (with a warning), not refused.
 */
import { isLangTag, langFromScript } from '../core/articleFacts.js';
import { entryLanguages, glossaryEntryKey, primaryLanguage, sameLanguage, type GlossaryEntry } from '../core/glossary.js';
import { attr, childrenOf, findAll, localName, parseXml, rootElement, textContent, XmlFileError, XmlTooComplexError, type XNode } from './xml.js';

export type GlossaryFormat = 'csv' | 'tsv' | 'tbx' | 'json';
export const GLOSSARY_FORMATS: readonly GlossaryFormat[] = ['csv', 'tsv', 'tbx', 'json'];

export const MAX_GLOSSARY_ENTRIES = 10_000;
const MAX_TERM = 300;
const MAX_PREFERRED = 500;
const MAX_NOTE = 2000;

export class GlossaryFileError extends Error {}

export interface ParsedGlossary {
  entries: GlossaryEntry[];
  /** Things skipped that the uploader may want to know about. */
  warnings: string[];
  /** The language pairs of the entries, with how many entries each has. */
  languages: Array<{ sourceLang: string; targetLang: string; entries: number }>;
}

/** Languages an upload gives for what the file does not say (form fields `sourceLang`, `targetLang`). */
export interface GlossaryLanguages {
  sourceLang?: string | undefined;
  targetLang?: string | undefined;
}

/** The format a file name implies: .csv, .tsv/.tab, .tbx/.xml, .json; undefined otherwise. */
export function glossaryFormatOf(filename: string, text?: string): GlossaryFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'tbx' || ext === 'xml') return 'tbx';
  if (ext === 'json') return 'json';
  if (ext === 'txt' && text !== undefined) return text.split('\n', 1)[0]!.includes('\t') ? 'tsv' : 'csv';
  return undefined;
}

/**
 * Rows of a delimited file (RFC 4180): fields may be quoted with `"`, a quote inside a quoted field
 * is doubled, quoted fields may hold the delimiter and line breaks. A quote in the middle of an
 * unquoted field is an ordinary character. Each row carries the line it starts on.
 */
export function parseDelimited(text: string, delimiter: string): Array<{ line: number; cells: string[] }> {
  const src = text.replace(/^\uFEFF/, '');
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  const endField = () => {
    cells.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push({ line: rowLine, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\r') {
          // CRLF or a lone CR inside a quoted field: one line break, kept as \n.
          if (src[i + 1] === '\n') i++;
          field += '\n';
          line++;
        } else {
          if (c === '\n') line++;
          field += c;
        }
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new GlossaryFileError(`line ${quoteLine}: a quoted field is not closed (a " is missing)`);
  if (fieldStarted || cells.length) endRow();
  return rows;
}

const TERM_HEADERS = ['term', 'terms', 'wrong', 'avoid', 'mt'];
const PREFERRED_HEADERS = ['preferred', 'preferred term', 'preferred wording', 'use', 'replacement', 'correct'];
const NOTE_HEADERS = ['note', 'notes', 'comment', 'comments', 'description'];
/** Words that make a column a note, also with a language in front ("English Definition"). */
const NOTE_WORDS = /\b(?:notes?|comments?|descriptions?|definitions?|contexts?|remarks?|explanations?|usage)\b/i;
const SIDE_WORDS: Record<string, 'source' | 'target'> = { source: 'source', src: 'source', target: 'target', tgt: 'target', translation: 'target' };
/** Two-letter codes that are more often a column name than a language. */
const NOT_LANGUAGES = new Set(['id', 'no', 'mt']);

const MAX_NOTE_WARNING = `longer than ${MAX_NOTE} characters`;

function checkEntry(e: GlossaryEntry, where: string): GlossaryEntry {
  if (e.term.length > MAX_TERM) throw new GlossaryFileError(`${where}: the term is longer than ${MAX_TERM} characters`);
  for (const w of [e.preferred, ...(e.alternatives ?? [])]) {
    if (w.length > MAX_PREFERRED) throw new GlossaryFileError(`${where}: the preferred wording is longer than ${MAX_PREFERRED} characters`);
  }
  return e;
}

function finish(entries: GlossaryEntry[], warnings: string[]): ParsedGlossary {
  if (entries.length === 0) throw new GlossaryFileError('the glossary has no entries');
  if (entries.length > MAX_GLOSSARY_ENTRIES) throw new GlossaryFileError(`the glossary has ${entries.length} entries; at most ${MAX_GLOSSARY_ENTRIES} are accepted`);
  // A long note (a termbase definition) is shortened: notes go into prompts and tooltips.
  let shortened = 0;
  for (const e of entries) {
    if (e.note !== undefined && e.note.length > MAX_NOTE) {
      e.note = `${e.note.slice(0, MAX_NOTE - 1).trimEnd()}…`;
      shortened++;
    }
  }
  if (shortened) warnings.push(`${shortened} note${shortened === 1 ? ' was' : 's were'} ${MAX_NOTE_WARNING} and ${shortened === 1 ? 'was' : 'were'} shortened`);
  // A term listed twice (for the same languages): the later line wins, as it would when editing a spreadsheet top to bottom.
  const byTerm = new Map<string, GlossaryEntry>();
  for (const e of entries) {
    const key = glossaryEntryKey(e);
    if (byTerm.has(key)) {
      warnings.push(`"${e.term}" is listed more than once${e.sourceLang ? ` for ${e.sourceLang}→${e.targetLang}` : ''}; the last entry is kept`);
      byTerm.delete(key);
    }
    byTerm.set(key, e);
  }
  const kept = [...byTerm.values()];
  return { entries: kept, warnings, languages: languagePairs(kept) };
}

/** The language pairs of some entries, with their counts, in order of first appearance. */
export function languagePairs(entries: readonly GlossaryEntry[]): ParsedGlossary['languages'] {
  const pairs = new Map<string, { sourceLang: string; targetLang: string; entries: number }>();
  for (const e of entries) {
    const l = entryLanguages(e);
    const key = `${primaryLanguage(l.sourceLang)}\u0001${primaryLanguage(l.targetLang)}`;
    const known = pairs.get(key);
    if (known) known.entries++;
    else pairs.set(key, { ...l, entries: 1 });
  }
  return [...pairs.values()];
}

// ----- column headers -----------------------------------------------------------------------

const LANGUAGE_CODES = [
  'af', 'am', 'ar', 'az', 'be', 'bg', 'bn', 'bs', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en', 'es', 'et', 'eu', 'fa', 'fi', 'fil', 'fr', 'ga', 'gl',
  'gu', 'ha', 'he', 'hi', 'hr', 'hu', 'hy', 'id', 'ig', 'is', 'it', 'ja', 'jv', 'ka', 'kk', 'km', 'kn', 'ko', 'ku', 'ky', 'lo', 'lt', 'lv', 'mk',
  'ml', 'mn', 'mr', 'ms', 'mt', 'my', 'nb', 'ne', 'nl', 'nn', 'no', 'pa', 'pl', 'ps', 'pt', 'ro', 'ru', 'si', 'sk', 'sl', 'so', 'sq', 'sr', 'sv',
  'sw', 'ta', 'te', 'tg', 'th', 'tk', 'tl', 'tr', 'uk', 'ur', 'uz', 'vi', 'xh', 'yo', 'yue', 'zh', 'zu',
  'zh-Hans', 'zh-Hant', 'zh-CN', 'zh-TW', 'zh-HK', 'en-US', 'en-GB', 'en-AU', 'en-CA', 'es-ES', 'es-419', 'es-MX', 'pt-BR', 'pt-PT', 'fr-FR', 'fr-CA',
  'de-DE', 'de-CH', 'it-IT', 'ja-JP', 'ko-KR', 'ru-RU', 'nl-NL', 'sr-Latn', 'sr-Cyrl',
];
const EXTRA_NAMES: Record<string, string> = {
  mandarin: 'zh', 'mandarin chinese': 'zh', 'chinese simplified': 'zh-Hans', 'chinese traditional': 'zh-Hant', cantonese: 'yue',
  castilian: 'es', farsi: 'fa', 'brazilian': 'pt-BR', 'portuguese brazil': 'pt-BR', 'spanish latin america': 'es-419', 'english us': 'en-US', 'english uk': 'en-GB',
};
const normName = (s: string) => s.toLowerCase().replace(/[()[\]_.,:/-]+/g, ' ').replace(/\s+/g, ' ').trim();
let namesCache: Map<string, string> | undefined;

/** English language names ("Spanish", "Simplified Chinese", "Chinese (China)") → language tags. */
function languageNames(): Map<string, string> {
  if (namesCache) return namesCache;
  namesCache = new Map(Object.entries(EXTRA_NAMES));
  const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  for (const code of LANGUAGE_CODES) {
    const name = names.of(code);
    if (name && !namesCache.has(normName(name))) namesCache.set(normName(name), code);
  }
  return namesCache;
}

/** A language tag ("zh", "en-US", "zh_CN"), or a language's English name ("Spanish", "Chinese (Simplified)"). */
export function languageOfHeader(text: string): string | undefined {
  const raw = text.trim();
  const tag = raw.replace(/_/g, '-');
  if (/^[a-z]{2}(?:-[a-z0-9]{2,8})*$/i.test(tag) && !NOT_LANGUAGES.has(tag.toLowerCase()) && isLangTag(tag)) {
    try {
      if (new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag)) {
        const [lang, ...rest] = tag.split('-');
        return [lang!.toLowerCase(), ...rest.map((x) => (x.length === 2 ? x.toUpperCase() : x.length === 4 ? x[0]!.toUpperCase() + x.slice(1).toLowerCase() : x))].join('-');
      }
    } catch {
      return undefined;
    }
  }
  const name = normName(raw);
  return name ? languageNames().get(name) : undefined;
}

type Column =
  | { role: 'term'; lang?: string; side?: 'source' | 'target' }
  | { role: 'legacy-term' | 'legacy-preferred' | 'note' | 'other' };

/** What a header cell names: a language's terms, the source or target side, the desk's term/preferred, a note. */
function classifyHeader(cell: string): Column {
  const h = cell.trim().toLowerCase();
  if (TERM_HEADERS.includes(h)) return { role: 'legacy-term' };
  if (PREFERRED_HEADERS.includes(h)) return { role: 'legacy-preferred' };
  if (NOTE_HEADERS.includes(h) || NOTE_WORDS.test(h)) return { role: 'note' };
  // "source", "Source term", "source (zh)", "target: en-US", "tgt_es", "Source language (English)".
  const side = /^(source|src|target|tgt|translation)(?:\s*(?:terms?|texts?|language|lang|wording))?(?:\s*[\s(:[_-]\s*([^)\]]+?)\s*[)\]]?)?$/i.exec(cell.trim());
  if (side) {
    const lang = side[2] ? languageOfHeader(side[2].replace(/\s*(?:terms?|language)$/i, '')) : undefined;
    if (!side[2] || lang) return { role: 'term', side: SIDE_WORDS[side[1]!.toLowerCase()]!, ...(lang ? { lang } : {}) };
  }
  // "English Term", "Spanish terms", "Term (en)", "term_en", "en term", "zh-CN".
  const bare = cell.trim().replace(/^terms?\s*[\s(:[_-]\s*|\s*[\s(:[_-]?\s*terms?\s*\)?$/i, '').replace(/^\(|\)$/g, '').trim();
  const lang = bare ? languageOfHeader(bare) : undefined;
  if (lang) return { role: 'term', lang };
  return { role: 'other' };
}

interface TableLayout {
  kind: 'bilingual' | 'legacy';
  /** Bilingual: the source column and the target columns, each with its language (when known). */
  source?: { col: number; lang?: string | undefined };
  targets?: Array<{ col: number; lang?: string | undefined }>;
  /** Legacy: term and preferred columns. */
  term?: number;
  preferred?: number;
  notes: number[];
  /** Whether the first row was a header. */
  header: boolean;
}

function tableLayout(head: string[], line: number): TableLayout {
  const cols = head.map(classifyHeader);
  const notes = cols.flatMap((c, i) => (c.role === 'note' ? [i] : []));
  const terms = cols.flatMap((c, i) => (c.role === 'term' ? [{ col: i, ...c }] : []));
  const sided = terms.filter((t) => t.side);
  if (sided.length) {
    const source = sided.find((t) => t.side === 'source');
    const targets = sided.filter((t) => t.side === 'target');
    if (!source || !targets.length) throw new GlossaryFileError(`line ${line}: the header names a ${source ? 'source' : 'target'} column but no ${source ? 'target' : 'source'} column`);
    return { kind: 'bilingual', source: { col: source.col, lang: source.lang }, targets: targets.map((t) => ({ col: t.col, lang: t.lang })), notes, header: true };
  }
  const langs = terms.filter((t) => t.lang);
  if (langs.length >= 2 && !cols.some((c) => c.role === 'legacy-term' || c.role === 'legacy-preferred')) {
    const [first, ...rest] = langs;
    // A column in the source's very language is no target (en-US beside en-GB is: a monolingual variant).
    const targets = rest.filter((t) => t.lang !== first!.lang);
    return { kind: 'bilingual', source: { col: first!.col, lang: first!.lang }, targets: targets.map((t) => ({ col: t.col, lang: t.lang })), notes, header: true };
  }
  const term = cols.findIndex((c) => c.role === 'legacy-term');
  const preferred = cols.findIndex((c) => c.role === 'legacy-preferred');
  if (term >= 0 && (preferred >= 0 || notes.length)) {
    if (preferred < 0) throw new GlossaryFileError(`line ${line}: the header row has no "preferred" column`);
    return { kind: 'legacy', term, preferred, notes: notes.slice(0, 1), header: true };
  }
  return { kind: 'legacy', term: 0, preferred: 1, notes: [2], header: false };
}

/** The terms of a bilingual cell: `;` or `|` separate several. */
function termsOf(cell: string | undefined): string[] {
  return (cell ?? '').split(/[;|]/).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** The language a column's script names (Chinese, Japanese, Korean, Thai…), when it names one. */
function languageOfColumn(rows: Array<{ cells: string[] }>, col: number): string | undefined {
  return langFromScript(rows.slice(0, 500).map((r) => r.cells[col] ?? ''));
}

/** A CSV or TSV glossary. */
export function parseGlossaryTable(text: string, delimiter: ',' | '\t', given: GlossaryLanguages = {}): ParsedGlossary {
  const rows = parseDelimited(text, delimiter).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw new GlossaryFileError('the glossary has no entries');
  const layout = tableLayout(rows[0]!.cells, rows[0]!.line);
  if (layout.header) rows.shift();
  return layout.kind === 'bilingual' ? bilingualTable(rows, layout, given) : legacyTable(rows, layout, delimiter, given);
}

function noteOf(cells: string[], notes: number[]): string {
  return notes.map((i) => (cells[i] ?? '').trim()).filter(Boolean).join('; ');
}

function legacyTable(rows: Array<{ line: number; cells: string[] }>, layout: TableLayout, delimiter: ',' | '\t', given: GlossaryLanguages): ParsedGlossary {
  const entries: GlossaryEntry[] = [];
  const warnings: string[] = [];
  // The desk's own form says no language: the upload may (both: a bilingual pair; target only: monolingual in it).
  const langs = given.targetLang ? { sourceLang: given.sourceLang ?? given.targetLang, targetLang: given.targetLang } : {};
  for (const { line, cells } of rows) {
    const term = (cells[layout.term!] ?? '').trim();
    const preferred = (cells[layout.preferred!] ?? '').trim();
    const note = noteOf(cells, layout.notes);
    if (!term) throw new GlossaryFileError(`line ${line}: the term is empty`);
    if (!preferred) {
      throw new GlossaryFileError(
        `line ${line}: "${term}" has no preferred wording${cells.length === 1 ? ` (is the file separated by ${delimiter === ',' ? 'tabs rather than commas' : 'commas rather than tabs'}?)` : ''}`,
      );
    }
    entries.push(checkEntry({ term, preferred, ...(note ? { note } : {}), ...langs }, `line ${line}`));
  }
  if (!given.targetLang && entries.some((e) => !/\p{Script=Han}/u.test(e.term))) {
    warnings.push('the file does not say its languages: its columns are read as English wording to avoid → English wording to use. For a bilingual glossary name the columns by language (e.g. "en,es" or "English,Spanish") or send sourceLang and targetLang');
  }
  return finish(entries, warnings);
}

function bilingualTable(rows: Array<{ line: number; cells: string[] }>, layout: TableLayout, given: GlossaryLanguages): ParsedGlossary {
  const source = layout.source!;
  const sourceLang = source.lang ?? given.sourceLang ?? languageOfColumn(rows, source.col);
  const targets = layout.targets!.map((t) => ({ ...t, lang: t.lang ?? (layout.targets!.length === 1 ? given.targetLang : undefined) ?? languageOfColumn(rows, t.col) }));
  const unknown = [...(sourceLang ? [] : ['source']), ...(targets.some((t) => !t.lang) ? ['target'] : [])];
  if (unknown.length) {
    throw new GlossaryFileError(
      `the ${unknown.join(' and ')} language${unknown.length > 1 ? 's are' : ' is'} not known: name the columns by language (e.g. "en,es", "English,Spanish" or "source (en),target (es)") or send sourceLang and targetLang with the file`,
    );
  }
  // The file and the upload disagree: say so rather than pick one.
  if (given.sourceLang && source.lang && !sameLanguage(given.sourceLang, source.lang)) {
    throw new GlossaryFileError(`the file's source column is ${source.lang}, not ${given.sourceLang} as sent with it`);
  }
  const entries: GlossaryEntry[] = [];
  const warnings: string[] = [];
  let missing = 0;
  for (const { line, cells } of rows) {
    const terms = termsOf(cells[source.col]);
    const note = noteOf(cells, layout.notes);
    let used = false;
    for (const t of targets) {
      if (t.lang === sourceLang) continue;
      const wordings = termsOf(cells[t.col]);
      if (!terms.length || !wordings.length) continue;
      used = true;
      const [preferred, ...alternatives] = wordings;
      for (const term of terms) {
        entries.push(checkEntry({
          term,
          preferred: preferred!,
          ...(alternatives.length ? { alternatives } : {}),
          ...(note ? { note } : {}),
          sourceLang: sourceLang!,
          targetLang: t.lang!,
        }, `line ${line}`));
      }
    }
    if (!used) missing++;
  }
  if (missing) warnings.push(`${missing} row${missing === 1 ? ' has' : 's have'} no term on one side (${sourceLang} or ${targets.map((t) => t.lang).join(', ')}) and ${missing === 1 ? 'was' : 'were'} skipped`);
  return finish(entries, warnings);
}

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

/** A JSON glossary: an array of {term, preferred, note?, sourceLang?, targetLang?, alternatives?} as in corpus/glossary.json. */
export function parseGlossaryJson(text: string): ParsedGlossary {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new GlossaryFileError(`it is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new GlossaryFileError('a JSON glossary must be an array of {"term", "preferred", "note"?}');
  return finish(validateEntries(data), []);
}

/** Checks entries given as data (the JSON body of POST /api/glossaries, a JSON file). */
export function validateEntries(data: unknown[]): GlossaryEntry[] {
  return data.map((e, i) => {
    const where = `entry ${i + 1}`;
    if (!e || typeof e !== 'object') throw new GlossaryFileError(`${where} is not an object with "term" and "preferred"`);
    const { term, preferred, note, sourceLang, targetLang, alternatives } = e as Record<string, unknown>;
    if (typeof term !== 'string' || !term.trim()) throw new GlossaryFileError(`${where} needs a non-empty string "term"`);
    if (typeof preferred !== 'string' || !preferred.trim()) throw new GlossaryFileError(`${where} ("${term}") needs a non-empty string "preferred"`);
    if (note !== undefined && note !== null && typeof note !== 'string') throw new GlossaryFileError(`${where} ("${term}"): "note" must be a string`);
    for (const [name, v] of [['sourceLang', sourceLang], ['targetLang', targetLang]] as const) {
      if (v !== undefined && v !== null && (typeof v !== 'string' || !isLangTag(v))) throw new GlossaryFileError(`${where} ("${term}"): "${name}" must be a language tag such as zh, en or es-419`);
    }
    if (alternatives !== undefined && alternatives !== null && (!Array.isArray(alternatives) || alternatives.some((a) => typeof a !== 'string'))) {
      throw new GlossaryFileError(`${where} ("${term}"): "alternatives" must be an array of strings`);
    }
    const n = typeof note === 'string' ? note.trim() : '';
    const also = Array.isArray(alternatives) ? (alternatives as string[]).map((a) => a.trim()).filter(Boolean) : [];
    const src = typeof sourceLang === 'string' ? sourceLang : undefined;
    const tgt = typeof targetLang === 'string' ? targetLang : undefined;
    return checkEntry({
      term: term.trim(),
      preferred: preferred.trim(),
      ...(n ? { note: n } : {}),
      ...(tgt ? { sourceLang: src ?? tgt, targetLang: tgt } : src ? { sourceLang: src, targetLang: 'en' } : {}),
      ...(also.length ? { alternatives: also } : {}),
    }, where);
  });
}

/**
 * Parses a glossary file of any supported format. `given`: the languages sent with the upload, for
 * entries whose file does not say (a target alone: monolingual in it).
 */
export function parseGlossaryFile(text: string, format: GlossaryFormat, given: GlossaryLanguages = {}): ParsedGlossary {
  for (const [name, v] of Object.entries(given)) {
    if (v !== undefined && !isLangTag(v)) throw new GlossaryFileError(`${name} must be a language tag such as zh, en or es-419`);
  }
  const parsed = format === 'csv' ? parseGlossaryTable(text, ',', given)
    : format === 'tsv' ? parseGlossaryTable(text, '\t', given)
    : format === 'tbx' ? parseTbx(text)
    : parseGlossaryJson(text);
  if (!given.targetLang || parsed.entries.every((e) => e.targetLang)) return parsed;
  const entries = parsed.entries.map((e) => (e.targetLang ? e : { ...e, sourceLang: e.sourceLang ?? given.sourceLang ?? given.targetLang!, targetLang: given.targetLang! }));
  return { ...parsed, entries, languages: languagePairs(entries) };
}
