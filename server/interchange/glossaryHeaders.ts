/**
 * The header row of a CSV or TSV glossary: which column holds which language's terms (`zh,en`,
 * `English Term`, `term (en)`, `en_US`, `source (zh)` …), the desk's `term,preferred`, or a note.
 */
import { isLangTag } from '../core/articleFacts.js';
import { GlossaryFileError } from './glossaryEntries.js';

const TERM_HEADERS = ['term', 'terms', 'wrong', 'avoid', 'mt'];
const PREFERRED_HEADERS = ['preferred', 'preferred term', 'preferred wording', 'use', 'replacement', 'correct'];
const NOTE_HEADERS = ['note', 'notes', 'comment', 'comments', 'description'];
/** Words that make a column a note, also with a language in front ("English Definition"). */
const NOTE_WORDS = /\b(?:notes?|comments?|descriptions?|definitions?|contexts?|remarks?|explanations?|usage)\b/i;
const SIDE_WORDS: Record<string, 'source' | 'target'> = { source: 'source', src: 'source', target: 'target', tgt: 'target', translation: 'target' };
/** Two-letter codes that are more often a column name than a language. */
const NOT_LANGUAGES = new Set(['id', 'no', 'mt']);

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

export type Column =
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

export interface TableLayout {
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

export function tableLayout(head: string[], line: number): TableLayout {
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
