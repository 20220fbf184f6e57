import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  articleToXliff, parseXliff, POSTEDIT_NAMESPACE, statusFromState, XLIFF_NAMESPACES, XliffError, xliffState, type XliffVersion,
} from '../../server/interchange/xliff.js';
import type { Article } from '../../server/core/types.js';
import { articleFrom, hostileText, live, seedText, withEveryState } from './fixtures.js';

const VERSIONS: XliffVersion[] = ['1.2', '2.0'];

const seed = withEveryState(articleFrom(seedText, 'baoan-smart-wearables-en'));
const hostile = withEveryState(articleFrom(`${hostileText}A bell \u0007 and an escape \u001B and a form feed \f in the text.\n`, 'hostile'));
const withSource = withEveryState(
  articleFrom(
    'Headline about the alliance\nThe alliance was set up on January 28 & now has 20 members.\nIt is the first one <in> the city.\n',
    'with-source',
    ['联盟成立的标题', '该联盟于1月28日成立，现有20家成员 & 企业。', '这是全市第一个<联盟>。'],
  ),
);

/** Plain parse of the XML, attributes kept, for checking structure the way another tool would see it. */
function plain(xml: string) {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => ['file', 'trans-unit', 'unit', 'segment', 'note', 'group'].includes(name),
  }).parse(xml);
}

function expectSameParagraphs(article: Article, xml: string) {
  const doc = parseXliff(xml);
  const paragraphs = live(article);
  expect(doc.units.map((u) => u.id)).toEqual(paragraphs.map((p) => p.id));
  expect(doc.units.map((u) => u.text)).toEqual(paragraphs.map((p) => p.text));
  expect(doc.units.map((u) => u.mt)).toEqual(paragraphs.map((p) => p.mt));
  expect(doc.units.map((u) => u.status)).toEqual(paragraphs.map((p) => p.status));
  expect(doc.units.map((u) => u.review)).toEqual(paragraphs.map((p) => p.review ?? 'none'));
  expect(doc.units.map((u) => u.kind)).toEqual(paragraphs.map((p) => p.kind));
  expect(doc.units.map((u) => u.source)).toEqual(paragraphs.map((p) => p.source));
  expect(doc.title).toBe(article.title);
  expect(doc.hasSource).toBe(article.hasSource);
  return doc;
}

describe('XLIFF export → import round trip', () => {
  for (const version of VERSIONS) {
    it(`XLIFF ${version}: the seed article keeps texts, MT, statuses, review states and kinds`, () => {
      const xml = articleToXliff(seed, { version });
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = expectSameParagraphs(seed, xml);
      expect(doc.version).toBe(version);
      expect(doc.postedit).toBe(true);
      // Every status and review state is in the fixture, so the round trip covered them all.
      expect(new Set(doc.units.map((u) => u.status))).toEqual(new Set(['pending', 'accepted', 'edited', 'rejected', 'suggested']));
      expect(new Set(doc.units.map((u) => u.review))).toEqual(new Set(['none', 'in-review', 'approved', 'sent-back']));
    });

    it(`XLIFF ${version}: hostile text (entities, markup, quotes, RTL, zero-width, control characters) comes back unchanged`, () => {
      const xml = articleToXliff(hostile, { version });
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toContain('<script>');
      expect(xml).not.toContain('\u0007');
      expectSameParagraphs(hostile, xml);
    });

    it(`XLIFF ${version}: a real source text goes to <source>, the MT to a note, and both come back`, () => {
      const xml = articleToXliff(withSource, { version, srcLang: 'zh' });
      const doc = expectSameParagraphs(withSource, xml);
      expect(doc.srcLang).toBe('zh');
      expect(doc.trgLang).toBe('en');
      expect(xml).toContain('postedit:mt');
    });
  }

  it('writes fact-guard findings as notes (priority 1 for warnings, 5 for info)', () => {
    const x12 = plain(articleToXliff(seed, { version: '1.2' }));
    const units12 = x12.xliff.file[0].body['trans-unit'] as Array<{ id: string; note?: Array<{ '#text': string; priority: string; from: string }> }>;
    const p3 = units12.find((u) => u.id === 'p3')!;
    // 1.2 also carries Postedit's state in a note of its own (the strict schema allows no foreign attribute).
    expect(p3.note!.filter((n) => n.from !== 'postedit:state')).toEqual([expect.objectContaining({ from: 'postedit:fact-guard', priority: '1', '#text': '[numbers] The number "1000000000" is missing & <gone>.' })]);
    const x20 = plain(articleToXliff(seed, { version: '2.0' }));
    const p6 = (x20.xliff.file[0].unit as Array<{ id: string; notes?: { note: Array<{ priority: string; category: string }> } }>).find((u) => u.id === 'p6')!;
    expect(p6.notes!.note).toEqual([expect.objectContaining({ category: 'postedit:fact-guard', priority: '5' })]);
  });

  it('maps Postedit states to the standard ones other tools read', () => {
    expect(xliffState('pending', undefined, '1.2')).toBe('needs-translation');
    expect(xliffState('suggested', 'none', '2.0')).toBe('initial');
    expect(xliffState('edited', 'none', '1.2')).toBe('translated');
    expect(xliffState('rejected', undefined, '2.0')).toBe('translated');
    expect(xliffState('accepted', 'in-review', '1.2')).toBe('needs-review-translation');
    expect(xliffState('accepted', 'in-review', '2.0')).toBe('translated');
    expect(xliffState('edited', 'approved', '1.2')).toBe('signed-off');
    expect(xliffState('suggested', 'none', '1.2')).toBe('needs-review-translation');
    expect(xliffState('kept', 'none', '1.2')).toBe('translated');
    expect(xliffState('edited', 'approved', '2.0')).toBe('final');
    expect(xliffState('accepted', 'sent-back', '2.0')).toBe('initial');
    expect(statusFromState('signed-off', '1.2')).toEqual({ status: 'accepted', review: 'approved' });
    expect(statusFromState('needs-review-l10n', '1.2')).toEqual({ status: 'accepted', review: 'in-review' });
    expect(statusFromState('new', '1.2')).toEqual({ status: 'pending', review: 'none' });
    expect(statusFromState('reviewed', '2.0')).toEqual({ status: 'accepted', review: 'approved' });
    expect(statusFromState(undefined, '2.0')).toEqual({ status: 'pending', review: 'none' });
  });
});

describe('XLIFF structure other tools expect', () => {
  for (const article of [seed, hostile, withSource]) {
    it(`XLIFF 1.2 of ${article.id}: namespace, version, file attributes, unique unit ids, source and target in every unit`, () => {
      const xml = articleToXliff(article, { version: '1.2' });
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff ')).toBe(true);
      const x = plain(xml);
      expect(x.xliff.xmlns).toBe(XLIFF_NAMESPACES['1.2']);
      expect(x.xliff.xmlns).toBe('urn:oasis:names:tc:xliff:document:1.2');
      // No attribute of Postedit's namespace: the strict 1.2 schema refuses attributes it cannot check.
      expect(x.xliff['xmlns:pe']).toBeUndefined();
      expect(xml).not.toContain(POSTEDIT_NAMESPACE);
      expect(x.xliff.version).toBe('1.2');
      const files = x.xliff.file as Array<Record<string, any>>;
      expect(files).toHaveLength(1);
      const file = files[0]!;
      expect(file.original).toBe(article.id);
      expect(file['source-language']).toMatch(/^[a-z]{2,3}$/);
      expect(file['target-language']).toBe('en');
      expect(file.datatype).toBe('plaintext');
      expect(file.header.tool['tool-id']).toBe('postedit');
      const units = file.body['trans-unit'] as Array<Record<string, any>>;
      expect(units).toHaveLength(live(article).length);
      const ids = units.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const u of units) {
        expect(u).toHaveProperty('source');
        expect(u).toHaveProperty('target');
        expect(['needs-translation', 'needs-review-translation', 'translated', 'signed-off']).toContain(u.target.state);
      }
    });

    it(`XLIFF 2.0 of ${article.id}: namespace, version, srcLang/trgLang, unique file and unit ids, segments with source and target`, () => {
      const x = plain(articleToXliff(article, { version: '2.0' }));
      expect(x.xliff.xmlns).toBe('urn:oasis:names:tc:xliff:document:2.0');
      expect(x.xliff.version).toBe('2.0');
      expect(x.xliff.srcLang).toMatch(/^[a-z]{2,3}$/);
      expect(x.xliff.trgLang).toBe('en');
      const files = x.xliff.file as Array<Record<string, any>>;
      expect(new Set(files.map((f) => f.id)).size).toBe(files.length);
      for (const f of files) expect(f.id).toMatch(/^[A-Za-z_][\w.-]*$/);
      const units = files.flatMap((f) => f.unit as Array<Record<string, any>>);
      expect(units).toHaveLength(live(article).length);
      const ids = units.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z_][\w.-]*$/); // NMTOKEN-safe, starts like an XML name
      for (const u of units) {
        expect(u.segment).toHaveLength(1);
        expect(u.segment[0]).toHaveProperty('source');
        expect(u.segment[0]).toHaveProperty('target');
        expect(['initial', 'translated', 'reviewed', 'final']).toContain(u.segment[0].state);
      }
    });
  }

  it('defaults languages sensibly and refuses tags that are not BCP 47', () => {
    expect(plain(articleToXliff(seed, { version: '2.0' })).xliff.srcLang).toBe('en'); // no source: the XLIFF source is the English MT
    expect(plain(articleToXliff(withSource, { version: '2.0' })).xliff.srcLang).toBe('zh'); // the source text is Chinese (issue 16: no more und for it)
    expect(plain(articleToXliff(withSource, { version: '1.2', srcLang: 'zh-CN', trgLang: 'en-GB' })).xliff.file[0]['source-language']).toBe('zh-CN');
    expect(() => articleToXliff(seed, { version: '1.2', srcLang: 'zh"><x' })).toThrow(XliffError);
  });

  it('leaves deleted paragraphs out', () => {
    const xml = articleToXliff(seed, { version: '2.0' });
    const deleted = seed.paragraphs.filter((p) => p.status === 'deleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const p of deleted) expect(xml).not.toContain(`id="${p.id}"`);
  });
});

describe('XLIFF from other tools', () => {
  it('reads a 1.2 file: groups, inline codes as markers, target as the MT, states mapped, order kept', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="story.docx" source-language="zh-CN" target-language="en-US" datatype="x-undefined">
    <body>
      <group id="g1">
        <trans-unit id="a"><source>深圳宝安</source><target state="translated">Shenzhen <g id="1">Bao'an</g> District</target></trans-unit>
        <trans-unit id="b"><source>产值10亿元。</source><target state="needs-review-translation">Output of <x id="2" equiv-text="1"/> billion yuan &amp; more.</target></trans-unit>
      </group>
      <trans-unit id="c"><source>尚未翻译。</source><target state="new"></target></trans-unit>
      <trans-unit id="d"><source>已定稿。</source><target state="final">Signed off &#x2014; done.</target><note>From the client</note></trans-unit>
    </body>
  </file>
</xliff>`;
    const doc = parseXliff(xml);
    expect(doc.version).toBe('1.2');
    expect(doc.postedit).toBe(false);
    expect(doc.srcLang).toBe('zh-CN');
    expect(doc.units.map((u) => [u.id, u.mt, u.text, u.source, u.status, u.review])).toEqual([
      ['a', "Shenzhen ⟦1⟧Bao'an⟦/1⟧ District", "Shenzhen ⟦1⟧Bao'an⟦/1⟧ District", '深圳宝安', 'accepted', 'none'],
      ['b', 'Output of ⟦1⟧ billion yuan & more.', 'Output of ⟦1⟧ billion yuan & more.', '产值10亿元。', 'accepted', 'in-review'],
      ['c', '尚未翻译。', '尚未翻译。', '尚未翻译。', 'pending', 'none'],
      ['d', 'Signed off — done.', 'Signed off — done.', '已定稿。', 'accepted', 'approved'],
    ]);
    // The codes keep their XML (for the export) and a label (for the editor).
    expect(doc.units[0]!.codes).toEqual([{ n: 1, kind: 'pair', open: '<g id="1">', close: '</g>', label: 'g 1' }]);
    expect(doc.units[1]!.codes).toEqual([{ n: 1, kind: 'standalone', open: '<x id="2" equiv-text="1"/>', label: '1' }]);
    expect(doc.units.map((u) => u.origin.unit)).toEqual(['a', 'b', 'c', 'd']);
    expect(doc.units.map((u) => u.origin.target)).toEqual([true, true, false, true]);
    expect(doc.units[3]!.notes).toEqual(['From the client']);
  });

  it('reads a 2.0 file: each segment a paragraph (ignorables left in the file), pc/ph as codes, cp as its character', () => {
    const xml = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment state="final"><source>Первое.</source><target>First.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment state="translated"><source>Второе.</source><target>Second <pc id="1">bold</pc><ph id="2" equiv="!"/></target></segment>
    </unit>
    <group id="g"><unit id="u2"><segment><source>Только источник</source></segment></unit></group>
    <unit id="u3"><segment state="reviewed"><source>Звонок</source><target>Bell<cp hex="0007"/>!</target></segment></unit>
  </file>
</xliff>`;
    const doc = parseXliff(xml);
    expect(doc.version).toBe('2.0');
    expect(doc.units.map((u) => [u.id, u.origin.segmentAt, u.text, u.source, u.status, u.review])).toEqual([
      ['u1', 0, 'First.', 'Первое.', 'accepted', 'approved'],
      ['u1', 1, 'Second ⟦1⟧bold⟦/1⟧⟦2⟧', 'Второе.', 'accepted', 'none'],
      ['u2', 0, 'Только источник', 'Только источник', 'pending', 'none'],
      ['u3', 0, 'Bell\u0007!', 'Звонок', 'accepted', 'approved'],
    ]);
    expect(doc.units[1]!.codes).toEqual([
      { n: 1, kind: 'pair', open: '<pc id="1">', close: '</pc>', label: 'pc 1' },
      { n: 2, kind: 'standalone', open: '<ph id="2" equiv="!"/>', label: '!' },
    ]);
  });

  it('treats a file whose sources equal its targets as monolingual (no source text)', () => {
    const doc = parseXliff(`<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"><file id="f"><unit id="1"><segment><source>Same text.</source><target>Same text.</target></segment></unit></file></xliff>`);
    expect(doc.hasSource).toBe(false);
    expect(doc.units[0]!.source).toBeUndefined();
  });

  it('refuses broken and foreign files with a message that says what is wrong', () => {
    expect(() => parseXliff('<xliff version="1.2"><file><body><trans-unit id="1"><source>x</source></body></file></xliff>')).toThrow(/not well-formed XML: .*line 1/);
    expect(() => parseXliff('<html><body>hi</body></html>')).toThrow(/not XLIFF: the root element is <html>/);
    expect(() => parseXliff('<xliff version="3.0"><file/></xliff>')).toThrow(/version "3.0" is not supported/);
    expect(() => parseXliff('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"></xliff>')).toThrow(/no <file>/);
    expect(() =>
      parseXliff('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xliff version="1.2"><file><body><trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>'),
    ).toThrow(/entities/);
    expect(() => parseXliff('not xml at all')).toThrow(/XML|XLIFF/);
  });
});
