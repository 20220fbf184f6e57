/**
 * Moving a desk's data between a lowdb data directory and PostgreSQL (`npm run migrate`).
 *
 * What moves: articles with their whole history and every suggestion; users with their API tokens;
 * live sessions; batch runs with their results logs (DATA_DIR/runs); uploaded glossaries
 * (DATA_DIR/glossaries.json). Not moved: the work queue of `npm run worker` (run_tasks, which lowdb
 * does not have: a run the workers were executing is copied without an owner, so it shows as
 * interrupted and can be resumed), process heartbeats and login rate-limit counts.
 *
 * Each direction refuses a target that already holds data, copies everything (into PostgreSQL: in one
 * transaction, so a failure leaves the database empty; out of it: from one consistent snapshot), then
 * counts both sides afresh and reports a difference as an error.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { Article, Revision, Suggestion } from '../../core/types.js';
import { appendLines } from '../appendLog.js';
import { LowdbGlossaryStore } from '../glossaryStore.js';
import { LowdbStore } from '../lowdbStore.js';
import { LowdbRunStore, type Run, type RunResult } from '../runStore.js';
import { LowdbUserStore, type Session } from '../userStore.js';
import { transaction, type Queryable } from './database.js';
import { PgGlossaryStore } from './pgGlossaryStore.js';
import { WORKER_OWNER } from './pgRunStore.js';
import { PgStore, readArticle } from './pgStore.js';
import { PgUserStore } from './pgUserStore.js';

export interface DataCounts {
  articles: number;
  revisions: number;
  suggestions: number;
  users: number;
  tokens: number;
  /** Live (unexpired) sessions. */
  sessions: number;
  runs: number;
  /** Lines of the runs' results logs (one per finished paragraph). */
  runResults: number;
  /** Uploaded glossaries (the corpus one and one per article that has one). */
  glossaries: number;
  glossaryEntries: number;
}

export const COUNT_NAMES: Array<keyof DataCounts> = [
  'articles', 'revisions', 'suggestions', 'users', 'tokens', 'sessions', 'runs', 'runResults', 'glossaries', 'glossaryEntries',
];

/** How the counts are named in the command's report. */
export const COUNT_LABELS: Record<keyof DataCounts, string> = {
  articles: 'articles',
  revisions: 'revisions',
  suggestions: 'suggestions',
  users: 'users',
  tokens: 'tokens',
  sessions: 'sessions',
  runs: 'runs',
  runResults: 'run results',
  glossaries: 'glossaries',
  glossaryEntries: 'glossary entries',
};

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
  const counts: DataCounts = {
    articles: 0, revisions: 0, suggestions: 0, users: users.length, tokens: 0, sessions: 0, runs: 0, runResults: 0, glossaries: 0, glossaryEntries: 0,
  };
  for (const a of await store.listArticles()) {
    counts.articles++;
    counts.revisions += (await store.history(a.id)).length;
    counts.suggestions += (await store.suggestions(a.id)).length;
  }
  counts.tokens = users.reduce((n, u) => n + u.tokens.length, 0);
  counts.sessions = (await lowdbSessions(dir, new Set(users.map((u) => u.username)))).length;
  await store.close();
  const runs = await LowdbRunStore.open(dir);
  for (const run of await runs.listRuns()) {
    counts.runs++;
    counts.runResults += (await runs.results(run.id)).length;
  }
  await runs.close();
  const glossaries = await (await LowdbGlossaryStore.open(dir)).list();
  counts.glossaries = glossaries.length;
  counts.glossaryEntries = glossaries.reduce((n, g) => n + g.entries.length, 0);
  return counts;
}

async function countPgRuns(db: Queryable): Promise<Pick<DataCounts, 'runs' | 'runResults'>> {
  const { rows } = await db.query<Pick<DataCounts, 'runs' | 'runResults'>>(
    'SELECT (SELECT count(*) FROM runs)::int AS runs, (SELECT count(*) FROM run_results)::int AS "runResults"',
  );
  return rows[0]!;
}

export async function countPg(pool: Pool): Promise<DataCounts> {
  const store = new PgStore(pool, { ownsPool: false });
  return {
    ...(await store.counts()),
    ...(await new PgUserStore(pool).counts()),
    ...(await countPgRuns(pool)),
    ...(await new PgGlossaryStore(pool).counts()),
  };
}

/** A run as the runs table stores it (see PgRunStore): who executes it is a column of its own. */
async function insertRun(db: Queryable, run: Run, results: RunResult[]): Promise<void> {
  const executor = run.owner?.instance === WORKER_OWNER.instance ? 'workers' : 'process';
  await db.query('INSERT INTO runs (id, started_at, status, executor, data) VALUES ($1, $2, $3, $4, $5::json)', [
    run.id, run.startedAt, run.status, executor, JSON.stringify(run),
  ]);
  if (results.length === 0) return;
  await db.query(
    `INSERT INTO run_results (run_id, article_id, paragraph_id, data)
     SELECT $1, r.article_id, r.paragraph_id, r.data::json
     FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(article_id, paragraph_id, data, i) ORDER BY r.i`,
    [run.id, results.map((r) => r.articleId), results.map((r) => r.paragraphId), results.map((r) => JSON.stringify(r))],
  );
}

function differences(source: DataCounts, target: DataCounts): string[] {
  return COUNT_NAMES.filter((k) => source[k] !== target[k]).map((k) => `${COUNT_LABELS[k]} ${source[k]} → ${target[k]}`);
}

/** "2 article(s), 1 run(s) and 3 uploaded glossary(-ies)": what a database holds that a copy would collide with. */
function holdings(counts: DataCounts): string {
  const parts = [
    [counts.articles, 'article(s)'],
    [counts.users, 'user(s)'],
    [counts.runs, 'run(s)'],
    [counts.glossaries, 'uploaded glossary(-ies)'],
  ].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'nothing');
}

/** Copies a lowdb data directory into an empty PostgreSQL database. */
export async function copyLowdbToPg(dir: string, pool: Pool): Promise<TransferReport> {
  const before = await countPg(pool);
  if (before.articles || before.users || before.runs || before.glossaries) {
    throw new TransferError(`the database already holds ${holdings(before)}: copy into an empty database`);
  }
  const lowdb = await LowdbStore.open(dir);
  const lowUsers = await LowdbUserStore.open(dir);
  const lowRuns = await LowdbRunStore.open(dir);
  const lowGlossaries = await LowdbGlossaryStore.open(dir);
  const source = await countLowdb(dir);
  const pgStore = new PgStore(pool, { ownsPool: false });
  const pgUsers = new PgUserStore(pool);
  const pgGlossaries = new PgGlossaryStore(pool);
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
    for (const run of (await lowRuns.listRuns()).reverse()) {
      try {
        await insertRun(c, run, await lowRuns.results(run.id));
      } catch (e) {
        throw new TransferError(`run "${run.id}": ${(e as Error).message}`);
      }
    }
    for (const glossary of await lowGlossaries.list()) {
      try {
        await pgGlossaries.restore(glossary, c);
      } catch (e) {
        throw new TransferError(`glossary "${glossary.scope}": ${(e as Error).message}`);
      }
    }
  });
  await lowRuns.close();
  await lowdb.close();
  const target = await countPg(pool);
  const diff = differences(source, target);
  if (diff.length) throw new TransferError(`counts differ after copying (lowdb → PostgreSQL): ${diff.join(', ')}`);
  // The planner's statistics now, not when autovacuum comes round (up to a minute or so): until then
  // the desk's writes ran at about twice their latency under load (bench/RESULTS.md, session 19).
  await pool.query('ANALYZE');
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
  const lowRuns = await LowdbRunStore.open(dir);
  const lowGlossaries = await LowdbGlossaryStore.open(dir);
  const client = await pool.connect();
  let source: DataCounts;
  try {
    // One snapshot: instances may keep working while the copy is made.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: ids } = await client.query<{ id: string }>('SELECT id FROM articles ORDER BY seq');
    source = {
      articles: ids.length, revisions: 0, suggestions: 0, users: 0, tokens: 0, sessions: 0, runs: 0, runResults: 0, glossaries: 0, glossaryEntries: 0,
    };
    for (const { id } of ids) {
      // Read in the snapshot: the article was there when the ids were listed.
      const article = (await readArticle(client, id))!;
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

    const { rows: runs } = await client.query<{ data: Run }>('SELECT data FROM runs ORDER BY started_at, id');
    for (const { data: run } of runs) {
      const { rows: results } = await client.query<{ data: RunResult }>('SELECT data FROM run_results WHERE run_id = $1 ORDER BY seq', [run.id]);
      // lowdb has no worker queue: a run the workers were executing is left without an owner
      // (interrupted, resumable by the app) rather than waiting for workers that will never come.
      if (run.owner?.instance === WORKER_OWNER.instance) delete run.owner;
      await lowRuns.createRun(run);
      await appendLines(join(lowRuns.dir, `${run.id}.results.jsonl`), results.map((r) => r.data));
      source.runs++;
      source.runResults += results.length;
    }

    const glossaries = await new PgGlossaryStore(pool, client).list();
    for (const glossary of glossaries) await lowGlossaries.restore(glossary);
    source.glossaries = glossaries.length;
    source.glossaryEntries = glossaries.reduce((n, g) => n + g.entries.length, 0);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  await lowRuns.close();
  await lowdb.close();
  const target = await countLowdb(dir);
  const diff = differences(source, target);
  if (diff.length) throw new TransferError(`counts differ after copying (PostgreSQL → lowdb): ${diff.join(', ')}`);
  return { source, target };
}
