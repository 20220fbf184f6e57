/**
 * Cutting an imported text into paragraphs. Pure: text in, segments out.
 *
 * Two layouts are recognised per file: paragraphs separated by blank lines (lines inside a block are
 * hard-wrapped and get joined), and one paragraph per line (news MT output usually comes like this,
 * sometimes with a stray blank line). A block holding a line longer than a hard-wrap could be means
 * the file is one paragraph per line.
 */
import type { ParagraphKind } from './types.js';

export type TextFormat = 'text' | 'markdown';
export type Layout = 'blocks' | 'lines';

export interface Segment {
  kind: ParagraphKind;
  text: string;
}

export interface SegmentedArticle {
  title: string;
  layout: Layout;
  segments: Segment[];
}

export class SegmentationError extends Error {}

/** Longest line a hard-wrapped text is expected to have. */
const WRAP_WIDTH = 120;
/** Longest line taken for a heading when it has no Markdown mark. */
const HEADING_MAX_CHARS = 100;
const FINAL_PUNCTUATION = /[.!?。！？…:;,，；："'”’)）\]]$/u;
const MARKDOWN_HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;
/** Characters with no width: a text made only of them is blank. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Normalises line ends and invisible junk that would break display or diffs, and refuses binary input. */
export function normalizeText(text: string): string {
  if (text.includes('\u0000')) throw new SegmentationError('the text contains NUL bytes: it looks like a binary file, not an article');
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function detectLayout(text: string): Layout {
  const blocks = splitBlocks(text);
  if (blocks.length <= 1) return 'lines';
  for (const block of blocks) {
    const lines = block.split('\n');
    if (lines.slice(0, -1).some((l) => l.trim().length > WRAP_WIDTH)) return 'lines';
  }
  return 'blocks';
}

function splitBlocks(text: string): string[] {
  return text.split(/\n[ \t]*\n/).map((b) => b.replace(/^\n+|\n+$/g, '')).filter((b) => b.trim() !== '');
}

export function isHeadingLine(line: string): boolean {
  const t = line.trim();
  if (MARKDOWN_HEADING.test(t)) return true;
  return t.length > 0 && t.length <= HEADING_MAX_CHARS && !FINAL_PUNCTUATION.test(t);
}

function toSegment(raw: string, format: TextFormat): Segment {
  const t = raw.trim().replace(/[ \t]+/g, ' ');
  const md = format === 'markdown' ? MARKDOWN_HEADING.exec(t) : null;
  if (md) return { kind: 'heading', text: md[1]! };
  return { kind: isHeadingLine(t) ? 'heading' : 'body', text: t };
}

/** Cuts text into segments, in the given layout or the detected one. */
export function segmentText(text: string, format: TextFormat = 'text', layout?: Layout): { layout: Layout; segments: Segment[] } {
  const clean = normalizeText(text);
  const chosen = layout ?? detectLayout(clean);
  const segments: Segment[] = [];
  if (chosen === 'lines') {
    for (const line of clean.split('\n')) if (line.trim()) segments.push(toSegment(line, format));
  } else {
    for (const block of splitBlocks(clean)) {
      // Markdown headings inside a block stand alone; other lines are joined (undoing a hard wrap).
      let pending: string[] = [];
      const flush = () => {
        if (pending.length) segments.push(toSegment(pending.join(' '), format));
        pending = [];
      };
      for (const line of block.split('\n')) {
        if (format === 'markdown' && MARKDOWN_HEADING.test(line.trim())) {
          flush();
          segments.push(toSegment(line, format));
        } else if (line.trim()) pending.push(line.trim());
      }
      flush();
    }
  }
  // A paragraph of nothing but invisible characters (zero-width space or joiner, word joiner, BOM) shows as blank.
  return { layout: chosen, segments: segments.filter((s) => s.text.replace(INVISIBLE, '').trim() !== '') };
}

/** The article's title: its first heading of three words or more, else its first paragraph, shortened. */
export function pickTitle(segments: Segment[], fallback: string): string {
  const heading = segments.find((s) => s.kind === 'heading' && s.text.split(/\s+/).length >= 3);
  const text = heading?.text ?? segments[0]?.text ?? '';
  if (!text) return fallback;
  return text.length > 120 ? `${text.slice(0, 117).trimEnd()}…` : text;
}

export function segmentArticle(text: string, format: TextFormat = 'text', fallbackTitle = 'Untitled'): SegmentedArticle {
  const { layout, segments } = segmentText(text, format);
  return { title: pickTitle(segments, fallbackTitle), layout, segments };
}

/**
 * Aligns a companion text (source or reference) to the article's segments, paragraph by paragraph.
 * Throws when the counts differ: a misaligned source is worse than none.
 */
export function alignCompanion(companion: string, layout: Layout, expected: number, what: string): string[] {
  const { segments } = segmentText(companion, 'text', layout);
  if (segments.length !== expected) {
    throw new SegmentationError(
      `the ${what} has ${segments.length} paragraph${segments.length === 1 ? '' : 's'} but the MT has ${expected}: they must align one to one`,
    );
  }
  return segments.map((s) => s.text);
}
