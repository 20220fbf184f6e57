/**
 * The reading primitives of xmlScan.ts: XML names, white space, entity and character references,
 * positions for messages ("line L, column C"); every complaint is an XmlFileError saying where.
 */
import { XmlFileError } from './xml.js';

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const SPACE = /[ \t\r\n]*/y;
export const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** "line L, column C" of an offset (both 1-based). */
function positionOf(text: string, at: number): string {
  return `line ${lineOf(text, at)}, column ${at - text.lastIndexOf('\n', at - 1)}`;
}

export class Reader {
  i = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.i): never {
    throw new XmlFileError(`it is not well-formed XML: ${message} (${positionOf(this.text, at)})`);
  }

  name(): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.text);
    if (!m) this.fail(`a name was expected at "${this.text.slice(this.i, this.i + 12)}"`);
    this.i += m[0].length;
    return m[0];
  }

  space(): number {
    SPACE.lastIndex = this.i;
    const n = SPACE.exec(this.text)![0].length;
    this.i += n;
    return n;
  }

  /** Decodes entity and character references in raw text (`at`: its offset, for messages). */
  decode(raw: string, at: number): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let last = 0;
    for (let k = raw.indexOf('&'); k >= 0; k = raw.indexOf('&', last)) {
      out += raw.slice(last, k);
      ENTITY.lastIndex = k;
      const m = ENTITY.exec(raw);
      if (!m) this.fail('a "&" that does not start an entity or character reference (write &amp;)', at + k);
      const ref = m[1]!;
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        const ch = code <= 0x10ffff ? String.fromCodePoint(code) : '';
        if (!ch || INVALID_CHAR.test(ch) || (code >= 0xd800 && code <= 0xdfff)) this.fail(`the character reference &${ref}; names a character XML does not allow`, at + k);
        out += ch;
      } else {
        const v = PREDEFINED[ref];
        if (v === undefined) this.fail(`the entity &${ref}; is not defined (only &amp; &lt; &gt; &quot; &apos; and character references are)`, at + k);
        out += v;
      }
      last = k + m[0].length;
    }
    return out + raw.slice(last);
  }
}

export function splitName(name: string, r: Reader, at: number): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  if (colon < 0) return { prefix: '', local: name };
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) r.fail(`"${name}" is not a valid qualified name`, at);
  return { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}
