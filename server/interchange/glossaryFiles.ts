/**
 * Glossary files: CSV and TSV (columns term, preferred, note; a header row is optional) and TBX
 * (TBX-Basic / TBX 2008 `martif` with termEntry → langSet → tig|ntig → term, and TBX v3 `tbx` with
 * conceptEntry → langSec → termSec → term).
 *
 * TBX entries become glossary entries this way: when the entry marks its terms' status
 * (administrativeStatus or normativeAuthorization: preferred / admitted / deprecated / superseded),
 * every non-preferred term maps to the preferred one; otherwise the first language's first term is
 * the term and the second language's first term (or, with one language, its second term) is the
 * preferred wording. Notes come from the entry's descrip and note elements.
 */
import type { GlossaryEntry } from '../core/glossary.js';
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

const TERM_HEADERS = ['term', 'terms', 'source', 'wrong', 'avoid', 'mt'];
const PREFERRED_HEADERS = ['preferred', 'preferred term', 'preferred wording', 'target', 'use', 'replacement', 'correct'];
const NOTE_HEADERS = ['note', 'notes', 'comment', 'comments', 'description'];

function checkEntry(e: GlossaryEntry, where: string): GlossaryEntry {
  if (e.term.length > MAX_TERM) throw new GlossaryFileError(`${where}: the term is longer than ${MAX_TERM} characters`);
  if (e.preferred.length > MAX_PREFERRED) throw new GlossaryFileError(`${where}: the preferred wording is longer than ${MAX_PREFERRED} characters`);
  if (e.note !== undefined && e.note.length > MAX_NOTE) throw new GlossaryFileError(`${where}: the note is longer than ${MAX_NOTE} characters`);
  return e;
}

function finish(entries: GlossaryEntry[], warnings: string[]): ParsedGlossary {
  if (entries.length === 0) throw new GlossaryFileError('the glossary has no entries');
  if (entries.length > MAX_GLOSSARY_ENTRIES) throw new GlossaryFileError(`the glossary has ${entries.length} entries; at most ${MAX_GLOSSARY_ENTRIES} are accepted`);
  // A term listed twice: the later line wins, as it would when editing a spreadsheet top to bottom.
  const byTerm = new Map<string, GlossaryEntry>();
  for (const e of entries) {
    const key = e.term.toLowerCase().replace(/\s+/g, ' ');
    if (byTerm.has(key)) {
      warnings.push(`"${e.term}" is listed more than once; the last entry is kept`);
      byTerm.delete(key);
    }
    byTerm.set(key, e);
  }
  return { entries: [...byTerm.values()], warnings };
}

/** A CSV or TSV glossary. */
export function parseGlossaryTable(text: string, delimiter: ',' | '\t'): ParsedGlossary {
  const rows = parseDelimited(text, delimiter).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw new GlossaryFileError('the glossary has no entries');
  let cols = { term: 0, preferred: 1, note: 2 as number | undefined };
  const head = rows[0]!.cells.map((c) => c.trim().toLowerCase());
  if (head.some((h) => TERM_HEADERS.includes(h)) && head.some((h) => PREFERRED_HEADERS.includes(h) || NOTE_HEADERS.includes(h))) {
    const term = head.findIndex((h) => TERM_HEADERS.includes(h));
    const preferred = head.findIndex((h) => PREFERRED_HEADERS.includes(h));
    const note = head.findIndex((h) => NOTE_HEADERS.includes(h));
    if (preferred < 0) throw new GlossaryFileError(`line ${rows[0]!.line}: the header row has no "preferred" column`);
    cols = { term, preferred, note: note >= 0 ? note : undefined };
    rows.shift();
  }
  const entries: GlossaryEntry[] = [];
  const warnings: string[] = [];
  for (const { line, cells } of rows) {
    const term = (cells[cols.term] ?? '').trim();
    const preferred = (cells[cols.preferred] ?? '').trim();
    const note = cols.note !== undefined ? (cells[cols.note] ?? '').trim() : '';
    if (!term) throw new GlossaryFileError(`line ${line}: the term is empty`);
    if (!preferred) {
      throw new GlossaryFileError(
        `line ${line}: "${term}" has no preferred wording${cells.length === 1 ? ` (is the file separated by ${delimiter === ',' ? 'tabs rather than commas' : 'commas rather than tabs'}?)` : ''}`,
      );
    }
    entries.push(checkEntry(note ? { term, preferred, note } : { term, preferred }, `line ${line}`));
  }
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
    const perLang = langs.map(langTerms).filter((t) => t.length > 0);
    const all = perLang.flat();
    const note = entryNote(entry);
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

/** A JSON glossary: an array of {term, preferred, note?} as in corpus/glossary.json. */
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
    const { term, preferred, note } = e as Record<string, unknown>;
    if (typeof term !== 'string' || !term.trim()) throw new GlossaryFileError(`${where} needs a non-empty string "term"`);
    if (typeof preferred !== 'string' || !preferred.trim()) throw new GlossaryFileError(`${where} ("${term}") needs a non-empty string "preferred"`);
    if (note !== undefined && note !== null && typeof note !== 'string') throw new GlossaryFileError(`${where} ("${term}"): "note" must be a string`);
    const n = typeof note === 'string' ? note.trim() : '';
    return checkEntry(n ? { term: term.trim(), preferred: preferred.trim(), note: n } : { term: term.trim(), preferred: preferred.trim() }, where);
  });
}

/** Parses a glossary file of any supported format. */
export function parseGlossaryFile(text: string, format: GlossaryFormat): ParsedGlossary {
  switch (format) {
    case 'csv':
      return parseGlossaryTable(text, ',');
    case 'tsv':
      return parseGlossaryTable(text, '\t');
    case 'tbx':
      return parseTbx(text);
    case 'json':
      return parseGlossaryJson(text);
  }
}
