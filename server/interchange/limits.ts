/**
 * Caps on how complex an uploaded file may be, checked before any parser builds a tree of it.
 *
 * An XML parser's cost grows with the number of elements and attributes, not only with the bytes:
 * a 4.7 MB XLIFF with 400,000 attributes on one element took seconds and hundreds of MB to parse,
 * and a 55 KB .docx whose document.xml holds 1.5 million elements took mammoth 11 s and 2.4 GB.
 * `scanXml` is a single linear pass over the text that counts start tags, attributes (`=` outside
 * quoted values) and open elements, skipping comments, CDATA, processing instructions and the
 * doctype; it does not check well-formedness (the parser does that afterwards, on a file that is
 * known to be small enough). Refusals answer 413 with the cap that was passed.
 */
import { CommandError } from '../commands/errors.js';

export interface XmlLimits {
  /** Start tags, in all. */
  elements: number;
  /** Attributes (namespace declarations included), in all. */
  attributes: number;
  /** Attributes on one element. */
  attributesPerElement: number;
  /** Elements open at once. */
  depth: number;
}

/** XLIFF and TBX: a 10,000-paragraph XLIFF written by Postedit (source, MT notes, findings) has at most 56,000 elements and 65,000 attributes. */
export const XML_LIMITS: XmlLimits = { elements: 250_000, attributes: 300_000, attributesPerElement: 128, depth: 100 };

/** A .docx's XML parts, counted together: mammoth keeps every element of them in memory at once. */
export const DOCX_XML_LIMITS: XmlLimits = { elements: 300_000, attributes: 600_000, attributesPerElement: 128, depth: 100 };

/** What a scan found so far; pass the same object to count several documents against one budget. */
export interface XmlCounts {
  elements: number;
  attributes: number;
  maxDepth: number;
}

/** An upload refused for its size or complexity before it was parsed or unpacked. */
export class FileTooComplexError extends CommandError {
  override readonly status = 413;
  override readonly code = 'too_complex';
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Counts elements, attributes and depth in one pass; returns a message naming the first cap passed,
 * or undefined. Stops as soon as a cap is passed, so a hostile file costs no more than the cap.
 * Works on any string whose markup is ASCII (a UTF-8 buffer read as latin1 will do).
 */
/** Where the quoted string opening at `at` (quote char code `quote`) closes; -1 when it never does. */
function closingQuote(text: string, quote: number, at: number): number {
  return text.indexOf(quote === DQUOTE ? '"' : "'", at + 1);
}

export function scanXml(text: string, limits: XmlLimits, counts: XmlCounts = { elements: 0, attributes: 0, maxDepth: 0 }): string | undefined {
  const n = text.length;
  let depth = 0;
  let i = text.indexOf('<');
  while (i >= 0 && i < n - 1) {
    const c = text.charCodeAt(i + 1);
    if (c === BANG) {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) return undefined;
        i = text.indexOf('<', end + 3);
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) return undefined;
        i = text.indexOf('<', end + 3);
        continue;
      }
      // <!DOCTYPE …> and its internal subset in [ ]; quoted strings may hold brackets and '>'.
      let j = i + 2;
      let brackets = 0;
      for (; j < n; j++) {
        const ch = text.charCodeAt(j);
        if (ch === DQUOTE || ch === SQUOTE) {
          j = closingQuote(text, ch, j);
          if (j < 0) return undefined;
        } else if (ch === LBRACKET) brackets++;
        else if (ch === RBRACKET) brackets--;
        else if (ch === GT && brackets <= 0) break;
      }
      i = text.indexOf('<', j + 1);
      continue;
    }
    if (c === QUESTION) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = text.indexOf('<', end + 2);
      continue;
    }
    if (c === SLASH) {
      depth--;
      i = text.indexOf('<', i + 2);
      continue;
    }
    // A start tag.
    counts.elements++;
    if (counts.elements > limits.elements) return `too complex: more than ${fmt(limits.elements)} XML elements (the most accepted)`;
    let own = 0;
    let j = i + 1;
    for (; j < n; j++) {
      const ch = text.charCodeAt(j);
      if (ch === DQUOTE || ch === SQUOTE) {
        j = closingQuote(text, ch, j);
        if (j < 0) return undefined;
      } else if (ch === EQUALS) {
        own++;
        counts.attributes++;
        if (own > limits.attributesPerElement) return `too complex: an element with more than ${fmt(limits.attributesPerElement)} attributes (the most accepted on one element)`;
        if (counts.attributes > limits.attributes) return `too complex: more than ${fmt(limits.attributes)} XML attributes (the most accepted)`;
      } else if (ch === GT || ch === LT) break;
    }
    if (j >= n) return undefined;
    // An empty element (<x/>) sits one level down without staying open.
    const open = text.charCodeAt(j) === GT && text.charCodeAt(j - 1) !== SLASH;
    const level = depth + 1;
    if (open) depth = level;
    if (level > counts.maxDepth) counts.maxDepth = level;
    if (level > limits.depth) return `too complex: elements nested more than ${fmt(limits.depth)} deep (the most accepted)`;
    i = text.charCodeAt(j) === LT ? j : text.indexOf('<', j + 1);
  }
  return undefined;
}
