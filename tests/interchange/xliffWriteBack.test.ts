/**
 * Writing back into an uploaded XLIFF file, case by case: states both ways (1.2, 2.0, Trados conf,
 * memoQ status), encodings (UTF-8 with BOM, UTF-16, CRLF, a non-Unicode declaration), namespaces
 * (prefixed XLIFF elements, no namespace), comments, CDATA and literal markers in texts, broken
 * markers and control characters (a warning, never broken XML), translate="no", split, merge and
 * delete, languages, refusals of files that are not XML; and Postedit's own XLIFF (of a text article)
 * valid against the strict 1.2 and the 2.0 core schemas.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError } from '../../server/commands/errors.js';
import { exportArticle } from '../../server/commands/exportArticle.js';
import { importArticle } from '../../server/commands/importArticle.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { mergeParagraph } from '../../server/commands/mergeParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import type { Services } from '../../server/commands/services.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import type { Actor, Article } from '../../server/core/types.js';
import { articleToHtml } from '../../server/interchange/html.js';
import { importPrepared, prepareUpload } from '../../server/interchange/upload.js';
import { articleToXliff, exportXliff, parseXliff, writeIntoOriginal } from '../../server/interchange/xliff.js';
import { startApp, tempDir, type RunningApp } from '../support/app.js';
import { articleFrom, hostileText, seedText, withEveryState } from './fixtures.js';
import { FIXTURES, openServices, skipXmllint, structure, validate } from './xliffSupport.js';

const editor: Actor = { username: 'editor', role: 'editor' };
const reviewer: Actor = { username: 'reviewer', role: 'reviewer' };
let services: Services;
let close: () => Promise<void>;
let n = 0;

beforeAll(async () => {
  ({ services, close } = await openServices());
});
afterAll(async () => close());

async function load(name: string, data: string | Buffer): Promise<Article> {
  const prepared = await prepareUpload({ name, data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data });
  const { article } = await importPrepared(services, prepared, editor);
  return (await services.store.getArticle(article.id))!;
}
async function get(a: Article): Promise<Article> {
  return (await services.store.getArticle(a.id))!;
}
const target = { articleId: '', paragraphId: '', baseRevision: 0 };
function on(a: Article, i: number, actor = editor) {
  const p = a.paragraphs[i]!;
  return { ...target, articleId: a.id, paragraphId: p.id, baseRevision: p.revision, actor };
}
/** A unique file name (the store names articles after files). */
const named = (ext = 'xlf') => `case-${++n}.${ext}`;

const X12 = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"${extra}>
  <file original="story.txt" source-language="zh-CN" target-language="en-GB" datatype="plaintext">
    <body>
${body}
    </body>
  </file>
</xliff>
`;

describe('states, both ways', () => {
  it('XLIFF 1.2: imported from state, written only for what a person changed; approve → signed-off; no target stays without one', async () => {
    const xml = X12(`      <trans-unit id="t1"><source>第一段。</source><target state="translated">First paragraph.</target></trans-unit>
      <trans-unit id="t2"><source>第二段。</source><target state="needs-review-translation">Second paragraph.</target></trans-unit>
      <trans-unit id="t3"><source>第三段。</source></trans-unit>
      <trans-unit id="t4"><source>第四段。</source><target state="new">Fourth paragraph.</target></trans-unit>
      <trans-unit id="t5"><source>第五段。</source><target state="final">Fifth.</target></trans-unit>`);
    let a = await load(named(), xml);
    expect(a.paragraphs.map((p) => [p.status, p.review ?? 'none'])).toEqual([
      ['accepted', 'none'], ['accepted', 'in-review'], ['pending', 'none'], ['pending', 'none'], ['accepted', 'approved'],
    ]);
    expect(a).toMatchObject({ sourceLang: 'zh-CN', targetLang: 'en-GB', hasSource: true });
    await reviewParagraph(services, { ...on(a, 0, reviewer), action: 'approve' });
    await keepParagraph(services, on(a, 3));
    a = await get(a);
    const out = articleToXliff(a, { version: '1.2' });
    expect(out).toContain('<trans-unit id="t1"><source>第一段。</source><target state="signed-off">First paragraph.</target></trans-unit>');
    expect(out).toContain('<trans-unit id="t2"><source>第二段。</source><target state="needs-review-translation">Second paragraph.</target></trans-unit>');
    expect(out).toContain('<trans-unit id="t3"><source>第三段。</source></trans-unit>'); // untranslated, untouched: still no target
    expect(out).toContain('<trans-unit id="t4"><source>第四段。</source><target state="translated">Fourth paragraph.</target></trans-unit>');
    expect(out).toContain('<target state="final">Fifth.</target>'); // untouched: its own state stays
    // Only those two spans changed.
    expect(out.replace('state="signed-off"', 'state="translated"').replace('<target state="translated">Fourth', '<target state="new">Fourth')).toBe(xml);
  });

  it('XLIFF 2.0: segment states initial/translated/final; a decided untranslated segment gains a target', async () => {
    const xml = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de" trgLang="fr">
 <file id="f1">
  <unit id="u1">
   <segment id="s1" state="translated"><source>Eins.</source><target>Un.</target></segment>
   <ignorable><source> </source></ignorable>
   <segment id="s2"><source>Zwei.</source></segment>
  </unit>
 </file>
</xliff>`;
    let a = await load(named(), xml);
    expect(a.paragraphs.map((p) => [p.origin!.segment, p.text, p.status])).toEqual([['s1', 'Un.', 'accepted'], ['s2', 'Zwei.', 'pending']]);
    await reviewParagraph(services, { ...on(a, 0, reviewer), action: 'approve' });
    await editParagraph(services, { ...on(a, 1), text: 'Deux.' });
    a = await get(a);
    const out = articleToXliff(a, { version: '2.0' });
    expect(out).toContain('<segment id="s1" state="final"><source>Eins.</source><target>Un.</target></segment>');
    expect(out).toContain('<segment id="s2" state="translated"><source>Zwei.</source><target>Deux.</target></segment>');
    expect(out).toContain('<ignorable><source> </source></ignorable>');
  });

  it('Trados: empty target <mrk mtype="seg"/>s are segments to translate; conf read and written per segment', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
  <file original="a.docx" datatype="x-sdlfilterframework2" source-language="en-US" target-language="de-DE">
    <body>
      <group>
        <trans-unit id="u-1">
          <source><g id="2">Hello there. Second one.</g></source>
          <seg-source><g id="2"><mrk mtype="seg" mid="1">Hello there.</mrk> <mrk mtype="seg" mid="2">Second <x id="3"/>one.</mrk></g></seg-source>
          <target><g id="2"><mrk mtype="seg" mid="1">Hallo.</mrk> <mrk mtype="seg" mid="2"/></g></target>
          <sdl:seg-defs><sdl:seg id="1" conf="ApprovedTranslation" origin="tm"/><sdl:seg id="2"/></sdl:seg-defs>
        </trans-unit>
        <trans-unit id="u-2">
          <source>Third.</source>
          <seg-source><mrk mtype="seg" mid="3">Third.</mrk></seg-source>
          <target><mrk mtype="seg" mid="3">Dritte.</mrk></target>
          <sdl:seg-defs><sdl:seg id="3" conf="Draft"/></sdl:seg-defs>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>`;
    let a = await load(named('sdlxliff'), xml);
    expect(a.paragraphs.map((p) => [p.origin!.unit, p.origin!.segment, p.text, p.status, p.review ?? 'none'])).toEqual([
      ['u-1', '1', 'Hallo.', 'accepted', 'approved'],
      ['u-1', '2', 'Second ⟦1⟧one.', 'pending', 'none'], // no translation yet: the source, with its code
      ['u-2', '3', 'Dritte.', 'pending', 'none'],
    ]);
    expect(a.paragraphs[1]!.source).toBe('Second ⟦1⟧one.');
    expect(a.paragraphs[1]!.codes).toEqual([{ n: 1, kind: 'standalone', open: '<x id="3"/>', label: 'x 3' }]);
    expect(exportXliff(a, { version: '1.2' }).text).toBe(xml);
    await editParagraph(services, { ...on(a, 1), text: 'Zweite ⟦1⟧Zeile.' });
    await keepParagraph(services, on(a, 2));
    a = await get(a);
    const out = exportXliff(a, { version: '1.2' }).text;
    expect(out).toContain('<target><g id="2"><mrk mtype="seg" mid="1">Hallo.</mrk> <mrk mtype="seg" mid="2">Zweite <x id="3"/>Zeile.</mrk></g></target>');
    expect(out).toContain('<sdl:seg-defs><sdl:seg id="1" conf="ApprovedTranslation" origin="tm"/><sdl:seg id="2" conf="Translated"/></sdl:seg-defs>');
    expect(out).toContain('<sdl:seg id="3" conf="Translated"/>');
    // Trados keeps states in conf: no state attribute appears on its targets.
    expect(out).not.toContain('state=');
  });

  it('memoQ: mq:status read and written back; minor versions inside a unit are not taken for its texts', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff">
<file original="Manual.docx" source-language="en-gb" target-language="nl-nl" datatype="x-docx"><body>
<trans-unit id="1" mq:status="NotStarted"><source xml:space="preserve">Press <bpt id="1" ctype="bold">{}</bpt>Start<ept id="1">{}</ept> now.</source><target xml:space="preserve"></target></trans-unit>
<trans-unit id="2" mq:status="ManuallyConfirmed"><source xml:space="preserve">See figure</source><target xml:space="preserve">Zie figuur</target><mq:minorversions><mq:historical-unit mq:status="NotStarted"><source xml:space="preserve">See figure</source><target xml:space="preserve">Old</target></mq:historical-unit></mq:minorversions></trans-unit>
<trans-unit id="3" mq:status="Reviewer1Confirmed"><source xml:space="preserve">Done</source><target xml:space="preserve">Klaar</target></trans-unit>
</body></file></xliff>`;
    let a = await load(named('mqxliff'), xml);
    expect(a.paragraphs.map((p) => [p.text, p.status, p.review ?? 'none'])).toEqual([
      ['Press ⟦1⟧Start⟦/1⟧ now.', 'pending', 'none'], // bpt/ept closing in the same text: one pair
      ['Zie figuur', 'accepted', 'none'],
      ['Klaar', 'accepted', 'approved'],
    ]);
    expect(a.paragraphs[0]!.codes).toEqual([{ n: 1, kind: 'pair', open: '<bpt id="1" ctype="bold">{}</bpt>', close: '<ept id="1">{}</ept>', label: '{}' }]);
    await editParagraph(services, { ...on(a, 0), text: 'Druk ⟦1⟧nu⟦/1⟧ op Start.' });
    a = await get(a);
    const out = exportXliff(a, { version: '1.2' }).text;
    expect(out).toContain('<trans-unit id="1" mq:status="ManuallyConfirmed"><source xml:space="preserve">Press <bpt id="1" ctype="bold">{}</bpt>Start<ept id="1">{}</ept> now.</source><target xml:space="preserve" state="translated">Druk <bpt id="1" ctype="bold">{}</bpt>nu<ept id="1">{}</ept> op Start.</target></trans-unit>');
    expect(out.slice(out.indexOf('<trans-unit id="2"'))).toBe(xml.slice(xml.indexOf('<trans-unit id="2"')));
  });
});

describe('Postedit’s own XLIFF, uploaded again', () => {
  for (const version of ['1.2', '2.0'] as const) {
    it(`XLIFF ${version}: written back, its own record of the status follows the edit`, async () => {
      const source = withEveryState(articleFrom(`Headline for ${version}\nThe body & more.\nA third one.\n`, `own-${version.replace('.', '')}`, ['标题', '正文。', '第三。']));
      let a = await load(named(), articleToXliff(source, { version }));
      const p = a.paragraphs.findIndex((x) => x.status === 'pending');
      await editParagraph(services, { ...on(a, p), text: 'Edited again.' });
      a = await get(a);
      const back = parseXliff(articleToXliff(a, { version }));
      expect(back.units[p]).toMatchObject({ text: 'Edited again.', status: 'edited' });
      expect(back.units.map((u) => u.status)).toEqual(a.paragraphs.map((x) => (x.status === 'suggested' ? 'pending' : x.status)));
    });
  }
});

describe('what the file is made of stays as it came', () => {
  it('UTF-16 with a byte order mark, CRLF line ends: the same bytes back, and an edit keeps both', async () => {
    const xml = X12(`      <trans-unit id="a"><source>一。</source><target>One.</target></trans-unit>\r\n      <trans-unit id="b"><source>二。</source><target>Two.</target></trans-unit>`).replace(/\n/g, '\r\n').replace('UTF-8', 'UTF-16');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    let a = await load(named(), bytes);
    expect(a.original).toMatchObject({ encoding: 'utf-16le', bom: true });
    const same = exportXliff(a, { version: '1.2' });
    expect(same.body.equals(bytes)).toBe(true);
    expect(same.contentType).toContain('charset=utf-16le');
    await editParagraph(services, { ...on(a, 1), text: 'Two — edited.' });
    a = await get(a);
    const edited = exportXliff(a, { version: '1.2' }).body;
    expect(edited.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const text = edited.subarray(2).toString('utf16le');
    expect(text).toContain('<target state="translated">Two — edited.</target>');
    expect(text.split('\r\n').length).toBe(xml.split('\r\n').length);
  });

  it('UTF-8 with a BOM, a DOCTYPE, comments and processing instructions, CDATA and entities', async () => {
    const xml = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">
<!-- made by hand -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <?tool keep-me?>
 <file original="x" source-language="en" target-language="fr" datatype="plaintext"><body>
  <trans-unit id="1"><source>Fish &amp; chips <!-- a note --> &#x263A;</source><target><![CDATA[Poisson & frites <ok>]]><?pi inside?> &lt;3 ⟦1⟧ literal</target></trans-unit>
 </body></file>
</xliff>`;
    let a = await load(named(), xml);
    expect(a.original!.bom).toBe(true);
    const p = a.paragraphs[0]!;
    // The comment and the processing instruction are codes (their XML kept); a literal ⟦1⟧ is a code of its own.
    expect(p.source).toBe('Fish & chips ⟦1⟧ ☺');
    expect(p.text).toBe('Poisson & frites <ok>⟦2⟧ <3 ⟦3⟧ literal'); // source codes first, then the target's own
    expect(p.codes!.map((c) => [c.open, c.label])).toEqual([['<!-- a note -->', 'comment'], ['<?pi inside?>', 'processing instruction'], ['⟦1⟧', '⟦1⟧']]);
    expect(exportXliff(a, { version: '1.2' }).body.equals(Buffer.from(xml, 'utf8'))).toBe(true);
    await editParagraph(services, { ...on(a, 0), text: 'Poisson-frites ⟦3⟧ ⟦2⟧ & co' });
    a = await get(a);
    const out = exportXliff(a, { version: '1.2' }).text;
    expect(out).toContain('<target state="translated">Poisson-frites ⟦1⟧ <?pi inside?> &amp; co</target>');
    expect(out.startsWith('<?xml')).toBe(true); // the text; the bytes carry the BOM
    expect(exportXliff(a, { version: '1.2' }).body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseXliff(out).units[0]!.text).toBe('Poisson-frites ⟦2⟧ ⟦3⟧ & co');
  });

  it('prefixed XLIFF elements, and a 1.2 file without a namespace: a new target is written alike', async () => {
    const prefixed = `<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><x:file original="o" source-language="en" datatype="plaintext"><x:body>
  <x:trans-unit id="1"><x:source>Only a source.</x:source></x:trans-unit>
</x:body></x:file></x:xliff>`;
    let a = await load(named(), prefixed);
    await keepParagraph(services, on(a, 0));
    a = await get(a);
    expect(exportXliff(a, { version: '1.2' }).text).toContain('<x:trans-unit id="1"><x:source>Only a source.</x:source><x:target state="translated">Only a source.</x:target></x:trans-unit>');
    const bare = '<xliff version="1.2"><file original="o" source-language="en" datatype="plaintext"><body>\n    <trans-unit id="1">\n      <source>Bare.</source>\n    </trans-unit>\n</body></file></xliff>';
    let b = await load(named(), bare);
    await editParagraph(services, { ...on(b, 0), text: 'Nu.' });
    b = await get(b);
    expect(exportXliff(b, { version: '1.2' }).text).toContain('<trans-unit id="1">\n      <source>Bare.</source>\n      <target state="translated">Nu.</target>\n    </trans-unit>');
  });

  it('units marked translate="no" are not imported and stay as they are', async () => {
    const xml = X12(`      <group id="g" translate="no"><trans-unit id="k"><source>Keep me.</source></trans-unit></group>
      <trans-unit id="n" translate="no"><source>Me too.</source></trans-unit>
      <trans-unit id="y"><source>Translate me.</source></trans-unit>`);
    const prepared = await prepareUpload({ name: named(), data: Buffer.from(xml) });
    expect(prepared.count).toBe(1);
    expect(prepared.warnings).toContain('2 segments are marked translate="no": kept in the file as they are, not imported');
    let a = (await importPrepared(services, prepared, editor)).article;
    await editParagraph(services, { ...on(a, 0), text: 'Übersetzt.' });
    a = await get(a);
    expect(articleToXliff(a, { version: '1.2' })).toBe(xml.replace('<source>Translate me.</source>', '<source>Translate me.</source><target state="translated">Übersetzt.</target>'));
  });

  it('a split paragraph goes back into its unit; paragraphs of two units cannot be merged; a deleted one leaves its unit alone', async () => {
    const xml = X12(`      <trans-unit id="1"><source>一。二。</source><target>One. <g id="b">Two.</g></target></trans-unit>
      <trans-unit id="2"><source>三。</source><target>Three.</target></trans-unit>
      <trans-unit id="3"><source>四。</source><target>Four.</target></trans-unit>`);
    let a = await load(named(), xml);
    await splitParagraph(services, { ...on(a, 0), at: 'One. '.length });
    a = await get(a);
    expect(a.paragraphs.map((p) => p.text)).toEqual(['One.', '⟦1⟧Two.⟦/1⟧', 'Three.', 'Four.']);
    await expect(mergeParagraph(services, on(a, 1))).rejects.toThrow(/different units .* cannot be merged/);
    await deleteParagraph(services, on(a, 3));
    a = await get(a);
    const out = exportXliff(a, { version: '1.2' }).text;
    expect(out).toContain('<trans-unit id="1"><source>一。二。</source><target state="translated">One. <g id="b">Two.</g></target></trans-unit>');
    expect(out).toContain('<trans-unit id="3"><source>四。</source><target>Four.</target></trans-unit>');
    // The split-off merged back: allowed (the same unit), and the unit is as it came.
    await mergeParagraph(services, on(a, 0));
    a = await get(a);
    expect(exportXliff(a, { version: '1.2' }).text).toContain('<target state="translated">One. <g id="b">Two.</g></target>');
  });

  it('keeps the file’s languages: srcLang/trgLang on the export apply only to an XLIFF built from the article', async () => {
    const a = await load(named(), X12('      <trans-unit id="1"><source>一。</source><target>One.</target></trans-unit>'));
    const out = exportXliff(a, { version: '1.2', srcLang: 'ja', trgLang: 'de' });
    expect(out.text).toContain('source-language="zh-CN" target-language="en-GB"');
    expect(out.warnings).toEqual([expect.stringContaining('keeps its own languages')]);
    // The other version is built from the article, with the article's (the file's) languages.
    const v2 = exportXliff(a, { version: '2.0' });
    expect(v2.lossless).toBe(false);
    expect(v2.text).toMatch(/srcLang="zh-CN" trgLang="en-GB"/);
    expect(v2.warnings).toEqual([expect.stringContaining('built from the article')]);
  });
});

describe('valid output, always', () => {
  it('markers that lost their pair or their code are left out or written as text, with a warning, and the XML stays well-formed', async () => {
    const a = await load(named(), X12('      <trans-unit id="1"><source>A <g id="1">b</g> <x id="2"/> c.</source><target>A <g id="1">b</g> <x id="2"/> c.</target></trans-unit>'));
    // As a command would refuse to store it: the pair crossed with nothing, a code duplicated, one invented.
    const broken: Article = { ...a, paragraphs: a.paragraphs.map((p) => ({ ...p, text: 'A ⟦1⟧b ⟦2⟧ ⟦2⟧ ⟦7⟧ c.', status: 'edited' as const })) };
    const { text, warnings } = writeIntoOriginal(broken, a.original!);
    expect(text).toContain('<target state="translated">A b <x id="2"/> <x id="2"/> ⟦7⟧ c.</target>');
    expect(warnings).toEqual([
      'paragraph p1: the inline code ⟦1⟧ (g 1) is not properly paired; it was left out',
      'paragraph p1: the marker ⟦7⟧ is not one of its inline codes; it was written as text',
    ]);
    expect(() => parseXliff(text)).not.toThrow();
  });

  it('characters XML cannot carry: <cp/> in 2.0, left out with a warning in another tool’s 1.2', async () => {
    const a12 = await load(named(), X12('      <trans-unit id="1"><source>一。</source><target>One.</target></trans-unit>'));
    const bell12: Article = { ...a12, paragraphs: a12.paragraphs.map((p) => ({ ...p, text: 'Ring\u0007 the bell\uFFFE.', status: 'edited' as const })) };
    const r12 = writeIntoOriginal(bell12, a12.original!);
    expect(r12.text).toContain('<target state="translated">Ring the bell.</target>');
    expect(r12.warnings).toEqual(['paragraph p1: characters XML 1.2 cannot carry (control characters) were left out']);
    const a20 = await load(named(), '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f"><unit id="u"><segment><source>Bell</source></segment></unit></file></xliff>');
    const bell20: Article = { ...a20, paragraphs: a20.paragraphs.map((p) => ({ ...p, text: 'Cloche\u0007!', status: 'edited' as const })) };
    const r20 = writeIntoOriginal(bell20, a20.original!);
    expect(r20.text).toContain('<target>Cloche<cp hex="0007"/>!</target>');
    expect(r20.warnings).toEqual([]);
    expect(parseXliff(r20.text).units[0]!.text).toBe('Cloche\u0007!');
  });

  it('a file declared in an encoding other than UTF-8/16 gets new non-ASCII text as character references', async () => {
    const xml = X12('      <trans-unit id="1"><source>Cafe</source><target>Cafe</target></trans-unit>').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    let a = await load(named(), xml);
    await editParagraph(services, { ...on(a, 0), text: 'Café “au lait”' });
    a = await get(a);
    expect(exportXliff(a, { version: '1.2' }).text).toContain('<target state="translated">Caf&#xE9; &#x201C;au lait&#x201D;</target>');
  });

  it('HTML and JSON exports hold no character XML cannot carry', async () => {
    const article = articleFrom('Headline with a bell\u0007 here\nBody with U+FFFE \uFFFE and a form feed \f.\n', 'bells');
    const html = articleToHtml(article);
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(html).toContain('Headline with a bell here');
    // (An XML file cannot bring U+FFFE; a text file can.)
    const { article: stored } = await importArticle(services, { text: 'Bell\uFFFE\n', origin: named('txt'), actor: editor });
    const json = (await exportArticle(services, stored.id, 'json')).body;
    expect(json).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(json).toContain('Bell\\ufffe');
    expect(JSON.parse(json).article.paragraphs[0].text).toBe('Bell\uFFFE');
  });

  it('refuses what is not XML, or not XLIFF, with a 400 that says what and where', async () => {
    const cases: Array<[string, RegExp]> = [
      ['<xliff version="1.2"><file><body><ns:unit id="1"/></body></file></xliff>', /it is not well-formed XML: the namespace prefix "ns" of <ns:unit> is not declared \(line 1, column 34\)$/],
      ['<xliff version="1.2" bad:attr="1"><file/></xliff>', /the namespace prefix "bad" of the attribute bad:attr on <xliff> is not declared/],
      ['<xliff version="1.2"><file><body>&nbsp;</body></file></xliff>', /the entity &nbsp; is not defined/],
      ['<xliff version="1.2"><file></xliff>', /the end tag <\/xliff> does not match the start tag <file>/],
      ['<xliff version="1.2"><file/></xliff><xliff/>', /a second root element/],
      ['<xliff version="1.2" a="1" a="2"><file/></xliff>', /the attribute "a" appears twice/],
      ['<xliff version="1.2"><file>\u0001</file></xliff>', /the character U\+0001, which XML does not allow/],
      ['<html/>', /it is XML but not XLIFF/],
    ];
    for (const [xml, message] of cases) {
      const name = named();
      const e = await prepareUpload({ name, data: Buffer.from(xml) }).catch((x: unknown) => x);
      expect(e, xml).toBeInstanceOf(BadRequestError);
      expect((e as BadRequestError).status).toBe(400);
      expect((e as Error).message, xml).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
      expect((e as Error).message, xml).toMatch(message);
    }
  });
});

describe.skipIf(skipXmllint)('Postedit’s own XLIFF (articles from text files) is valid', () => {
  it('1.2 against the strict schema and 2.0 against the core schema, for every status, hostile text and a source text', async () => {
    const dir = await tempDir('postedit-own-xliff-');
    const articles = [
      withEveryState(articleFrom(seedText, 'seed')),
      withEveryState(articleFrom(`${hostileText}A bell \u0007 and an escape \u001B in the text.\n`, 'hostile')),
      withEveryState(articleFrom('Headline here\nThe body & more.\n', 'with-source', ['标题', '正文。'])),
    ];
    // And an article from another tool's file, exported in the other version (built, with its inline codes).
    articles.push(await load(named(), X12('      <trans-unit id="1"><source>A <g id="1">b</g><x id="2"/>.</source><target>A <g id="1">b</g><x id="2"/>.</target></trans-unit>')));
    const files: Record<'1.2' | '2.0', string[]> = { '1.2': [], '2.0': [] };
    for (const a of articles) {
      for (const version of ['1.2', '2.0'] as const) {
        const file = join(dir, `${a.id}-${version}.xlf`);
        const built = a.original?.version === version ? undefined : exportXliff(a, { version });
        if (!built) continue;
        await writeFile(file, built.body);
        files[version].push(file);
        // What Postedit wrote, it reads back.
        expect(parseXliff(built.text).units.length).toBe(a.paragraphs.filter((p) => p.status !== 'deleted').length);
      }
    }
    for (const [f, r] of validate('1.2 strict', files['1.2'])) expect(r, f).toEqual({ valid: true, errors: [] });
    for (const [f, r] of validate('2.0 core', files['2.0'])) expect(r, f).toEqual({ valid: true, errors: [] });
    expect(structure(articleToXliff(articles[0]!, { version: '1.2' })).units.length).toBeGreaterThan(5);
  });
});

describe('over HTTP', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app.close(true));

  it('uploads a .sdlxliff and answers the export with the same bytes under the same name; warnings in a header', async () => {
    const data = await readFile(join(FIXTURES, 'mc__sdlxliff__piazza.sdlxliff.xlf'));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)]), 'piazza.sdlxliff');
    const auth = { authorization: `Bearer ${app.tokens.admin}` };
    const up = await fetch(`${app.url}/api/articles/upload`, { method: 'POST', body: form, headers: { accept: 'application/json', ...auth } });
    const json = (await up.json()) as { id: string; format: string; paragraphs: Array<{ id: string; revision: number; text: string }>; sourceLang: string; targetLang: string };
    expect(up.status, JSON.stringify(json)).toBe(201);
    expect(json).toMatchObject({ format: 'xliff-1.2', sourceLang: 'en-US', targetLang: 'de-DE' });
    expect(json.paragraphs).toHaveLength(5); // five <mrk mtype="seg"> segments in one unit, each a paragraph
    const res = await fetch(`${app.url}/api/articles/${json.id}/export?format=xliff`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="?piazza\.sdlxliff"?/);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    expect(res.headers.get('x-postedit-warnings')).toBeNull();
    const other = await fetch(`${app.url}/api/articles/${json.id}/export?format=xliff2&trgLang=fr`, { headers: auth });
    expect(other.headers.get('x-postedit-warnings')).toMatch(/built from the article/);
    const html = await fetch(`${app.url}/api/articles/${json.id}/export?format=html`, { headers: auth });
    expect(html.status).toBe(200);
  });
});

describe('units with nothing to translate', () => {
  it('a unit without source text (others have one) stays in the file and is not imported', async () => {
    const xml = X12(`      <trans-unit id="1"><source></source><target>Orphan target.</target></trans-unit>
      <trans-unit id="2"><source>二。</source><target>Two.</target></trans-unit>`);
    const prepared = await prepareUpload({ name: named(), data: Buffer.from(xml) });
    expect(prepared.count).toBe(1);
    expect(prepared.warnings).toContain('1 segment has no source text: kept in the file as it is, not imported');
    const a = (await importPrepared(services, prepared, editor)).article;
    expect(exportXliff((await get(a)), { version: '1.2' }).text).toBe(xml);
  });
});
