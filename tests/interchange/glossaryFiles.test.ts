import { describe, expect, it } from 'vitest';
import { glossaryFormatOf, parseDelimited, parseGlossaryFile, parseGlossaryTable, parseTbx } from '../../server/interchange/glossaryFiles.js';

describe('CSV and TSV glossaries', () => {
  const cases: Array<{ name: string; text: string; delimiter: ',' | '\t'; entries: unknown[] }> = [
    {
      name: 'CSV with a header row',
      text: 'term,preferred,note\nintelligent wearable,smart wearable,Desk term\nChinese Communist Party,Communist Party of China,\n',
      delimiter: ',',
      entries: [
        { term: 'intelligent wearable', preferred: 'smart wearable', note: 'Desk term' },
        { term: 'Chinese Communist Party', preferred: 'Communist Party of China' },
      ],
    },
    {
      name: 'CSV without a header, CRLF line ends, BOM',
      text: '\uFEFFwisdom can wear,smart wearable\r\nproduction learning and research,industry-university-research,Literal MT\r\n',
      delimiter: ',',
      entries: [
        { term: 'wisdom can wear', preferred: 'smart wearable' },
        { term: 'production learning and research', preferred: 'industry-university-research', note: 'Literal MT' },
      ],
    },
    {
      name: 'CSV with quoted fields holding commas, doubled quotes and a line break',
      text: 'Term,Preferred,Note\n"production, learning and research","industry-university-research","Say ""IUR"" only\nafter the first mention"\n"5"" screen",five-inch screen,\n',
      delimiter: ',',
      entries: [
        { term: 'production, learning and research', preferred: 'industry-university-research', note: 'Say "IUR" only\nafter the first mention' },
        { term: '5" screen', preferred: 'five-inch screen' },
      ],
    },
    {
      name: 'CSV with columns in another order and blank lines',
      text: 'note,preferred,term\n\nhouse style,Communist Party of China,Chinese Communist Party\n\n',
      delimiter: ',',
      entries: [{ term: 'Chinese Communist Party', preferred: 'Communist Party of China', note: 'house style' }],
    },
    {
      name: 'TSV, a quote inside an unquoted field is a character, commas are text',
      text: 'term\tpreferred\tnote\nsmart wear\tsmart wearable\tsee "wear", and "wearable"\n6" screen\tsix-inch screen\t\n',
      delimiter: '\t',
      entries: [
        { term: 'smart wear', preferred: 'smart wearable', note: 'see "wear", and "wearable"' },
        { term: '6" screen', preferred: 'six-inch screen' },
      ],
    },
    {
      name: 'right-to-left and markup are plain text',
      text: 'مرحبا,hello <b>,"&amp; stays"\n',
      delimiter: ',',
      entries: [{ term: 'مرحبا', preferred: 'hello <b>', note: '&amp; stays' }],
    },
    {
      name: 'a term listed twice: the later line wins',
      text: 'wear,wearable\nWear,wearables\n',
      delimiter: ',',
      entries: [{ term: 'Wear', preferred: 'wearables' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseGlossaryTable(c.text, c.delimiter).entries).toEqual(c.entries);
    });
  }

  it('reports the line of a bad row', () => {
    expect(() => parseGlossaryTable('term,preferred\nok,fine\nmissing,\n', ',')).toThrow(/line 3: "missing" has no preferred wording/);
    expect(() => parseGlossaryTable('a\tb\n', ',')).toThrow(/line 1: .*separated by tabs/);
    expect(() => parseGlossaryTable('"never closed,x\n', ',')).toThrow(/line 1: a quoted field is not closed/);
    expect(() => parseGlossaryTable('\n\n', ',')).toThrow(/no entries/);
    expect(() => parseGlossaryTable(',x\n', ',')).toThrow(/line 1: the term is empty/);
    expect(() => parseGlossaryTable(`${'x'.repeat(301)},y\n`, ',')).toThrow(/longer than 300/);
  });

  it('counts lines inside quoted fields', () => {
    expect(parseDelimited('a,"b\nc"\nd,e', ',')).toEqual([
      { line: 1, cells: ['a', 'b\nc'] },
      { line: 3, cells: ['d', 'e'] },
    ]);
  });

  it('tells the format from the file name (and a .txt from its first line)', () => {
    expect(glossaryFormatOf('desk.CSV')).toBe('csv');
    expect(glossaryFormatOf('desk.tsv')).toBe('tsv');
    expect(glossaryFormatOf('desk.tbx')).toBe('tbx');
    expect(glossaryFormatOf('desk.json')).toBe('json');
    expect(glossaryFormatOf('desk.txt', 'a\tb\n')).toBe('tsv');
    expect(glossaryFormatOf('desk.txt', 'a,b\n')).toBe('csv');
    expect(glossaryFormatOf('desk.pdf')).toBeUndefined();
  });
});

const TBX_BASIC = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="zh">
  <martifHeader><fileDesc><sourceDesc><p>Desk glossary</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">The industry of devices worn on the body.</descrip>
      <langSet xml:lang="zh"><tig><term>智能穿戴</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>smart wearable</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en">
        <ntig><termGrp><term>intelligent wearable</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
        <tig><term>smart wearable</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>wisdom can wear</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote><note>Literal MT of 智能可穿戴 &amp; worse</note></tig>
      </langSet>
    </termEntry>
    <termEntry id="c3"><langSet xml:lang="en"><tig><term>lonely term</term></tig></langSet></termEntry>
    <termEntry id="c4"><langSet xml:lang="ar"><tig><term>مرحبا</term></tig></langSet><langSet xml:lang="en"><tig><term>hello &lt;there&gt;</term></tig></langSet></termEntry>
  </body></text>
</martif>`;

const TBX_V3 = `<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="1">
      <langSec xml:lang="en">
        <termSec><term>Chinese Communist Party</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>Communist Party of China</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <note>House style.</note>
    </conceptEntry>
  </body></text>
</tbx>`;

describe('TBX glossaries', () => {
  it('TBX-Basic: two languages give entries both ways with their languages, statuses map deprecated terms to the preferred one, notes come along', () => {
    const { entries, warnings, languages } = parseTbx(TBX_BASIC);
    expect(entries).toEqual([
      { term: '智能穿戴', preferred: 'smart wearable', note: 'The industry of devices worn on the body.', sourceLang: 'zh', targetLang: 'en' },
      { term: 'smart wearable', preferred: '智能穿戴', note: 'The industry of devices worn on the body.', sourceLang: 'en', targetLang: 'zh' },
      { term: 'intelligent wearable', preferred: 'smart wearable' , note: 'Literal MT of 智能可穿戴 & worse', sourceLang: 'en', targetLang: 'en' },
      { term: 'wisdom can wear', preferred: 'smart wearable', note: 'Literal MT of 智能可穿戴 & worse', sourceLang: 'en', targetLang: 'en' },
      { term: 'مرحبا', preferred: 'hello <there>', sourceLang: 'ar', targetLang: 'en' },
      { term: 'hello <there>', preferred: 'مرحبا', sourceLang: 'en', targetLang: 'ar' },
    ]);
    expect(languages).toEqual([
      { sourceLang: 'zh', targetLang: 'en', entries: 1 },
      { sourceLang: 'en', targetLang: 'zh', entries: 1 },
      { sourceLang: 'en', targetLang: 'en', entries: 2 },
      { sourceLang: 'ar', targetLang: 'en', entries: 1 },
      { sourceLang: 'en', targetLang: 'ar', entries: 1 },
    ]);
    expect(warnings).toEqual([expect.stringContaining('1 entry has a single term')]);
  });

  it('TBX v3 (conceptEntry, langSec, termSec)', () => {
    expect(parseTbx(TBX_V3).entries).toEqual([{ term: 'Chinese Communist Party', preferred: 'Communist Party of China', note: 'House style.', sourceLang: 'en', targetLang: 'en' }]);
  });

  it('refuses what is not TBX', () => {
    expect(() => parseTbx('<xliff version="1.2"/>')).toThrow(/not a TBX file: the root element is <xliff>/);
    expect(() => parseTbx('<martif><text><body><termEntry></body></text></martif>')).toThrow(/not well-formed XML/);
    expect(() => parseTbx('<martif><text><body/></text></martif>')).toThrow(/no termEntry/);
    expect(() => parseTbx('<!DOCTYPE m [<!ENTITY x "y">]><martif/>')).toThrow(/entities/);
  });

  it('reads JSON the way corpus/glossary.json is written', () => {
    expect(parseGlossaryFile('[{"term":"a","preferred":"b","note":"c"},{"term":"d","preferred":"e"}]', 'json').entries).toEqual([
      { term: 'a', preferred: 'b', note: 'c' },
      { term: 'd', preferred: 'e' },
    ]);
    expect(() => parseGlossaryFile('[{"term":"a"}]', 'json')).toThrow(/entry 1 \("a"\) needs a non-empty string "preferred"/);
    expect(() => parseGlossaryFile('{', 'json')).toThrow(/not valid JSON/);
  });
});
