/**
 * A small, strict XML reader that remembers where everything is: every element, attribute, text,
 * CDATA section, comment and processing instruction carries its offsets in the original string, so a
 * writer can change one span (a `<target>`'s content, a `state` value) and leave every other byte of
 * the file as it was — the way the XLIFF export writes back into the file that was uploaded.
 *
 * It checks well-formedness as XML 1.0 with namespaces requires (matched tags, one root, quoted and
 * unique attributes, declared prefixes, known entities, characters XML allows) and answers
 * `XmlFileError` with a line number otherwise. Entity declarations are refused (a translation file
 * has no use for them and they are the classic XML attack); the five predefined entities and
 * numeric character references are decoded. Text values are decoded and line ends normalised
 * (CRLF → LF) as an XML parser would; offsets always refer to the raw text.
 *
 * The nodes and their helpers are in xmlNodes.ts, names, references and positions in xmlReader.ts.
 */
import { scanXml, XML_LIMITS, type XmlLimits } from './limits.js';
import { XmlFileError, XmlTooComplexError } from './xml.js';
import { XML_NAMESPACE, XMLNS_NAMESPACE, type XAttr, type XDocument, type XElement, type XNode } from './xmlNodes.js';
import { INVALID_CHAR, lineOf, Reader, splitName } from './xmlReader.js';

export {
  attrOf, elementsOf, escapeAttr, escapeText, findAttr, rawOf, textOf, XML_NAMESPACE,
  type XAttr, type XDocument, type XElement, type XNode, type XOther, type XText,
} from './xmlNodes.js';

/**
 * Reads a whole document. Checks the caps of `limits` first (a linear pre-scan), then reads.
 * Throws XmlTooComplexError or XmlFileError.
 */
export function scanDocument(input: string, limits: XmlLimits = XML_LIMITS): XDocument {
  const text = input;
  if (/<!ENTITY/i.test(text)) throw new XmlFileError('it declares XML entities (<!ENTITY …>), which are not accepted');
  const tooComplex = scanXml(text, limits);
  if (tooComplex) throw new XmlTooComplexError(tooComplex);
  const r: Reader = new Reader(text);
  const bad = INVALID_CHAR.exec(text);
  if (bad) r.fail(`it contains the character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which XML does not allow`, bad.index);
  if (text.charCodeAt(0) === 0xfeff) r.i = 1;

  let declaration: XDocument['declaration'];
  let root: XElement | undefined;
  let doctype = false;
  const stack: XElement[] = [];
  /** Namespace scopes: one map per open element that declares something. */
  const scopes: Array<Map<string, string>> = [new Map([['', ''], ['xml', XML_NAMESPACE], ['xmlns', XMLNS_NAMESPACE]])];
  const scopeDepth: number[] = [];
  const resolve = (prefix: string): string | undefined => {
    for (let k = scopes.length - 1; k >= 0; k--) {
      const v = scopes[k]!.get(prefix);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const prolog: XNode[] = [];
  const add = (node: XNode) => {
    const top = stack.at(-1);
    if (top) top.children.push(node);
    else prolog.push(node);
  };

  const n = text.length;
  while (r.i < n) {
    const at = r.i;
    if (text.charCodeAt(at) !== 0x3c /* < */) {
      let next = text.indexOf('<', at);
      if (next < 0) next = n;
      const raw = text.slice(at, next);
      if (!stack.length) {
        if (raw.trim() !== '') r.fail(root ? 'text after the root element' : 'text before the root element', at);
      } else {
        if (raw.includes(']]>')) r.fail('"]]>" in text (write ]]&gt;)', at + raw.indexOf(']]>'));
        add({ kind: 'text', start: at, end: next, value: r.decode(raw, at).replace(/\r\n?/g, '\n'), cdata: false });
      }
      r.i = next;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) r.fail('a comment that is not closed', at);
      if (text.slice(at + 4, end).includes('--')) r.fail('"--" inside a comment', at);
      r.i = end + 3;
      add({ kind: 'comment', start: at, end: r.i });
      continue;
    }
    if (text.startsWith('<![CDATA[', at)) {
      if (!stack.length) r.fail('a CDATA section outside the root element', at);
      const end = text.indexOf(']]>', at + 9);
      if (end < 0) r.fail('a CDATA section that is not closed', at);
      r.i = end + 3;
      add({ kind: 'text', start: at, end: r.i, value: text.slice(at + 9, end).replace(/\r\n?/g, '\n'), cdata: true });
      continue;
    }
    if (text.startsWith('<!DOCTYPE', at)) {
      if (root || doctype) r.fail('a DOCTYPE that is not at the start', at);
      doctype = true;
      let j = at + 9;
      let brackets = 0;
      for (; j < n; j++) {
        const ch = text[j];
        if (ch === '"' || ch === "'") {
          const close = text.indexOf(ch, j + 1);
          if (close < 0) r.fail('a DOCTYPE that is not closed', at);
          j = close;
        } else if (ch === '[') brackets++;
        else if (ch === ']') brackets--;
        else if (ch === '>' && brackets <= 0) break;
      }
      if (j >= n) r.fail('a DOCTYPE that is not closed', at);
      r.i = j + 1;
      prolog.push({ kind: 'doctype', start: at, end: r.i });
      continue;
    }
    if (text.startsWith('<!', at)) r.fail('markup that is neither a comment, CDATA nor a DOCTYPE', at);
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) r.fail('a processing instruction that is not closed', at);
      r.i = at + 2;
      const target = r.name();
      r.i = end + 2;
      if (target.toLowerCase() === 'xml') {
        if (at !== (text.charCodeAt(0) === 0xfeff ? 1 : 0) || target !== 'xml') r.fail('an XML declaration that is not at the very start', at);
        const body = text.slice(at + 5, end);
        const attr = (k: string) => new RegExp(`\\b${k}\\s*=\\s*(["'])([^"']*)\\1`).exec(body)?.[2];
        const version = attr('version');
        const encoding = attr('encoding');
        declaration = { start: at, end: r.i, ...(version ? { version } : {}), ...(encoding ? { encoding } : {}) };
        continue;
      }
      add({ kind: 'pi', start: at, end: r.i });
      continue;
    }
    if (text.startsWith('</', at)) {
      r.i = at + 2;
      const name = r.name();
      r.space();
      if (text[r.i] !== '>') r.fail(`the end tag </${name}> is not closed with ">"`, at);
      r.i++;
      const top = stack.pop();
      if (!top) r.fail(`an end tag </${name}> without a start tag`, at);
      if (top.name !== name) r.fail(`the end tag </${name}> does not match the start tag <${top.name}> (line ${lineOf(text, top.start)})`, at);
      top.closeStart = at;
      top.end = r.i;
      if (scopeDepth.at(-1) === stack.length + 1) {
        scopeDepth.pop();
        scopes.pop();
      }
      continue;
    }
    // A start tag.
    if (root && !stack.length) r.fail('a second root element', at);
    r.i = at + 1;
    const name = r.name();
    const raw: Array<{ name: string; value: string; start: number; end: number; valueStart: number; valueEnd: number }> = [];
    let selfClosing = false;
    for (;;) {
      const gap = r.space();
      const ch = text[r.i];
      if (ch === '>') {
        r.i++;
        break;
      }
      if (ch === '/' && text[r.i + 1] === '>') {
        r.i += 2;
        selfClosing = true;
        break;
      }
      if (ch === undefined) r.fail(`the start tag <${name}> is not closed`, at);
      if (!gap) r.fail(`no space before an attribute of <${name}>`);
      const aStart = r.i;
      const aName = r.name();
      r.space();
      if (text[r.i] !== '=') r.fail(`the attribute "${aName}" of <${name}> has no value`);
      r.i++;
      r.space();
      const q = text[r.i];
      if (q !== '"' && q !== "'") r.fail(`the value of "${aName}" on <${name}> is not quoted`);
      const close = text.indexOf(q, r.i + 1);
      if (close < 0) r.fail(`the value of "${aName}" on <${name}> is not closed`);
      const rawValue = text.slice(r.i + 1, close);
      if (rawValue.includes('<')) r.fail(`a "<" inside the value of "${aName}" on <${name}> (write &lt;)`, r.i);
      const value = r.decode(rawValue.replace(/\r\n?|[\t\n]/g, ' '), r.i + 1);
      if (raw.some((x) => x.name === aName)) r.fail(`the attribute "${aName}" appears twice on <${name}>`, aStart);
      raw.push({ name: aName, value, start: aStart, end: close + 1, valueStart: r.i + 1, valueEnd: close });
      r.i = close + 1;
    }
    // Namespace declarations first, then names.
    let declared: Map<string, string> | undefined;
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const p = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (p && a.value === '') r.fail(`the prefix "${p}" is declared with an empty namespace`, a.start);
        if (p === 'xmlns' || (p === 'xml' && a.value !== XML_NAMESPACE)) r.fail(`the prefix "${p}" cannot be declared`, a.start);
        (declared ??= new Map()).set(p, a.value);
      }
    }
    if (declared) {
      scopes.push(declared);
      scopeDepth.push(stack.length + 1);
    }
    const { prefix, local } = splitName(name, r, at);
    const ns = resolve(prefix);
    if (ns === undefined) r.fail(`the namespace prefix "${prefix}" of <${name}> is not declared`, at);
    const attrs: XAttr[] = raw.map((a) => {
      const parts = splitName(a.name, r, a.start);
      let ans = '';
      if (parts.prefix) {
        const v = resolve(parts.prefix);
        if (v === undefined) r.fail(`the namespace prefix "${parts.prefix}" of the attribute ${a.name} on <${name}> is not declared`, a.start);
        ans = v;
      } else if (a.name === 'xmlns') ans = XMLNS_NAMESPACE;
      return { ...a, prefix: parts.prefix, local: parts.local, ns: ans };
    });
    const seen = new Set<string>();
    for (const a of attrs) {
      if (!a.prefix) continue;
      const key = `{${a.ns}}${a.local}`;
      if (seen.has(key)) r.fail(`two attributes named ${a.local} in the same namespace on <${name}>`, a.start);
      seen.add(key);
    }
    const el: XElement = {
      kind: 'element', name, prefix, local, ns, attrs, start: at, openEnd: r.i, closeStart: r.i, end: r.i, selfClosing, children: [], parent: stack.at(-1),
    };
    add(el);
    if (!root) root = el;
    if (selfClosing) {
      if (scopeDepth.at(-1) === stack.length + 1) {
        scopeDepth.pop();
        scopes.pop();
      }
    } else stack.push(el);
  }
  if (stack.length) r.fail(`the element <${stack.at(-1)!.name}> is not closed`, stack.at(-1)!.start);
  if (!root) r.fail('there is no root element', 0);
  return { text, root, ...(declaration ? { declaration } : {}) };
}
