/**
 * The import command: the one place an article comes into the store, whatever it came in as. Every
 * way in ends in `importUnits`, with the paragraphs as units (importedUnits.ts):
 *   - pasted text, the JSON API, .txt/.md files on disk (interchange/importFiles.ts: the CLI, the
 *     corpus at start-up): `importArticle` → importText.ts cuts the text into units → `importUnits`;
 *   - uploads (interchange/upload.ts) and .docx/XLIFF files on disk: .txt and .md cut by
 *     importText.ts too, .docx and XLIFF read in interchange/; previewed, then `importUnits`.
 *
 * The formats are read into units elsewhere (pure); this stores them: ids from the file name or
 * title, duplicates found by content hash (the same text again answers the existing article), the
 * history every paragraph starts with.
 */
import { randomUUID } from 'node:crypto';
import { runChecks } from '../checks/index.js';
import { importLanguages } from '../core/articleFacts.js';
import { diffSummary } from '../core/diff.js';
import { stripMarkers } from '../core/inlineCodes.js';
import type { TextFormat } from '../core/segment.js';
import type { Actor, Article, ArticleOriginal, Paragraph, ParagraphStatus, ReviewState, Revision, RevisionAction } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { textUnits } from './importText.js';
import { blank, checkUnits, idBase, unitsHash, unitsTitle, type ImportUnit } from './importedUnits.js';
import type { Services } from './services.js';

export { contentHash, MAX_PARAGRAPHS, slugify, type ImportUnit } from './importedUnits.js';

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
  /** The content hash to store, when not the units' own (an XLIFF from another tool counts its file too: see interchange/upload.ts). */
  contentHash?: string;
  actor: Actor;
}

export interface ImportResult {
  article: Article;
  /** False when the same text was imported before; `article` is then the existing one. */
  created: boolean;
}

/** Imports an MT article given as text: cut into paragraphs, source and reference aligned, stored once. */
export async function importArticle(services: Services, props: ImportProps): Promise<ImportResult> {
  const { units } = textUnits({
    text: props.text,
    ...(props.format ? { format: props.format } : {}),
    fallbackTitle: props.origin ?? 'Untitled',
    ...(props.source !== undefined ? { source: props.source } : {}),
    ...(props.reference !== undefined ? { reference: props.reference } : {}),
  });
  return importUnits(services, {
    units,
    ...(props.title !== undefined ? { title: props.title } : {}),
    ...(props.origin !== undefined ? { origin: props.origin } : {}),
    ...(props.sourceLang ? { sourceLang: props.sourceLang } : {}),
    ...(props.targetLang ? { targetLang: props.targetLang } : {}),
    actor: props.actor,
  });
}

const STATUS_ACTION: Partial<Record<ParagraphStatus, RevisionAction>> = { accepted: 'accept', edited: 'edit', rejected: 'reject' };
const REVIEW_ACTION: Partial<Record<ReviewState, RevisionAction>> = { 'in-review': 'submit', approved: 'approve', 'sent-back': 'send-back' };

/** Words added and removed between two texts of the import's own revisions. */
function importDiff(previous: string, text: string): Revision['diff'] {
  if (previous === '') return { added: stripMarkers(text).split(/\s+/).filter(Boolean).length, removed: 0 };
  return diffSummary(previous, text);
}

/**
 * Stores units as a new article, or returns the existing one with the same MT (and source).
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
  const title = props.title?.trim() || unitsTitle(units, props.origin ?? 'Untitled');
  const base = idBase(props.origin, title);
  let id = base;
  for (let i = 2; await services.store.readArticle(id); i++) id = `${base}-${i}`;
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
        diff: importDiff(previous, revText),
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
