/**
 * Glossaries that know their languages: CSV/TSV headers by language, TBX langSets and the TBX-Basic
 * dialect (long notes, definitions, contexts, several terms per language), and entries applied only
 * to texts of their language pair.
 */
import { describe, expect, it } from 'vitest';
import { glossaryCheck, glossaryTermsIn } from '../../server/checks/glossary.js';
import { mtTermCheck } from '../../server/checks/mt/term.js';
import { glossaryForLanguages, type GlossaryEntry } from '../../server/core/glossary.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { buildMessages } from '../../server/engines/prompt.js';
import { languageOfHeader, parseGlossaryFile, parseGlossaryTable, parseTbx } from '../../server/interchange/glossaryFiles.js';

describe('CSV and TSV headers by language', () => {
  it('language codes: zh,en (with a notes column)', () => {
    const { entries, languages, warnings } = parseGlossaryTable('zh,en,Notes\n智能穿戴,smart wearable,Desk term\n宝安,Bao’an,\n', ',');
    expect(entries).toEqual([
      { term: '智能穿戴', preferred: 'smart wearable', note: 'Desk term', sourceLang: 'zh', targetLang: 'en' },
      { term: '宝安', preferred: 'Bao’an', sourceLang: 'zh', targetLang: 'en' },
    ]);
    expect(languages).toEqual([{ sourceLang: 'zh', targetLang: 'en', entries: 2 }]);
    expect(warnings).toEqual([]);
  });

  it('language names: English Term,…,Spanish Term, definitions as notes, other columns left out, several terms in a cell', () => {
    const csv = [
      'English Term,Part of Speech,English Definition,Spanish Term,Spanish Definition,Notes',
      'smart wearable,noun,A device worn on the body,dispositivo vestible; wearable inteligente,Dispositivo que se lleva puesto,Client term',
      'kinase|protein kinase,noun,,cinasa,,',
      'orphan term,noun,,,,',
    ].join('\n');
    const { entries, languages, warnings } = parseGlossaryTable(csv, ',');
    expect(entries).toEqual([
      {
        term: 'smart wearable', preferred: 'dispositivo vestible', alternatives: ['wearable inteligente'],
        note: 'A device worn on the body; Dispositivo que se lleva puesto; Client term', sourceLang: 'en', targetLang: 'es',
      },
      { term: 'kinase', preferred: 'cinasa', sourceLang: 'en', targetLang: 'es' },
      { term: 'protein kinase', preferred: 'cinasa', sourceLang: 'en', targetLang: 'es' },
    ]);
    expect(languages).toEqual([{ sourceLang: 'en', targetLang: 'es', entries: 3 }]);
    expect(warnings).toEqual(['1 row has no term on one side (en or es) and was skipped']);
  });

  it('more languages: the first is the source, every other one a target', () => {
    const { languages } = parseGlossaryTable('en-US\tes-419\tfr\nmayor\talcalde\tmaire\n', '\t');
    expect(languages).toEqual([{ sourceLang: 'en-US', targetLang: 'es-419', entries: 1 }, { sourceLang: 'en-US', targetLang: 'fr', entries: 1 }]);
  });

  it('source,target with the languages in the header, sent with the upload, or read from the script', () => {
    expect(parseGlossaryTable('Source (zh),Target (en)\n市长,mayor\n', ',').entries).toEqual([{ term: '市长', preferred: 'mayor', sourceLang: 'zh', targetLang: 'en' }]);
    expect(parseGlossaryTable('source\ttarget\nmayor\talcalde\n', '\t', { sourceLang: 'en', targetLang: 'es' }).entries).toEqual([{ term: 'mayor', preferred: 'alcalde', sourceLang: 'en', targetLang: 'es' }]);
    // The source column is Chinese script; the target is said with the upload.
    expect(parseGlossaryTable('src,tgt\n市长,mayor\n', ',', { targetLang: 'en' }).entries).toEqual([{ term: '市长', preferred: 'mayor', sourceLang: 'zh', targetLang: 'en' }]);
  });

  it('source,target that does not say its languages is refused with what to do', () => {
    expect(() => parseGlossaryTable('source,target\nmayor,alcalde\n', ',')).toThrow(
      /the source and target languages are not known: name the columns by language \(e\.g\. "en,es", "English,Spanish" or "source \(en\),target \(es\)"\) or send sourceLang and targetLang/,
    );
    expect(() => parseGlossaryTable('source,target\n市长,mayor\n', ',')).toThrow(/the target language is not known/);
    expect(() => parseGlossaryTable('source,translation\nmayor,alcalde\n', ',', { sourceLang: 'de', targetLang: 'es' })).not.toThrow();
    // The file and the upload disagree: refused rather than guessed.
    expect(() => parseGlossaryTable('zh,en\n市长,mayor\n', ',', { sourceLang: 'en' })).toThrow(/the file's source column is zh, not en as sent with it/);
  });

  it('the desk form (term,preferred or no header) is monolingual: in the language sent, else English with a warning', () => {
    const plain = parseGlossaryTable('term,preferred\nintelligent wearable,smart wearable\n', ',');
    expect(plain.entries).toEqual([{ term: 'intelligent wearable', preferred: 'smart wearable' }]);
    expect(plain.languages).toEqual([{ sourceLang: 'en', targetLang: 'en', entries: 1 }]);
    expect(plain.warnings[0]).toMatch(/does not say its languages: .* English wording to avoid → English wording to use/);
    const german = parseGlossaryFile('Handy,Mobiltelefon\n', 'csv', { targetLang: 'de' });
    expect(german.entries).toEqual([{ term: 'Handy', preferred: 'Mobiltelefon', sourceLang: 'de', targetLang: 'de' }]);
    expect(german.warnings).toEqual([]);
  });

  it('reads language names and codes in headers', () => {
    expect(['zh', 'EN', 'en_US', 'zh-hans', 'Spanish', 'Chinese (Simplified)', 'Simplified Chinese', 'Brazilian Portuguese', 'id', 'mt', 'Part of Speech'].map(languageOfHeader))
      .toEqual(['zh', 'en', 'en-US', 'zh-Hans', 'es', 'zh-Hans', 'zh-Hans', 'pt-BR', undefined, undefined, undefined]);
  });
});

const LONG = 'A kinase is an enzyme that catalyzes the transfer of phosphate groups. '.repeat(40).trim();

/** A TBX-Basic file as the official samples write it: martif, DOCTYPE, header, langSet-level definitions, long notes, several terms per language. */
const TBX_BASIC = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader>
    <fileDesc><titleStmt><title>TBX-Basic sample</title></titleStmt><sourceDesc><p>From an Microsoft Excel spreadsheet</p></sourceDesc></fileDesc>
    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>
  </martifHeader>
  <text><body>
    <termEntry id="eid-kinase">
      <descrip type="subjectField">biology</descrip>
      <note>${LONG}</note>
      <langSet xml:lang="en-US">
        <descrip type="definition">An enzyme that adds phosphate groups to other molecules.</descrip>
        <tig>
          <term>kinase</term>
          <termNote type="partOfSpeech">noun</termNote>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <descrip type="context">The kinase phosphorylates the substrate.</descrip>
          <admin type="source">IATE</admin>
          <transacGrp><transac type="transactionType">origination</transac><date>2024-01-01</date></transacGrp>
        </tig>
        <tig><term>phosphotransferase</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
        <tig><term>kinaze</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="es">
        <tig><term>cinasa</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>quinasa</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="eid-mayor">
      <langSet xml:lang="en-US"><tig><term>mayor</term></tig></langSet>
      <langSet xml:lang="es"><tig><term>alcalde</term></tig><tig><term>alcaldesa</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>`;

const TBX_V3 = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>v3</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="definition">${LONG}</descrip>
      <langSec xml:lang="zh"><termSec><term>智能穿戴</term></termSec><termSec><term>智能可穿戴</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>smart wearable</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>intelligent wearable</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>`;

describe('TBX with langSets, and the TBX-Basic dialect', () => {
  it('imports a TBX-Basic file with a note over 2,000 characters, definitions, contexts and several terms per language', () => {
    expect(LONG.length).toBeGreaterThan(2000);
    const { entries, warnings, languages } = parseTbx(TBX_BASIC);
    const short = (e: GlossaryEntry) => [e.sourceLang, e.term, e.preferred, e.alternatives ?? []];
    expect(entries.map(short)).toEqual([
      ['en-US', 'kinaze', 'kinase', []],
      ['en-US', 'kinase', 'cinasa', ['quinasa']],
      ['en-US', 'phosphotransferase', 'cinasa', ['quinasa']],
      ['en-US', 'kinaze', 'cinasa', ['quinasa']],
      ['es', 'cinasa', 'kinase', ['phosphotransferase']],
      ['es', 'quinasa', 'kinase', ['phosphotransferase']],
      ['en-US', 'mayor', 'alcalde', ['alcaldesa']],
      ['es', 'alcalde', 'mayor', []],
      ['es', 'alcaldesa', 'mayor', []],
    ]);
    expect(entries[1]!.targetLang).toBe('es');
    // The note holds the subject field, the long note (shortened), the definition and the context.
    const note = entries[1]!.note!;
    expect(note.length).toBeLessThanOrEqual(2000);
    expect(note.startsWith('biology; A kinase is an enzyme')).toBe(true);
    expect(note.endsWith('…')).toBe(true);
    expect(warnings).toContain('6 notes were longer than 2000 characters and were shortened');
    expect(languages).toEqual([
      { sourceLang: 'en-US', targetLang: 'en-US', entries: 1 },
      { sourceLang: 'en-US', targetLang: 'es', entries: 4 },
      { sourceLang: 'es', targetLang: 'en-US', entries: 4 },
    ]);
  });

  it('imports TBX v3 (tbx, conceptEntry, langSec, termSec) the same way', () => {
    const { entries, languages } = parseTbx(TBX_V3);
    expect(entries.map((e) => [e.sourceLang, e.targetLang, e.term, e.preferred, e.alternatives ?? []])).toEqual([
      ['en', 'en', 'intelligent wearable', 'smart wearable', []],
      ['zh', 'en', '智能穿戴', 'smart wearable', []],
      ['zh', 'en', '智能可穿戴', 'smart wearable', []],
      ['en', 'zh', 'smart wearable', '智能穿戴', ['智能可穿戴']],
      ['en', 'zh', 'intelligent wearable', '智能穿戴', ['智能可穿戴']],
    ]);
    expect(languages.map((l) => `${l.sourceLang}→${l.targetLang}`)).toEqual(['en→en', 'zh→en', 'en→zh']);
  });
});

describe('entries apply to texts of their language pair only', () => {
  const glossary: GlossaryEntry[] = [
    { term: 'intelligent wearable', preferred: 'smart wearable' }, // the desk file: en → en
    { term: '智能穿戴', preferred: 'smart wearable' }, // older form: zh → en
    { term: 'smart wearable', preferred: 'dispositivo vestible', sourceLang: 'en', targetLang: 'es' },
    { term: 'Handy', preferred: 'Mobiltelefon', sourceLang: 'de', targetLang: 'de' },
    { term: '市长', preferred: 'mayor', sourceLang: 'zh-CN', targetLang: 'en-US' },
  ];
  const terms = (langs: { sourceLang?: string; targetLang?: string }) => glossaryForLanguages(glossary, langs).map((e) => e.term);

  it('zh → en articles (the WMT corpus) get zh → en and English entries', () => {
    expect(terms({ sourceLang: 'zh', targetLang: 'en' })).toEqual(['intelligent wearable', '智能穿戴', '市长']);
  });

  it('an article without a source language is English-only: monolingual English entries', () => {
    expect(terms({ sourceLang: 'und', targetLang: 'en' })).toEqual(['intelligent wearable']);
    expect(terms({})).toEqual(['intelligent wearable']);
  });

  it('an en → es glossary is not applied to an English article, only to en → es ones', () => {
    expect(terms({ sourceLang: 'und', targetLang: 'en' })).not.toContain('smart wearable');
    expect(terms({ sourceLang: 'en', targetLang: 'es' })).toEqual(['smart wearable']);
    expect(terms({ sourceLang: 'de', targetLang: 'de' })).toEqual(['Handy']);
  });

  it('the offline engine never inserts a term of another language, even when handed one', async () => {
    const engine = new OfflineEngine();
    const request = (text: string, targetLang?: string) => ({ paragraphId: 'p1', text, kind: 'body' as const, level: 'minimal' as const, ...(targetLang ? { targetLang } : {}), context: { title: '', glossary } });
    expect((await engine.suggest(request('The smart wearable and intelligent wearable makers met.'))).text).toBe('The smart wearable and smart wearable makers met.');
    expect((await engine.suggest(request('Das Handy klingelt.', 'de'))).text).toBe('Das Mobiltelefon klingelt.');
    expect((await engine.suggest(request('El smart wearable crece.', 'es'))).text).toBe('El smart wearable crece.');
  });

  it('the MT term check: the source term in the source, its target wording missing in the MT (alternatives count)', () => {
    const es: GlossaryEntry[] = [{ term: 'smart wearable', preferred: 'dispositivo vestible', alternatives: ['wearable inteligente'], sourceLang: 'en', targetLang: 'es' }];
    const source = 'Smart wearables are booming in Bao’an.';
    const flags = mtTermCheck.run('Los relojes inteligentes crecen en Bao’an.', source, { glossary: es });
    expect(flags).toEqual([expect.objectContaining({ kind: 'term', severity: 'major', sourceSpans: [[0, 15]] })]);
    expect(source.slice(0, 15)).toBe('Smart wearables');
    expect(mtTermCheck.run('El wearable inteligente crece en Bao’an.', source, { glossary: es })).toEqual([]);
    // Without a source there is nothing to compare: the English term in a Spanish MT is not a monolingual rule.
    expect(mtTermCheck.run('El smart wearable crece.', undefined, { glossary: es })).toEqual([]);
  });

  it('the fact guard and the paragraph\'s term list look for a bilingual entry\'s wording only', () => {
    const es: GlossaryEntry[] = [{ term: 'smart wearable', preferred: 'dispositivo vestible', sourceLang: 'en', targetLang: 'es' }];
    expect(glossaryTermsIn('El smart wearable crece.', es)).toEqual([]);
    expect(glossaryTermsIn('El dispositivo vestible crece.', es).map((h) => h.found)).toEqual(['preferred']);
    expect(glossaryCheck.run('El dispositivo vestible crece.', 'El aparato crece.', { glossary: es }).map((f) => f.message)).toEqual(['The glossary wording “dispositivo vestible” was dropped.']);
  });

  it('the LLM prompt names a bilingual entry\'s languages and its alternatives', () => {
    const user = buildMessages({ paragraphId: 'p1', text: 'x', kind: 'body', level: 'minimal', context: { title: '', glossary: [
      { term: '智能穿戴', preferred: 'smart wearable', alternatives: ['wearable tech'], sourceLang: 'zh', targetLang: 'en' },
      { term: 'intelligent wear', preferred: 'smart wearable' },
    ] } })[1]!.content;
    expect(user).toContain('"智能穿戴" (zh) → "smart wearable" (en) (also: "wearable tech")');
    expect(user).toContain('"intelligent wear" → "smart wearable"\n');
  });
});
