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
 *
 * Here: the format of a file and the way in (`parseGlossaryFile`, `readGlossaryUpload`); the formats
 * in glossaryTable.ts (with glossaryHeaders.ts) and glossaryTbx.ts; what they all end in, and JSON,
 * in glossaryEntries.ts. Storing an upload is a command (commands/uploadGlossary.ts).
 */
import { BadRequestError } from '../commands/errors.js';
import { isLangTag } from '../core/articleFacts.js';
import { GlossaryFileError, languagePairs, parseGlossaryJson, validateEntries, type GlossaryFormat, type GlossaryLanguages, type ParsedGlossary } from './glossaryEntries.js';
import { FileTooComplexError } from './limits.js';
import { decodeText, safeName } from './uploadedFile.js';
import { XmlTooComplexError } from './xml.js';
import { parseGlossaryTable } from './glossaryTable.js';
import { parseTbx } from './glossaryTbx.js';

export {
  GLOSSARY_FORMATS, GlossaryFileError, languagePairs, MAX_GLOSSARY_ENTRIES, parseGlossaryJson, validateEntries,
  type GlossaryFormat, type GlossaryLanguages, type ParsedGlossary,
} from './glossaryEntries.js';
export { languageOfHeader } from './glossaryHeaders.js';
export { parseDelimited, parseGlossaryTable } from './glossaryTable.js';
export { parseTbx } from './glossaryTbx.js';

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

/** A glossary as POST /api/glossaries receives it: a file, entries as data, or a text with its format. */
export interface GlossaryUploadInput {
  file?: { name: string; data: Buffer } | undefined;
  entries?: unknown[] | undefined;
  text?: string | undefined;
  format?: GlossaryFormat | undefined;
  /** The languages sent with it, for entries whose file does not say. */
  given?: GlossaryLanguages;
}

/**
 * Reads an uploaded glossary into entries (nothing stored: commands/uploadGlossary.ts does that).
 * Refusals name the file ("glossary" without one): BadRequestError, or FileTooComplexError (413).
 */
export function readGlossaryUpload(input: GlossaryUploadInput): ParsedGlossary {
  const name = input.file ? safeName(input.file.name) : 'glossary';
  const given = input.given ?? {};
  try {
    if (input.file) {
      const text = decodeText({ name, data: input.file.data });
      const format = input.format ?? glossaryFormatOf(name, text);
      if (!format) throw new GlossaryFileError('the format is not known from the file name: use .csv, .tsv, .tbx or .json, or send "format"');
      return parseGlossaryFile(text, format, given);
    }
    if (input.entries) return parseGlossaryFile(JSON.stringify(validateEntries(input.entries)), 'json', given);
    if (input.text !== undefined) {
      if (!input.format) throw new GlossaryFileError('send "format" (csv, tsv, tbx or json) with "text"');
      return parseGlossaryFile(input.text, input.format, given);
    }
    throw new BadRequestError('send a glossary: a multipart "file", or JSON with "entries" or "text" and "format"');
  } catch (e) {
    if (e instanceof GlossaryFileError && e.cause instanceof XmlTooComplexError) throw new FileTooComplexError(`${name}: ${e.message}`);
    if (e instanceof GlossaryFileError) throw new BadRequestError(`${name}: ${e.message}`);
    throw e;
  }
}
