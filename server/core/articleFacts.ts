/**
 * What every export says about an article besides its text: how many of its paragraphs are still
 * undecided, and its source and target languages. Pure.
 *
 * Undecided: a live paragraph whose status is `pending` or `suggested` (nobody accepted, edited,
 * rejected or kept it). Deleted paragraphs are not counted at all.
 *
 * Languages (BCP 47): the article records them at import (`sourceLang`, `targetLang`); articles
 * imported before that get the same guess on the fly. The target defaults to `en` (Postedit
 * post-edits MT into English) unless the file name says otherwise (`story.de.txt`); the source
 * language is read from the script of the source text where the script names one language (Han →
 * zh, kana → ja, hangul → ko, Hebrew, Greek, Thai), else it is `und` (undetermined).
 */
import type { Article } from './types.js';

export const DEFAULT_TARGET_LANG = 'en';
/** BCP 47 "undetermined". */
export const UNDETERMINED_LANG = 'und';

export interface UndecidedSummary {
  /** Live (not deleted) paragraphs. */
  live: number;
  undecided: number;
  pending: number;
  suggested: number;
}

export function undecidedSummary(article: Pick<Article, 'paragraphs'>): UndecidedSummary {
  let live = 0;
  let pending = 0;
  let suggested = 0;
  for (const p of article.paragraphs) {
    if (p.status === 'deleted') continue;
    live++;
    if (p.status === 'pending') pending++;
    else if (p.status === 'suggested') suggested++;
  }
  return { live, undecided: pending + suggested, pending, suggested };
}

/** One line for a reader: "3 of 12 paragraphs undecided (2 pending, 1 with a suggestion)" or "all 12 paragraphs decided". */
export function undecidedLine(s: UndecidedSummary): string {
  if (s.undecided === 0) return `all ${s.live} paragraph${s.live === 1 ? '' : 's'} decided`;
  const parts = [...(s.pending ? [`${s.pending} pending`] : []), ...(s.suggested ? [`${s.suggested} with a suggestion not yet decided`] : [])];
  return `${s.undecided} of ${s.live} paragraph${s.live === 1 ? '' : 's'} undecided (${parts.join(', ')})`;
}

const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** A two-letter language code before the extension (`story.en.txt` → en, `story.pt-BR.docx` → pt-BR), if it names a language. */
export function langFromFileName(name: string | undefined): string | undefined {
  const m = /\.([a-z]{2})(?:[-_]([A-Za-z]{2}|\d{3}))?\.[a-z0-9]{1,10}$/i.exec(name ?? '');
  if (!m) return undefined;
  const tag = m[2] ? `${m[1]!.toLowerCase()}-${m[2].toUpperCase()}` : m[1]!.toLowerCase();
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag) ? tag : undefined;
  } catch {
    return undefined;
  }
}

const SCRIPTS: Array<[RegExp, string]> = [
  [/[\u3040-\u30FF]/gu, 'ja'], // kana (a Japanese text also holds kanji, so it is checked before Han)
  [/[\uAC00-\uD7AF\u1100-\u11FF]/gu, 'ko'],
  [/\p{Script=Han}/gu, 'zh'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Thai}/gu, 'th'],
];

/** The language a source text's script names, when it names one; undefined for Latin, Cyrillic, Arabic… */
export function langFromScript(texts: string[]): string | undefined {
  const sample = texts.join('\n').slice(0, 20_000);
  const letters = (sample.match(/\p{L}/gu) ?? []).length;
  if (!letters) return undefined;
  for (const [re, lang] of SCRIPTS) {
    const n = (sample.match(re) ?? []).length;
    // Kana: a few in a Japanese text are enough; the others must be a good part of the letters.
    if (lang === 'ja' ? n >= Math.max(2, letters * 0.05) : n >= letters * 0.3) return lang;
  }
  return undefined;
}

export function isLangTag(tag: string | undefined): tag is string {
  return !!tag && LANG_TAG.test(tag) && tag.length <= 35;
}

/** The languages to record at import: those given (e.g. by an XLIFF file) when they are tags, else the guess above. */
export function importLanguages(given: { sourceLang?: string | undefined; targetLang?: string | undefined; origin?: string | undefined; sources?: string[] | undefined }): { sourceLang: string; targetLang: string } {
  const targetLang = isLangTag(given.targetLang) ? given.targetLang : langFromFileName(given.origin) ?? DEFAULT_TARGET_LANG;
  const sourceLang = isLangTag(given.sourceLang) && given.sourceLang.toLowerCase() !== UNDETERMINED_LANG
    ? given.sourceLang
    : (given.sources?.length ? langFromScript(given.sources) : undefined) ?? UNDETERMINED_LANG;
  return { sourceLang, targetLang };
}

/** The article's languages: as recorded, or (older articles) guessed the way an import would. */
export function articleLanguages(article: Pick<Article, 'paragraphs' | 'hasSource' | 'origin' | 'sourceLang' | 'targetLang'>): { sourceLang: string; targetLang: string } {
  if (article.sourceLang && article.targetLang) return { sourceLang: article.sourceLang, targetLang: article.targetLang };
  const sources = article.hasSource ? article.paragraphs.flatMap((p) => (p.source ? [p.source] : [])) : undefined;
  const guessed = importLanguages({ origin: article.origin, sources });
  return { sourceLang: article.sourceLang ?? guessed.sourceLang, targetLang: article.targetLang ?? guessed.targetLang };
}
