/**
 * `npm run migrate`: a lowdb data directory → PostgreSQL → a new lowdb directory gives back the same
 * articles, histories, suggestions, users and sessions; refusals are one line with exit 1.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../server/boot.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { importArticle } from '../../server/commands/importArticle.js';
import { importFile } from '../../server/commands/importFiles.js';
import { commentParagraph } from '../../server/commands/reviewParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { addUser, createToken, openSession } from '../../server/commands/users.js';
import type { Actor } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { LowdbStore } from '../../server/store/lowdbStore.js';
import { LowdbUserStore } from '../../server/store/userStore.js';
import { corpusDir, repoRoot, seedPath, tempDir } from '../support/app.js';
import { pgForTests, pgSkipReason, type PgForTests } from '../support/postgres.js';

const reason = pgSkipReason();
if (reason) console.warn(`migrate CLI: skipped: ${reason}`);

let pg: PgForTests | undefined;
beforeAll(async () => {
  if (!reason) pg = await pgForTests();
});
afterAll(async () => pg?.close());

function runMigrate(args: string[], databaseUrl: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('server', 'cli', 'migrate.ts'), ...args], {
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

/** A lowdb data directory with some history: two articles, edits, suggestions, comments, users, a session. */
async function desk(): Promise<string> {
  const dir = await tempDir('postedit-lowdb-');
  const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine(), env: {} });
  const { article } = await importArticle(services, { text: await readFile(seedPath, 'utf8'), origin: 'baoan-smart-wearables.en.txt', actor: admin });
  await importFile(services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19800.en.txt'), admin);
  for (const pid of ['p4', 'p10']) await suggestParagraph(services, { articleId: article.id, paragraphId: pid, actor: admin });
  const p = await editParagraph(services, { articleId: article.id, paragraphId: 'p5', baseRevision: 1, actor: admin, text: 'An editor\'s "own" wording — ünïcødé, 🎉.' });
  await editParagraph(services, { articleId: article.id, paragraphId: 'p5', baseRevision: p.revision, actor: admin, text: 'A second wording.' });
  await commentParagraph(services, { articleId: article.id, paragraphId: 'p6', actor: admin, text: 'Check the figure.' });
  await addUser(services.users, { username: 'admin', password: 'password-admin', role: 'admin' });
  await addUser(services.users, { username: 'ed', password: 'password-ed', role: 'editor' });
  await createToken(services.users, 'ed', 'script');
  await openSession(services.users, 'ed');
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
  return { articles, users, sessions };
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

    const back = join(await tempDir(), 'copy');
    const out = await runMigrate(['--to-lowdb', back], db.url);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout.replace(/^.*\n/, '').replace(/copied .*\n/, '')).toBe(into.stdout.replace(/^.*\n/, '').replace(/copied .*\n/, ''));

    const before = await snapshot(source);
    const after = await snapshot(back);
    expect(after).toEqual(before);
    expect(before.articles.map((a) => a.history.length)).toEqual([22, 10]);
    expect(before.articles[0]!.suggestions).toHaveLength(2);
    expect(after.articles[0]!.article!.paragraphs.find((p) => p.id === 'p5')!.text).toBe('A second wording.');
  });

  it('refuses, in one line with exit 1, to copy into a database that holds data or into a directory that is not empty', async () => {
    const source = await desk();
    const db = await pg!.database();
    expect((await runMigrate(['--from-lowdb', source], db.url)).status).toBe(0);

    const again = await runMigrate(['--from-lowdb', source], db.url);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('error: the database already holds 2 article(s) and 2 user(s): copy into an empty database\n');

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
});
