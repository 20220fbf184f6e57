/**
 * `npm run migrate`: a lowdb data directory → PostgreSQL → a new lowdb directory gives back the same
 * articles, histories, suggestions, users, sessions, batch runs with their results, and uploaded
 * glossaries; refusals are one line with exit 1.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../server/boot.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { importArticle } from '../../server/commands/importArticle.js';
import { importFile } from '../../server/interchange/importFiles.js';
import { commentParagraph } from '../../server/commands/reviewParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { addUser, createToken, openSession } from '../../server/commands/users.js';
import type { Actor } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { ActiveRuns } from '../../server/runs/activeRuns.js';
import { runBatch } from '../../server/runs/runBatch.js';
import { prepareRun } from '../../server/runs/startRun.js';
import { articleScope, CORPUS_SCOPE, LowdbGlossaryStore } from '../../server/store/glossaryStore.js';
import { LowdbStore } from '../../server/store/lowdbStore.js';
import { openPool } from '../../server/store/pg/database.js';
import { PgGlossaryStore } from '../../server/store/pg/pgGlossaryStore.js';
import { migrate } from '../../server/store/pg/migrate.js';
import { PgRunStore, WORKER_OWNER } from '../../server/store/pg/pgRunStore.js';
import { interrupted, LowdbRunStore, type Run } from '../../server/store/runStore.js';
import { LowdbUserStore } from '../../server/store/userStore.js';
import { corpusDir, repoRoot, seedPath, tempDir } from '../support/app.js';
import { pgForTests, pgSkipReason, type PgForTests } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

const reason = pgSkipReason();
if (reason) console.warn(`migrate CLI: skipped: ${reason}`);

let pg: PgForTests | undefined;
beforeAll(async () => {
  if (!reason) pg = await pgForTests();
});
afterAll(async () => pg?.close());

function runMigrate(args: string[], databaseUrl: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entryArgs(join('server', 'cli', 'migrate.ts')), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const admin: Actor = { username: 'admin', role: 'admin' };

/**
 * A lowdb data directory with some history: two articles, edits, suggestions, comments, users, a
 * session, uploaded glossaries (corpus and one article's) and a finished batch run over the second article.
 */
async function desk(): Promise<string> {
  const dir = await tempDir('postedit-lowdb-');
  const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine(), env: {} });
  const { article } = await importArticle(services, { text: await readFile(seedPath, 'utf8'), origin: 'baoan-smart-wearables.en.txt', actor: admin });
  const wmt = await importFile(services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19800.en.txt'), admin);
  const by = { at: '2025-02-03T04:05:06.789Z', username: 'admin' };
  await services.glossaries.put(CORPUS_SCOPE, [{ term: 'League', preferred: 'alliance', note: 'Uploaded — "house" style 🎉' }, { term: 'peach blossom source', preferred: 'Taoyuan' }], by);
  await services.glossaries.put(articleScope(article.id), [{ term: 'Harper Intelligent Technology', preferred: 'Harper Smart Technology' }], { ...by, username: 'ed' });
  for (const pid of ['p4', 'p10']) await suggestParagraph(services, { articleId: article.id, paragraphId: pid, actor: admin });
  const p = await editParagraph(services, { articleId: article.id, paragraphId: 'p5', baseRevision: 1, actor: admin, text: 'An editor\'s "own" wording — ünïcødé, 🎉.' });
  await editParagraph(services, { articleId: article.id, paragraphId: 'p5', baseRevision: p.revision, actor: admin, text: 'A second wording.' });
  await commentParagraph(services, { articleId: article.id, paragraphId: 'p6', actor: admin, text: 'Check the figure.' });
  await addUser(services.users, { username: 'admin', password: 'password-admin', role: 'admin' });
  await addUser(services.users, { username: 'ed', password: 'password-ed', role: 'editor' });
  await createToken(services.users, 'ed', 'script');
  await openSession(services.users, 'ed');
  const runStore = await LowdbRunStore.open(dir);
  const ctx = { services, runStore, active: new ActiveRuns(), engineFor: () => new OfflineEngine() };
  const { run, engine } = await prepareRun(ctx, { articles: [wmt.article.id], engine: 'offline', level: 'minimal', actor: admin });
  expect(await runBatch({ services, runStore, runId: run.id, engine })).toMatchObject({ status: 'finished', counts: { failed: 0 } });
  await runStore.close();
  await services.store.close();
  return dir;
}

async function snapshot(dir: string) {
  const store = await LowdbStore.open(dir);
  const articles = [];
  for (const s of await store.listArticles()) {
    articles.push({ summary: s, article: await store.getArticle(s.id), history: await store.history(s.id), suggestions: await store.suggestions(s.id) });
  }
  await store.close();
  const users = await (await LowdbUserStore.open(dir)).listUsers();
  const sessions = (JSON.parse(await readFile(join(dir, 'users.json'), 'utf8')) as { sessions: unknown[] }).sessions;
  const runStore = await LowdbRunStore.open(dir);
  const runs = [];
  for (const run of await runStore.listRuns()) runs.push({ run, results: await runStore.results(run.id) });
  await runStore.close();
  const glossaries = await (await LowdbGlossaryStore.open(dir)).list();
  return { articles, users, sessions, runs, glossaries };
}

describe.skipIf(!!reason)('npm run migrate', () => {
  it('copies lowdb → PostgreSQL → lowdb with equal counts and texts', async () => {
    const source = await desk();
    const db = await pg!.database();

    const into = await runMigrate(['--from-lowdb', source], db.url);
    expect(into.stderr).toBe('');
    expect(into.status).toBe(0);
    expect(into.stdout).toMatch(/applied schema migration\(s\) 1/);
    expect(into.stdout).toMatch(/articles\s+2\n/);
    expect(into.stdout).toMatch(/users\s+2\n\s+tokens\s+1\n\s+sessions\s+1\n/);
    expect(into.stdout).toMatch(/\n\s+runs\s+1\n\s+run results\s+10\n\s+glossaries\s+2\n\s+glossary entries\s+3\n/);
    expect(into.stdout).not.toMatch(/not copied/);
    // The copy is analysed for the query planner at once (reltuples is -1 until a table is analysed).
    const pool = openPool(db.url);
    try {
      const planned = await pool.query<{ relname: string; reltuples: number }>(`SELECT relname, reltuples FROM pg_class WHERE relname IN ('article_paragraphs', 'revisions') ORDER BY relname`);
      expect(planned.rows.map((r) => [r.relname, r.reltuples > 0])).toEqual([['article_paragraphs', true], ['revisions', true]]);
    } finally {
      await pool.end();
    }

    const back = join(await tempDir(), 'copy');
    const out = await runMigrate(['--to-lowdb', back], db.url);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout.replace(/^.*\n/, '').replace(/copied .*\n/, '')).toBe(into.stdout.replace(/^.*\n/, '').replace(/copied .*\n/, ''));

    const before = await snapshot(source);
    const after = await snapshot(back);
    expect(after).toEqual(before);
    // The second article: 10 imported paragraphs, and a `suggest` revision for each from the run.
    expect(before.articles.map((a) => a.history.length)).toEqual([22, 20]);
    expect(before.articles[0]!.suggestions).toHaveLength(2);
    expect(after.articles[0]!.article!.paragraphs.find((p) => p.id === 'p5')!.text).toBe('A second wording.');
    // The run, its results log and the suggestions it made, and both uploaded glossaries came through.
    expect(after.runs).toHaveLength(1);
    expect(after.runs[0]!.run).toMatchObject({ status: 'finished', engine: 'offline', articles: [before.articles[1]!.summary.id] });
    expect(after.runs[0]!.results.map((r) => r.paragraphId)).toEqual(before.runs[0]!.results.map((r) => r.paragraphId));
    expect(after.articles[1]!.suggestions.filter((x) => x.runId === after.runs[0]!.run.id)).toHaveLength(after.runs[0]!.results.filter((r) => r.status === 'done').length);
    expect(after.glossaries.map((g) => [g.scope, g.entries.length, g.updatedBy])).toEqual([['corpus', 2, 'admin'], [`article:${before.articles[0]!.summary.id}`, 1, 'ed']]);
    expect(after.glossaries[0]!.entries[0]!.note).toBe('Uploaded — "house" style 🎉');
  });

  it('puts runs and glossaries where the app reads them on PostgreSQL', async () => {
    const source = await desk();
    const db = await pg!.database();
    expect((await runMigrate(['--from-lowdb', source], db.url)).status).toBe(0);
    const lowRuns = await LowdbRunStore.open(source);
    const [lowRun] = await lowRuns.listRuns();
    const pool = openPool(db.url, { max: 2 });
    const runs = await PgRunStore.open(pool);
    try {
      expect(await runs.listRuns()).toEqual([lowRun]);
      expect(await runs.results(lowRun!.id)).toEqual(await lowRuns.results(lowRun!.id));
      const glossaries = await PgGlossaryStore.open(pool);
      expect(await glossaries.list()).toEqual(await (await LowdbGlossaryStore.open(source)).list());
      expect((await glossaries.get(CORPUS_SCOPE)).map((e) => e.preferred)).toEqual(['alliance', 'Taoyuan']);
    } finally {
      await runs.close();
      await lowRuns.close();
      await pool.end();
    }
  });

  it('copies a run the workers were executing back to lowdb without an owner (interrupted, resumable), with its results', async () => {
    const db = await pg!.database();
    const pool = openPool(db.url, { max: 2 });
    await migrate(pool);
    const runs = await PgRunStore.open(pool);
    const run: Run = {
      id: 'run-20250203-040506-wk01', engine: 'offline', model: 'offline', promptVersion: 'v', promptHash: 'h', level: 'minimal', params: { concurrency: 2 },
      articles: ['a'], mode: 'rewrite', startedAt: '2025-02-03T04:05:06.000Z', status: 'running', counts: { total: 3, done: 1, failed: 0, skipped: 0 },
      tokens: { prompt: 0, completion: 0 }, errors: [], startedBy: 'admin', owner: WORKER_OWNER,
    };
    try {
      await runs.createRun(run);
      await runs.enqueueTasks(run.id, ['p1', 'p2', 'p3'].map((paragraphId) => ({ articleId: 'a', paragraphId })));
      await runs.appendResult(run.id, { articleId: 'a', paragraphId: 'p1', status: 'done', suggestionId: 's-1', ms: 12 });
    } finally {
      await runs.close();
      await pool.end();
    }
    const back = join(await tempDir(), 'copy');
    const out = await runMigrate(['--to-lowdb', back], db.url);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/\n\s+runs\s+1\n\s+run results\s+1\n/);
    const lowRuns = await LowdbRunStore.open(back);
    const copied = (await lowRuns.getRun(run.id))!;
    const { owner: _owner, ...rest } = run;
    expect(copied).toEqual(rest);
    expect(interrupted(copied)).toBe(true);
    expect(await lowRuns.results(run.id)).toEqual([{ articleId: 'a', paragraphId: 'p1', status: 'done', suggestionId: 's-1', ms: 12 }]);
    await lowRuns.close();
  });

  it('refuses, in one line with exit 1, to copy into a database that holds data or into a directory that is not empty', async () => {
    const source = await desk();
    const db = await pg!.database();
    expect((await runMigrate(['--from-lowdb', source], db.url)).status).toBe(0);

    const again = await runMigrate(['--from-lowdb', source], db.url);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('error: the database already holds 2 article(s), 2 user(s), 1 run(s) and 2 uploaded glossary(-ies): copy into an empty database\n');

    // A database that holds nothing but an uploaded glossary is not empty either.
    const other = await pg!.database();
    const pool = openPool(other.url, { max: 1 });
    try {
      await migrate(pool);
      await (await PgGlossaryStore.open(pool)).put(CORPUS_SCOPE, [{ term: 'a', preferred: 'b' }], { at: new Date().toISOString(), username: 'admin' });
    } finally {
      await pool.end();
    }
    const glossaryOnly = await runMigrate(['--from-lowdb', source], other.url);
    expect(glossaryOnly.status).toBe(1);
    expect(glossaryOnly.stderr).toBe('error: the database already holds 1 uploaded glossary(-ies): copy into an empty database\n');

    const full = await tempDir();
    await writeFile(join(full, 'catalog.json'), '{}');
    const out = await runMigrate(['--to-lowdb', full], db.url);
    expect(out.status).toBe(1);
    expect(out.stderr).toBe(`error: ${full} is not empty: give a new or empty directory\n`);
  });

  it('leaves the database empty when an article cannot be copied (duplicate content), and says which', async () => {
    const source = await desk();
    // Two articles with the same text: lowdb does not refuse it, PostgreSQL does.
    const store = await LowdbStore.open(source);
    const first = (await store.getArticle((await store.listArticles())[0]!.id))!;
    await store.createArticle({ ...first, id: 'twin' }, await store.history(first.id));
    await store.close();
    const db = await pg!.database();
    const r = await runMigrate(['--from-lowdb', source], db.url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: article "twin": an article with the same text exists \("baoan-smart-wearables-en"\)\n$/);
    const retry = await runMigrate(['--from-lowdb', await desk()], db.url);
    expect(retry.status).toBe(0);
  });

  it('leaves the database empty when a glossary, copied last, cannot be stored', async () => {
    const source = await desk();
    const file = join(source, 'glossaries.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { glossaries: Array<{ updatedAt: string }> };
    data.glossaries[1]!.updatedAt = 'the day before yesterday';
    await writeFile(file, JSON.stringify(data));
    const db = await pg!.database();
    const r = await runMigrate(['--from-lowdb', source], db.url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: glossary "article:baoan-smart-wearables-en": invalid input syntax for type timestamp with time zone/);
    // Nothing of the articles, users, runs or the first glossary stayed behind: a good copy goes in.
    const retry = await runMigrate(['--from-lowdb', await desk()], db.url);
    expect(retry.stderr).toBe('');
    expect(retry.status).toBe(0);
  });
});
