/**
 * Hostile uploads are refused before they are parsed or unpacked (issue 16, item 13): XML with too
 * many elements or attributes or too deep, a .docx whose XML is too large, a zip bomb whose headers
 * lie. Timings are asserted loosely (under 10 s); the measured figures are in bench/RESULTS.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCX_XML_LIMITS, scanXml, XML_LIMITS, type XmlCounts } from '../../server/interchange/limits.js';
import { parseXml, XmlTooComplexError } from '../../server/interchange/xml.js';
import { articleToXliff } from '../../server/interchange/xliff.js';
import { checkZip, ZipRefusal } from '../../server/interchange/zipGuard.js';
import { docxToSegments, DocxTooComplexError } from '../../server/interchange/docx.js';
import { startApp, type RunningApp } from '../support/app.js';
import {
  buildZip, deflatedPart, docxWithManyElements, docxWithParagraphs, docxZipBomb, tbxWithAttributes, xliffNested,
  xliffWithAttributesOnOneElement, xliffWithAttributesSpread, xliffWithElements,
} from '../support/hostileFiles.js';
import { articleFrom, withEveryState } from './fixtures.js';

const fresh = (): XmlCounts => ({ elements: 0, attributes: 0, maxDepth: 0 });
const unlimited = { elements: Infinity, attributes: Infinity, attributesPerElement: Infinity, depth: Infinity };

describe('the XML pre-scan', () => {
  it('counts elements, attributes and depth, skipping comments, CDATA, PIs, the doctype and quoted markup', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE x [ <!ELEMENT a (#PCDATA)> <!ATTLIST a b CDATA "<c d='e'>"> ]>
<!-- <fake a="1"><fake/> -->
<root xmlns="urn:x" a='1 > 2' b="x=y">
  <child c="3"/><child/>
  <?pi <not an="element"> ?>
  <![CDATA[ <nope x="1"> ]]>
  <deep><deeper e="&lt;">text &gt; more</deeper></deep>
</root>`;
    const counts = fresh();
    expect(scanXml(xml, unlimited, counts)).toBeUndefined();
    expect(counts).toEqual({ elements: 5, attributes: 5, maxDepth: 3 });
  });

  it('stops at the first cap passed and says which', () => {
    const caps = { elements: 10, attributes: 20, attributesPerElement: 3, depth: 4 };
    expect(scanXml(`<r>${'<x/>'.repeat(10)}</r>`, caps)).toMatch(/^too complex: more than 10 XML elements/);
    expect(scanXml('<r a="1" b="2" c="3" d="4"/>', caps)).toMatch(/^too complex: an element with more than 3 attributes/);
    expect(scanXml(`<r>${'<x a="1" b="2"/>'.repeat(9)}</r>`, { ...caps, attributes: 17 })).toMatch(/^too complex: more than 17 XML attributes/);
    expect(scanXml('<a><b><c><d><e/></d></c></b></a>', caps)).toMatch(/^too complex: elements nested more than 4 deep/);
    expect(scanXml('<a><b><c><d/></c></b></a>', caps)).toBeUndefined();
  });

  it('counts several documents against one budget', () => {
    const counts = fresh();
    const caps = { ...unlimited, elements: 5 };
    expect(scanXml('<a><b/></a>', caps, counts)).toBeUndefined();
    expect(scanXml('<a><b/><c/></a>', caps, counts)).toBeUndefined();
    expect(scanXml('<a/>', caps, counts)).toMatch(/more than 5 XML elements/);
  });

  it('makes parseXml refuse before the parser runs', () => {
    const started = performance.now();
    expect(() => parseXml(xliffWithAttributesOnOneElement(400_000))).toThrow(XmlTooComplexError);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('lets through what Postedit itself writes for a 10,000-paragraph article', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Paragraph number ${i + 1} has some text in it.`);
    const article = withEveryState(articleFrom(lines.join('\n'), 'big', lines.map((l) => `源文 ${l}`)));
    for (const version of ['1.2', '2.0'] as const) {
      const counts = fresh();
      expect(scanXml(articleToXliff(article, { version }), XML_LIMITS, counts)).toBeUndefined();
      expect(counts.elements).toBeLessThan(XML_LIMITS.elements / 4);
      expect(counts.attributes).toBeLessThan(XML_LIMITS.attributes / 4);
    }
  });
});

describe('the ZIP guard', () => {
  it('refuses a zip bomb whose headers claim 2 KB, without unpacking it all', () => {
    const bomb = docxZipBomb(1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    let error: unknown;
    try {
      checkZip(bomb, { entryBytes: 64 * 1024 * 1024, totalBytes: 200 * 1024 * 1024, entries: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZipRefusal);
    expect((error as ZipRefusal).tooLarge).toBe(true);
    expect((error as Error).message).toMatch(/"word\/document\.xml" unpacks to more than 64 MB .*header says 2 KB/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('counts the total over all parts, whatever each part claims', () => {
    const part = (name: string) => ({ ...deflatedPart(name, Buffer.alloc(3 * 1024 * 1024)), declaredSize: 10 });
    const zip = buildZip([part('a.bin'), part('b.bin'), part('c.bin')]);
    expect(() => checkZip(zip, { entryBytes: 4 * 1024 * 1024, totalBytes: 8 * 1024 * 1024, entries: 10 })).toThrow(/unpacks to more than 8 MB \(the most accepted\)/);
    expect(checkZip(zip, { entryBytes: 4 * 1024 * 1024, totalBytes: 10 * 1024 * 1024, entries: 10 })).toBe(9 * 1024 * 1024);
    expect(() => checkZip(zip, { entryBytes: 4 * 1024 * 1024, totalBytes: 10 * 1024 * 1024, entries: 2 })).toThrow(/more than 2 ZIP entries/);
  });

  it('hands each part to the inspector and refuses what it refuses', () => {
    const zip = buildZip([deflatedPart('word/document.xml', '<a><b/></a>'), { name: 'stored.txt', data: Buffer.from('plain'), method: 0, declaredSize: 5 }]);
    const seen: string[] = [];
    checkZip(zip, { entryBytes: 1024, totalBytes: 2048, entries: 10 }, (entry, bytes) => {
      seen.push(`${entry.name}=${bytes.toString()}`);
      return undefined;
    });
    expect(seen).toEqual(['word/document.xml=<a><b/></a>', 'stored.txt=plain']);
    expect(() => checkZip(zip, { entryBytes: 1024, totalBytes: 2048, entries: 10 }, () => 'too complex: no')).toThrow(/too complex: no, in its part "word\/document\.xml"/);
  });

  it('makes docxToSegments refuse a bomb and a document with too many elements, and still read an ordinary one', async () => {
    await expect(docxToSegments(docxZipBomb(512))).rejects.toThrow(DocxTooComplexError);
    await expect(docxToSegments(docxWithManyElements(50_000))).rejects.toThrow(new RegExp(`more than ${DOCX_XML_LIMITS.elements.toLocaleString('en-US')} XML elements.*word/document\\.xml`));
    const { segments } = await docxToSegments(docxWithParagraphs(300));
    expect(segments).toHaveLength(300);
    expect(segments[299]!.text).toBe('Paragraph 300 of an ordinary article.');
  });
});

describe('hostile uploads over HTTP', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app.close(true));

  async function post(path: string, field: string, name: string, data: string | Buffer) {
    const form = new FormData();
    form.append(field, new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
    const started = performance.now();
    const res = await fetch(app.url + path, { method: 'POST', body: form, headers: { accept: 'application/json', authorization: `Bearer ${app.tokens.admin}` } });
    const json = (await res.json()) as { error?: string; code?: string; count?: number };
    return { status: res.status, json, seconds: (performance.now() - started) / 1000 };
  }

  const cases: Array<[string, () => string | Buffer, RegExp]> = [
    ['attrs.xlf', () => xliffWithAttributesOnOneElement(400_000), /^attrs\.xlf: too complex: an element with more than 128 attributes/],
    ['spread.xlf', () => xliffWithAttributesSpread(400_000), /^spread\.xlf: too complex: more than 300,000 XML attributes/],
    ['elements.xliff', () => xliffWithElements(1_000_000), /^elements\.xliff: too complex: more than 250,000 XML elements/],
    ['deep.xlf', () => xliffNested(100_000), /^deep\.xlf: too complex: elements nested more than 100 deep/],
    ['bomb.docx', () => docxZipBomb(1024), /^bomb\.docx: too large: its part "word\/document\.xml" unpacks to more than 64 MB/],
    ['dense.docx', () => docxWithManyElements(50_000), /^dense\.docx: too complex: more than 300,000 XML elements .*"word\/document\.xml"/],
  ];

  for (const [name, make, message] of cases) {
    it(`refuses ${name} with 413 and a reason, quickly, storing nothing`, async () => {
      const data = make();
      const before = (await app.services.store.listArticles()).length;
      for (const path of ['/api/articles/upload?preview=1', '/api/articles/upload']) {
        const r = await post(path, 'file', name, data);
        expect(r.status, JSON.stringify(r.json)).toBe(413);
        expect(r.json.error).toMatch(message);
        expect(r.json.code).toBe('too_complex');
        expect(r.seconds).toBeLessThan(10);
      }
      expect((await app.services.store.listArticles()).length).toBe(before);
    });
  }

  it('keeps memory bounded while refusing a 1 GB zip bomb', async () => {
    const bomb = docxZipBomb(1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      expect((await post('/api/articles/upload', 'file', 'bomb.docx', bomb)).status).toBe(413);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // Loose: the guard holds at most one 64 MB part; unpacking the bomb would take a gigabyte or more.
    expect(peak - before).toBeLessThan(600 * 1024 * 1024);
  });

  it('refuses a TBX glossary with 400,000 attributes with 413', async () => {
    const r = await post('/api/glossaries', 'file', 'terms.tbx', tbxWithAttributes(400_000));
    expect(r.status, JSON.stringify(r.json)).toBe(413);
    expect(r.json.error).toMatch(/^terms\.tbx: too complex: an element with more than 128 attributes/);
    expect(r.seconds).toBeLessThan(10);
  });

  it('still previews a large ordinary XLIFF and .docx', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `Paragraph number ${i + 1} has some text in it.`);
    const xliff = articleToXliff(withEveryState(articleFrom(lines.join('\n'), 'big')), { version: '2.0' });
    const x = await post('/api/articles/upload?preview=1', 'file', 'big.xlf', xliff);
    expect(x.status, JSON.stringify(x.json).slice(0, 300)).toBe(200);
    expect(x.json.count).toBeGreaterThan(4_000);
    const d = await post('/api/articles/upload?preview=1', 'file', 'ordinary.docx', docxWithParagraphs(2_000));
    expect(d.status, JSON.stringify(d.json).slice(0, 300)).toBe(200);
    expect(d.json.count).toBe(2_000);
  });
});
