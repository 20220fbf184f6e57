/**
 * An uploaded file as bytes: its name made safe, its extension checked against what it is uploaded
 * as, its text decoded strictly, a .docx read into paragraphs, a source or reference file read into
 * the paragraphs to align. Every refusal names the file and what is wrong with it.
 */
import { extname } from 'node:path';
import { BadRequestError } from '../commands/errors.js';
import { decodeFile } from '../commands/importText.js';
import { segmentText, SegmentationError } from '../core/segment.js';
import type { ArticleOriginal, ParagraphKind } from '../core/types.js';
import { docxToSegments, DocxError, DocxTooComplexError } from './docx.js';
import { FileTooComplexError } from './limits.js';

export const UPLOAD_EXTENSIONS = ['.txt', '.md', '.markdown', '.xlf', '.xliff', '.sdlxliff', '.mqxliff', '.docx'] as const;
export const COMPANION_EXTENSIONS = ['.txt', '.md', '.markdown', '.docx'];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  /** The file name as the browser sent it (directories are dropped). */
  name: string;
  data: Buffer;
}

/** The name without any directory part, control characters or excess length. */
export function safeName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(0, 200);
}

export function fail(file: string, message: string): never {
  throw new BadRequestError(`${file}: ${message}`);
}

/** Runs `read`; a refusal that does not name the file yet comes out naming it. */
export function naming<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof SegmentationError || (e instanceof BadRequestError && !e.message.startsWith(`${file}:`))) fail(file, e.message);
    throw e;
  }
}

/** How a file's bytes are encoded, as decodeText reads them. */
export function encodingOf(data: Buffer): Pick<ArticleOriginal, 'encoding' | 'bom'> {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  return { encoding: 'utf-8', bom: data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf };
}

/** UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused rather than imported as mojibake. */
export function decodeText(file: UploadedFile): string {
  return decodeFile(file.name, file.data);
}

export function extensionOf(file: UploadedFile, allowed: readonly string[], what: string): string {
  const ext = extname(file.name).toLowerCase();
  if (ext === '.doc') fail(file.name, 'old Word .doc files are not supported: save it as .docx and upload that');
  if (!allowed.includes(ext)) fail(file.name, `${ext ? `"${ext}" files are` : 'a file without an extension is'} not supported as ${what}: use ${allowed.join(', ')}`);
  return ext;
}

export async function readDocx(file: UploadedFile): Promise<{ segments: Array<{ kind: ParagraphKind; text: string }>; warnings: string[] }> {
  try {
    return await docxToSegments(file.data);
  } catch (e) {
    if (e instanceof DocxTooComplexError) throw new FileTooComplexError(`${file.name}: ${e.message}`);
    if (e instanceof DocxError) fail(file.name, e.message);
    throw e;
  }
}

/** The paragraphs of a source or reference file, to align with the article's units. */
export async function companionParagraphs(file: UploadedFile, what: string): Promise<string[]> {
  const ext = extensionOf(file, COMPANION_EXTENSIONS, `a ${what}`);
  if (ext === '.docx') return (await readDocx(file)).segments.map((s) => s.text);
  return naming(file.name, () => segmentText(decodeText(file), ext === '.txt' ? 'text' : 'markdown').segments.map((s) => s.text));
}

/** `texts`, when there is one for each of the article's paragraphs; refused naming the file otherwise. */
export function aligned(texts: string[], expected: number, file: UploadedFile, what: string): string[] {
  if (texts.length !== expected) {
    fail(file.name, `the ${what} has ${texts.length} paragraph${texts.length === 1 ? '' : 's'} but the article has ${expected}: they must align one to one`);
  }
  return texts;
}
