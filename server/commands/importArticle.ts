import { createHash } from 'node:crypto';
import { importLanguages } from '../core/articleFacts.js';
import { alignCompanion, segmentArticle, SegmentationError, type TextFormat } from '../core/segment.js';
import type { Actor, Article, Paragraph, Revision } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { MAX_PARAGRAPH_CHARS } from './editParagraph.js';
import type { Services } from './services.js';
import { randomUUID } from 'node:crypto';

export const MAX_PARAGRAPHS = 10_000;

export interface ImportProps {
  text: string;
  format?: TextFormat;
  title?: string;
  /** Source-language text, aligned paragraph by paragraph. */
  source?: string;
  /** Human reference translation, aligned paragraph by paragraph (scoring only). */
  reference?: string;
  /** File name it came from; also the base of the article id. */
  origin?: string;
  /** Source and target languages (BCP 47); guessed when not given (see core/articleFacts.ts). */
  sourceLang?: string;
  targetLang?: string;
  actor: Actor;
}

export interface ImportResult {
  article: Article;
  /** False when the same text was imported before; `article` is then the existing one. */
  created: boolean;
}

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

export function contentHash(text: string, source?: string): string {
  return createHash('sha256').update(text).update('\u0000').update(source ?? '').digest('hex');
}

/** Imports an MT article: cuts it into paragraphs, aligns source and reference, stores it once. */
export async function importArticle(services: Services, props: ImportProps): Promise<ImportResult> {
  if (typeof props.text !== 'string') throw new BadRequestError('text must be a string');
  let seg;
  let source: string[] | undefined;
  let reference: string[] | undefined;
  try {
    seg = segmentArticle(props.text, props.format ?? 'text', props.origin ?? 'Untitled');
    if (seg.segments.length === 0) throw new BadRequestError('the article is empty: there is no text to import');
    if (seg.segments.length > MAX_PARAGRAPHS) {
      throw new BadRequestError(`the article has ${seg.segments.length} paragraphs; at most ${MAX_PARAGRAPHS} can be imported at once`);
    }
    const long = seg.segments.findIndex((s) => s.text.length > MAX_PARAGRAPH_CHARS);
    if (long >= 0) throw new BadRequestError(`paragraph ${long + 1} is longer than ${MAX_PARAGRAPH_CHARS} characters`);
    if (props.source !== undefined) source = alignCompanion(props.source, seg.layout, seg.segments.length, 'source text');
    if (props.reference !== undefined) reference = alignCompanion(props.reference, seg.layout, seg.segments.length, 'reference translation');
  } catch (e) {
    if (e instanceof SegmentationError) throw new BadRequestError(e.message);
    throw e;
  }

  const hash = contentHash(seg.segments.map((s) => `${s.kind}:${s.text}`).join('\n'), source?.join('\n'));
  const existing = await services.store.findArticleByHash(hash);
  if (existing) {
    const article = await services.store.getArticle(existing);
    if (article) return { article, created: false };
  }

  const at = services.now().toISOString();
  const base = slugify(props.origin ? props.origin.replace(/\.(txt|md|markdown)$/i, '') : props.title ?? seg.title);
  let id = base;
  for (let i = 2; await services.store.getArticle(id); i++) id = `${base}-${i}`;
  const op = randomUUID();
  const paragraphs: Paragraph[] = seg.segments.map((s, i) => ({
    id: `p${i + 1}`,
    index: i,
    kind: s.kind,
    ...(source ? { source: source[i]! } : {}),
    ...(reference ? { ref: reference[i]! } : {}),
    mt: s.text,
    text: s.text,
    status: 'pending',
    revision: 1,
  }));
  const article: Article = {
    id,
    title: props.title?.trim() || seg.title,
    createdAt: at,
    updatedAt: at,
    contentHash: hash,
    ...(props.origin ? { origin: props.origin } : {}),
    hasSource: !!source,
    hasReference: !!reference,
    ...importLanguages({ sourceLang: props.sourceLang, targetLang: props.targetLang, origin: props.origin, sources: source }),
    paragraphs,
    nextParagraph: paragraphs.length + 1,
    undo: [],
  };
  const revisions: Revision[] = paragraphs.map((p) => ({
    n: 1,
    paragraphId: p.id,
    action: 'import',
    author: props.actor.username,
    at,
    text: p.text,
    status: 'pending',
    diff: { added: p.text.split(/\s+/).filter(Boolean).length, removed: 0 },
    op,
  }));
  await services.store.createArticle(article, revisions);
  return { article, created: true };
}
