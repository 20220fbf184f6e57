/**
 * The uploaded-glossary contract, on every backend: lowdb (DATA_DIR/glossaries.json), memory, and
 * PostgreSQL when a server is available (DATABASE_URL, or POSTEDIT_PG_TESTS=1: tests/support/postgres.ts).
 * On PostgreSQL, a second handle opened on its own pool plays another app instance.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadedGlossary } from '../../server/commands/articleGlossary.js';
import type { GlossaryEntry } from '../../server/core/glossary.js';
import { articleScope, CORPUS_SCOPE, effectiveGlossary, LowdbGlossaryStore, MemoryGlossaryStore, type GlossaryStore, type StoredGlossary } from '../../server/store/glossaryStore.js';
import { openStores } from '../../server/store/open.js';
import { PgGlossaryStore } from '../../server/store/pg/pgGlossaryStore.js';
import { tempDir } from '../support/app.js';
import { pgForTests, pgSkipReason, type PgForTests } from '../support/postgres.js';

const pgReason = pgSkipReason();
if (pgReason) console.warn(`glossaryStore: the PostgreSQL glossary store is skipped: ${pgReason}`);

let pg: PgForTests | undefined;
beforeAll(async () => {
  if (!pgReason) pg = await pgForTests();
});
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
  await pg?.close();
});

interface Opened {
  glossaries: GlossaryStore;
  /** A handle as a restarted process opens it (reads what was stored). */
  reopen(): Promise<GlossaryStore>;
  /**
   * A handle as another app instance has it, used at the same time: on PostgreSQL a store on a pool
   * of its own; lowdb and memory are one process's (one handle shares the file), so the same store.
   */
  other(): Promise<GlossaryStore>;
}

interface Backend {
  name: string;
  skip: string | undefined;
  open(): Promise<Opened>;
}

const backends: Backend[] = [
  {
    name: 'lowdb',
    skip: undefined,
    async open() {
      const dir = await tempDir();
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const glossaries = await LowdbGlossaryStore.open(dir);
      return { glossaries, reopen: () => LowdbGlossaryStore.open(dir), other: async () => glossaries };
    },
  },
  {
    name: 'memory',
    skip: undefined,
    async open() {
      const glossaries = new MemoryGlossaryStore();
      return { glossaries, reopen: async () => glossaries, other: async () => glossaries };
    },
  },
  {
    name: 'postgresql',
    skip: pgReason,
    async open() {
      const db = await pg!.database();
      const dir = await tempDir();
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const open = async () => {
        const { store, glossaries } = await openStores(dir, { DATABASE_URL: db.url });
        // The glossary store runs on the article store's pool: closing the store closes it.
        cleanups.unshift(() => store.close());
        expect(glossaries).toBeInstanceOf(PgGlossaryStore);
        return glossaries;
      };
      return { glossaries: await open(), reopen: open, other: open };
    },
  },
];

/**
 * Waits until `store` has heard of another instance's change (its revision moved past `before`): on
 * PostgreSQL an instance learns of it from the notification the change's commit sends (pgSignals.ts).
 */
async function heard(store: GlossaryStore, before: number): Promise<void> {
  const end = Date.now() + 5000;
  while ((await store.refresh()) === before && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

const by = (username: string, at = '2025-03-01T10:00:00.000Z') => ({ at, username });
const terms = (entries: GlossaryEntry[]) => entries.map((e) => e.term);

describe.each(backends)('the $name glossary store', ({ skip, open }) => {
  const test = skip ? it.skip : it;
  if (skip) it.skip(`(skipped: ${skip})`, () => undefined);

  test('starts empty; replace stores one entry per term (case- and space-insensitive, the later one wins)', async () => {
    const { glossaries, reopen } = await open();
    expect(await glossaries.get(CORPUS_SCOPE)).toEqual([]);
    expect(await glossaries.list()).toEqual([]);
    const stored = await glossaries.put(CORPUS_SCOPE, [
      { term: 'smart wear', preferred: 'smart wearable' },
      { term: 'League', preferred: 'alliance', note: 'first' },
      { term: 'SMART  wear', preferred: 'wearable tech' },
    ], by('admin'));
    expect(stored).toEqual([
      { term: 'League', preferred: 'alliance', note: 'first' },
      { term: 'SMART  wear', preferred: 'wearable tech' },
    ]);
    expect(await glossaries.get(CORPUS_SCOPE)).toEqual(stored);
    expect(await (await reopen()).get(CORPUS_SCOPE)).toEqual(stored);
    // Replacing drops what was there.
    expect(await glossaries.put(CORPUS_SCOPE, [{ term: 'league', preferred: 'union' }], by('admin'))).toEqual([{ term: 'league', preferred: 'union' }]);
    expect(await (await reopen()).get(CORPUS_SCOPE)).toEqual([{ term: 'league', preferred: 'union' }]);
  });

  test('merge keeps the other entries in order; a term given again takes the new entry and moves to the end', async () => {
    const { glossaries } = await open();
    const scope = articleScope('story');
    await glossaries.put(scope, [
      { term: 'a', preferred: 'A1' },
      { term: 'b', preferred: 'B1', note: 'keep' },
      { term: 'c', preferred: 'C1' },
    ], by('ed'));
    const merged = await glossaries.put(scope, [{ term: ' A ', preferred: 'A2' }, { term: 'd', preferred: 'D1' }], by('amy'), 'merge');
    expect(merged).toEqual([
      { term: 'b', preferred: 'B1', note: 'keep' },
      { term: 'c', preferred: 'C1' },
      { term: ' A ', preferred: 'A2' },
      { term: 'd', preferred: 'D1' },
    ]);
    expect(await glossaries.get(scope)).toEqual(merged);
    // Merging into a scope that has nothing stores the entries.
    expect(await glossaries.put(articleScope('empty'), [{ term: 'x', preferred: 'y' }], by('amy'), 'merge')).toEqual([{ term: 'x', preferred: 'y' }]);
    // Scopes are apart: an article named "corpus" is not the corpus.
    expect(await glossaries.get(CORPUS_SCOPE)).toEqual([]);
    expect(await glossaries.get(articleScope('corpus'))).toEqual([]);
  });

  test('lists every glossary with its time and author, in the order scopes were first stored', async () => {
    const { glossaries, reopen } = await open();
    await glossaries.put(CORPUS_SCOPE, [{ term: 'one', preferred: '1' }], by('admin', '2025-03-01T10:00:00.000Z'));
    await glossaries.put(articleScope('a'), [{ term: 'two', preferred: '2' }], by('ed', '2025-03-01T11:00:00.000Z'));
    await glossaries.put(articleScope('b'), [{ term: 'three', preferred: '3' }], by('ed', '2025-03-01T12:00:00.000Z'));
    // Changing a glossary keeps its place; removed and stored again, it goes last.
    await glossaries.put(CORPUS_SCOPE, [{ term: 'uno', preferred: '1' }], by('amy', '2025-03-02T09:30:00.123Z'), 'merge');
    expect(await glossaries.remove(articleScope('a'))).toBe(true);
    await glossaries.put(articleScope('a'), [{ term: 'dos', preferred: '2' }], by('amy', '2025-03-02T10:00:00.000Z'));
    const expected: StoredGlossary[] = [
      { scope: CORPUS_SCOPE, entries: [{ term: 'one', preferred: '1' }, { term: 'uno', preferred: '1' }], updatedAt: '2025-03-02T09:30:00.123Z', updatedBy: 'amy' },
      { scope: 'article:b', entries: [{ term: 'three', preferred: '3' }], updatedAt: '2025-03-01T12:00:00.000Z', updatedBy: 'ed' },
      { scope: 'article:a', entries: [{ term: 'dos', preferred: '2' }], updatedAt: '2025-03-02T10:00:00.000Z', updatedBy: 'amy' },
    ];
    expect(await glossaries.list()).toEqual(expected);
    expect(await (await reopen()).list()).toEqual(expected);
  });

  test('remove says whether there was a glossary; the revision changes with every change and only then', async () => {
    const { glossaries } = await open();
    const seen = [await glossaries.refresh()];
    expect(glossaries.revision()).toBe(seen[0]);
    await glossaries.put(CORPUS_SCOPE, [{ term: 'x', preferred: 'y' }], by('admin'));
    seen.push(glossaries.revision());
    await glossaries.put(CORPUS_SCOPE, [{ term: 'z', preferred: 'w' }], by('admin'), 'merge');
    seen.push(glossaries.revision());
    expect(await glossaries.remove(CORPUS_SCOPE)).toBe(true);
    seen.push(glossaries.revision());
    expect(new Set(seen).size).toBe(4);
    expect(await glossaries.remove(CORPUS_SCOPE)).toBe(false);
    expect(await glossaries.remove(articleScope('never'))).toBe(false);
    expect(await glossaries.refresh()).toBe(seen.at(-1));
    expect(await glossaries.get(CORPUS_SCOPE)).toEqual([]);
    expect(await glossaries.list()).toEqual([]);
  });

  test('keeps text exactly (NUL, emoji, quotes, backslashes, notes) and hands out copies', async () => {
    const { glossaries, reopen } = await open();
    const strange: GlossaryEntry[] = [
      { term: 'NUL \u0000 here', preferred: 'emoji 🎉 "quoted" back\\slash', note: 'ünïcødé <b>&amp;</b>' },
      { term: '智能穿戴', preferred: 'smart wearable' },
    ];
    const stored = await glossaries.put(articleScope('strange'), strange, by('ed'));
    expect(stored).toEqual(strange);
    stored[0]!.preferred = 'changed by the caller';
    (await glossaries.get(articleScope('strange')))[1]!.preferred = 'changed too';
    expect(await (await reopen()).get(articleScope('strange'))).toEqual(strange);
    expect((await glossaries.list())[0]!.entries).toEqual(strange);
  });

  test('restore stores a glossary exactly as given, replacing the scope\'s', async () => {
    const { glossaries, reopen } = await open();
    await glossaries.put(CORPUS_SCOPE, [{ term: 'old', preferred: 'gone' }], by('admin'));
    const before = glossaries.revision();
    const g: StoredGlossary = { scope: CORPUS_SCOPE, entries: [{ term: 'kept', preferred: 'as is', note: 'n' }], updatedAt: '2024-12-31T23:59:59.999Z', updatedBy: 'someone' };
    await glossaries.restore(g);
    expect(glossaries.revision()).not.toBe(before);
    expect(await (await reopen()).list()).toEqual([g]);
  });

  test('concurrent merges into one scope, from two instances, lose no entry', async () => {
    const { glossaries, other } = await open();
    const second = await other();
    const scope = articleScope('busy');
    await Promise.all(Array.from({ length: 24 }, (_, i) =>
      (i % 2 ? glossaries : second).put(scope, [{ term: `term ${i}`, preferred: `preferred ${i}` }], by(i % 2 ? 'a' : 'b'), 'merge')));
    const stored = await second.get(scope);
    expect(terms(stored).sort()).toEqual(Array.from({ length: 24 }, (_, i) => `term ${i}`).sort());
    expect(await glossaries.get(scope)).toEqual(stored);
    // The first store of a scope, from both at once: one replaces the other whole, nothing is mixed or lost.
    const fresh = articleScope('fresh');
    await Promise.all([
      glossaries.put(fresh, [{ term: 'p', preferred: '1' }, { term: 'q', preferred: '1' }], by('a')),
      second.put(fresh, [{ term: 'p', preferred: '2' }, { term: 'r', preferred: '2' }], by('b'), 'merge'),
    ]);
    expect([
      [{ term: 'p', preferred: '1' }, { term: 'q', preferred: '1' }],
      [{ term: 'q', preferred: '1' }, { term: 'p', preferred: '2' }, { term: 'r', preferred: '2' }],
    ]).toContainEqual(await glossaries.get(fresh));
  });

  test('a change made through another instance is used once this one heard of it, also where the glossary was cached', async () => {
    const { glossaries, other } = await open();
    const second = await other();
    const desk: GlossaryEntry[] = [{ term: 'league', preferred: 'alliance' }];
    // This instance has worked out (and cached) the article's glossary before the upload.
    const here = { glossary: desk, glossaries };
    expect(await uploadedGlossary(here, 'story')).toEqual(desk);
    const cached = await uploadedGlossary(here, 'story');
    expect(await uploadedGlossary(here, 'story')).toBe(cached);

    const before = glossaries.revision();
    await second.put(CORPUS_SCOPE, [{ term: 'League', preferred: 'union' }, { term: 'wisdom can wear', preferred: 'smart wearable' }], by('admin'));
    await second.put(articleScope('story'), [{ term: 'wisdom can wear', preferred: 'wearables' }], by('admin'));
    await heard(glossaries, before);
    const expected = [{ term: 'League', preferred: 'union' }, { term: 'wisdom can wear', preferred: 'wearables' }];
    expect(await uploadedGlossary(here, 'story')).toEqual(expected);
    expect(await effectiveGlossary(desk, glossaries, 'story')).toEqual(expected);
    const revision = glossaries.revision();
    expect(await uploadedGlossary(here, 'story')).toBe(await uploadedGlossary(here, 'story'));
    expect(glossaries.revision()).toBe(revision);

    expect(await second.remove(CORPUS_SCOPE)).toBe(true);
    await heard(glossaries, revision);
    expect(await uploadedGlossary(here, 'story')).toEqual([{ term: 'league', preferred: 'alliance' }, { term: 'wisdom can wear', preferred: 'wearables' }]);
    expect(glossaries.revision()).not.toBe(revision);
  });
});

describe('the lowdb glossary file', () => {
  it('is DATA_DIR/glossaries.json, version 1', async () => {
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const glossaries = await LowdbGlossaryStore.open(dir);
    await glossaries.put(CORPUS_SCOPE, [{ term: 'a', preferred: 'b' }], by('admin'));
    expect(JSON.parse(await readFile(join(dir, 'glossaries.json'), 'utf8'))).toEqual({
      version: 1,
      glossaries: [{ scope: 'corpus', entries: [{ term: 'a', preferred: 'b' }], updatedAt: '2025-03-01T10:00:00.000Z', updatedBy: 'admin' }],
    });
  });
});
