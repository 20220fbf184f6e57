/**
 * Importing an article that arrives already cut into paragraphs (XLIFF units, DOCX paragraphs), so
 * that kinds, line breaks and — for XLIFF — statuses survive instead of being guessed again by the
 * text segmenter. Ids, duplicate detection and limits follow `importArticle`: the content hash is
 * computed the same way, so a DOCX with the same paragraphs as an imported .txt is "already there".
 */
import { randomUUID } from 'node:crypto';
import { runChecks } from '../checks/index.js';
import { BadRequestError } from '../commands/errors.js';
import { MAX_PARAGRAPH_CHARS } from '../commands/editParagraph.js';
import { contentHash, MAX_PARAGRAPHS, slugify, type ImportResult } from '../commands/importArticle.js';
import type { Services } from '../commands/services.js';
import { importLanguages } from '../core/articleFacts.js';
import { diffSummary } from '../core/diff.js';
import { normalizeText, pickTitle, SegmentationError } from '../core/segment.js';
import type { InlineCode } from '../core/inlineCodes.js';
import type { Actor, Article, ArticleOriginal, Paragraph, ParagraphKind, ParagraphOrigin, ParagraphStatus, ReviewState, Revision, RevisionAction } from '../core/types.js';

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

export interface UnitsImportProps {
  units: ImportUnit[];
  title?: string;
  /** File name it came from; also the base of the article id. */
  origin?: string;
  /** Source and target languages (BCP 47), e.g. an XLIFF file's; guessed when not given (see core/articleFacts.ts). */
  sourceLang?: string;
  targetLang?: string;
  /** The uploaded file, kept so that the export can write back into it (XLIFF). */
  original?: ArticleOriginal;
  /** The content hash to store, when not the units' own (an XLIFF from another tool counts its file too: see upload.ts). */
  contentHash?: string;
  actor: Actor;
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

function clean(text: string | undefined, what: string): string | undefined {
  if (text === undefined) return undefined;
  try {
    return normalizeText(text).trim();
  } catch (e) {
    if (e instanceof SegmentationError) throw new BadRequestError(`${what}: ${e.message}`);
    throw e;
  }
}

function blank(text: string | undefined): boolean {
  return !text || !text.replace(INVISIBLE, '').trim();
}

/**
 * Normalises and validates units the way the text import does: line ends, blank paragraphs dropped,
 * at most MAX_PARAGRAPHS, none longer than MAX_PARAGRAPH_CHARS. A `suggested` status becomes
 * `pending` (the suggestion itself does not travel), `deleted` units are dropped.
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

/** The content hash an import of these (checked) units gets: the same as importArticle's for the same paragraphs. */
export function unitsHash(units: ImportUnit[]): string {
  const hasSource = units.some((u) => u.source !== undefined && u.source !== '');
  return contentHash(units.map((u) => `${u.kind}:${u.mt}`).join('\n'), hasSource ? units.map((u) => u.source ?? '').join('\n') : undefined);
}

const STATUS_ACTION: Partial<Record<ParagraphStatus, RevisionAction>> = { accepted: 'accept', edited: 'edit', rejected: 'reject' };
const REVIEW_ACTION: Partial<Record<ReviewState, RevisionAction>> = { 'in-review': 'submit', approved: 'approve', 'sent-back': 'send-back' };

/**
 * Stores the units as a new article, or returns the existing one with the same MT (and source).
 * History: every paragraph's first revision is the MT (`import`); a carried-over status or review
 * adds a revision each, by the importing user, so the history says where the state came from.
 */
export async function importUnits(services: Services, props: UnitsImportProps): Promise<ImportResult> {
  const units = checkUnits(props.units);
  const hasSource = units.some((u) => u.source !== undefined && u.source !== '');
  const hasReference = units.some((u) => u.ref !== undefined && u.ref !== '');
  if (hasSource && units.some((u) => blank(u.source))) {
    const i = units.findIndex((u) => blank(u.source));
    throw new BadRequestError(`paragraph ${i + 1} has no source text while others have one: the source must align one to one`);
  }
  const hash = props.contentHash ?? unitsHash(units);
  const existing = await services.store.findArticleByHash(hash);
  if (existing) {
    const article = await services.store.getArticle(existing);
    if (article) return { article, created: false };
  }

  const at = services.now().toISOString();
  const fallback = props.origin ?? 'Untitled';
  const title = props.title?.trim() || unitsTitle(units, fallback);
  const base = slugify(props.origin ? props.origin.replace(/\.[a-z0-9]{1,10}$/i, '') : title);
  let id = base;
  for (let i = 2; await services.store.getArticle(id); i++) id = `${base}-${i}`;
  const op = randomUUID();
  const revisions: Revision[] = [];
  const paragraphs: Paragraph[] = units.map((u, i) => {
    const pid = `p${i + 1}`;
    const text = u.text ?? u.mt;
    const status = u.status ?? 'pending';
    const p: Paragraph = {
      id: pid,
      index: i,
      kind: u.kind,
      ...(hasSource ? { source: u.source! } : {}),
      ...(hasReference && u.ref ? { ref: u.ref } : {}),
      mt: u.mt,
      text,
      status,
      revision: 0,
      ...(u.review ? { review: u.review } : {}),
      ...(u.codes?.length ? { codes: u.codes } : {}),
      ...(u.origin ? { origin: { ...u.origin, imported: { status, ...(u.review ? { review: u.review } : {}), ...(text !== u.mt ? { text } : {}) } } } : {}),
    };
    const add = (action: RevisionAction, revText: string, revStatus: ParagraphStatus, previous: string, review?: ReviewState) => {
      p.revision += 1;
      revisions.push({
        n: p.revision,
        paragraphId: pid,
        action,
        author: props.actor.username,
        at,
        text: revText,
        status: revStatus,
        diff: diffSummary(previous, revText),
        op,
        ...(review ? { review } : {}),
      });
    };
    add('import', u.mt, 'pending', '');
    const statusAction = STATUS_ACTION[status];
    if (statusAction) add(statusAction, text, status, u.mt);
    const reviewAction = u.review ? REVIEW_ACTION[u.review] : undefined;
    if (reviewAction) add(reviewAction, text, status, text, u.review);
    if (text !== u.mt) p.findings = runChecks(u.mt, text, { ...(p.source ? { source: p.source } : {}), glossary: services.glossary });
    return p;
  });
  const article: Article = {
    id,
    title,
    createdAt: at,
    updatedAt: at,
    contentHash: hash,
    ...(props.origin ? { origin: props.origin } : {}),
    hasSource,
    hasReference,
    ...importLanguages({ sourceLang: props.sourceLang, targetLang: props.targetLang, origin: props.origin, sources: hasSource ? units.map((u) => u.source ?? '') : undefined }),
    paragraphs,
    nextParagraph: paragraphs.length + 1,
    undo: [],
    ...(props.original ? { original: props.original } : {}),
  };
  await services.store.createArticle(article, revisions);
  return { article, created: true };
}
