/**
 * An uploaded article file, from bytes to what would be imported: format from the extension
 * (checked against the content), text decoded strictly, paragraphs cut or read, source and
 * reference files aligned. `prepareUpload` is pure (nothing stored): the preview shows its result,
 * `importPrepared` stores it. Every error names the file and what is wrong with it.
 */
import { extname } from 'node:path';
import { BadRequestError } from '../commands/errors.js';
import { contentHash, importArticle, MAX_PARAGRAPHS, type ImportResult } from '../commands/importArticle.js';
import { MAX_PARAGRAPH_CHARS } from '../commands/editParagraph.js';
import type { Services } from '../commands/services.js';
import { alignCompanion, segmentArticle, segmentText, SegmentationError, type TextFormat } from '../core/segment.js';
import type { Actor, ArticleOriginal, ParagraphKind, ParagraphStatus, ReviewState } from '../core/types.js';
import { docxToSegments, DocxError, DocxTooComplexError } from './docx.js';
import { checkUnits, importUnits, unitsHash, unitsTitle, type ImportUnit } from './importUnits.js';
import { parseXliff } from './xliff.js';
import { FileTooComplexError } from './limits.js';
import { XmlFileError, XmlTooComplexError } from './xml.js';

export type UploadFormat = 'text' | 'markdown' | 'xliff-1.2' | 'xliff-2.0' | 'docx';
export const UPLOAD_EXTENSIONS = ['.txt', '.md', '.markdown', '.xlf', '.xliff', '.sdlxliff', '.mqxliff', '.docx'] as const;
const COMPANION_EXTENSIONS = ['.txt', '.md', '.markdown', '.docx'];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Paragraphs a preview lists; the count covers them all. */
export const PREVIEW_LIMIT = 200;

export interface UploadedFile {
  /** The file name as the browser sent it (directories are dropped). */
  name: string;
  data: Buffer;
}

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
  /** What `importPrepared` stores: the text path (txt, md) or ready units (docx, xliff). */
  plan:
    | { kind: 'text'; text: string; format: TextFormat; source?: string; reference?: string }
    | { kind: 'units'; units: ImportUnit[]; sourceLang?: string; targetLang?: string; original?: ArticleOriginal; contentHash?: string };
}

/** The name without any directory part, control characters or excess length. */
export function safeName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(0, 200);
}

function fail(file: string, message: string): never {
  throw new BadRequestError(`${file}: ${message}`);
}

/** How a file's bytes are encoded, as decodeText reads them. */
export function encodingOf(data: Buffer): Pick<ArticleOriginal, 'encoding' | 'bom'> {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  return { encoding: 'utf-8', bom: data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf };
}

/** UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused rather than imported as mojibake. */
export function decodeText(file: UploadedFile): string {
  const d = file.data;
  if (d.length >= 2 && d[0] === 0xff && d[1] === 0xfe) return new TextDecoder('utf-16le').decode(d.subarray(2));
  if (d.length >= 2 && d[0] === 0xfe && d[1] === 0xff) return new TextDecoder('utf-16be').decode(d.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(d);
  } catch {
    return fail(file.name, 'it is not valid UTF-8 text: save it as UTF-8 and upload it again');
  }
}

function extensionOf(file: UploadedFile, allowed: readonly string[], what: string): string {
  const ext = extname(file.name).toLowerCase();
  if (ext === '.doc') fail(file.name, 'old Word .doc files are not supported: save it as .docx and upload that');
  if (!allowed.includes(ext)) fail(file.name, `${ext ? `"${ext}" files are` : 'a file without an extension is'} not supported as ${what}: use ${allowed.join(', ')}`);
  return ext;
}

async function readDocx(file: UploadedFile): Promise<{ segments: Array<{ kind: ParagraphKind; text: string }>; warnings: string[] }> {
  try {
    return await docxToSegments(file.data);
  } catch (e) {
    if (e instanceof DocxTooComplexError) throw new FileTooComplexError(`${file.name}: ${e.message}`);
    if (e instanceof DocxError) fail(file.name, e.message);
    throw e;
  }
}

/** The paragraphs of a source or reference file, to align with the article's. */
async function companionTexts(file: UploadedFile, what: string): Promise<string[]> {
  const ext = extensionOf(file, COMPANION_EXTENSIONS, `a ${what}`);
  if (ext === '.docx') return (await readDocx(file)).segments.map((s) => s.text);
  try {
    return segmentText(decodeText(file), ext === '.txt' ? 'text' : 'markdown').segments.map((s) => s.text);
  } catch (e) {
    if (e instanceof SegmentationError) fail(file.name, e.message);
    throw e;
  }
}

function align(texts: string[], expected: number, file: UploadedFile, what: string): string[] {
  if (texts.length !== expected) {
    fail(file.name, `the ${what} has ${texts.length} paragraph${texts.length === 1 ? '' : 's'} but the article has ${expected}: they must align one to one`);
  }
  return texts;
}

function preview(units: ImportUnit[], withStatus: boolean): PreviewParagraph[] {
  return units.slice(0, PREVIEW_LIMIT).map((u) => ({
    kind: u.kind,
    text: u.text ?? u.mt,
    ...(u.source !== undefined ? { source: u.source } : {}),
    ...(withStatus ? { status: u.status ?? 'pending', ...(u.review ? { review: u.review } : {}) } : {}),
  }));
}

function checked(units: ImportUnit[], file: UploadedFile): ImportUnit[] {
  try {
    return checkUnits(units);
  } catch (e) {
    if (e instanceof BadRequestError) fail(file.name, e.message);
    throw e;
  }
}

/** Reads an uploaded article (and its optional source and reference files) without storing anything. */
export async function prepareUpload(main: UploadedFile, companions: { source?: UploadedFile; reference?: UploadedFile } = {}): Promise<PreparedImport> {
  const filename = safeName(main.name);
  const file = { ...main, name: filename };
  const source = companions.source && { ...companions.source, name: safeName(companions.source.name) };
  const reference = companions.reference && { ...companions.reference, name: safeName(companions.reference.name) };
  if (file.data.length === 0) fail(filename, 'the file is empty');
  const ext = extensionOf(file, UPLOAD_EXTENSIONS, 'an article');

  if (ext === '.txt' || ext === '.md' || ext === '.markdown') {
    const format: TextFormat = ext === '.txt' ? 'text' : 'markdown';
    const text = decodeText(file);
    try {
      const seg = segmentArticle(text, format, filename);
      if (seg.segments.length === 0) fail(filename, 'there is no text to import');
      if (seg.segments.length > MAX_PARAGRAPHS) fail(filename, `it has ${seg.segments.length} paragraphs; at most ${MAX_PARAGRAPHS} can be imported at once`);
      const long = seg.segments.findIndex((s) => s.text.length > MAX_PARAGRAPH_CHARS);
      if (long >= 0) fail(filename, `paragraph ${long + 1} is longer than ${MAX_PARAGRAPH_CHARS} characters`);
      // Companion files are passed to importArticle as text in the article's layout.
      const companionText = async (f: UploadedFile | undefined, what: string) => {
        if (!f) return undefined;
        const ext2 = extensionOf(f, COMPANION_EXTENSIONS, `a ${what}`);
        const raw = ext2 === '.docx' ? (await readDocx(f)).segments.map((s) => s.text.replace(/\n/g, ' ')).join(seg.layout === 'lines' ? '\n' : '\n\n') : decodeText(f);
        try {
          return { raw, aligned: alignCompanion(raw, seg.layout, seg.segments.length, what) };
        } catch (e) {
          if (e instanceof SegmentationError) fail(f.name, e.message);
          throw e;
        }
      };
      const src = await companionText(source, 'source text');
      const ref = await companionText(reference, 'reference translation');
      return {
        filename,
        format,
        title: seg.title,
        count: seg.segments.length,
        hasSource: !!src,
        hasReference: !!ref,
        paragraphs: seg.segments.slice(0, PREVIEW_LIMIT).map((s, i) => ({ kind: s.kind, text: s.text, ...(src ? { source: src.aligned[i]! } : {}) })),
        warnings: [],
        contentHash: contentHash(seg.segments.map((s) => `${s.kind}:${s.text}`).join('\n'), src?.aligned.join('\n')),
        plan: { kind: 'text', text, format, ...(src ? { source: src.raw } : {}), ...(ref ? { reference: ref.raw } : {}) },
      };
    } catch (e) {
      if (e instanceof SegmentationError) fail(filename, e.message);
      throw e;
    }
  }

  if (ext === '.docx') {
    const { segments, warnings } = await readDocx(file);
    let units: ImportUnit[] = checked(segments.map((s) => ({ kind: s.kind, mt: s.text })), file);
    if (source) {
      const texts = align(await companionTexts(source, 'source text'), units.length, source, 'source text');
      units = units.map((u, i) => ({ ...u, source: texts[i]! }));
    }
    if (reference) {
      const texts = align(await companionTexts(reference, 'reference translation'), units.length, reference, 'reference translation');
      units = units.map((u, i) => ({ ...u, ref: texts[i]! }));
    }
    return {
      filename,
      format: 'docx',
      title: unitsTitle(units, filename),
      count: units.length,
      hasSource: !!source,
      hasReference: !!reference,
      paragraphs: preview(units, false),
      warnings,
      contentHash: unitsHash(units),
      plan: { kind: 'units', units },
    };
  }

  // XLIFF 1.2 or 2.0
  if (source) fail(source.name, 'an XLIFF file carries its own source text: upload it without a separate source file');
  let doc;
  const xml = decodeText(file).replace(/^\uFEFF/, '');
  try {
    doc = parseXliff(xml);
  } catch (e) {
    if (e instanceof XmlTooComplexError) throw new FileTooComplexError(`${filename}: ${e.message}`);
    if (e instanceof XmlFileError) fail(filename, e.message);
    throw e;
  }
  if (doc.units.length === 0) fail(filename, 'the XLIFF has no translation units');
  // A unit without source text while others have one has nothing to translate: it stays in the file as it is.
  const sourceless = doc.hasSource ? doc.units.filter((u) => !u.source?.trim()).length : 0;
  let units = checked(
    doc.units.filter((u) => !doc.hasSource || u.source?.trim()).map((u) => ({
      kind: u.kind,
      mt: u.mt,
      text: u.text,
      ...(u.source !== undefined ? { source: u.source } : {}),
      status: u.status,
      review: u.review,
      ...(u.codes ? { codes: u.codes } : {}),
      origin: u.origin,
    })),
    file,
  );
  if (reference) {
    const texts = align(await companionTexts(reference, 'reference translation'), units.length, reference, 'reference translation');
    units = units.map((u, i) => ({ ...u, ref: texts[i]! }));
  }
  const warnings: string[] = [];
  if (doc.units.some((u) => u.status === 'suggested')) warnings.push('suggestions do not travel in XLIFF: "suggested" paragraphs come in as pending');
  if (sourceless) warnings.push(`${sourceless} segment${sourceless === 1 ? ' has' : 's have'} no source text: kept in the file as ${sourceless === 1 ? 'it is' : 'they are'}, not imported`);
  if (doc.counts.skipped) warnings.push(`${doc.counts.skipped} segment${doc.counts.skipped === 1 ? ' is' : 's are'} marked translate="no": kept in the file as they are, not imported`);
  // The file's languages. Postedit's own file without a real source has the MT as its source, in the target language.
  const hasSource = units.some((u) => u.source !== undefined);
  const mtAsSource = doc.postedit && !hasSource;
  const targetLang = doc.trgLang ?? (mtAsSource ? doc.srcLang : undefined);
  const languages = { ...(!mtAsSource && doc.srcLang ? { sourceLang: doc.srcLang } : {}), ...(targetLang ? { targetLang } : {}) };
  // The file itself is kept, to write the export back into it. Another tool's file counts in the content
  // hash too: the same texts in a differently built file are another article (Postedit's own files are
  // the article's texts and nothing more, so the same texts are the same article).
  const original: ArticleOriginal = { format: 'xliff', version: doc.version, text: xml, ...encodingOf(file.data) };
  const hash = doc.postedit ? unitsHash(units) : contentHash(unitsHash(units), xml);
  return {
    filename,
    format: doc.version === '1.2' ? 'xliff-1.2' : 'xliff-2.0',
    title: doc.title ?? unitsTitle(units, filename),
    count: units.length,
    hasSource,
    hasReference: !!reference,
    paragraphs: preview(units, true),
    warnings,
    contentHash: hash,
    plan: { kind: 'units', units, ...languages, original, contentHash: hash },
  };
}

/** Stores what `prepareUpload` read. A title given here wins over the file's. */
export async function importPrepared(services: Services, prepared: PreparedImport, actor: Actor, title?: string): Promise<ImportResult> {
  const t = title?.trim();
  try {
    if (prepared.plan.kind === 'text') {
      const { text, format, source, reference } = prepared.plan;
      return await importArticle(services, {
        text,
        format,
        ...(t ? { title: t } : {}),
        ...(source !== undefined ? { source } : {}),
        ...(reference !== undefined ? { reference } : {}),
        origin: prepared.filename,
        actor,
      });
    }
    return await importUnits(services, {
      units: prepared.plan.units,
      ...(prepared.plan.sourceLang ? { sourceLang: prepared.plan.sourceLang } : {}),
      ...(prepared.plan.targetLang ? { targetLang: prepared.plan.targetLang } : {}),
      ...(prepared.plan.original ? { original: prepared.plan.original } : {}),
      ...(prepared.plan.contentHash ? { contentHash: prepared.plan.contentHash } : {}),
      title: t || prepared.title,
      origin: prepared.filename,
      actor,
    });
  } catch (e) {
    if (e instanceof BadRequestError && !e.message.startsWith(`${prepared.filename}:`)) throw new BadRequestError(`${prepared.filename}: ${e.message}`);
    throw e;
  }
}
