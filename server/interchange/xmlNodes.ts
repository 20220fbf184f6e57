/**
 * The nodes of an XML document as xmlScan.ts reads it — every element, attribute, text, comment and
 * processing instruction with its offsets in the original string — and small helpers to read and
 * escape them.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XAttr {
  /** As written, prefix included. */
  name: string;
  prefix: string;
  local: string;
  /** Namespace of a prefixed attribute ('' for an unprefixed one). */
  ns: string;
  /** Decoded and normalised value. */
  value: string;
  /** Offsets of the whole attribute (`name="value"`) and of the raw value between the quotes. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface XElement {
  kind: 'element';
  name: string;
  prefix: string;
  local: string;
  /** Namespace URI ('' for none). */
  ns: string;
  attrs: XAttr[];
  /** `<` of the start tag. */
  start: number;
  /** Just after the start tag's `>`. */
  openEnd: number;
  /** `<` of the end tag (= openEnd for an empty-element tag). */
  closeStart: number;
  /** Just after the element. */
  end: number;
  selfClosing: boolean;
  children: XNode[];
  parent: XElement | undefined;
}

export interface XText {
  kind: 'text';
  start: number;
  end: number;
  /** Decoded text (CDATA content as is, line ends normalised). */
  value: string;
  cdata: boolean;
}

export interface XOther {
  kind: 'comment' | 'pi' | 'doctype';
  start: number;
  end: number;
}

export type XNode = XElement | XText | XOther;

export interface XDocument {
  text: string;
  root: XElement;
  /** What the XML declaration says, if there is one. */
  declaration?: { version?: string; encoding?: string; start: number; end: number };
}

/** The value of an attribute by its local name and namespace ('' for an unprefixed attribute). */
export function attrOf(el: XElement, local: string, ns = ''): string | undefined {
  return findAttr(el, local, ns)?.value;
}

export function findAttr(el: XElement, local: string, ns = ''): XAttr | undefined {
  return el.attrs.find((a) => a.local === local && a.ns === ns && a.name !== 'xmlns' && a.prefix !== 'xmlns');
}

export function elementsOf(el: XElement): XElement[] {
  return el.children.filter((c): c is XElement => c.kind === 'element');
}

/** All text below an element, decoded, markup dropped. */
export function textOf(node: XNode): string {
  if (node.kind === 'text') return node.value;
  if (node.kind !== 'element') return '';
  let out = '';
  for (const c of node.children) out += textOf(c);
  return out;
}

/** The raw text of a node as it is in the document. */
export function rawOf(doc: XDocument, node: { start: number; end: number }): string {
  return doc.text.slice(node.start, node.end);
}

/** XML-escapes text for element content (`>` too, so `]]>` never appears). */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** XML-escapes an attribute value (double quotes). */
export function escapeAttr(text: string): string {
  return text.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`.replace('&#38;', '&amp;').replace('&#60;', '&lt;').replace('&#62;', '&gt;').replace('&#34;', '&quot;'));
}
