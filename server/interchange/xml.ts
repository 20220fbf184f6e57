/**
 * Small helpers over fast-xml-parser's ordered ("preserveOrder") tree, shared by the XLIFF and TBX
 * readers and the XLIFF writer. Nothing here concatenates XML by hand: the builder escapes text and
 * attributes, the parser decodes them.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { scanXml, XML_LIMITS, type XmlLimits } from './limits.js';

/** One node of the ordered tree: `{ name: children, ':@': { '@_attr': value } }` or `{ '#text': string }`. */
export type XNode = Record<string, unknown>;

export class XmlFileError extends Error {}

/** A file over one of the caps of `limits.ts` (elements, attributes, depth), refused before parsing. */
export class XmlTooComplexError extends XmlFileError {}

/** Characters XML 1.0 cannot carry at all, not even as a character reference. */
export const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const INVALID_XML_CHARS_G = new RegExp(INVALID_XML_CHARS.source, 'gu');

/** Drops characters XML cannot carry (used for attributes and notes, where no placeholder exists). */
export function xmlSafe(text: string): string {
  return text.replace(INVALID_XML_CHARS_G, '');
}

/** A warning when texts hold characters XML cannot carry (an export leaves them out), else undefined. */
export function invalidCharsWarning(texts: Iterable<string>): string | undefined {
  let n = 0;
  for (const t of texts) if (INVALID_XML_CHARS.test(t)) n++;
  return n ? `${n} text${n === 1 ? '' : 's'} held characters XML cannot carry (control characters): they were left out` : undefined;
}

/** An element node. Attributes left undefined are not written. */
export function el(name: string, attrs: Record<string, string | undefined> = {}, children: XNode[] = []): XNode {
  const node: XNode = { [name]: children };
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[`@_${k}`] = xmlSafe(v);
  if (Object.keys(a).length) node[':@'] = a;
  return node;
}

export function txt(text: string): XNode {
  return { '#text': text };
}

/** Serialises an ordered tree with an XML declaration. `pretty` must be off when text is mixed with elements. */
export function buildXml(root: XNode, pretty = true): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    preserveOrder: true,
    format: pretty,
    indentBy: '  ',
    suppressEmptyNode: true,
    processEntities: true,
  });
  const decl: XNode = { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } };
  return `${builder.build([decl, root]).trimEnd()}\n`;
}

/**
 * Checks the caps of `limits` (a linear pre-scan: elements, attributes, depth), then well-formedness,
 * then parses into the ordered tree. Entity declarations are refused (a translation file has no use
 * for them and they are the classic XML attack); numeric character references and the five XML
 * entities are decoded; HTML entities are not.
 */
export function parseXml(xml: string, limits: XmlLimits = XML_LIMITS): XNode[] {
  const text = xml.replace(/^\uFEFF/, '');
  if (/<!ENTITY/i.test(text)) throw new XmlFileError('it declares XML entities (<!ENTITY …>), which are not accepted');
  const tooComplex = scanXml(text, limits);
  if (tooComplex) throw new XmlTooComplexError(tooComplex);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new XmlFileError(`it is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // An object (not `true`): numeric character references are decoded, HTML's named entities are not.
    // The parser supports this form; its typings only list booleans.
    htmlEntities: {} as unknown as boolean,
  });
  try {
    return parser.parse(text) as XNode[];
  } catch (e) {
    throw new XmlFileError(`it could not be parsed as XML: ${(e as Error).message}`);
  }
}

/** The element's name (the one key that is not `:@`), or undefined for text nodes. */
export function nameOf(node: XNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@' && k !== '#text') return k;
  return undefined;
}

/** The name without a namespace prefix (`xlf:unit` → `unit`). */
export function localName(node: XNode): string | undefined {
  const n = nameOf(node);
  return n === undefined ? undefined : n.slice(n.indexOf(':') + 1);
}

export function childrenOf(node: XNode): XNode[] {
  const n = nameOf(node);
  const c = n === undefined ? undefined : node[n];
  return Array.isArray(c) ? (c as XNode[]) : [];
}

export function attr(node: XNode, name: string): string | undefined {
  const a = node[':@'] as Record<string, unknown> | undefined;
  const v = a?.[`@_${name}`];
  return v === undefined || v === null ? undefined : String(v);
}

export function isText(node: XNode): node is { '#text': string } {
  return '#text' in node;
}

/** Child elements with the given local name. */
export function childElements(node: XNode, local: string): XNode[] {
  return childrenOf(node).filter((c) => localName(c) === local);
}

export function firstChild(node: XNode, local: string): XNode | undefined {
  return childrenOf(node).find((c) => localName(c) === local);
}

/** Every descendant element with the given local name, in document order (not below a match). */
export function findAll(nodes: XNode[], local: string): XNode[] {
  const out: XNode[] = [];
  const walk = (list: XNode[]) => {
    for (const n of list) {
      if (isText(n)) continue;
      if (localName(n) === local) out.push(n);
      else walk(childrenOf(n));
    }
  };
  walk(nodes);
  return out;
}

/** All text below a node, markup dropped. */
export function textContent(node: XNode): string {
  if (isText(node)) return String(node['#text']);
  return childrenOf(node).map(textContent).join('');
}

/** The document's root element. */
export function rootElement(nodes: XNode[]): XNode | undefined {
  return nodes.find((n) => !isText(n) && nameOf(n) !== undefined && !nameOf(n)!.startsWith('?'));
}
