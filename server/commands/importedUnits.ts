/**
 * What every import stores, whatever the format it came in: paragraphs as units (kind, MT, the text
 * when it differs, source, reference, status and review carried over, inline codes, where it was in
 * the file), checked the same way for all — blank ones dropped, at most MAX_PARAGRAPHS, none longer
 * than MAX_PARAGRAPH_CHARS — and the content hash and title an import of them gets. Pure: the import
 * command (importArticle.ts) stores them; the format readers (importText.ts, interchange/) make them.
 */
import { createHash } from 'node:crypto';
import { normalizeText, pickTitle, SegmentationError } from '../core/segment.js';
import type { InlineCode } from '../core/inlineCodes.js';
import type { ParagraphKind, ParagraphOrigin, ParagraphStatus, ReviewState } from '../core/types.js';
import { MAX_PARAGRAPH_CHARS } from './editParagraph.js';
import { BadRequestError } from './errors.js';

export const MAX_PARAGRAPHS = 10_000;

export interface ImportUnit {
  kind: ParagraphKind;
  /** The machine translation as imported. */
  mt: string;
  /** Current text, when it differs from the MT (an XLIFF target edited elsewhere). */
  text?: string;
  source?: string;
  ref?: string;
  status?: ParagraphStatus;
  review?: ReviewState;
  /** Inline codes the texts hold as markers (XLIFF). */
  codes?: InlineCode[];
  /** Where it is in the uploaded file (XLIFF); the import adds what it was imported as. */
  origin?: Omit<ParagraphOrigin, 'imported'>;
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** The file extensions an article comes in; an origin's is left out of the article id. */
const ARTICLE_EXTENSION = /\.(txt|md|markdown|xlf|xliff|sdlxliff|mqxliff|docx)$/i;

/** The base of a new article's id: its file name without the extension, else its title. */
export function idBase(origin: string | undefined, title: string): string {
  return slugify(origin ? origin.replace(ARTICLE_EXTENSION, '') : title);
}

export function contentHash(text: string, source?: string): string {
  return createHash('sha256').update(text).update('\u0000').update(source ?? '').digest('hex');
}

function clean(text: string | undefined, what: string): string | undefined {
  if (text === undefined) return undefined;
  try {
    return normalizeText(text).trim();
  } catch (e) {
    if (e instanceof SegmentationError) throw new BadRequestError(`${what}: ${e.message}`);
    throw e;
  }
}

export function blank(text: string | undefined): boolean {
  return !text || !text.replace(INVISIBLE, '').trim();
}

/**
 * Normalises and validates units: line ends, blank paragraphs dropped, at most MAX_PARAGRAPHS, none
 * longer than MAX_PARAGRAPH_CHARS. A `suggested` status becomes `pending` (the suggestion itself
 * does not travel), `deleted` units are dropped. Units that passed once pass again unchanged.
 */
export function checkUnits(units: ImportUnit[]): ImportUnit[] {
  const out: ImportUnit[] = [];
  units.forEach((u, i) => {
    const n = `paragraph ${i + 1}`;
    let mt = clean(u.mt, n)!;
    let text = clean(u.text, n);
    if (blank(mt) && blank(text)) return;
    if (u.status === 'deleted') return;
    if (blank(mt)) mt = text!;
    if (blank(text)) text = mt;
    const source = clean(u.source, `${n} (source)`);
    const ref = clean(u.ref, `${n} (reference)`);
    let status: ParagraphStatus = u.status === 'suggested' || !u.status ? 'pending' : u.status;
    // A text that differs from the MT was changed by someone: it cannot be untouched.
    if (status === 'pending' && text !== mt) status = 'edited';
    out.push({
      kind: u.kind,
      mt,
      ...(text !== mt ? { text } : {}),
      ...(source !== undefined ? { source } : {}),
      ...(ref !== undefined ? { ref } : {}),
      status,
      ...(u.review && u.review !== 'none' ? { review: u.review } : {}),
      ...(u.codes?.length ? { codes: u.codes } : {}),
      ...(u.origin ? { origin: u.origin } : {}),
    });
  });
  if (out.length === 0) throw new BadRequestError('the file is empty: there is no text to import');
  if (out.length > MAX_PARAGRAPHS) throw new BadRequestError(`the file has ${out.length} paragraphs; at most ${MAX_PARAGRAPHS} can be imported at once`);
  const long = out.findIndex((u) => u.mt.length > MAX_PARAGRAPH_CHARS || (u.text?.length ?? 0) > MAX_PARAGRAPH_CHARS || (u.source?.length ?? 0) > MAX_PARAGRAPH_CHARS);
  if (long >= 0) throw new BadRequestError(`paragraph ${long + 1} is longer than ${MAX_PARAGRAPH_CHARS} characters`);
  return out;
}

/** The title an import of these units would get. */
export function unitsTitle(units: ImportUnit[], fallback: string): string {
  return pickTitle(units.map((u) => ({ kind: u.kind, text: u.mt })), fallback);
}

/** The content hash an import of these (checked) units gets: MT paragraphs with their kinds, and the source when there is one. */
export function unitsHash(units: ImportUnit[]): string {
  const hasSource = units.some((u) => u.source !== undefined && u.source !== '');
  return contentHash(units.map((u) => `${u.kind}:${u.mt}`).join('\n'), hasSource ? units.map((u) => u.source ?? '').join('\n') : undefined);
}
