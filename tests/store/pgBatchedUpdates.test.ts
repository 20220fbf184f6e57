/**
 * Changes to one article that queue up in one process while a transaction runs on it are applied
 * together in the next one (server/store/pg/articleUpdate.ts), with the results of one after the
 * other; and an action rewrites the article row's brief as counts, never a list as long as the
 * article (migration 007).
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownParagraph } from '../../server/core/draft.js';
import type { Article, Paragraph, Revision } from '../../server/core/types.js';
import { summarize } from '../../server/store/lowdbStore.js';
import { openPool } from '../../server/store/pg/database.js';
import { migrate } from '../../server/store/pg/migrate.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import { NotFoundError } from '../../server/store/types.js';
import { postgresForFile } from '../support/postgres.js';

const postgres = postgresForFile('pgBatchedUpdates');
const reason = postgres.reason;
const at = '2024-05-01T10:00:00.000Z';

function makeArticle(id: string, paragraphs: number): { article: Article; revisions: Revision[] } {
  const article: Article = {
    id, title: `Title ${id}`, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, hasSource: false, hasReference: false,
    paragraphs: Array.from({ length: paragraphs }, (_, i): Paragraph => ({ id: `p${i + 1}`, index: i, kind: 'body', mt: `Text ${i}.`, text: `Text ${i}.`, status: 'pending', revision: 1 })),
    nextParagraph: paragraphs + 1,
    undo: [],
  };
  const revisions = article.paragraphs.map((p): Revision => ({ n: 1, paragraphId: p.id, action: 'import', author: 'ed', at, text: p.text, status: 'pending', diff: { added: 1, removed: 0 }, op: 'import' }));
  return { article, revisions };
}

/** An edit as the commands make it, refused (as a 409 would be) when the paragraph is not at `base`. */
function edit(paragraphId: string, text: string, op: string, base?: number, change: Partial<Paragraph> = {}) {
  return (a: Article) => {
    const i = a.paragraphs.findIndex((p) => p.id === paragraphId);
    if (base !== undefined && a.paragraphs[i]!.revision !== base) throw new Error(`stale: ${paragraphId} is at ${a.paragraphs[i]!.revision}`);
    const p = ownParagraph(a, i);
    const before = p.text;
    Object.assign(p, { text, status: 'edited' }, change);
    p.revision += 1;
    a.updatedAt = new Date().toISOString();
    a.undo.push({ op, action: 'edit', author: 'ed', at: a.updatedAt, before: [{ paragraphId, text: before, status: 'pending', revisionAfter: p.revision }], created: [] });
    const rev: Revision = { n: p.revision, paragraphId, action: 'edit', author: 'ed', at: a.updatedAt, text, status: p.status, diff: { added: 1, removed: 1 }, op };
    return { result: p.revision, revisions: [rev] };
  };
}

const version = async (pool: Pool, id: string) => Number((await pool.query<{ v: string }>('SELECT version AS v FROM articles WHERE id = $1', [id])).rows[0]!.v);

describe.skipIf(!!reason)('changes queued on one article', () => {
  let pool: Pool;
  beforeAll(async () => {
    if (reason) return;
    pool = openPool((await postgres.database()).url, { max: 4 });
    await migrate(pool);
  });
  afterAll(async () => pool?.end());

  it('are applied in one transaction, in order, each on the result of the ones before; a refused one is left out', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('burst', 6);
    await store.createArticle(article, revisions);
    const before = await version(pool, 'burst');
    const results = await Promise.allSettled([
      store.updateArticle('burst', edit('p1', 'one', 'o1', 1)),
      store.updateArticle('burst', edit('p2', 'two', 'o2', 1)),
      // Same base as the first: it sees the first's result and is refused.
      store.updateArticle('burst', edit('p1', 'stale', 'o3', 1)),
      store.updateArticle('burst', edit('p1', 'one again', 'o4', 2)),
      store.updateArticle('burst', edit('p3', 'three', 'o5')),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([2, 2, 'stale: p1 is at 2', 3, 2]);
    expect(await version(pool, 'burst')).toBe(before + 1);
    const fresh = (await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('burst'))!;
    expect(fresh.paragraphs.slice(0, 4).map((p) => [p.text, p.revision])).toEqual([['one again', 3], ['two', 2], ['three', 2], ['Text 3.', 1]]);
    expect(fresh.undo.map((e) => e.op)).toEqual(['o1', 'o2', 'o4', 'o5']);
    expect(fresh).toEqual(store.cached('burst')!.article);
    expect((await store.history('burst')).slice(6).map((r) => [r.paragraphId, r.n, r.text])).toEqual([['p1', 2, 'one'], ['p2', 2, 'two'], ['p1', 3, 'one again'], ['p3', 2, 'three']]);
    // Only the rows the changes wrote carry the new version.
    const stamped = await pool.query<{ id: string }>('SELECT p.id FROM article_paragraphs p JOIN articles a ON a.id = p.article_id WHERE a.id = $1 AND p.version = a.version ORDER BY p.position', ['burst']);
    expect(stamped.rows.map((r) => r.id)).toEqual(['p1', 'p2', 'p3']);

    // A burst with a split in it (the array changes shape): the same results.
    await Promise.all([
      store.updateArticle('burst', edit('p4', 'four', 'o6', 1)),
      store.updateArticle('burst', (a) => {
        const added: Paragraph = { id: `p${a.nextParagraph++}`, index: 1, kind: 'body', mt: '', text: 'split off', status: 'edited', revision: 1 };
        a.paragraphs.splice(1, 0, added);
        for (let i = 2; i < a.paragraphs.length; i++) ownParagraph(a, i).index = i;
        return { result: undefined, revisions: [] };
      }),
      store.updateArticle('burst', edit('p5', 'five', 'o7', 1)),
    ]);
    const reshaped = (await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('burst'))!;
    expect(reshaped.paragraphs.map((p) => p.text)).toEqual(['one again', 'split off', 'two', 'three', 'four', 'five', 'Text 5.']);
    expect(reshaped).toEqual(store.cached('burst')!.article);
  });

  it('fail only their own action when the write of the batch fails: the others are applied one by one', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('bad-write', 4);
    await store.createArticle(article, revisions);
    const duplicate = (a: Article) => {
      const out = edit('p2', 'never stored', 'd1')(a);
      out.revisions[0]!.paragraphId = 'p4';
      out.revisions[0]!.n = 1;
      return out;
    };
    const results = await Promise.allSettled([
      store.updateArticle('bad-write', edit('p1', 'first', 'f1')),
      store.updateArticle('bad-write', duplicate),
      store.updateArticle('bad-write', edit('p3', 'third', 'f3')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
    const fresh = (await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('bad-write'))!;
    expect(fresh.paragraphs.map((p) => p.text)).toEqual(['first', 'Text 1.', 'third', 'Text 3.']);
    expect(fresh.undo.map((e) => e.op)).toEqual(['f1', 'f3']);
    expect(await store.getArticle('bad-write')).toEqual(fresh);
  });

  it('are written on the cached copy only while no other instance wrote since; else again, under the lock, on what it wrote', async () => {
    const a = new PgStore(pool, { ownsPool: false });
    const b = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('two-writers', 6);
    await a.createArticle(article, revisions);
    await a.updateArticle('two-writers', edit('p1', 'a1', 'a1'));
    expect(a.cached('two-writers')!.contended).toBeFalsy();
    await b.updateArticle('two-writers', edit('p4', 'b1', 'b1', 1));
    await b.updateArticle('two-writers', edit('p5', 'b2', 'b2', 1));
    // a's copy says p4 is at revision 1: on it, this stale edit would pass; the article says otherwise.
    await expect(a.updateArticle('two-writers', edit('p4', 'stale', 'a2', 1))).rejects.toThrow('stale: p4 is at 2');
    expect(a.cached('two-writers')!.contended).toBe(true);
    // …and one that the stale copy would refuse goes through.
    await b.updateArticle('two-writers', edit('p6', 'b3', 'b3', 1));
    expect(await a.updateArticle('two-writers', edit('p6', 'a3', 'a3', 2))).toBe(3);
    // A transaction that finds the copy current: back to writing on it.
    expect(await a.updateArticle('two-writers', edit('p2', 'a4', 'a4', 1))).toBe(2);
    expect(a.cached('two-writers')!.contended).toBeFalsy();
    const fresh = (await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('two-writers'))!;
    expect(fresh.paragraphs.map((p) => p.text)).toEqual(['a1', 'a4', 'Text 2.', 'b1', 'b2', 'a3']);
    expect(fresh.undo.map((e) => e.op)).toEqual(['a1', 'b1', 'b2', 'b3', 'a3', 'a4']);
    expect(a.cached('two-writers')!.article).toEqual(fresh);
  });

  it('never jump a delete: a change asked for after it finds no article', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('deleted', 2);
    await store.createArticle(article, revisions);
    const first = store.updateArticle('deleted', edit('p1', 'before the delete', 'b1'));
    const deleted = store.deleteArticle('deleted');
    const after = store.updateArticle('deleted', edit('p2', 'after the delete', 'a1'));
    expect(await first).toBe(2);
    expect(await deleted).toBe(true);
    await expect(after).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe.skipIf(!!reason)('the article row\'s brief', () => {
  let pool: Pool;
  beforeAll(async () => {
    if (reason) return;
    pool = openPool((await postgres.database()).url, { max: 4 });
    await migrate(pool);
  });
  afterAll(async () => pool?.end());

  const briefLength = async (id: string) => (await pool.query<{ n: number }>('SELECT length(brief::text)::int AS n FROM articles WHERE id = $1', [id])).rows[0]!.n;

  it('counts the paragraphs by status and review, whatever the article\'s length, and lists what summarize() says', async () => {
    const a = new PgStore(pool, { ownsPool: false });
    const b = new PgStore(pool, { ownsPool: false });
    const list = async () => (await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).listArticles()).find((s) => s.id === 'long')!;
    const expected = async () => summarize((await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('long'))!);
    const { article, revisions } = makeArticle('long', 1000);
    await a.createArticle(article, revisions);
    expect(await briefLength('long')).toBeLessThan(300);
    expect(await list()).toEqual(await expected());

    await a.updateArticle('long', edit('p10', 'edited', 'e1'));
    await a.updateArticle('long', edit('p11', 'in review', 'e2', undefined, { review: 'in-review' }));
    await a.updateArticle('long', edit('p10', 'approved', 'e3', undefined, { review: 'approved', status: 'accepted' }));
    await Promise.all([a.updateArticle('long', edit('p12', 'x', 'e4', undefined, { status: 'kept' })), a.updateArticle('long', edit('p13', 'y', 'e5', undefined, { status: 'deleted' }))]);
    expect(await list()).toEqual(await expected());
    // Another instance's write, then one here built on it; a split (the order changes: counted afresh).
    await b.updateArticle('long', edit('p14', 'by b', 'b1', undefined, { review: 'sent-back' }));
    await a.updateArticle('long', edit('p15', 'by a', 'a1', undefined, { status: 'rejected' }));
    expect(await list()).toEqual(await expected());
    await a.updateArticle('long', (x) => {
      const added: Paragraph = { id: `p${x.nextParagraph++}`, index: 1, kind: 'body', mt: '', text: 'split off', status: 'edited', revision: 1 };
      x.paragraphs.splice(1, 0, added);
      for (let i = 2; i < x.paragraphs.length; i++) ownParagraph(x, i).index = i;
      return { result: undefined, revisions: [] };
    });
    expect(await list()).toEqual(await expected());
    expect((await list()).counts).toMatchObject({ pending: 994, edited: 3, accepted: 1, kept: 1, deleted: 1, rejected: 1 });
    expect((await list()).review).toBe('changes requested');
    expect(await briefLength('long')).toBeLessThan(400);
  });
});
