/**
 * What every glossary file becomes, whatever its format: entries checked (term and wording lengths,
 * at most MAX_GLOSSARY_ENTRIES, long notes shortened, a term listed twice kept once), with warnings
 * for what was skipped or changed and the language pairs they hold. Also the JSON form, which is the
 * entries themselves (corpus/glossary.json, the JSON body of POST /api/glossaries).
 */
import { isLangTag } from '../core/articleFacts.js';
import { glossaryEntryKey, type GlossaryEntry } from '../core/glossary.js';
import { languagePairs, type LanguagePair } from '../commands/uploadGlossary.js';

export { languagePairs };

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
  languages: LanguagePair[];
}

/** Languages an upload gives for what the file does not say (form fields `sourceLang`, `targetLang`). */
export interface GlossaryLanguages {
  sourceLang?: string | undefined;
  targetLang?: string | undefined;
}


const MAX_NOTE_WARNING = `longer than ${MAX_NOTE} characters`;

export function checkEntry(e: GlossaryEntry, where: string): GlossaryEntry {
  if (e.term.length > MAX_TERM) throw new GlossaryFileError(`${where}: the term is longer than ${MAX_TERM} characters`);
  for (const w of [e.preferred, ...(e.alternatives ?? [])]) {
    if (w.length > MAX_PREFERRED) throw new GlossaryFileError(`${where}: the preferred wording is longer than ${MAX_PREFERRED} characters`);
  }
  return e;
}

export function finish(entries: GlossaryEntry[], warnings: string[]): ParsedGlossary {
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
