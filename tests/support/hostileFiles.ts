/**
 * Hostile upload files, generated on the spot (tests/interchange/hostileUploads.test.ts and
 * bench/hostileUploads.ts): XML with too many attributes, elements or levels, and ZIP packages
 * whose headers lie about what they unpack to.
 */
import { constants, deflateRawSync } from 'node:zlib';

const XLIFF_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="en" target-language="en" datatype="plaintext"><body>';
const XLIFF_TAIL = '</body></file></xliff>\n';

/** An XLIFF 1.2 whose one trans-unit carries `n` attributes. */
export function xliffWithAttributesOnOneElement(n: number): string {
  const attrs: string[] = [];
  for (let i = 0; i < n; i++) attrs.push(`a${i}="x"`);
  return `${XLIFF_HEAD}<trans-unit id="1" ${attrs.join(' ')}><source>Hello.</source><target>Hello.</target></trans-unit>${XLIFF_TAIL}`;
}

/** An XLIFF 1.2 with `n` attributes spread over trans-units of 100 attributes each. */
export function xliffWithAttributesSpread(n: number): string {
  const per = 100;
  const units: string[] = [];
  for (let u = 0; u * per < n; u++) {
    const attrs: string[] = [`id="u${u}"`];
    for (let i = 1; i < per; i++) attrs.push(`a${i}="x"`);
    units.push(`<trans-unit ${attrs.join(' ')}><source>Text ${u}.</source></trans-unit>`);
  }
  return XLIFF_HEAD + units.join('') + XLIFF_TAIL;
}

/** An XLIFF 1.2 whose source holds `n` empty inline elements. */
export function xliffWithElements(n: number): string {
  return `${XLIFF_HEAD}<trans-unit id="1"><source>${'<x/>'.repeat(n)}</source></trans-unit>${XLIFF_TAIL}`;
}

/** An XLIFF 1.2 whose source nests `n` <g> elements. */
export function xliffNested(n: number): string {
  return `${XLIFF_HEAD}<trans-unit id="1"><source>${'<g>'.repeat(n)}deep${'</g>'.repeat(n)}</source></trans-unit>${XLIFF_TAIL}`;
}

/** A TBX glossary whose one termEntry carries `n` attributes. */
export function tbxWithAttributes(n: number): string {
  const attrs: string[] = [];
  for (let i = 0; i < n; i++) attrs.push(`a${i}="x"`);
  return `<?xml version="1.0"?><martif type="TBX"><text><body><termEntry id="t1" ${attrs.join(' ')}><langSet xml:lang="en"><tig><term>a</term></tig></langSet><langSet xml:lang="en-GB"><tig><term>b</term></tig></langSet></termEntry></body></text></martif>`;
}

export interface ZipPart {
  name: string;
  /** The bytes as stored in the package (deflated when `method` is 8). */
  data: Buffer;
  method: 0 | 8;
  /** The unpacked size written in both headers, true or not. */
  declaredSize: number;
}

/** A deflated part with honest headers. */
export function deflatedPart(name: string, content: string | Buffer): ZipPart {
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, data: deflateRawSync(raw), method: 8, declaredSize: raw.length };
}

/**
 * A raw deflate stream of `megabytes` MB of zeros, made cheaply: one 16 MB block compressed with a
 * full flush (it ends on a byte boundary, not final, without references back), repeated, then an
 * empty final block. About 1 KB of stream per MB unpacked.
 */
export function deflateBomb(megabytes: number): Buffer {
  const chunkMB = 16;
  const chunk = deflateRawSync(Buffer.alloc(chunkMB * 1024 * 1024), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  for (let i = 0; i < Math.ceil(megabytes / chunkMB); i++) parts.push(chunk);
  parts.push(deflateRawSync(Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A ZIP package of the parts, local headers and central directory both saying `declaredSize` (CRCs left 0). */
export function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, p.data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0, 8);
    cd.writeUInt16LE(p.method, 10);
    cd.writeUInt32LE(0, 16);
    cd.writeUInt32LE(p.data.length, 20);
    cd.writeUInt32LE(p.declaredSize, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + p.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A minimal .docx around the given document.xml part. */
export function docxWith(document: ZipPart): Buffer {
  return buildZip([deflatedPart('[Content_Types].xml', CONTENT_TYPES), deflatedPart('_rels/.rels', RELS), document]);
}

/** A .docx whose document.xml unpacks to `megabytes` MB while its headers say 2 KB. */
export function docxZipBomb(megabytes: number): Buffer {
  return docxWith({ name: 'word/document.xml', data: deflateBomb(megabytes), method: 8, declaredSize: 2048 });
}

/** A .docx with honest headers whose document.xml holds `paragraphs` paragraphs of ten runs each (31 elements a paragraph). */
export function docxWithManyElements(paragraphs: number): Buffer {
  const p = `<w:p><w:r><w:t>x</w:t></w:r>${'<w:r><w:t>y</w:t></w:r>'.repeat(9)}</w:p>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${p.repeat(paragraphs)}</w:body></w:document>`;
  return docxWith(deflatedPart('word/document.xml', xml));
}

/** A .docx with honest headers and `paragraphs` ordinary paragraphs: what must still be accepted. */
export function docxWithParagraphs(paragraphs: number): Buffer {
  const body = Array.from({ length: paragraphs }, (_, i) => `<w:p><w:r><w:t>Paragraph ${i + 1} of an ordinary article.</w:t></w:r></w:p>`).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
  return docxWith(deflatedPart('word/document.xml', xml));
}
