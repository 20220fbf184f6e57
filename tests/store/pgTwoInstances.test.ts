/**
 * Two app instances on one PostgreSQL database behave as one: concurrent actions on the same paragraph
 * serialise in the database (one wins per base revision, the others get 409), no action is lost or
 * written twice, a session opened on one instance works on the other, and a glossary uploaded through
 * one is used by the other.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Article, Revision } from '../../server/core/types.js';
import { openStores } from '../../server/store/open.js';
import { openPool } from '../../server/store/pg/database.js';
import { loadMigrations, migrate } from '../../server/store/pg/migrate.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import type { Store } from '../../server/store/types.js';
import { client, passwordOf, seedPath, sessionClient, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { startAppOnDatabase } from '../support/pgApp.js';
import { postgresForFile } from '../support/postgres.js';
import { ownParagraph } from '../../server/core/draft.js';

const postgres = postgresForFile('pgTwoInstances');
const reason = postgres.reason;

async function revisionCount(store: Store, articleId: string): Promise<number> {
  const { rows } = await (store as PgStore).pool.query<{ n: number }>('SELECT count(*)::int AS n FROM revisions WHERE article_id = $1', [articleId]);
  return rows[0]!.n;
}

describe.skipIf(!!reason)('schema migrations', () => {
  it('are applied once when several instances start at once', async () => {
    const db = await postgres.database();
    const pools = Array.from({ length: 5 }, () => openPool(db.url, { max: 1 }));
    try {
      const versions = (await loadMigrations()).map((m) => m.version);
      const results = await Promise.all(pools.map((p) => migrate(p)));
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, 0, versions.length]);
      expect(results.every((r) => r.version === versions.at(-1))).toBe(true);
      const { rows } = await pools[0]!.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('roll back a failing migration, and refuse an edited one or a schema newer than the code', async () => {
    const db = await postgres.database();
    const dir = join(await tempDir(), 'migrations');
    await mkdir(dir);
    await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first (id int);');
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE second (id int);\nSELECT no_such_function();');
    const pool = openPool(db.url, { max: 1 });
    try {
      await expect(migrate(pool, dir)).rejects.toThrow(/migration 2 \(broken\) failed: .*no_such_function/);
      const tables = async () => (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
      expect(await tables()).toEqual([]);
      await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE second (id int);');
      expect(await migrate(pool, dir)).toEqual({ applied: [1, 2], version: 2 });
      expect(await tables()).toEqual(['first', 'schema_migrations', 'second']);
      expect(await migrate(pool, dir)).toEqual({ applied: [], version: 2 });

      await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first (id bigint);');
      await expect(migrate(pool, dir)).rejects.toThrow(/migration 1 \(first\) was changed after it was applied/);
      await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first (id int);');
      await pool.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (3, 'future', 'x')");
      await expect(migrate(pool, dir)).rejects.toThrow(/has migration 3 \(future\), which this Postedit \(schema 2\) does not know: upgrade Postedit/);
    } finally {
      await pool.end();
    }
  });
});

describe.skipIf(!!reason)('two stores on one database (two processes\' worth of connections)', () => {
  it('serialise updates of one article in the database: none lost, none duplicated', async () => {
    const db = await postgres.database();
    const a = await openStores(await tempDir(), { DATABASE_URL: db.url });
    const b = await openStores(await tempDir(), { DATABASE_URL: db.url });
    try {
      const at = new Date().toISOString();
      const article: Article = {
        id: 'shared', title: 'Shared', createdAt: at, updatedAt: at, contentHash: 'h', hasSource: false, hasReference: false,
        paragraphs: [{ id: 'p1', index: 0, kind: 'body', mt: 'x', text: 'x', status: 'pending', revision: 1 }], nextParagraph: 2, undo: [],
      };
      await a.store.createArticle(article, [{ n: 1, paragraphId: 'p1', action: 'import', author: 'a', at, text: 'x', status: 'pending', diff: { added: 1, removed: 0 }, op: 'o' }]);
      const bump = (who: string, i: number) => (x: Article) => {
        const p = ownParagraph(x, 0);
        p.revision += 1;
        p.text = `${who} ${i}`;
        const rev: Revision = { n: p.revision, paragraphId: 'p1', action: 'edit', author: who, at, text: p.text, status: 'edited', diff: { added: 1, removed: 1 }, op: `${who}${i}` };
        return { result: p.revision, revisions: [rev] };
      };
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).store.updateArticle('shared', bump(i % 2 ? 'a' : 'b', i))));
      expect(new Set(results).size).toBe(50);
      expect((await b.store.getArticle('shared'))!.paragraphs[0]!.revision).toBe(51);
      expect((await a.store.history('shared', 'p1')).map((r) => r.n)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));

      // A change that checks its base on the locked copy: of two on one base, one per store, one wins.
      const guarded = (store: Store, who: string) => store.updateArticle('shared', (x) => {
        if (x.paragraphs[0]!.revision !== 51) throw new Error('stale');
        return bump(who, 99)(x);
      });
      const outcomes = await Promise.allSettled([guarded(a.store, 'a'), guarded(b.store, 'b')]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await revisionCount(a.store, 'shared')).toBe(52);

      // A revision written twice is impossible: the whole action fails and nothing of it is stored.
      await expect(a.store.updateArticle('shared', (x) => {
        ownParagraph(x, 0).text = 'twice';
        const rev: Revision = { n: 52, paragraphId: 'p1', action: 'edit', author: 'a', at, text: 'twice', status: 'edited', diff: { added: 1, removed: 1 }, op: 'dup' };
        return { result: 0, revisions: [rev] };
      })).rejects.toThrow(/duplicate key/);
      expect((await b.store.getArticle('shared'))!.paragraphs[0]!.text).not.toBe('twice');
      expect(await revisionCount(a.store, 'shared')).toBe(52);
      // …and history is append-only in the database itself.
      await expect((a.store as PgStore).pool.query("UPDATE revisions SET n = n WHERE article_id = 'shared'")).rejects.toThrow(/append-only/);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });
});

describe.skipIf(!!reason)('two app instances on one database', () => {
  let A: RunningApp;
  let B: RunningApp;
  let id: string;

  beforeAll(async () => {
    if (reason) return;
    const db = await postgres.database();
    A = await startAppOnDatabase(db.url);
    B = await startAppOnDatabase(db.url);
  });
  afterAll(async () => {
    await A?.close();
    await B?.close();
  });

  it('shares articles: imported on A, listed and read on B', async () => {
    const seed = await readFile(seedPath, 'utf8');
    const created = await tokenClient(A, 'admin').post('/api/articles', { text: seed, filename: 'baoan-smart-wearables.en.txt' });
    expect(created.status).toBe(201);
    id = created.json.id;
    const again = await tokenClient(B, 'admin').post('/api/articles', { text: seed, filename: 'copy.txt' });
    expect(again.json).toMatchObject({ id, created: false });
    const list = await tokenClient(B, 'editor').get('/api/articles');
    expect(list.json.map((a: { id: string }) => a.id)).toEqual([id]);
  });

  it('lets exactly one edit per base revision through when both instances edit a paragraph at once; the rest get 409', async () => {
    const clients = [tokenClient(A, 'editor'), tokenClient(B, 'editor'), tokenClient(A, 'admin'), tokenClient(B, 'admin')];
    const paragraphs = ['p2', 'p3', 'p4', 'p5'];
    const wins = new Map<string, string[]>(paragraphs.map((p) => [p, []]));
    for (let round = 0; round < 5; round++) {
      await Promise.all(paragraphs.map(async (pid) => {
        const current = (await clients[0]!.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
        const answers = await Promise.all(clients.map((c, i) =>
          c.post(`/api/articles/${id}/paragraphs/${pid}/edit`, { baseRevision: current.revision, text: `Round ${round}, client ${i}, ${pid}.` })));
        const ok = answers.filter((r) => r.status === 200);
        expect(ok).toHaveLength(1);
        for (const r of answers) if (r.status !== 200) expect(r.json.code).toBe('stale_revision');
        wins.get(pid)!.push(ok[0]!.json.text);
      }));
    }
    for (const pid of paragraphs) {
      // Read through the other instance: the import, then one revision per winning edit, in order.
      const history = await tokenClient(B, 'admin').get(`/api/articles/${id}/paragraphs/${pid}/history`);
      expect(history.json.map((h: { n: number }) => h.n)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(history.json.slice(1).map((h: { text: string }) => h.text)).toEqual(wins.get(pid));
      const seen = (await tokenClient(A, 'admin').get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
      expect(seen).toMatchObject({ revision: 6, text: wins.get(pid)!.at(-1) });
    }
    const article = (await tokenClient(A, 'admin').get(`/api/articles/${id}`)).json;
    expect(await revisionCount(A.services.store, id)).toBe(article.paragraphs.length + paragraphs.length * 5);
  });

  it('suggests on A from its own copy of the article without reading it, and on the stored text when B changed the paragraph since', async () => {
    const a = tokenClient(A, 'editor');
    const b = tokenClient(B, 'editor');
    const pid = 'p7';
    const url = `/api/articles/${id}/paragraphs/${pid}`;
    const now = async () => (await b.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
    // A wrote the paragraph last: its copy is the stored article, and a suggestion needs no read.
    const onA = await a.post(`${url}/edit`, { baseRevision: (await now()).revision, text: 'Written on A, and and the copy is current.' });
    expect(onA.status).toBe(200);
    const store = A.services.store as PgStore;
    store.readStats = { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
    const first = await a.post(`${url}/suggest`, { baseRevision: onA.json.revision });
    expect(first.status).toBe(200);
    expect(first.json.suggestion.text).toBe('Written on A, and the copy is current.');
    expect(store.readStats.reads).toBe(0);
    // Without a revision (API scripts, runs) it reads the stored article first.
    const unversioned = await a.post(`${url}/suggest`, {});
    expect(unversioned.json.suggestion.id).toBe(first.json.suggestion.id);
    expect(store.readStats.reads).toBe(1);

    // B edits it: A's copy is stale. A suggestion asked on A with B's revision is made on B's text, and so is
    // one asked without a revision (that one reads the stored article first).
    const onB = await b.post(`${url}/edit`, { baseRevision: first.json.revision, text: 'Written on B, so so A holds a stale copy.' });
    expect(onB.status).toBe(200);
    store.readStats = { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
    const withBase = await a.post(`${url}/suggest`, { baseRevision: onB.json.revision });
    expect(withBase.status).toBe(200);
    expect(withBase.json).toMatchObject({ text: 'Written on B, so so A holds a stale copy.', suggestion: { text: 'Written on B, so A holds a stale copy.' } });
    expect(store.readStats.reads).toBeGreaterThan(0);

    const again = await b.post(`${url}/edit`, { baseRevision: withBase.json.revision, text: 'Written on B again, then then asked on A without a revision.' });
    expect(again.status).toBe(200);
    const withoutBase = await a.post(`${url}/suggest`, {});
    expect(withoutBase.status).toBe(200);
    expect(withoutBase.json).toMatchObject({ text: 'Written on B again, then then asked on A without a revision.', suggestion: { text: 'Written on B again, then asked on A without a revision.' } });
    const history = (await b.get(`${url}/history`)).json as Array<{ action: string; text: string }>;
    expect(history.slice(-6).map((h) => h.action)).toEqual(['edit', 'suggest', 'edit', 'suggest', 'edit', 'suggest']);
  });

  it('honours a session opened on A at B: cookie, CSRF token and logout', async () => {
    const s = await sessionClient(A.url, 'editor', passwordOf('editor'));
    const onB = client(B.url, { cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    expect((await onB.get('/api/articles')).status).toBe(200);
    const p = (await onB.get(`/api/articles/${id}`)).json.paragraphs.find((x: { id: string }) => x.id === 'p6');
    const edited = await onB.post(`/api/articles/${id}/paragraphs/p6/edit`, { baseRevision: p.revision, text: 'Edited on B with a session from A.' });
    expect(edited.status).toBe(200);
    const forged = await client(B.url, { cookie: s.cookie, 'x-csrf-token': 'wrong' }).post(`/api/articles/${id}/paragraphs/p6/edit`, { baseRevision: edited.json.revision, text: 'x' });
    expect(forged.status).toBe(403);

    expect((await onB.post('/api/logout')).status).toBe(200);
    expect((await s.api.get('/api/articles')).status).toBe(401);
  });

  // Each instance keeps the glossary revision it read until a notification says it changed
  // (pgSignals.ts): the other instance sees a change as soon as that message arrives, which on a busy
  // machine can be after the next request. So the views are asked until then (a bound, not a sleep).
  const soon = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 5000, interval: 20 });

  it('uses a glossary uploaded on A on B as soon as B hears of it (suggestions, glossary views), and a removal on B on A', async () => {
    const suggestOnB = async () => {
      const r = await tokenClient(B, 'editor').post(`/api/articles/${id}/paragraphs/p8/suggest`, { force: true });
      expect(r.status).toBe(200);
      return r.json.suggestion.text as string;
    };
    // B works out (and caches) the article's glossary before the upload.
    const plain = await suggestOnB();
    expect(plain).toContain('"Baotuan"');
    expect((await tokenClient(B, 'editor').get(`/api/articles/${id}`)).status).toBe(200);

    const upload = await tokenClient(A, 'admin').post('/api/glossaries', { text: 'term,preferred,note\nBaotuan,cluster-building,Desk term\n', format: 'csv' });
    expect(upload.status).toBe(201);
    expect((await tokenClient(B, 'editor').get('/api/glossaries')).json.corpus).toEqual([{ term: 'Baotuan', preferred: 'cluster-building', note: 'Desk term' }]);
    await soon(async () => {
      const onB = (await tokenClient(B, 'editor').get(`/api/articles/${id}/glossary`)).json;
      expect(onB.entries).toContainEqual({ term: 'Baotuan', preferred: 'cluster-building', note: 'Desk term' });
      expect(onB.paragraphs.find((p: { id: string }) => p.id === 'p8').terms.length).toBeGreaterThan(0);
    });
    const withGlossary = await suggestOnB();
    expect(withGlossary).toContain('"Cluster-building"');
    expect(withGlossary).not.toContain('Baotuan');

    // Merges from both instances at once, into one article's glossary: every entry is kept.
    const merges = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      tokenClient(i % 2 ? A : B, 'admin').post('/api/glossaries', { articleId: id, entries: [{ term: `term ${i}`, preferred: `preferred ${i}` }], mode: 'merge' })));
    expect(merges.map((r) => r.status)).toEqual(Array(12).fill(201));
    const stored = (await tokenClient(A, 'editor').get(`/api/glossaries?articleId=${id}`)).json.entries as Array<{ term: string }>;
    expect(stored.map((e) => e.term).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `term ${i}`).sort());

    // Removed through B: gone for A's suggestions too.
    expect((await tokenClient(B, 'admin').del('/api/glossaries')).status).toBe(200);
    expect((await tokenClient(A, 'editor').get('/api/glossaries')).json.corpus).toEqual([]);
    await soon(async () => {
      const r = await tokenClient(A, 'editor').post(`/api/articles/${id}/paragraphs/p8/suggest`, { force: true });
      expect(r.json.suggestion.text).toBe(plain);
    });
  });
});
