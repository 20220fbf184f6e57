/**
 * CSV and TSV glossaries: rows read as RFC 4180 says, the header's columns classified
 * (glossaryHeaders.ts), and the rows read as bilingual entries (terms of a source-language column →
 * each target-language column's wording) or as the desk's monolingual `term,preferred[,note]`.
 */
import { langFromScript } from '../core/articleFacts.js';
import { sameLanguage, type GlossaryEntry } from '../core/glossary.js';
import { checkEntry, finish, GlossaryFileError, type GlossaryLanguages, type ParsedGlossary } from './glossaryEntries.js';
import { tableLayout, type TableLayout } from './glossaryHeaders.js';

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
