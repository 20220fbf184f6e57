/**
 * Shared batch work on PostgreSQL: workers claim paragraphs from run_tasks (FOR UPDATE SKIP LOCKED),
 * two workers never do one paragraph twice, a killed worker's claims are taken over after the lease,
 * and a run started on one app instance is followed on another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { ActiveRuns, type RunContext } from '../../server/runs/activeRuns.js';
import { runWorker, startSharedRun, stopSharedRun, type WorkerOptions } from '../../server/runs/worker.js';
import { openRunStore } from '../../server/store/open.js';
import { PgRunStore, roundRobin } from '../../server/store/pg/pgRunStore.js';
import type { Run } from '../../server/store/runStore.js';
import { corpusDir, repoRoot, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { startAppOnDatabase } from '../support/pgApp.js';
import { postgresForFile } from '../support/postgres.js';
import { ADMIN, expectOneResultPerLiveParagraph, importSeed, importWmt, runSuggestRevisions, testEngines } from './helpers.js';
import { entryArgs } from '../support/entry.js';

const postgres = postgresForFile('pgWorkers');
const reason = postgres.reason;

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One "process": services and a run store on a pool of its own, over the database. */
interface Node {
  dataDir: string;
  services: Services;
  runStore: PgRunStore;
  close(): Promise<void>;
}

async function node(url: string): Promise<Node> {
  const dataDir = await tempDir('postedit-pg-worker-');
  const services = await createServices({ dataDir, corpusDir, engine: new OfflineEngine(), env: { DATABASE_URL: url } });
  const runStore = (await openRunStore(dataDir, services.store)) as PgRunStore;
  expect(runStore).toBeInstanceOf(PgRunStore);
  return {
    dataDir,
    services,
    runStore,
    async close() {
      await runStore.close();
      await services.store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function ctxOf(n: Node, server: OpenAIServer): RunContext {
  return { services: n.services, runStore: n.runStore, active: new ActiveRuns(), engineFor: testEngines(server), retry: { baseMs: 10, maxMs: 50 } };
}

function worker(n: Node, server: OpenAIServer, options: Partial<WorkerOptions> & { signal: AbortSignal }) {
  return runWorker({ services: n.services, runStore: n.runStore, engineFor: testEngines(server), retry: { baseMs: 10, maxMs: 50 }, pollMs: 20, ...options });
}

async function checkExactlyOnce(n: Node, server: OpenAIServer, run: Run, articles: string[]): Promise<void> {
  const results = await n.runStore.results(run.id);
  expect(await expectOneResultPerLiveParagraph(n.services, results, articles)).toEqual([]);
  for (const id of articles) {
    const live = (await n.services.store.getArticle(id))!.paragraphs.filter((p) => p.status !== 'deleted');
    const revisions = await runSuggestRevisions(n.services, id, run.id);
    expect(revisions.size).toBe(live.length);
    expect([...revisions.values()].every((c) => c === 1)).toBe(true);
  }
  const final = (await n.runStore.getRun(run.id))!;
  expect(final.status).toBe('finished');
  expect(final.counts.done).toBe(results.length);
  expect(final.counts.total).toBe(results.length);
  expect(await n.runStore.taskCounts(run.id)).toEqual({ done: results.length });
}

describe.skipIf(!!reason)('workers on PostgreSQL', () => {
  it('two workers over one run finish every paragraph exactly once', async () => {
    const db = await postgres.database();
    const server = await startOpenAIServer({ latencyMs: 15 });
    const [a, w1, w2] = [await node(db.url), await node(db.url), await node(db.url)];
    try {
      const articles = [await importSeed(a.services), await importWmt(a.services)];
      const run = await startSharedRun(ctxOf(a, server), { articles, engine: 'openai', level: 'minimal', actor: ADMIN });
      expect(run.status).toBe('running');
      const stop = new AbortController();
      const workers = [worker(w1, server, { id: 'w1', concurrency: 3, signal: stop.signal }), worker(w2, server, { id: 'w2', concurrency: 3, signal: stop.signal })];
      await waitFor(async () => (await a.runStore.getRun(run.id))!.status === 'finished');
      stop.abort();
      const [s1, s2] = (await Promise.all(workers)) as [Awaited<(typeof workers)[0]>, Awaited<(typeof workers)[0]>];
      await checkExactlyOnce(a, server, run, articles);
      const total = (await a.runStore.results(run.id)).length;
      expect(s1.done + s2.done).toBe(total);
      expect(s1.done).toBeGreaterThan(0);
      expect(s2.done).toBeGreaterThan(0);
      expect(server.chatRequests().length).toBe(total);
    } finally {
      for (const n of [a, w1, w2]) await n.close();
      await server.close();
    }
  }, 60_000);

  it('claims take the articles of a run in turn, so workers claiming at once do not queue on one article', async () => {
    expect(roundRobin(['a', 'a', 'a', 'b', 'b', 'c'])).toEqual([0, 3, 5, 1, 4, 2]);
    const db = await postgres.database();
    const server = await startOpenAIServer({ latencyMs: 15 });
    const a = await node(db.url);
    try {
      const articles = [await importSeed(a.services), await importWmt(a.services)];
      const run = await startSharedRun(ctxOf(a, server), { articles, engine: 'openai', level: 'minimal', actor: ADMIN });
      const live = async (id: string) => (await a.services.store.getArticle(id))!.paragraphs.filter((p) => p.status !== 'deleted').map((p) => p.id);
      const [first, second] = [await live(articles[0]!), await live(articles[1]!)];
      const key = (t: { articleId: string; paragraphId: string }) => `${t.articleId}/${t.paragraphId}`;
      // Two workers claiming at once: between them, the first two paragraphs of each article.
      const [w1, w2] = await Promise.all([a.runStore.claimTasks('w1', 2, 60_000), a.runStore.claimTasks('w2', 2, 60_000)]);
      expect([...w1!, ...w2!].map(key).sort()).toEqual(
        [...first.slice(0, 2).map((p) => `${articles[0]}/${p}`), ...second.slice(0, 2).map((p) => `${articles[1]}/${p}`)].sort(),
      );
      // One at a time: the articles alternate, each in paragraph order.
      const next = [];
      for (let i = 0; i < 4; i++) next.push(...(await a.runStore.claimTasks('w3', 1, 60_000)));
      expect(next.map(key)).toEqual([`${articles[0]}/${first[2]}`, `${articles[1]}/${second[2]}`, `${articles[0]}/${first[3]}`, `${articles[1]}/${second[3]}`]);
      await stopSharedRun(a.runStore, run.id);
    } finally {
      await a.close();
      await server.close();
    }
  }, 60_000);

  it('takes over the claims of a killed worker once its lease runs out', async () => {
    const db = await postgres.database();
    const server = await startOpenAIServer({ latencyMs: 400 });
    const [a, w1, w2] = [await node(db.url), await node(db.url), await node(db.url)];
    try {
      const articles = [await importSeed(a.services)];
      const run = await startSharedRun(ctxOf(a, server), { articles, engine: 'openai', level: 'minimal', actor: ADMIN });
      // The first worker claims three paragraphs and dies mid-request: no release, no more renewals.
      const kill = new AbortController();
      const dying = worker(w1, server, { id: 'dies', concurrency: 3, leaseMs: 800, signal: kill.signal, releaseOnStop: false });
      await waitFor(async () => (await a.runStore.taskCounts(run.id)).claimed === 3);
      kill.abort();
      await dying;
      expect((await a.runStore.taskCounts(run.id)).claimed).toBe(3);
      const stop = new AbortController();
      const began = Date.now();
      const survivor = worker(w2, server, { id: 'survives', concurrency: 2, leaseMs: 800, signal: stop.signal });
      await waitFor(async () => (await a.runStore.getRun(run.id))!.status === 'finished');
      stop.abort();
      const stats = await survivor;
      expect(Date.now() - began).toBeGreaterThan(700);
      await checkExactlyOnce(a, server, run, articles);
      expect(stats.done).toBe((await a.runStore.results(run.id)).length);
      const { rows } = await a.runStore.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_tasks WHERE run_id = $1 AND attempts = 2 AND claimed_by = 'survives'`, [run.id]);
      expect(rows[0]!.n).toBe(3);
    } finally {
      for (const n of [a, w1, w2]) await n.close();
      await server.close();
    }
  }, 60_000);

  it('npm run worker: a SIGKILLed worker process holds its claims until the lease runs out, then another finishes the run', async () => {
    const db = await postgres.database();
    const server = await startOpenAIServer({ latencyMs: 300 });
    const a = await node(db.url);
    const children: ChildProcess[] = [];
    const spawnWorker = () => {
      const child = spawn(process.execPath, [...entryArgs(join(repoRoot, 'server/cli/worker.ts')), '--concurrency', '2', '--lease-seconds', '2', '--poll-ms', '50'], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: a.dataDir, CORPUS_DIR: corpusDir, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      children.push(child);
      return { child, output: () => out };
    };
    try {
      const articles = [await importSeed(a.services)];
      const run = await startSharedRun(ctxOf(a, server), { articles, engine: 'openai', level: 'minimal', actor: ADMIN });
      const first = spawnWorker();
      await waitFor(async () => (await a.runStore.taskCounts(run.id)).claimed === 2, 30_000).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}: ${first.output()}`);
      });
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const second = spawnWorker();
      await waitFor(async () => (await a.runStore.getRun(run.id))!.status === 'finished', 40_000).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}: ${second.output()}`);
      });
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      await checkExactlyOnce(a, server, run, articles);
      const { rows } = await a.runStore.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_tasks WHERE run_id = $1 AND attempts > 1', [run.id]);
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await a.close();
      await server.close();
    }
  }, 90_000);

  it('a run started through instance A is followed, with progress, on instance B', async () => {
    const db = await postgres.database();
    const server = await startOpenAIServer({ latencyMs: 40 });
    const runs = { engineFor: testEngines(server), retry: { baseMs: 10, maxMs: 50 } };
    const apps: RunningApp[] = [];
    try {
      const a = await startAppOnDatabase(db.url, { runs });
      apps.push(a);
      const b = await startAppOnDatabase(db.url, { runs });
      apps.push(b);
      const articleId = await importSeed(a.services);
      const started = await tokenClient(a, 'admin').post('/api/runs', { articles: [articleId], engine: 'openai', concurrency: 1 });
      expect(started.status).toBe(202);
      const id = started.json.run.id as string;
      const onB = tokenClient(b, 'editor');
      let seen: any;
      await waitFor(async () => {
        seen = (await onB.get(`/api/runs/${id}`)).json;
        return seen?.run?.status === 'running' && seen.run.counts.done > 0;
      });
      expect(seen.run.interrupted).toBeUndefined();
      expect(seen.run.counts.done).toBeLessThan(seen.run.counts.total);
      expect((await onB.get('/api/runs')).json.map((r: Run) => r.id)).toContain(id);
      await waitFor(async () => (await onB.get(`/api/runs/${id}`)).json.run.status === 'finished');
      const final = (await onB.get(`/api/runs/${id}`)).json;
      expect(final.run.counts.done).toBe(final.run.counts.total);
    } finally {
      for (const app of apps) await app.close();
      await server.close();
    }
  }, 60_000);

  it('shows a run whose executing process stopped beating as interrupted, on every instance', async () => {
    const db = await postgres.database();
    const n = await node(db.url);
    try {
      const run: Run = {
        id: 'run-20250101-000000-abcd', engine: 'offline', model: 'offline', promptVersion: 'x', promptHash: '', level: 'minimal',
        params: { concurrency: 1 }, articles: [], mode: 'rewrite', startedAt: new Date().toISOString(), status: 'running',
        counts: { total: 1, done: 0, failed: 0, skipped: 0 }, tokens: { prompt: 0, completion: 0 }, errors: [], startedBy: 'admin',
        owner: { pid: 1, instance: 'elsewhere' },
      };
      await n.runStore.createRun(run);
      expect((await n.runStore.getRun(run.id))!.owner).toBeUndefined();
      await n.runStore.pool.query(`INSERT INTO run_processes (instance, pid, host, seen_at) VALUES ('elsewhere', 1, 'h', now())`);
      expect((await n.runStore.listRuns())[0]!.owner).toBeDefined();
      await n.runStore.pool.query(`UPDATE run_processes SET seen_at = now() - interval '1 minute' WHERE instance = 'elsewhere'`);
      expect((await n.runStore.getRun(run.id))!.owner).toBeUndefined();
    } finally {
      await n.close();
    }
  });
});
