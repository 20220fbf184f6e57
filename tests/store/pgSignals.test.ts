/**
 * Cached token lookups and glossary revisions on PostgreSQL (server/store/pg/pgSignals.ts): an instance
 * answers them from memory while it listens, and a change made anywhere — another instance, plain SQL —
 * reaches it with the notification its commit sends; a change it makes itself counts at once; while
 * it does not listen, every lookup asks the database. The signals and the live desk's feed share the
 * instance's one listening connection (pgListener.ts), and both carry on after it is lost.
 */
import { describe, expect, it } from 'vitest';
import { ownParagraph } from '../../server/core/draft.js';
import type { Article, Revision } from '../../server/core/types.js';
import type { ArticleEvent } from '../../server/store/changeFeed.js';
import { openStores, type OpenedStores } from '../../server/store/open.js';
import { LISTENER_APPLICATION } from '../../server/store/pg/pgListener.js';
import type { PgSignals, Topic } from '../../server/store/pg/pgSignals.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import { hashSecret, type User } from '../../server/store/userStore.js';
import { tempDir } from '../support/app.js';
import { postgresForFile } from '../support/postgres.js';

const postgres = postgresForFile('pgSignals');

/** Two app instances on one new database; both are closed after `test`. */
async function twoInstances(test: (a: OpenedStores, b: OpenedStores) => Promise<void>): Promise<void> {
  const db = await postgres.database();
  const a = await openStores(await tempDir(), { DATABASE_URL: db.url });
  try {
    const b = await openStores(await tempDir(), { DATABASE_URL: db.url });
    try {
      await test(a, b);
    } finally {
      await b.store.close();
    }
  } finally {
    await a.store.close();
  }
}

const poolOf = (stores: OpenedStores) => (stores.store as PgStore).pool;

/** The sessions of this database that LISTEN, by application name. */
async function listeningSessions(stores: OpenedStores): Promise<Array<{ application_name: string; n: number }>> {
  const { rows } = await poolOf(stores).query<{ application_name: string; n: number }>(
    "SELECT application_name, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' GROUP BY 1",
  );
  return rows;
}

/** Cuts every listening connection on the database, as a server restart would. */
async function cutListeners(stores: OpenedStores): Promise<void> {
  await poolOf(stores).query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LISTENER_APPLICATION]);
}

function signalsOf(stores: OpenedStores): PgSignals {
  const signals = (stores.store as PgStore).signals;
  if (!signals) throw new Error('no signals');
  return signals;
}

/** Counts the statements sent on the instance's pool. */
function countQueries(stores: OpenedStores): { readonly n: number } {
  const pool = (stores.store as PgStore).pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const counter = { n: 0 };
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    counter.n++;
    return query(...args);
  };
  return counter;
}

async function until(what: string, test: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits for the next notification of `topic` (or a reconnection) to reach `signals`. */
async function nextSignal(signals: PgSignals, topic: Topic, since: number): Promise<void> {
  await until(`a "${topic}" notification`, () => signals.generation(topic) !== since && signals.live);
}

/** Waits until no notification of `topic` came for a while (several commits, each its own notification). */
async function quiet(signals: PgSignals, topic: Topic): Promise<void> {
  let last = signals.generation(topic);
  let since = Date.now();
  await until('quiet', () => {
    if (signals.generation(topic) !== last) [last, since] = [signals.generation(topic), Date.now()];
    return signals.live && Date.now() - since > 200;
  });
}

function article(id: string): [Article, Revision[]] {
  const at = new Date().toISOString();
  const paragraphs = [{ id: 'p1', index: 0, kind: 'body' as const, source: 'Quelle.', mt: 'Text.', text: 'Text.', status: 'pending' as const, revision: 1 }];
  const a: Article = { id, title: id, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, hasSource: true, hasReference: false, paragraphs, nextParagraph: 2, undo: [] };
  return [a, [{ n: 1, paragraphId: 'p1', action: 'import', author: 'ed', at, text: 'Text.', status: 'pending', diff: { added: 1, removed: 0 }, op: 'import' }]];
}

/** An edit of one paragraph, as the commands make it: its new revision number is the result. */
function edit(paragraphId: string, text: string) {
  return (a: Article) => {
    const p = ownParagraph(a, a.paragraphs.findIndex((q) => q.id === paragraphId));
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    const op = `op-${p.revision}`;
    const revision: Revision = { n: p.revision, paragraphId, action: 'edit', author: 'ed', at: new Date().toISOString(), text, status: 'edited', diff: { added: 1, removed: 1 }, op };
    return { result: p.revision, revisions: [revision] };
  };
}

function editor(username: string, secret: string): User {
  const at = new Date().toISOString();
  return { username, role: 'editor', passwordHash: 'x', createdAt: at, tokens: [{ id: `t-${username}`, name: 'api', hash: hashSecret(secret), createdAt: at }] };
}

describe.skipIf(!!postgres.reason)('invalidation signals between two instances', () => {
  it('cache token lookups until a change anywhere is notified: role, revocation, deletion, plain SQL', () =>
    twoInstances(async (a, b) => {
      const signals = signalsOf(b);
      await signals.start();
      expect(signals.live).toBe(true);
      let seen = signals.generation('users');
      await a.users.createUser(editor('ed', 'secret-ed'));
      await a.users.createUser(editor('fay', 'secret-fay'));
      await nextSignal(signals, 'users', seen);
      await quiet(signals, 'users');
      const queries = countQueries(b);

      expect((await b.users.findUserByToken('secret-ed'))?.role).toBe('editor');
      expect(queries.n).toBe(1);
      expect((await b.users.findUserByToken('secret-ed'))?.role).toBe('editor');
      expect(queries.n).toBe(1);
      // Unknown tokens are not kept.
      expect(await b.users.findUserByToken('nope')).toBeUndefined();
      expect(await b.users.findUserByToken('nope')).toBeUndefined();
      expect(queries.n).toBe(3);

      seen = signals.generation('users');
      await a.users.setRole('ed', 'reviewer');
      await nextSignal(signals, 'users', seen);
      expect((await b.users.findUserByToken('secret-ed'))?.role).toBe('reviewer');

      seen = signals.generation('users');
      expect(await a.users.removeToken('ed', 't-ed')).toBe(true);
      await nextSignal(signals, 'users', seen);
      expect(await b.users.findUserByToken('secret-ed')).toBeUndefined();

      expect((await b.users.findUserByToken('secret-fay'))?.username).toBe('fay');
      seen = signals.generation('users');
      await poolOf(a).query("DELETE FROM users WHERE username = 'fay'");
      await nextSignal(signals, 'users', seen);
      expect(await b.users.findUserByToken('secret-fay')).toBeUndefined();
    }));

  it('count a change the instance makes itself at once, and cache nothing while not listening', async () => {
    const db = await postgres.database();
    const b = await openStores(await tempDir(), { DATABASE_URL: db.url });
    try {
      const signals = signalsOf(b);
      await signals.start();
      await b.users.createUser(editor('gus', 'secret-gus'));
      expect((await b.users.findUserByToken('secret-gus'))?.username).toBe('gus');
      expect(await b.users.removeToken('gus', 't-gus')).toBe(true);
      // No waiting for the notification.
      expect(await b.users.findUserByToken('secret-gus')).toBeUndefined();
      await b.users.addToken('gus', editor('gus', 'secret-gus').tokens[0]!);
      expect((await b.users.findUserByToken('secret-gus'))?.username).toBe('gus');

      // The listening connection is cut: lookups ask the database until it listens again.
      await cutListeners(b);
      await until('the connection loss', () => !signals.live);
      const queries = countQueries(b);
      await b.users.findUserByToken('secret-gus');
      await b.users.findUserByToken('secret-gus');
      expect(queries.n).toBe(2);
      await until('the connection back', () => signals.live);
      await b.users.findUserByToken('secret-gus');
      await b.users.findUserByToken('secret-gus');
      expect(queries.n).toBe(3);
    } finally {
      await b.store.close();
    }
  });

  it('read the glossary revision only after a change was notified', () =>
    twoInstances(async (a, b) => {
      const signals = signalsOf(b);
      await signals.start();
      const before = await b.glossaries.refresh();
      const queries = countQueries(b);
      expect(await b.glossaries.refresh()).toBe(before);
      expect(queries.n).toBe(0);

      const seen = signals.generation('glossaries');
      await a.glossaries.put('corpus', [{ term: 'colour', preferred: 'color' }], { at: new Date().toISOString(), username: 'ed' });
      await nextSignal(signals, 'glossaries', seen);
      const after = await b.glossaries.refresh();
      expect(after).not.toBe(before);
      expect(queries.n).toBe(1);
      expect(await b.glossaries.refresh()).toBe(after);
      expect(queries.n).toBe(1);
    }));

  it('listen on one connection per instance, for the live desk and the signals, and again after losing it', () =>
    twoInstances(async (a, b) => {
      await a.store.createArticle(...article('shared'));
      for (const s of [a, b]) await signalsOf(s).start();
      const events: ArticleEvent[] = [];
      const subscription = await b.store.changes.subscribe('shared', undefined, (e) => events.push(e));
      const notes: unknown[] = [];
      b.store.changes.onNote((n) => notes.push(n));
      await a.store.changes.sendNote({ type: 'presence', articleId: 'shared', username: 'ed', at: new Date().toISOString() });
      await until('the note on B', () => notes.length === 1);
      expect(await listeningSessions(a)).toEqual([{ application_name: LISTENER_APPLICATION, n: 2 }]);

      // Both connections cut: an edit committed meanwhile still reaches B's subscriber, and the caches wait.
      await cutListeners(a);
      await until('the connection loss', () => !signalsOf(a).live && !signalsOf(b).live);
      expect(await a.store.updateArticle('shared', edit('p1', 'While B was deaf.'))).toBe(2);
      await until('the edit on B', () => events.length === 1);
      expect(events[0]).toMatchObject({ articleId: 'shared', paragraphId: 'p1', revision: 2, action: 'edit' });
      await until('both connections back', () => signalsOf(a).live && signalsOf(b).live);
      expect(await listeningSessions(a)).toEqual([{ application_name: LISTENER_APPLICATION, n: 2 }]);
      expect(await a.store.updateArticle('shared', edit('p1', 'Heard live.'))).toBe(3);
      await until('the second edit on B', () => events.length === 2);
      expect(events[1]).toMatchObject({ paragraphId: 'p1', revision: 3 });
      subscription.close();
    }));
});
