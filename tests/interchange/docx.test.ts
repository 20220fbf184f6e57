import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
// JSZip (mammoth's ZIP reader) is used below to look inside the packages; it is imported by name at run time.
import { articleToDocx, DocxError, docxToSegments, segmentsToMarkdown, startsRightToLeft, zipUnpackedSize } from '../../server/interchange/docx.js';
import { segmentArticle } from '../../server/core/segment.js';
import { articleFrom, hostileText, live, seedText, withEveryState } from './fixtures.js';

const seed = withEveryState(articleFrom(seedText, 'baoan-smart-wearables-en'));
const hostile = withEveryState(articleFrom(hostileText, 'hostile'));

describe('DOCX export → import', () => {
  for (const article of [seed, hostile]) {
    it(`${article.id}: the same paragraphs, in order, with the same headings`, async () => {
      const data = await articleToDocx(article);
      expect(data.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      const { segments, warnings } = await docxToSegments(data);
      expect(warnings).toEqual([]);
      expect(segments).toEqual(live(article).map((p) => ({ kind: p.kind, text: p.text })));
    });
  }

  it('writes the first heading as Heading 1 and later ones as Heading 2', async () => {
    const data = await articleToDocx(seed);
    const { default: JSZip } = await import('jszip' as string);
    const zip = await JSZip.loadAsync(data);
    const xml: string = await zip.file('word/document.xml').async('string');
    const styles = [...xml.matchAll(/<w:pStyle w:val="([^"]+)"\/>/g)].map((m) => m[1]);
    const headings = live(seed).filter((p) => p.kind === 'heading').length;
    expect(styles[0]).toBe('Heading1');
    expect(styles.filter((s) => s === 'Heading2')).toHaveLength(headings - 1);
  });

  it('marks right-to-left paragraphs as bidirectional', async () => {
    expect(startsRightToLeft('مرحبا بالعالم')).toBe(true);
    expect(startsRightToLeft('“שלום” עולם')).toBe(true);
    expect(startsRightToLeft('Mixed עברית')).toBe(false);
    const { default: JSZip } = await import('jszip' as string);
    const zip = await JSZip.loadAsync(await articleToDocx(hostile));
    const xml: string = await zip.file('word/document.xml').async('string');
    expect(xml).toContain('<w:bidi/>');
  });

  it('gives Markdown the text importer reads back to the same segments', async () => {
    const { segments } = await docxToSegments(await articleToDocx(articleFrom(seedText)));
    const again = segmentArticle(segmentsToMarkdown(segments), 'markdown');
    expect(again.segments.map((s) => s.text)).toEqual(segments.map((s) => s.text));
    expect(again.segments.filter((s) => s.kind === 'heading').map((s) => s.text)).toEqual(segments.filter((s) => s.kind === 'heading').map((s) => s.text));
  });
});

describe('DOCX import of documents written elsewhere', () => {
  it('takes headings from Title/Heading styles, keeps line breaks, skips empty paragraphs, reads table cells', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('A title')] }),
            new Paragraph({ children: [] }),
            new Paragraph({ children: [new TextRun('Short line without stop')] }),
            new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun({ text: 'Bold', bold: true }), new TextRun(' heading.')] }),
            new Paragraph({ children: [new TextRun('First line'), new TextRun({ text: 'second line', break: 1 })] }),
            new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('In a cell.')] })] })] }),
          ],
        },
      ],
    });
    const { segments, warnings } = await docxToSegments(await Packer.toBuffer(doc));
    expect(segments).toEqual([
      { kind: 'heading', text: 'A title' },
      { kind: 'body', text: 'Short line without stop' },
      { kind: 'heading', text: 'Bold heading.' },
      { kind: 'body', text: 'First line\nsecond line' },
      { kind: 'body', text: 'In a cell.' },
    ]);
    expect(warnings).toEqual([expect.stringContaining('1 table')]);
  });

  it('refuses what is not a .docx, with the reason', async () => {
    await expect(docxToSegments(Buffer.from('just some text'))).rejects.toThrow(/not a \.docx file/);
    await expect(docxToSegments(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).rejects.toThrow(/old Word \.doc/);
    await expect(docxToSegments(Buffer.from('PK\u0003\u0004 truncated zip'))).rejects.toThrow(DocxError);
    // A real ZIP that is not a Word document.
    const { default: JSZip } = await import('jszip' as string);
    const zip = new JSZip();
    zip.file('hello.txt', 'hello');
    const notWord: Buffer = await zip.generateAsync({ type: 'nodebuffer' });
    await expect(docxToSegments(notWord)).rejects.toThrow(/could not be read as a Word document/);
  });

  it('refuses a ZIP that would unpack to far more than it weighs', async () => {
    const { default: JSZip } = await import('jszip' as string);
    const zip = new JSZip();
    zip.file('word/document.xml', ' '.repeat(1024 * 1024));
    const bomb: Buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(zipUnpackedSize(bomb)).toBe(1024 * 1024);
    // Claim 210 MB in the central directory, as a deflate bomb would (compressing that much here is slow).
    const cd = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(210 * 1024 * 1024, cd + 24);
    expect(zipUnpackedSize(bomb)).toBeGreaterThanOrEqual(210 * 1024 * 1024);
    await expect(docxToSegments(bomb)).rejects.toThrow(/unpacks to 21\d MB, more than the 200 MB accepted/);
  });
});
