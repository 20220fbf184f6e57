/**
 * Moving a desk's data between a lowdb data directory and PostgreSQL (`npm run migrate`).
 *
 * What moves: articles with their whole history and every suggestion; users with their API tokens;
 * live sessions. What stays in the data directory: batch runs (DATA_DIR/runs) and uploaded glossaries
 * (DATA_DIR/glossaries.json), which are not in PostgreSQL yet.
 *
 * Each direction refuses a target that already holds data, copies everything (into PostgreSQL: in one
 * transaction, so a failure leaves the database empty; out of it: from one consistent snapshot), then
 * counts both sides afresh and reports a difference as an error.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { Article, Revision, Suggestion } from '../../core/types.js';
import { LowdbStore } from '../lowdbStore.js';
import { LowdbUserStore, type Session } from '../userStore.js';
import { transaction } from './database.js';
import { PgStore } from './pgStore.js';
import { PgUserStore } from './pgUserStore.js';

export interface DataCounts {
  articles: number;
  revisions: number;
  suggestions: number;
  users: number;
  tokens: number;
  /** Live (unexpired) sessions. */
  sessions: number;
}

export const COUNT_NAMES: Array<keyof DataCounts> = ['articles', 'revisions', 'suggestions', 'users', 'tokens', 'sessions'];

export interface TransferReport {
  source: DataCounts;
  target: DataCounts;
}

export class TransferError extends Error {}

/** Live sessions of existing users in a lowdb data directory (the UserStore interface does not list them). */
async function lowdbSessions(dir: string, usernames: Set<string>): Promise<Session[]> {
  let raw: string;
  try {
    raw = await readFile(join(dir, 'users.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const now = new Date().toISOString();
  const sessions = (JSON.parse(raw) as { sessions?: Session[] }).sessions ?? [];
  return sessions.filter((s) => s.expiresAt > now && usernames.has(s.username));
}

/** Counts what a lowdb data directory holds, read afresh from its files. */
export async function countLowdb(dir: string): Promise<DataCounts> {
  const store = await LowdbStore.open(dir);
  const users = await (await LowdbUserStore.open(dir)).listUsers();
  const counts: DataCounts = { articles: 0, revisions: 0, suggestions: 0, users: users.length, tokens: 0, sessions: 0 };
  for (const a of await store.listArticles()) {
    counts.articles++;
    counts.revisions += (await store.history(a.id)).length;
    counts.suggestions += (await store.suggestions(a.id)).length;
  }
  counts.tokens = users.reduce((n, u) => n + u.tokens.length, 0);
  counts.sessions = (await lowdbSessions(dir, new Set(users.map((u) => u.username)))).length;
  await store.close();
  return counts;
}

export async function countPg(pool: Pool): Promise<DataCounts> {
  const store = new PgStore(pool, { ownsPool: false });
  return { ...(await store.counts()), ...(await new PgUserStore(pool).counts()) };
}

function differences(source: DataCounts, target: DataCounts): string[] {
  return COUNT_NAMES.filter((k) => source[k] !== target[k]).map((k) => `${k} ${source[k]} → ${target[k]}`);
}

/** Copies a lowdb data directory into an empty PostgreSQL database. */
export async function copyLowdbToPg(dir: string, pool: Pool): Promise<TransferReport> {
  const before = await countPg(pool);
  if (before.articles || before.users) {
    throw new TransferError(`the database already holds ${before.articles} article(s) and ${before.users} user(s): copy into an empty database`);
  }
  const lowdb = await LowdbStore.open(dir);
  const lowUsers = await LowdbUserStore.open(dir);
  const source = await countLowdb(dir);
  const pgStore = new PgStore(pool, { ownsPool: false });
  const pgUsers = new PgUserStore(pool);
  await transaction(pool, async (c) => {
    for (const summary of await lowdb.listArticles()) {
      const article = (await lowdb.getArticle(summary.id))!;
      try {
        await pgStore.restoreArticle(article, await lowdb.history(article.id), await lowdb.suggestions(article.id), c);
      } catch (e) {
        throw new TransferError(`article "${article.id}": ${(e as Error).message}`);
      }
    }
    const users = await lowUsers.listUsers();
    for (const user of users) await pgUsers.saveUser(user, c);
    for (const session of await lowdbSessions(dir, new Set(users.map((u) => u.username)))) await pgUsers.createSession(session, c);
  });
  await lowdb.close();
  const target = await countPg(pool);
  const diff = differences(source, target);
  if (diff.length) throw new TransferError(`counts differ after copying (lowdb → PostgreSQL): ${diff.join(', ')}`);
  return { source, target };
}

/** Writes the PostgreSQL database's content into a new (or empty) lowdb data directory. */
export async function copyPgToLowdb(pool: Pool, dir: string): Promise<TransferReport> {
  const existing = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  if (existing.length) throw new TransferError(`${dir} is not empty: give a new or empty directory`);
  const lowdb = await LowdbStore.open(dir);
  const lowUsers = await LowdbUserStore.open(dir);
  const client = await pool.connect();
  let source: DataCounts;
  try {
    // One snapshot: instances may keep working while the copy is made.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: articles } = await client.query<{ data: Article }>('SELECT data FROM articles ORDER BY seq');
    source = { articles: articles.length, revisions: 0, suggestions: 0, users: 0, tokens: 0, sessions: 0 };
    for (const { data: article } of articles) {
      const { rows: revisions } = await client.query<{ data: Revision }>('SELECT data FROM revisions WHERE article_id = $1 ORDER BY seq', [article.id]);
      const { rows: suggestions } = await client.query<{ data: Suggestion }>('SELECT data FROM suggestions WHERE article_id = $1 ORDER BY seq', [article.id]);
      await lowdb.createArticle(article, revisions.map((r) => r.data));
      if (suggestions.length) await lowdb.updateArticle(article.id, () => ({ result: undefined, revisions: [], suggestions: suggestions.map((s) => s.data) }));
      source.revisions += revisions.length;
      source.suggestions += suggestions.length;
    }
    const snapshot = new PgUserStore(pool, client);
    const users = await snapshot.listUsers();
    for (const user of users) await lowUsers.saveUser(user);
    const sessions = await snapshot.listSessions();
    for (const session of sessions) await lowUsers.createSession(session);
    source.users = users.length;
    source.tokens = users.reduce((n, u) => n + u.tokens.length, 0);
    source.sessions = sessions.length;
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  await lowdb.close();
  const target = await countLowdb(dir);
  const diff = differences(source, target);
  if (diff.length) throw new TransferError(`counts differ after copying (PostgreSQL → lowdb): ${diff.join(', ')}`);
  return { source, target };
}
