/**
 * Word documents. Export writes the clean article with `docx` (first heading as Heading 1, later
 * headings as Heading 2, body paragraphs as Normal); import reads paragraphs with `mammoth`, taking
 * headings from the paragraph styles (Title, Subtitle, Heading N) rather than guessing them.
 */
import type { TextRun } from 'docx';
import { undecidedLine, undecidedSummary } from '../core/articleFacts.js';
import type { Article, ParagraphKind } from '../core/types.js';
import { DOCX_XML_LIMITS, scanXml, type XmlCounts } from './limits.js';
import { xmlSafe } from './xml.js';
import { checkZip, ZipRefusal } from './zipGuard.js';

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Largest total unpacked size of a .docx we open: a small ZIP can unpack to gigabytes. */
export const MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024;
/** Largest unpacked size of one part (document.xml, an image…), measured while inflating, not read from the headers. */
export const MAX_DOCX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Most ZIP entries in a .docx (Word writes a dozen or two, plus one per image). */
export const MAX_DOCX_ENTRIES = 10_000;

// docx and mammoth load on the first export or import of a .docx, not with the server: together they
// cost every server and command-line start ~11 MB and ~40 ms for a format most sessions never use.
type DocxModule = typeof import('docx');
let docxModule: Promise<DocxModule> | undefined;
const loadDocx = () => (docxModule ??= import('docx'));
type Mammoth = typeof import('mammoth');
let mammothModule: Promise<Mammoth> | undefined;
// mammoth is CommonJS (`export =`): Node's dynamic import gives its exports as `default`.
const loadMammoth = () => (mammothModule ??= import('mammoth').then((m) => (m as unknown as { default: Mammoth }).default));

export class DocxError extends Error {}

/** A .docx over one of the caps (unpacked size, XML elements, attributes, depth): answered 413. */
export class DocxTooComplexError extends DocxError {}

export interface DocxSegment {
  kind: ParagraphKind;
  text: string;
}

/** Whether the first letter of the text is written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko). */
export function startsRightToLeft(text: string): boolean {
  const m = /\p{L}/u.exec(text);
  return !!m && /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u.test(m[0]);
}

function runsOf({ TextRun }: DocxModule, text: string): TextRun[] {
  const rtl = startsRightToLeft(text);
  return xmlSafe(text)
    .split('\n')
    .map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}), ...(rtl ? { rightToLeft: true } : {}) }));
}

/**
 * The clean article (live paragraphs, current text) as a .docx file. How many paragraphs are
 * undecided goes into the document properties (description, and the custom property
 * `PosteditUndecided`), not into the text: a re-import would take it for a paragraph.
 */
export async function articleToDocx(article: Article): Promise<Buffer> {
  const docx = await loadDocx();
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph: DocxParagraph } = docx;
  const undecided = undecidedSummary(article);
  let first = true;
  const children = article.paragraphs
    .filter((p) => p.status !== 'deleted')
    .map((p) => {
      const rtl = startsRightToLeft(p.text);
      const common = { children: runsOf(docx, p.text), ...(rtl ? { bidirectional: true, alignment: AlignmentType.START } : {}) };
      if (p.kind !== 'heading') return new DocxParagraph(common);
      const heading = first ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2;
      first = false;
      return new DocxParagraph({ ...common, heading });
    });
  const doc = new Document({
    creator: 'Postedit',
    title: xmlSafe(article.title),
    description: xmlSafe(`Exported from Postedit (article ${article.id}): ${undecidedLine(undecided)}`),
    customProperties: [{ name: 'PosteditUndecided', value: String(undecided.undecided) }],
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------------------------------------------
// Reading

/**
 * Sum of the unpacked sizes in a ZIP's central directory; Infinity for ZIP64 (sizes not given here),
 * undefined when the directory is missing or damaged. Read before handing the file to mammoth,
 * which unpacks everything in memory.
 */
export function zipUnpackedSize(data: Buffer): number | undefined {
  const min = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) !== 0x06054b50) continue;
    const count = data.readUInt16LE(i + 10);
    let at = data.readUInt32LE(i + 16);
    if (count === 0xffff || at === 0xffffffff) return Infinity;
    let total = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return undefined;
      const size = data.readUInt32LE(at + 24);
      if (size === 0xffffffff) return Infinity;
      total += size;
      at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    }
    return total;
  }
  return undefined;
}

const HEADING_STYLE = /^(title|subtitle|heading\s*\d*)$/i;

interface MammothElement {
  type: string;
  children?: MammothElement[];
  value?: string;
  breakType?: string;
  styleId?: string | null;
  styleName?: string | null;
}

function textOf(elements: MammothElement[] = []): string {
  let out = '';
  for (const e of elements) {
    switch (e.type) {
      case 'text':
        out += e.value ?? '';
        break;
      case 'tab':
        out += '\t';
        break;
      case 'break':
        if (e.breakType === 'line' || !e.breakType) out += '\n';
        break;
      case 'run':
      case 'hyperlink':
        out += textOf(e.children);
        break;
      default:
      // notes references, comments, images, checkboxes, bookmarks: not text of the article.
    }
  }
  return out;
}

function isHeadingStyle(p: MammothElement): boolean {
  return HEADING_STYLE.test((p.styleName ?? '').trim()) || HEADING_STYLE.test((p.styleId ?? '').trim());
}

/**
 * The paragraphs of a .docx, in order, with headings from their styles. Empty paragraphs are
 * dropped; line breaks inside a paragraph are kept as `\n`. Throws `DocxError` for files that are
 * not Word documents.
 */
export async function docxToSegments(data: Buffer): Promise<{ segments: DocxSegment[]; warnings: string[] }> {
  if (data.length >= 8 && data.readUInt32BE(0) === 0xd0cf11e0) {
    throw new DocxError('it is an old Word .doc file or a password-protected document: save it as .docx (Word 2007 or later) without a password');
  }
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw new DocxError('it is not a .docx file (a .docx is a ZIP package, and this is not one)');
  const unpacked = zipUnpackedSize(data);
  if (unpacked === undefined) throw new DocxError('it is damaged or incomplete (its ZIP directory cannot be read): save it again from Word');
  if (!Number.isFinite(unpacked)) throw new DocxError('it is a ZIP64 package, which is not accepted: a Word article is never that large');
  if (unpacked > MAX_DOCX_UNPACKED_BYTES) throw new DocxTooComplexError(`it unpacks to ${Math.round(unpacked / 1048576)} MB, more than the ${MAX_DOCX_UNPACKED_BYTES / 1048576} MB accepted`);
  // The declared sizes may lie: unpack every part with a cap, and pre-scan the XML parts mammoth will parse.
  const xml: XmlCounts = { elements: 0, attributes: 0, maxDepth: 0 };
  try {
    checkZip(data, { entryBytes: MAX_DOCX_ENTRY_BYTES, totalBytes: MAX_DOCX_UNPACKED_BYTES, entries: MAX_DOCX_ENTRIES }, (entry, bytes) =>
      /\.(xml|rels)$/i.test(entry.name) ? scanXml(bytes.toString('latin1'), DOCX_XML_LIMITS, xml) : undefined,
    );
  } catch (e) {
    if (e instanceof ZipRefusal) throw e.tooLarge ? new DocxTooComplexError(e.message) : new DocxError(e.message);
    throw e;
  }

  const mammoth = await loadMammoth();
  let paragraphs: MammothElement[] = [];
  let tables = 0;
  let images = 0;
  try {
    await mammoth.convertToHtml(
      { buffer: data },
      {
        externalFileAccess: false,
        // The HTML is thrown away: do not base64 every image into it.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        transformDocument: (doc: MammothElement) => {
          paragraphs = (mammoth as unknown as { transforms: { getDescendantsOfType(e: unknown, t: string): MammothElement[] } }).transforms.getDescendantsOfType(doc, 'paragraph');
          const all = (mammoth as unknown as { transforms: { getDescendants(e: unknown): MammothElement[] } }).transforms.getDescendants(doc);
          tables = all.filter((e) => e.type === 'table').length;
          images = all.filter((e) => e.type === 'image').length;
          return doc;
        },
      },
    );
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    throw new DocxError(`it could not be read as a Word document (${msg.replace(/\s+/g, ' ').slice(0, 200)})`);
  }
  const segments: DocxSegment[] = [];
  for (const p of paragraphs) {
    const text = textOf(p.children).replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();
    if (!text.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim()) continue;
    segments.push({ kind: isHeadingStyle(p) ? 'heading' : 'body', text });
  }
  const warnings: string[] = [];
  if (tables) warnings.push(`${tables} table${tables === 1 ? '' : 's'}: each cell's paragraphs are imported as ordinary paragraphs`);
  if (images) warnings.push(`${images} image${images === 1 ? '' : 's'} left out`);
  return { segments, warnings };
}

/** Segments as Markdown (`#` headings), for `importArticle({ format: 'markdown' })` if a caller wants the text path. */
export function segmentsToMarkdown(segments: DocxSegment[]): string {
  return segments.map((s) => (s.kind === 'heading' ? `# ${s.text.replace(/\n/g, ' ')}` : s.text.replace(/\n/g, ' '))).join('\n\n') + '\n';
}
