/**
 * An uploaded article file, from bytes to the units the import command stores: the format from the
 * extension (checked against the content), the text decoded strictly, paragraphs cut (text, through
 * the same commands/importText.ts as pasted text) or read (DOCX, XLIFF), source and reference files
 * aligned. `prepareUpload` is pure (nothing stored): the preview shows its result, `importPrepared`
 * hands it to the import command (commands/importArticle.ts `importUnits`). Every error names the
 * file and what is wrong with it.
 */
import { BadRequestError } from '../commands/errors.js';
import { importUnits, type ImportResult } from '../commands/importArticle.js';
import { alignText, cutText, unitsOfText, type CompanionKind, type CutText } from '../commands/importText.js';
import { checkUnits, unitsHash, unitsTitle, type ImportUnit } from '../commands/importedUnits.js';
import type { Actor, ArticleOriginal, ParagraphKind, ParagraphStatus, ReviewState } from '../core/types.js';
import { aligned, companionParagraphs, COMPANION_EXTENSIONS, decodeText, extensionOf, fail, naming, readDocx, safeName, UPLOAD_EXTENSIONS, type UploadedFile } from './uploadedFile.js';
import { readXliffUpload } from './xliffUpload.js';
import type { Services } from '../commands/services.js';

export { decodeText, encodingOf, MAX_UPLOAD_BYTES, safeName, UPLOAD_EXTENSIONS, type UploadedFile } from './uploadedFile.js';

export type UploadFormat = 'text' | 'markdown' | 'xliff-1.2' | 'xliff-2.0' | 'docx';
/** Paragraphs a preview lists; the count covers them all. */
export const PREVIEW_LIMIT = 200;

export interface PreviewParagraph {
  kind: ParagraphKind;
  text: string;
  source?: string;
  status?: ParagraphStatus;
  review?: ReviewState;
}

export interface PreparedImport {
  filename: string;
  format: UploadFormat;
  title: string;
  count: number;
  hasSource: boolean;
  hasReference: boolean;
  paragraphs: PreviewParagraph[];
  warnings: string[];
  /** The content hash the import will have: an article with the same one is "already there". */
  contentHash: string;
  /** What `importPrepared` stores, whatever the format: checked units, and what the file says besides. */
  plan: { units: ImportUnit[]; sourceLang?: string; targetLang?: string; original?: ArticleOriginal; contentHash?: string };
}

interface Companions {
  source?: UploadedFile;
  reference?: UploadedFile;
}

function preview(units: ImportUnit[], withStatus: boolean): PreviewParagraph[] {
  return units.slice(0, PREVIEW_LIMIT).map((u) => ({
    kind: u.kind,
    text: u.text ?? u.mt,
    ...(u.source !== undefined ? { source: u.source } : {}),
    ...(withStatus ? { status: u.status ?? 'pending', ...(u.review ? { review: u.review } : {}) } : {}),
  }));
}

/** A source or reference file for a text article: its paragraphs cut the way the article's were. */
async function alignedToText(file: UploadedFile, cut: CutText, what: CompanionKind): Promise<string[]> {
  const ext = extensionOf(file, COMPANION_EXTENSIONS, `a ${what}`);
  // A .docx's paragraphs are laid out the way the article's are, then cut alike.
  const raw = ext === '.docx' ? (await readDocx(file)).segments.map((s) => s.text.replace(/\n/g, ' ')).join(cut.layout === 'lines' ? '\n' : '\n\n') : decodeText(file);
  return naming(file.name, () => alignText(raw, cut, what));
}

async function prepareText(file: UploadedFile, ext: string, companions: Companions): Promise<PreparedImport> {
  const format = ext === '.txt' ? 'text' : 'markdown';
  const text = decodeText(file);
  const cut = naming(file.name, () => cutText(text, format, file.name));
  const source = companions.source && (await alignedToText(companions.source, cut, 'source text'));
  const reference = companions.reference && (await alignedToText(companions.reference, cut, 'reference translation'));
  const units = naming(file.name, () => checkUnits(unitsOfText(cut, source, reference)));
  return {
    filename: file.name,
    format,
    title: cut.title,
    count: units.length,
    hasSource: !!source,
    hasReference: !!reference,
    paragraphs: preview(units, false),
    warnings: [],
    contentHash: unitsHash(units),
    plan: { units },
  };
}

async function prepareDocx(file: UploadedFile, companions: Companions): Promise<PreparedImport> {
  const { segments, warnings } = await readDocx(file);
  let units = naming(file.name, () => checkUnits(segments.map((s) => ({ kind: s.kind, mt: s.text }))));
  for (const [what, companion, field] of [['source text', companions.source, 'source'], ['reference translation', companions.reference, 'ref']] as const) {
    if (!companion) continue;
    const texts = aligned(await companionParagraphs(companion, what), units.length, companion, what);
    units = units.map((u, i) => ({ ...u, [field]: texts[i]! }));
  }
  return {
    filename: file.name,
    format: 'docx',
    title: unitsTitle(units, file.name),
    count: units.length,
    hasSource: !!companions.source,
    hasReference: !!companions.reference,
    paragraphs: preview(units, false),
    warnings,
    contentHash: unitsHash(units),
    plan: { units },
  };
}

async function prepareXliff(file: UploadedFile, companions: Companions): Promise<PreparedImport> {
  if (companions.source) fail(companions.source.name, 'an XLIFF file carries its own source text: upload it without a separate source file');
  const x = await readXliffUpload(file, companions.reference);
  const { units } = x;
  return {
    filename: file.name,
    format: x.version === '1.2' ? 'xliff-1.2' : 'xliff-2.0',
    title: x.title,
    count: units.length,
    hasSource: units.some((u) => u.source !== undefined),
    hasReference: !!companions.reference,
    paragraphs: preview(units, true),
    warnings: x.warnings,
    contentHash: x.contentHash,
    plan: {
      units,
      ...(x.sourceLang ? { sourceLang: x.sourceLang } : {}),
      ...(x.targetLang ? { targetLang: x.targetLang } : {}),
      original: x.original,
      contentHash: x.contentHash,
    },
  };
}

/** Reads an uploaded article (and its optional source and reference files) without storing anything. */
export async function prepareUpload(main: UploadedFile, companions: Companions = {}): Promise<PreparedImport> {
  const file = { ...main, name: safeName(main.name) };
  const named: Companions = {
    ...(companions.source ? { source: { ...companions.source, name: safeName(companions.source.name) } } : {}),
    ...(companions.reference ? { reference: { ...companions.reference, name: safeName(companions.reference.name) } } : {}),
  };
  if (file.data.length === 0) fail(file.name, 'the file is empty');
  const ext = extensionOf(file, UPLOAD_EXTENSIONS, 'an article');
  if (ext === '.txt' || ext === '.md' || ext === '.markdown') return prepareText(file, ext, named);
  if (ext === '.docx') return prepareDocx(file, named);
  return prepareXliff(file, named);
}

/** Stores what `prepareUpload` read, through the import command. A title given here wins over the file's. */
export async function importPrepared(services: Services, prepared: PreparedImport, actor: Actor, title?: string): Promise<ImportResult> {
  const { plan } = prepared;
  try {
    return await importUnits(services, {
      units: plan.units,
      ...(plan.sourceLang ? { sourceLang: plan.sourceLang } : {}),
      ...(plan.targetLang ? { targetLang: plan.targetLang } : {}),
      ...(plan.original ? { original: plan.original } : {}),
      ...(plan.contentHash ? { contentHash: plan.contentHash } : {}),
      title: title?.trim() || prepared.title,
      origin: prepared.filename,
      actor,
    });
  } catch (e) {
    if (e instanceof BadRequestError && !e.message.startsWith(`${prepared.filename}:`)) throw new BadRequestError(`${prepared.filename}: ${e.message}`);
    throw e;
  }
}
