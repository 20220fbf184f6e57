/**
 * The one import pipeline on its own (no HTTP): pasted text, files on disk and uploads (.txt, .md,
 * .docx, XLIFF) are read into units and stored by the one import command, against a real temporary
 * store (lowdb, or PostgreSQL in the PG pass through DATABASE_URL).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError } from '../../server/commands/errors.js';
import { importArticle, importUnits } from '../../server/commands/importArticle.js';
import { textUnits } from '../../server/commands/importText.js';
import { MAX_PARAGRAPHS, unitsHash } from '../../server/commands/importedUnits.js';
import type { Services } from '../../server/commands/services.js';
import type { Article } from '../../server/core/types.js';
import { articleToDocx } from '../../server/interchange/docx.js';
import { importFile } from '../../server/interchange/importFiles.js';
import { importPrepared, prepareUpload } from '../../server/interchange/upload.js';
import { buildXliff } from '../../server/interchange/xliff.js';
import { ada, openDesk, type Desk } from '../support/commands.js';

let desk: Desk;
let services: Services;
let n = 0;

beforeAll(async () => {
  desk = await openDesk();
  services = desk.services;
});
afterAll(async () => desk.close());

/** A short article whose text no other test imports. */
function story(lines = 3): string {
  const id = ++n;
  return [`Harbour council story number ${id} opens`, ...Array.from({ length: lines - 1 }, (_, i) => `Paragraph ${i + 1} of story ${id} says what happened.`)].join('\n\n');
}

const count = async () => (await services.store.listArticles()).length;
const paragraphsOf = (a: Article) => a.paragraphs.map((p) => ({ kind: p.kind, mt: p.mt, text: p.text, status: p.status, source: p.source, ref: p.ref }));

describe('the import command', () => {
  it('stores pasted text once: paragraphs, one import revision each, and the same text again answers the same article', async () => {
    const text = story(3);
    const first = await importArticle(services, { text, actor: ada });
    expect(first.created).toBe(true);
    expect(first.article.paragraphs.map((p) => p.kind)).toEqual(['heading', 'body', 'body']);
    expect(first.article.paragraphs.every((p) => p.status === 'pending' && p.revision === 1 && p.mt === p.text)).toBe(true);
    const history = await desk.history(first.article.id, 'p2');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ n: 1, action: 'import', author: 'ada', status: 'pending', diff: { added: 8, removed: 0 } });
    const again = await importArticle(services, { text: `\n${text}\n\n`, title: 'Another title', actor: ada });
    expect(again).toMatchObject({ created: false, article: { id: first.article.id } });
  });

  it('gives the same article for the same paragraphs pasted, uploaded as .txt, .md or .docx', async () => {
    const text = story(4);
    const pasted = await importArticle(services, { text, origin: 'harbour.txt', actor: ada });
    expect(pasted.created).toBe(true);
    const uploads = [
      { name: 'harbour.txt', data: Buffer.from(text) },
      { name: 'harbour.md', data: Buffer.from(text) },
      { name: 'harbour.docx', data: await articleToDocx(pasted.article) },
    ];
    for (const file of uploads) {
      const prepared = await prepareUpload(file);
      expect(prepared.contentHash, file.name).toBe(pasted.article.contentHash);
      const stored = await importPrepared(services, prepared, ada);
      expect(stored, file.name).toMatchObject({ created: false, article: { id: pasted.article.id } });
    }
  });

  it('stores an upload the way it stores the same text pasted (preview first: nothing stored until the import)', async () => {
    const text = story(3);
    const source = 'Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.';
    const before = await count();
    const prepared = await prepareUpload({ name: 'Quay Report.txt', data: Buffer.from(`\uFEFF${text}`) }, { source: { name: 'quay.src.txt', data: Buffer.from(source) } });
    expect(prepared).toMatchObject({ format: 'text', count: 3, hasSource: true, hasReference: false, warnings: [] });
    expect(await count()).toBe(before);
    const uploaded = await importPrepared(services, prepared, ada);
    expect(uploaded.article.id).toBe('quay-report');
    const stored = await desk.get(uploaded.article.id);
    const { units } = textUnits({ text, fallbackTitle: 'x', source });
    expect(stored.contentHash).toBe(unitsHash(units));
    expect(paragraphsOf(stored)).toEqual(units.map((u) => ({ kind: u.kind, mt: u.mt, text: u.mt, status: 'pending', source: u.source, ref: undefined })));
    expect(stored).toMatchObject({ hasSource: true, hasReference: false, origin: 'Quay Report.txt' });
  });

  it('carries an XLIFF file\'s states over as revisions by the importing user, and keeps the file', async () => {
    const base = (await importArticle(services, { text: story(3), actor: ada })).article;
    const worked: Article = {
      ...base,
      paragraphs: base.paragraphs.map((p, i) => (i === 1 ? { ...p, text: `${p.text} Edited.`, status: 'edited' } : i === 2 ? { ...p, status: 'accepted', review: 'approved' } : p)),
    };
    const xliff = buildXliff(worked, { version: '2.0' });
    const prepared = await prepareUpload({ name: 'worked.xlf', data: Buffer.from(xliff) });
    expect(prepared.format).toBe('xliff-2.0');
    // Postedit's own file with the same MT is the same content: answered with the article it came from.
    expect(prepared.contentHash).toBe(base.contentHash);
    const units = prepared.plan.units;
    const { article } = await importUnits(services, { units, origin: 'worked-copy.xlf', contentHash: `${base.contentHash}-copy`, original: prepared.plan.original!, actor: ada });
    expect(article.id).toBe('worked-copy');
    expect(article.original?.format).toBe('xliff');
    expect(article.paragraphs.map((p) => [p.status, p.review ?? 'none'])).toEqual([['pending', 'none'], ['edited', 'none'], ['accepted', 'approved']]);
    expect((await desk.history(article.id, 'p2')).map((r) => r.action)).toEqual(['import', 'edit']);
    expect((await desk.history(article.id, 'p3')).map((r) => [r.action, r.author])).toEqual([['import', 'ada'], ['accept', 'ada'], ['approve', 'ada']]);
    expect(article.paragraphs[1]!.origin?.imported).toEqual({ status: 'edited', text: article.paragraphs[1]!.text });
  });

  it('names new articles after their file (any article extension left out), then their title, numbering clashes', async () => {
    const a = await importUnits(services, { units: [{ kind: 'body', mt: `${story(1)} docx` }], origin: 'Budget 2025.docx', actor: ada });
    const b = await importUnits(services, { units: [{ kind: 'body', mt: `${story(1)} docx again` }], origin: 'budget 2025.xliff', actor: ada });
    const c = await importArticle(services, { text: story(2), title: '  Night ferry resumes  ', actor: ada });
    expect([a.article.id, b.article.id]).toEqual(['budget-2025', 'budget-2025-2']);
    expect(c.article).toMatchObject({ id: 'night-ferry-resumes', title: 'Night ferry resumes' });
  });

  it('refuses what cannot be imported with a reason, storing nothing', async () => {
    const before = await count();
    const refusals: Array<[() => Promise<unknown>, RegExp]> = [
      [() => importArticle(services, { text: ' \n\u200B\n', actor: ada }), /there is no text to import/],
      [() => importArticle(services, { text: 'A\u0000B', actor: ada }), /NUL/],
      [() => importArticle(services, { text: Array.from({ length: MAX_PARAGRAPHS + 1 }, (_, i) => `Line ${i}.`).join('\n'), actor: ada }), /10001 paragraphs; at most 10000/],
      [() => importArticle(services, { text: story(2), source: 'Only one.', actor: ada }), /the source text has 1 paragraph but the MT has 2/],
      [() => importUnits(services, { units: [{ kind: 'body', mt: 'One.', source: 'Eins.' }, { kind: 'body', mt: 'Two.', source: ' ' }], actor: ada }), /paragraph 2 has no source text while others have one/],
      [() => importUnits(services, { units: [{ kind: 'body', mt: 'x'.repeat(200_001) }], actor: ada }), /paragraph 1 is longer than 200000 characters/],
      [() => importUnits(services, { units: [{ kind: 'body', mt: ' ', status: 'deleted' }], actor: ada }), /the file is empty/],
    ];
    for (const [attempt, reason] of refusals) {
      const e = await attempt().then(() => undefined, (err: unknown) => err);
      expect(e, String(reason)).toBeInstanceOf(BadRequestError);
      expect((e as Error).message).toMatch(reason);
    }
    expect(await count()).toBe(before);
  });
});

describe('files on disk', () => {
  it('reads a UTF-16 file with its byte order mark, and its source file beside it, the way an upload reads them', async () => {
    const text = story(2);
    const file = join(desk.dataDir, 'utf16-story.txt');
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await writeFile(join(desk.dataDir, 'utf16-story.src.txt'), '第一段。\n\n第二段。');
    const { article, created } = await importFile(services, file, ada);
    expect(created).toBe(true);
    expect(article).toMatchObject({ id: 'utf16-story', hasSource: true, origin: 'utf16-story.txt' });
    expect(article.paragraphs.map((p) => p.source)).toEqual(['第一段。', '第二段。']);
    const upload = await prepareUpload({ name: 'utf16-story.txt', data: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) }, { source: { name: 's.txt', data: Buffer.from('第一段。\n\n第二段。') } });
    expect(upload.contentHash).toBe(article.contentHash);
  });

  it('imports a .docx file with its source beside it, and an XLIFF file, as their uploads would', async () => {
    const pasted = await importArticle(services, { text: story(2), actor: ada });
    const docx = join(desk.dataDir, 'disk-story.docx');
    await writeFile(docx, await articleToDocx(pasted.article));
    await writeFile(join(desk.dataDir, 'disk-story.src.txt'), '第一段。\n\n第二段。');
    const fromDisk = await importFile(services, docx, ada);
    expect(fromDisk).toMatchObject({ created: true, article: { id: 'disk-story', origin: 'disk-story.docx', hasSource: true }, warnings: [] });
    expect(fromDisk.article.paragraphs.map((p) => [p.mt, p.source])).toEqual(pasted.article.paragraphs.map((p, i) => [p.mt, ['第一段。', '第二段。'][i]]));
    const xliff = join(desk.dataDir, 'third-party.xlf');
    await writeFile(xliff, await readFile(new URL('../fixtures/xliff/mc__1111_prova.md.xlf', import.meta.url)));
    const uploaded = await prepareUpload({ name: 'third-party.xlf', data: await readFile(xliff) });
    const imported = await importFile(services, xliff, ada);
    expect(imported.created).toBe(true);
    expect(imported.article.contentHash).toBe(uploaded.contentHash);
    expect(imported.article.original?.format).toBe('xliff');
    expect(imported.article.paragraphs).toHaveLength(uploaded.count);
    const other = join(desk.dataDir, 'notes.odt');
    await writeFile(other, 'x');
    await expect(importFile(services, other, ada)).rejects.toThrow(/^notes\.odt: only \.txt, \.md, \.docx and XLIFF articles can be imported/);
  });

  it('names the file in a refusal', async () => {
    const file = join(desk.dataDir, 'latin1-note.txt');
    await writeFile(file, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(importFile(services, file, ada)).rejects.toThrow(/^latin1-note\.txt: it is not valid UTF-8 text/);
    const empty = join(desk.dataDir, 'blank-note.txt');
    await writeFile(empty, '\n \n');
    await expect(importFile(services, empty, ada)).rejects.toThrow(/^blank-note\.txt: there is no text to import/);
  });
});
