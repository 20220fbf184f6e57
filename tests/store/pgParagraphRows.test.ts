/**
 * The PostgreSQL store keeps paragraphs and undo entries as rows (migration 004) and each instance
 * keeps the articles it works on in memory, valid while the article row's version is unchanged:
 * a pre-004 database keeps its articles, an action writes only the rows it changed, another
 * instance's write is seen (reading only the rows written since), and a failed action leaves the
 * rows and the cached copy as they were.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownParagraph } from '../../server/core/draft.js';
import type { Article, Paragraph, Revision, UndoEntry } from '../../server/core/types.js';
import { summarize } from '../../server/store/lowdbStore.js';
import { openPool } from '../../server/store/pg/database.js';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../server/store/pg/migrate.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import { tempDir } from '../support/app.js';
import { postgresForFile } from '../support/postgres.js';

const postgres = postgresForFile('pgParagraphRows');
const reason = postgres.reason;

const STRANGE = 'NUL \u0000, emoji 🎉, "quotes", back\\slash, ünïcødé';
const at = '2024-05-01T10:00:00.000Z';

function undoEntry(op: string, paragraphId: string, text: string): UndoEntry {
  return { op, action: 'edit', author: 'ed', at, before: [{ paragraphId, text, status: 'pending', revisionAfter: 2 }], created: [] };
}

function makeArticle(id: string, paragraphs = 5): { article: Article; revisions: Revision[] } {
  const article: Article = {
    id, title: `Title ${id}`, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, origin: 'story.txt', hasSource: true, hasReference: false,
    paragraphs: Array.from({ length: paragraphs }, (_, i): Paragraph => ({
      id: `p${i + 1}`, index: i, kind: i === 0 ? 'heading' : 'body', source: `Quelle ${i}`, mt: `Text ${i}.`, text: i === 2 ? STRANGE : `Text ${i}.`,
      status: i === 1 ? 'accepted' : 'pending', revision: 1,
      ...(i === 3 ? { review: 'in-review' as const, comments: [{ id: 'c1', author: 'ed', at, text: 'look' }] } : {}),
      ...(i === 4 ? { findings: [{ kind: 'number', severity: 'warning', message: 'check 12', mt: '12', text: '21' }] as unknown as Paragraph['findings'] } : {}),
    })),
    nextParagraph: paragraphs + 1,
    undo: [undoEntry('u1', 'p1', 'old one'), undoEntry('u2', 'p3', STRANGE)],
    usage: { promptTokens: 10, completionTokens: 5 } as unknown as Article['usage'],
  };
  const revisions = article.paragraphs.map((p): Revision => ({
    n: 1, paragraphId: p.id, action: 'import', author: 'ed', at, text: p.text, status: 'pending', diff: { added: 1, removed: 0 }, op: 'import',
  }));
  return { article, revisions };
}

/** An edit of one paragraph, as the commands make it: copy, change, new revision, new undo entry. */
function edit(paragraphId: string, text: string, op: string) {
  return (a: Article) => {
    const i = a.paragraphs.findIndex((p) => p.id === paragraphId);
    const p = ownParagraph(a, i);
    const before = p.text;
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    a.updatedAt = new Date().toISOString();
    a.undo.push({ op, action: 'edit', author: 'ed', at: a.updatedAt, before: [{ paragraphId, text: before, status: 'pending', revisionAfter: p.revision }], created: [] });
    const rev: Revision = { n: p.revision, paragraphId, action: 'edit', author: 'ed', at: a.updatedAt, text, status: 'edited', diff: { added: 1, removed: 1 }, op };
    return { result: p.revision, revisions: [rev] };
  };
}

async function rowsOf(pool: Pool, id: string) {
  const article = (await pool.query<{ version: string; meta: Record<string, unknown> }>('SELECT version, meta FROM articles WHERE id = $1', [id])).rows[0]!;
  const paragraphs = (await pool.query<{ id: string; position: number; version: string; data: Paragraph }>(
    'SELECT id, position, version, data FROM article_paragraphs WHERE article_id = $1 ORDER BY position', [id])).rows;
  const undo = (await pool.query<{ op: string; version: string; data: UndoEntry }>('SELECT op, version, data FROM article_undo WHERE article_id = $1 ORDER BY seq', [id])).rows;
  const revisions = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM revisions WHERE article_id = $1', [id])).rows[0]!.n;
  return { article, paragraphs, undo, revisions };
}

describe.skipIf(!!reason)('migration 004 (paragraph rows)', () => {
  it('moves the articles of a pre-004 database into paragraph and undo rows, keeping every byte of them', async () => {
    const db = await postgres.database();
    // The schema as it was before 004: the same files, up to 003.
    const old = join(await tempDir(), 'migrations');
    await mkdir(old);
    const all = await loadMigrations();
    const files = all.filter((m) => m.version < 4).map((m) => `${String(m.version).padStart(3, '0')}_${m.name}.sql`);
    expect(files).toHaveLength(3);
    for (const f of files) await copyFile(join(MIGRATIONS_DIR, f), join(old, f));
    const pool = openPool(db.url, { max: 2 });
    try {
      expect((await migrate(pool, old)).version).toBe(3);
      const one = makeArticle('old-one', 6);
      const two = makeArticle('old-two', 2);
      two.article.undo = [];
      delete two.article.usage;
      for (const { article, revisions } of [one, two]) {
        await pool.query(
          'INSERT INTO articles (id, title, content_hash, created_at, updated_at, brief, data) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)',
          [article.id, article.title, article.contentHash, article.createdAt, article.updatedAt, JSON.stringify({ title: article.title, createdAt: at, updatedAt: at, hasSource: true, paragraphs: article.paragraphs.map((p) => (p.review ? { status: p.status, review: p.review } : { status: p.status })) }), JSON.stringify(article)],
        );
        for (const r of revisions) {
          await pool.query('INSERT INTO revisions (article_id, paragraph_id, n, data) VALUES ($1, $2, $3, $4::json)', [article.id, r.paragraphId, r.n, JSON.stringify(r)]);
        }
      }

      expect(await migrate(pool)).toEqual({ applied: [4, ...all.filter((m) => m.version > 4).map((m) => m.version)], version: all.at(-1)!.version });
      const rows = await rowsOf(pool, 'old-one');
      expect(rows.paragraphs.map((p) => [p.id, p.position])).toEqual(one.article.paragraphs.map((p, i) => [p.id, i]));
      expect(rows.paragraphs.map((p) => p.data)).toEqual(one.article.paragraphs);
      expect(rows.undo.map((u) => u.op)).toEqual(['u1', 'u2']);
      expect(Object.keys(rows.article.meta)).not.toContain('paragraphs');
      expect(Object.keys(rows.article.meta)).not.toContain('undo');
      // Key order is kept too.
      const { paragraphs: _p, undo: _u, ...meta } = one.article;
      expect(Object.keys(rows.article.meta)).toEqual(Object.keys(meta));
      // 005: the paragraph order and undo stack count as written at the article's version.
      const versions = (await pool.query<{ id: string; v: string; o: string; u: string; n: number }>(
        'SELECT id, version AS v, order_version AS o, undo_version AS u, undo_count AS n FROM articles ORDER BY id')).rows;
      expect(versions.map((r) => [r.id, r.o === r.v, r.u === r.v, r.n])).toEqual([['old-one', true, true, 2], ['old-two', true, true, 0]]);

      const store = new PgStore(pool, { ownsPool: false });
      expect(await store.getArticle('old-one')).toEqual(one.article);
      expect(await store.getArticle('old-two')).toEqual(two.article);
      expect((await store.getArticle('old-one'))!.paragraphs[2]!.text).toBe(STRANGE);
      expect(await store.listArticles()).toEqual([summarize(one.article), summarize(two.article)]);
      expect(await store.history('old-one', 'p3')).toEqual([one.revisions[2]]);
      // …and the migrated article takes actions like any other.
      expect(await store.updateArticle('old-one', edit('p3', 'after the migration', 'u3'))).toBe(2);
      const fresh = new PgStore(pool, { ownsPool: false, cachedArticles: 0 });
      const read = (await fresh.getArticle('old-one'))!;
      expect(read.paragraphs[2]).toMatchObject({ text: 'after the migration', revision: 2 });
      expect(read.undo.map((e) => e.op)).toEqual(['u1', 'u2', 'u3']);
      expect(read.paragraphs.filter((_, i) => i !== 2)).toEqual(one.article.paragraphs.filter((_, i) => i !== 2));
    } finally {
      await pool.end();
    }
  });
});

describe.skipIf(!!reason)('paragraph rows and the per-instance article cache', () => {
  let pool: Pool;
  beforeAll(async () => {
    if (reason) return;
    const db = await postgres.database();
    pool = openPool(db.url, { max: 6 });
    await migrate(pool);
  });
  afterAll(async () => pool?.end());

  it('writes only the rows an action changed, and stamps them with the new version', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('only-changed', 8);
    await store.createArticle(article, revisions);
    const before = await rowsOf(pool, 'only-changed');
    await store.updateArticle('only-changed', edit('p5', 'changed', 'u3'));
    const after = await rowsOf(pool, 'only-changed');
    expect(BigInt(after.article.version)).toBeGreaterThan(BigInt(before.article.version));
    const stamped = after.paragraphs.filter((p) => p.version === after.article.version).map((p) => p.id);
    expect(stamped).toEqual(['p5']);
    expect(after.paragraphs.filter((p) => p.id !== 'p5')).toEqual(before.paragraphs.filter((p) => p.id !== 'p5'));
    expect(after.undo.slice(0, 2)).toEqual(before.undo);
    expect(after.undo.map((u) => [u.op, u.version === after.article.version])).toEqual([['u1', false], ['u2', false], ['u3', true]]);
    expect(after.revisions).toBe(before.revisions + 1);
    // The cached copy is the stored state, frozen.
    const cached = store.cached('only-changed')!;
    expect(String(cached.version)).toBe(after.article.version);
    expect(Object.isFrozen(cached.article.paragraphs[4])).toBe(true);
    expect(cached.article).toEqual(await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('only-changed'));
  });

  it('drops the oldest undo entry and rewrites a changed one in place, on the cached copy and under the lock', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const other = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('undo-rows', 4);
    await store.createArticle(article, revisions);
    // An edit that also drops the oldest entry and changes the one after it (as a full stack and an undo do).
    const editDroppingOldest = (paragraphId: string, text: string, op: string, mark: string) => (a: Article) => {
      const done = edit(paragraphId, text, op)(a);
      a.undo.shift();
      a.undo[0] = { ...a.undo[0]!, author: mark };
      return done;
    };
    const ops = async () => (await rowsOf(pool, 'undo-rows')).undo.map((u) => [u.op, u.data.author]);
    await store.getArticle('undo-rows');
    await store.updateArticle('undo-rows', editDroppingOldest('p2', 'one', 'u3', 'cached'));
    expect(await ops()).toEqual([['u2', 'cached'], ['u3', 'ed']]);
    // On B (no copy yet: under the lock), then on A, whose copy B made stale (under the lock again).
    await other.updateArticle('undo-rows', editDroppingOldest('p3', 'two', 'u4', 'locked on B'));
    expect(await ops()).toEqual([['u3', 'locked on B'], ['u4', 'ed']]);
    await store.updateArticle('undo-rows', editDroppingOldest('p4', 'three', 'u5', 'locked on A'));
    expect(await ops()).toEqual([['u4', 'locked on A'], ['u5', 'ed']]);
    // Each instance's copy is the stored article.
    const stored = await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('undo-rows');
    expect(stored!.undo.map((e) => [e.op, e.author])).toEqual([['u4', 'locked on A'], ['u5', 'ed']]);
    expect(store.cached('undo-rows')!.article).toEqual(stored);
  });

  it('writes SQL-looking text byte for byte, as parameters of the prepared write and as literals under the row lock', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const other = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('sql-text', 3);
    await store.createArticle(article, revisions);
    const nasty = "O'Brien said ''); DROP TABLE articles; -- \\' E'\\x00' $$ $q$ $1 $2::text \\\\n ' || pg_sleep(1) || '";
    // On the cached copy: the prepared statement, values as parameters (no read under the lock).
    await store.getArticle('sql-text');
    const reads = store.readStats.reads;
    await store.updateArticle('sql-text', edit('p2', nasty, "op'); DELETE FROM revisions; --"));
    expect(store.readStats.reads).toBe(reads);
    // Without a copy, then on a copy another instance made stale: under the row lock, values spelled out.
    await other.updateArticle('sql-text', edit('p3', `${nasty} (b)`, 'op $1'));
    await store.updateArticle('sql-text', edit('p1', `${nasty} (a)`, "op '$3'"));
    const fresh = new PgStore(pool, { ownsPool: false, cachedArticles: 0 });
    const read = (await fresh.getArticle('sql-text'))!;
    expect(read.paragraphs.map((p) => p.text)).toEqual([`${nasty} (a)`, nasty, `${nasty} (b)`]);
    expect(read.undo.map((e) => e.op).slice(-3)).toEqual(["op'); DELETE FROM revisions; --", 'op $1', "op '$3'"]);
    expect((await fresh.history('sql-text', 'p2')).map((r) => r.text)).toEqual([article.paragraphs[1]!.text, nasty]);
    expect((await pool.query('SELECT count(*)::int AS n FROM articles')).rows[0].n).toBeGreaterThan(0);
  });

  it('goes on writing when the server forgot its prepared statements (a pooler in transaction mode, DISCARD ALL)', async () => {
    const one = openPool((await postgres.database()).url, { max: 1 });
    try {
      await migrate(one);
      const store = new PgStore(one, { ownsPool: false });
      const { article, revisions } = makeArticle('forgotten', 3);
      await store.createArticle(article, revisions);
      await store.getArticle('forgotten');
      expect(await store.updateArticle('forgotten', edit('p1', 'prepared', 'f1'))).toBe(2);
      const prepared = await one.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'postedit_write_%'");
      expect(prepared.rows[0]!.n).toBeGreaterThan(0);
      // What a pooler handing the next transaction to another server connection, or a reset, amounts to.
      await one.query('DEALLOCATE ALL');
      expect(await store.updateArticle('forgotten', edit('p1', 'after the reset', 'f2'))).toBe(3);
      expect(await store.updateArticle('forgotten', edit('p2', 'and again', 'f3'))).toBe(2);
      const fresh = new PgStore(one, { ownsPool: false, cachedArticles: 0 });
      expect((await fresh.history('forgotten', 'p1')).map((r) => r.text)).toEqual(['Text 0.', 'prepared', 'after the reset']);
      expect((await fresh.getArticle('forgotten'))!.paragraphs[1]!.text).toBe('and again');
    } finally {
      await one.end();
    }
  });

  it('stores splits, removals, reorders and undo changes so that a fresh reader sees the same article', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('reshaped', 5);
    await store.createArticle(article, revisions);
    const fresh = () => new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('reshaped');

    // A split: a new paragraph after p2, the later ones renumbered.
    await store.updateArticle('reshaped', (a) => {
      const added: Paragraph = { id: `p${a.nextParagraph++}`, index: 2, kind: 'body', mt: '', text: 'split off', status: 'edited', revision: 1 };
      a.paragraphs.splice(2, 0, added);
      for (let i = 3; i < a.paragraphs.length; i++) ownParagraph(a, i).index = i;
      a.undo.push({ ...undoEntry('u3', 'p2', 'x'), created: [added.id] });
      return { result: undefined, revisions: [] };
    });
    expect((await fresh())!.paragraphs.map((p) => [p.id, p.index])).toEqual([['p1', 0], ['p2', 1], ['p6', 2], ['p3', 3], ['p4', 4], ['p5', 5]]);

    // Undo of the split: the paragraph goes, an undo entry is dropped and another changed in place.
    await store.updateArticle('reshaped', (a) => {
      a.paragraphs = a.paragraphs.filter((p) => p.id !== 'p6');
      for (let i = 2; i < a.paragraphs.length; i++) ownParagraph(a, i).index = i;
      a.undo = a.undo.filter((e) => e.op !== 'u3').map((e) => (e.op === 'u1' ? { ...e, author: 'someone else' } : e));
      return { result: undefined, revisions: [] };
    });
    let read = (await fresh())!;
    expect(read.paragraphs).toEqual(article.paragraphs);
    expect(read.undo).toEqual([{ ...article.undo[0], author: 'someone else' }, article.undo[1]]);
    expect((await rowsOf(pool, 'reshaped')).paragraphs.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);

    // A reorder, the undo stack rewritten in another order (a delta cannot say it), a field removed.
    await store.updateArticle('reshaped', (a) => {
      a.paragraphs = [a.paragraphs[1]!, a.paragraphs[0]!, ...a.paragraphs.slice(2)];
      a.undo = [a.undo[1]!, a.undo[0]!];
      delete a.origin;
      return { result: undefined, revisions: [] };
    });
    read = (await fresh())!;
    expect(read.paragraphs.map((p) => p.id)).toEqual(['p2', 'p1', 'p3', 'p4', 'p5']);
    expect(read.undo.map((e) => e.op)).toEqual(['u2', 'u1']);
    expect(read).not.toHaveProperty('origin');
    expect(read).toEqual(await store.getArticle('reshaped'));
  });

  it('sees another instance\'s writes, reading only the rows written since its copy', async () => {
    const a = new PgStore(pool, { ownsPool: false });
    const b = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('shared-cache', 6);
    await a.createArticle(article, revisions);
    await a.updateArticle('shared-cache', edit('p2', 'by a', 'a1'));
    const copy = a.cached('shared-cache')!;

    await b.updateArticle('shared-cache', edit('p4', 'by b', 'b1'));
    // a's copy is now behind the row: a read brings it up to date…
    const seen = (await a.getArticle('shared-cache'))!;
    expect(seen.paragraphs[3]).toMatchObject({ text: 'by b', revision: 2 });
    expect(seen.paragraphs[1]).toMatchObject({ text: 'by a', revision: 2 });
    expect(seen.undo.map((e) => e.op)).toEqual(['u1', 'u2', 'a1', 'b1']);
    const updated = a.cached('shared-cache')!;
    expect(updated.version).toBeGreaterThan(copy.version);
    expect(updated.version).toBe(b.cached('shared-cache')!.version);
    // …taking the unchanged paragraphs and undo entries from the copy, not from the database.
    expect(updated.article.paragraphs[0]).toBe(copy.article.paragraphs[0]);
    expect(updated.article.paragraphs[1]).toBe(copy.article.paragraphs[1]);
    expect(updated.article.paragraphs[3]).not.toBe(copy.article.paragraphs[3]);
    expect(updated.article.undo[2]).toBe(copy.article.undo[2]);

    // An update on a, after another write by b that a has not read: built on b's result.
    await b.updateArticle('shared-cache', edit('p4', 'by b again', 'b2'));
    expect(await a.updateArticle('shared-cache', edit('p4', 'by a after b', 'a2'))).toBe(4);
    expect((await b.getArticle('shared-cache'))!.paragraphs[3]).toMatchObject({ text: 'by a after b', revision: 4 });
    expect((await a.history('shared-cache', 'p4')).map((r) => r.text)).toEqual(['Text 3.', 'by b', 'by b again', 'by a after b']);

    // Deleted on b and imported again under the same id: a never takes its old copy for the new article.
    expect(await b.deleteArticle('shared-cache')).toBe(true);
    expect(await a.getArticle('shared-cache')).toBeUndefined();
    const again = makeArticle('shared-cache', 2);
    again.article.title = 'Imported again';
    await a.getArticle('shared-cache');
    await b.createArticle(again.article, again.revisions);
    expect(await a.getArticle('shared-cache')).toEqual(again.article);
  });

  it('reads only the rows another instance wrote: no paragraph id list unless the order changed, no undo list unless the stack changed otherwise than at its ends', async () => {
    const a = new PgStore(pool, { ownsPool: false });
    const b = new PgStore(pool, { ownsPool: false });
    const fresh = () => new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('refresh');
    const { article, revisions } = makeArticle('refresh', 40);
    article.undo = Array.from({ length: 10 }, (_, i) => undoEntry(`old${i}`, 'p1', `old ${i}`));
    await a.createArticle(article, revisions);
    await a.getArticle('refresh');
    await b.getArticle('refresh');
    /** An edit as the commands make it once the stack is full: push one entry, drop the oldest. */
    const capped = (pid: string, text: string, op: string) => (x: Article) => {
      const out = edit(pid, text, op)(x);
      x.undo.splice(0, x.undo.length - 10);
      return out;
    };
    const refreshOf = async (read: () => Promise<unknown>) => {
      a.readStats = { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
      await read();
      return a.readStats;
    };

    // Nothing written since: the version is checked, nothing else comes back.
    expect(await refreshOf(() => a.getArticle('refresh'))).toEqual({ reads: 1, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 });

    // b edits one paragraph (the stack full: one entry pushed, the oldest dropped): a reads that paragraph and that entry.
    await b.updateArticle('refresh', capped('p7', 'by b', 'b1'));
    const copy = a.cached('refresh')!;
    expect(await refreshOf(() => a.getArticle('refresh'))).toEqual({ reads: 1, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 1, undo: 1 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());
    expect(a.cached('refresh')!.article.undo.map((e) => e.op)).toEqual([...Array.from({ length: 9 }, (_, i) => `old${i + 1}`), 'b1']);
    expect(a.cached('refresh')!.article.paragraphs[0]).toBe(copy.article.paragraphs[0]);

    // Three edits by b, an entry rewritten in place among them, before a's next action: a reads those rows only.
    await b.updateArticle('refresh', capped('p8', 'by b', 'b2'));
    await b.updateArticle('refresh', capped('p9', 'by b', 'b3'));
    await b.updateArticle('refresh', (x) => {
      x.undo[x.undo.length - 3] = { ...x.undo[x.undo.length - 3]!, author: 'rewritten' };
      return capped('p8', 'by b again', 'b4')(x);
    });
    let stats = await refreshOf(() => a.updateArticle('refresh', capped('p10', 'by a', 'a1')));
    expect(stats).toEqual({ reads: 1, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 2, undo: 4 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());
    expect(a.cached('refresh')!.article.undo.map((e) => e.op).slice(-5)).toEqual(['b1', 'b2', 'b3', 'b4', 'a1']);
    expect(a.cached('refresh')!.article.undo.at(-5)).toMatchObject({ op: 'b1', author: 'rewritten' });

    // An undo (the newest entry removed) and a split (a new paragraph): both lists come back, once.
    await b.updateArticle('refresh', (x) => {
      x.undo.pop();
      const added: Paragraph = { id: `p${x.nextParagraph++}`, index: 1, kind: 'body', mt: '', text: 'split off', status: 'edited', revision: 1 };
      x.paragraphs.splice(1, 0, added);
      return { result: undefined, revisions: [] };
    });
    stats = await refreshOf(() => a.getArticle('refresh'));
    expect(stats).toMatchObject({ reads: 1, full: 0, paragraphLists: 1, undoLists: 1, paragraphs: 41 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());
    await b.updateArticle('refresh', capped('p3', 'by b', 'b5'));
    expect(await refreshOf(() => a.getArticle('refresh'))).toMatchObject({ paragraphLists: 0, undoLists: 0, paragraphs: 1, undo: 1 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());

    // The undo stack rewritten whole, then emptied.
    await b.updateArticle('refresh', (x) => {
      x.undo = [...x.undo].reverse();
      return { result: undefined, revisions: [] };
    });
    expect(await refreshOf(() => a.getArticle('refresh'))).toMatchObject({ undoLists: 1, undo: 10 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());
    await b.updateArticle('refresh', (x) => {
      x.undo = [];
      return { result: undefined, revisions: [] };
    });
    await b.updateArticle('refresh', capped('p4', 'by b', 'b6'));
    // (Emptying the stack drops its oldest entries: still no list.)
    expect(await refreshOf(() => a.getArticle('refresh'))).toMatchObject({ undoLists: 0, undo: 1 });
    expect(a.cached('refresh')!.article).toEqual(await fresh());
    expect(a.cached('refresh')!.article.undo.map((e) => e.op)).toEqual(['b6']);
  });

  it('leaves the rows and the cached copy as they were when the change throws; drops the copy when a write fails', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('failing', 4);
    await store.createArticle(article, revisions);
    await store.updateArticle('failing', edit('p1', 'first', 'f1'));
    const rows = await rowsOf(pool, 'failing');
    const copy = store.cached('failing')!;
    const stored = await store.getArticle('failing');

    // The change throws after changing its draft (a paragraph, the undo stack, a field).
    await expect(store.updateArticle('failing', (a) => {
      edit('p2', 'never stored', 'f2')(a);
      a.title = 'never stored either';
      throw new Error('stale base revision');
    })).rejects.toThrow('stale base revision');
    expect(await rowsOf(pool, 'failing')).toEqual(rows);
    expect(store.cached('failing')).toBe(copy);
    expect(copy.article.paragraphs[1]!.text).toBe('Text 1.');
    expect(copy.article.title).toBe('Title failing');
    expect(await store.getArticle('failing')).toEqual(stored);

    // A write fails (a revision stored twice): nothing of the action is stored, and the copy is dropped.
    await expect(store.updateArticle('failing', (a) => {
      const out = edit('p2', 'never stored', 'f2')(a);
      out.revisions[0]!.paragraphId = 'p1';
      out.revisions[0]!.n = 2;
      return out;
    })).rejects.toThrow(/duplicate key/);
    expect(await rowsOf(pool, 'failing')).toEqual(rows);
    expect(store.cached('failing')).toBeUndefined();
    expect(await store.getArticle('failing')).toEqual(stored);
    expect(store.cached('failing')!.version).toBe(copy.version);
    // And the next action works.
    expect(await store.updateArticle('failing', edit('p2', 'stored', 'f3'))).toBe(2);
  });

  it('hands readers the cached article itself (readArticle): frozen, and up to date with another instance\'s write', async () => {
    const mine = new PgStore(pool, { ownsPool: false });
    const other = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('read-only', 4);
    await mine.createArticle(article, revisions);
    const first = (await mine.readArticle('read-only'))!;
    expect(Object.isFrozen(first) && Object.isFrozen(first.paragraphs[0])).toBe(true);
    expect(() => {
      first.paragraphs[0]!.text = 'changed by a reader';
    }).toThrow(TypeError);
    expect(await mine.readArticle('read-only')).toBe(first);
    await other.updateArticle('read-only', edit('p3', 'written elsewhere', 'u-other'));
    const after = (await mine.readArticle('read-only'))!;
    expect(after.paragraphs[2]!.text).toBe('written elsewhere');
    expect(after.paragraphs[0]).toBe(first.paragraphs[0]);
    expect(first.paragraphs[2]!.text).toBe(STRANGE);
    expect(await mine.readArticle('no-such-article')).toBeUndefined();
  });

  it('peekArticle answers from the cached copy without a query: possibly stale, brought up to date by the next read', async () => {
    const mine = new PgStore(pool, { ownsPool: false });
    const other = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('peeked', 4);
    await mine.createArticle(article, revisions);
    expect(mine.peekArticle('peeked')).toBeUndefined();
    const read = (await mine.readArticle('peeked'))!;
    mine.readStats = { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
    expect(mine.peekArticle('peeked')).toBe(read);
    await other.updateArticle('peeked', edit('p3', 'written elsewhere', 'u-peek'));
    // No round trip: still the copy this instance holds, not the other instance's write.
    expect(mine.peekArticle('peeked')!.paragraphs[2]!.text).toBe(STRANGE);
    expect(mine.readStats.reads).toBe(0);
    expect((await mine.readArticle('peeked'))!.paragraphs[2]!.text).toBe('written elsewhere');
    expect(mine.peekArticle('peeked')!.paragraphs[2]!.text).toBe('written elsewhere');
  });

  it('hands out copies: changing what getArticle returned changes neither the cache nor the next read', async () => {
    const store = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('copies', 3);
    await store.createArticle(article, revisions);
    const got = (await store.getArticle('copies'))!;
    got.paragraphs[0]!.text = 'scribbled';
    got.paragraphs.pop();
    got.undo[0]!.before[0]!.text = 'scribbled';
    got.title = 'scribbled';
    expect(await store.getArticle('copies')).toEqual(article);
  });

  it('keeps at most `cachedArticles` articles in memory, the least recently used going first', async () => {
    const store = new PgStore(pool, { ownsPool: false, cachedArticles: 2 });
    for (const id of ['lru-1', 'lru-2', 'lru-3']) {
      const { article, revisions } = makeArticle(id, 2);
      await store.createArticle(article, revisions);
    }
    await store.getArticle('lru-1');
    await store.getArticle('lru-2');
    await store.getArticle('lru-1');
    await store.getArticle('lru-3');
    expect(store.cached('lru-1')).toBeDefined();
    expect(store.cached('lru-2')).toBeUndefined();
    expect(store.cached('lru-3')).toBeDefined();
    expect((await store.getArticle('lru-2'))!.title).toBe('Title lru-2');
  });
});
