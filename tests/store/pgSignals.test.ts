/**
 * Cached token lookups and glossary revisions on PostgreSQL (server/store/pg/pgSignals.ts): an instance
 * answers them from memory while it listens, and a change made anywhere — another instance, plain SQL —
 * reaches it with the notification its commit sends; a change it makes itself counts at once; while
 * it does not listen, every lookup asks the database.
 */
import { describe, expect, it } from 'vitest';
import { openStores, type OpenedStores } from '../../server/store/open.js';
import type { PgSignals, Topic } from '../../server/store/pg/pgSignals.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import { hashSecret, type User } from '../../server/store/userStore.js';
import { tempDir } from '../support/app.js';
import { postgresForFile } from '../support/postgres.js';

const postgres = postgresForFile('pgSignals');

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

function editor(username: string, secret: string): User {
  const at = new Date().toISOString();
  return { username, role: 'editor', passwordHash: 'x', createdAt: at, tokens: [{ id: `t-${username}`, name: 'api', hash: hashSecret(secret), createdAt: at }] };
}

describe.skipIf(!!postgres.reason)('invalidation signals between two instances', () => {
  it('cache token lookups until a change anywhere is notified: role, revocation, deletion, plain SQL', async () => {
    const db = await postgres.database();
    const a = await openStores(await tempDir(), { DATABASE_URL: db.url });
    const b = await openStores(await tempDir(), { DATABASE_URL: db.url });
    try {
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
      await (a.store as PgStore).pool.query("DELETE FROM users WHERE username = 'fay'");
      await nextSignal(signals, 'users', seen);
      expect(await b.users.findUserByToken('secret-fay')).toBeUndefined();
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });

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
      const pool = (b.store as PgStore).pool;
      await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'postedit-signals' AND datname = current_database()");
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

  it('read the glossary revision only after a change was notified', async () => {
    const db = await postgres.database();
    const a = await openStores(await tempDir(), { DATABASE_URL: db.url });
    const b = await openStores(await tempDir(), { DATABASE_URL: db.url });
    try {
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
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });
});
