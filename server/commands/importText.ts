/**
 * Plain text and Markdown as import units: bytes decoded strictly, the text cut into paragraphs
 * (core/segment.ts), the paragraph limits checked, a source or reference text aligned paragraph by
 * paragraph. Pure. Pasted text, the JSON API, files on disk and uploaded .txt/.md files all come
 * through here on their way to the one import command (importArticle.ts); XLIFF and DOCX are read
 * into units in interchange/.
 */
import { alignCompanion, segmentArticle, SegmentationError, type Layout, type Segment, type TextFormat } from '../core/segment.js';
import { MAX_PARAGRAPH_CHARS } from './editParagraph.js';
import { BadRequestError } from './errors.js';
import { MAX_PARAGRAPHS, type ImportUnit } from './importedUnits.js';

export interface CutText {
  /** The title the text's own paragraphs give (its first heading of three words or more …). */
  title: string;
  layout: Layout;
  segments: Segment[];
}

export type CompanionKind = 'source text' | 'reference translation';

/**
 * The text of a file's bytes: UTF-8 (with or without a byte order mark) or UTF-16 with one. Anything
 * else is refused, naming the file, rather than imported as mojibake.
 */
export function decodeFile(name: string, data: Uint8Array): string {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new BadRequestError(`${name}: it is not valid UTF-8 text: save it as UTF-8 and import it again`);
  }
}

function refusal(e: unknown): unknown {
  return e instanceof SegmentationError ? new BadRequestError(e.message) : e;
}

/** Cuts an article's text into paragraphs and checks their number and length; throws BadRequestError. */
export function cutText(text: string, format: TextFormat, fallbackTitle: string): CutText {
  let cut: CutText;
  try {
    cut = segmentArticle(text, format, fallbackTitle);
  } catch (e) {
    throw refusal(e);
  }
  const n = cut.segments.length;
  if (n === 0) throw new BadRequestError('there is no text to import: the article is empty');
  if (n > MAX_PARAGRAPHS) throw new BadRequestError(`the article has ${n} paragraphs; at most ${MAX_PARAGRAPHS} can be imported at once`);
  const long = cut.segments.findIndex((s) => s.text.length > MAX_PARAGRAPH_CHARS);
  if (long >= 0) throw new BadRequestError(`paragraph ${long + 1} is longer than ${MAX_PARAGRAPH_CHARS} characters`);
  return cut;
}

/** A source or reference text cut the way the article was, one paragraph for each of its paragraphs; throws BadRequestError. */
export function alignText(companion: string, cut: CutText, what: CompanionKind): string[] {
  try {
    return alignCompanion(companion, cut.layout, cut.segments.length, what);
  } catch (e) {
    throw refusal(e);
  }
}

/** The units of a cut text, with the aligned source and reference paragraphs when there are some. */
export function unitsOfText(cut: CutText, source?: string[], reference?: string[]): ImportUnit[] {
  return cut.segments.map((s, i) => ({
    kind: s.kind,
    mt: s.text,
    ...(source ? { source: source[i]! } : {}),
    ...(reference ? { ref: reference[i]! } : {}),
  }));
}

export interface TextInput {
  text: string;
  format?: TextFormat;
  /** The title when the text gives none (its file name, or "Untitled"). */
  fallbackTitle: string;
  source?: string;
  reference?: string;
}

/** An article's text, with its source and reference texts, as units; throws BadRequestError. */
export function textUnits(input: TextInput): { title: string; units: ImportUnit[] } {
  if (typeof input.text !== 'string') throw new BadRequestError('text must be a string');
  const cut = cutText(input.text, input.format ?? 'text', input.fallbackTitle);
  const source = input.source !== undefined ? alignText(input.source, cut, 'source text') : undefined;
  const reference = input.reference !== undefined ? alignText(input.reference, cut, 'reference translation') : undefined;
  return { title: cut.title, units: unitsOfText(cut, source, reference) };
}
