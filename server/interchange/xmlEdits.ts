/**
 * Changing spans of an XML document read by xmlScan.ts, leaving every other byte as it was: edits
 * applied by offset, a start tag with some attributes set.
 */
import { escapeAttr, type XDocument, type XElement } from './xmlScan.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(text: string, edits: Edit[], from = 0, to = text.length): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = from;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at, to);
}

/** A start tag with some attributes set (values replaced in place, new ones added at the end). */
export function startTag(doc: XDocument, e: XElement, set: Record<string, string>, open = false): string {
  const edits: Edit[] = [];
  let added = '';
  for (const [name, value] of Object.entries(set)) {
    const a = e.attrs.find((x) => x.name === name);
    if (a) {
      if (a.value !== value) edits.push({ start: a.valueStart, end: a.valueEnd, text: escapeAttr(value) });
    } else added += ` ${name}="${escapeAttr(value)}"`;
  }
  let tag = applyEdits(doc.text, edits, e.start, e.openEnd);
  if (added || (open && e.selfClosing)) {
    const close = e.selfClosing ? /\s*\/>$/ : />$/;
    tag = tag.replace(close, `${added}${open || !e.selfClosing ? '>' : '/>'}`);
  }
  return tag;
}
