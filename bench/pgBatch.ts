/**
 * Shared batch workers on PostgreSQL (issue 9, item 8): one run over a generated corpus, executed by
 * `npm run worker` processes (server/cli/worker.ts, each in its own process, claiming paragraphs with
 * SELECT … FOR UPDATE SKIP LOCKED) against the OpenAI test server answering after a fixed latency —
 * first with ONE worker, then with TWO, each on its own byte-identical copy of the data
 * (CREATE DATABASE … TEMPLATE). Prints paragraphs/s, the ratio 2 workers ÷ 1 worker (ideal 2.0), and
 * checks that every paragraph got exactly one result (result rows, suggest revisions, chat requests).
 *
 * PostgreSQL: DATABASE_URL's server (in databases of the benchmark's own, dropped at the end), else a
 * throwaway local cluster it starts and removes.
 *
 *   npx tsx bench/pgBatch.ts
 *   BENCH_PG_BATCH_ARTICLES=6 BENCH_PG_BATCH_LATENCY_MS=150 BENCH_PG_BATCH_CONCURRENCY=8 BENCH_PG_ROUNDS=2 npx tsx bench/pgBatch.ts   (the defaults)
 */
import { createServices } from '../server/boot.js';
import type { Services } from '../server/commands/services.js';
import { OfflineEngine } from '../server/engines/offline.js';
import { ActiveRuns, type RunContext } from '../server/runs/activeRuns.js';
import { envEngines } from '../server/runs/engines.js';
import { startSharedRun } from '../server/runs/worker.js';
import { openRunStore } from '../server/store/open.js';
import { PgRunStore } from '../server/store/pg/pgRunStore.js';
import type { Run } from '../server/store/runStore.js';
import { startBatchServer, type BatchServerHandle, type ServerStats } from './lib/batchServer.js';
import { importGenerated, tempDataDir } from './lib/data.js';
import { benchPostgres, busyShare, Cleanup, machineCpu, processCpuMs, type BenchDatabase, type BenchPostgres } from './lib/pg.js';
import { conditions, isMain, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { placeSectionAfter } from './lib/sections.js';
import { corpusDir, NewsText } from './lib/text.js';
import { startWorker, type WorkerProcess } from './lib/workerProcess.js';

const ARTICLES = Number(process.env.BENCH_PG_BATCH_ARTICLES ?? 6);
const PARAGRAPHS_PER_ARTICLE = Number(process.env.BENCH_PG_BATCH_PARAGRAPHS ?? 100);
const PARAGRAPHS = ARTICLES * PARAGRAPHS_PER_ARTICLE;
const WORDS = 80;
const LATENCY_MS = Number(process.env.BENCH_PG_BATCH_LATENCY_MS ?? 150);
/** Paragraphs each worker works on at a time (`npm run worker -- --concurrency N`). */
const CONCURRENCY = Number(process.env.BENCH_PG_BATCH_CONCURRENCY ?? 8);
const POLL_MS = 50;
const ROUNDS = Math.max(1, Number(process.env.BENCH_PG_ROUNDS ?? 2));
const MODEL = 'gpt-4o-mini';

export interface PgBatchResult {
  one: WorkersResult;
  two: WorkersResult;
  /** Throughput with two workers ÷ with one (ideal 2.0). */
  ratio: number;
  exactlyOnce: boolean;
}

interface WorkersResult {
  workers: number;
  paragraphs: number;
  wallMs: number;
  enqueueMs: number[];
  rate: number;
  ideal: number;
  /** Paragraphs each worker reported done, per round. */
  perWorkerDone: Array<Array<number | undefined>>;
  serverMs: number[];
  inFlightMean: number;
  inFlightMax: number;
  problems: string[];
  /** CPU ms per paragraph: the worker processes, PostgreSQL; share of the machine's CPU busy. */
  cpu: { workers?: number; postgres?: number; machineBusy?: number };
  raw: { workerCpuMs?: number; pgCpuMs?: number; machine?: { busy: number; total: number } };
  rounds: number[];
}

const total = (values: Array<number | undefined>) => (values.every((v) => v !== undefined) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined);

/** The rounds of one configuration pooled: paragraphs and wall time added up, CPU per paragraph over all. */
function merge(results: WorkersResult[]): WorkersResult {
  const paragraphs = results.reduce((a, r) => a + r.paragraphs, 0);
  const wallMs = results.reduce((a, r) => a + r.wallMs, 0);
  const workerCpuMs = total(results.map((r) => r.raw.workerCpuMs));
  const pgCpuMs = total(results.map((r) => r.raw.pgCpuMs));
  const machines = results.map((r) => r.raw.machine);
  const machine = machines.every(Boolean) ? { busy: total(machines.map((m) => m!.busy))!, total: total(machines.map((m) => m!.total))! } : undefined;
  return {
    workers: results[0]!.workers,
    paragraphs,
    wallMs,
    enqueueMs: results.flatMap((r) => r.enqueueMs),
    rate: paragraphs / (wallMs / 1000),
    ideal: results[0]!.ideal,
    perWorkerDone: results.flatMap((r) => r.perWorkerDone),
    serverMs: results.flatMap((r) => r.serverMs),
    inFlightMean: results.reduce((a, r) => a + r.inFlightMean * r.wallMs, 0) / wallMs,
    inFlightMax: Math.max(...results.map((r) => r.inFlightMax)),
    problems: results.flatMap((r) => r.problems),
    cpu: {
      ...(workerCpuMs !== undefined ? { workers: workerCpuMs / paragraphs } : {}),
      ...(pgCpuMs !== undefined ? { postgres: pgCpuMs / paragraphs } : {}),
      ...(machine && machine.total > 0 ? { machineBusy: machine.busy / machine.total } : {}),
    },
    raw: { ...(workerCpuMs !== undefined ? { workerCpuMs } : {}), ...(pgCpuMs !== undefined ? { pgCpuMs } : {}), ...(machine ? { machine } : {}) },
    rounds: results.flatMap((r) => r.rounds),
  };
}

const sleep = (msTaken: number) => new Promise((resolve) => setTimeout(resolve, msTaken));

/** Exactly one result per paragraph: result rows, the suggest revisions carrying the run's suggestions, task rows, counts. */
async function exactlyOnce(services: Services, runStore: PgRunStore, run: Run, articles: string[], chatRequests: number, workerDone: Array<number | undefined>): Promise<string[]> {
  const problems: string[] = [];
  const results = await runStore.results(run.id);
  const seen = new Map<string, number>();
  for (const r of results) {
    const k = `${r.articleId}/${r.paragraphId}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (r.status !== 'done') problems.push(`${k}: ${r.status} ${r.error ?? ''}`);
  }
  for (const [k, n] of seen) if (n !== 1) problems.push(`${k}: ${n} result rows`);
  let live = 0;
  for (const id of articles) {
    const article = (await services.store.getArticle(id))!;
    const mine = new Set((await services.store.suggestions(id)).filter((s) => s.runId === run.id).map((s) => s.id));
    const revisions = new Map<string, number>();
    for (const r of await services.store.history(id)) {
      if (r.action === 'suggest' && r.suggestionId && mine.has(r.suggestionId)) revisions.set(r.paragraphId, (revisions.get(r.paragraphId) ?? 0) + 1);
    }
    for (const p of article.paragraphs.filter((x) => x.status !== 'deleted')) {
      live++;
      if (!seen.has(`${id}/${p.id}`)) problems.push(`${id}/${p.id}: no result row`);
      const n = revisions.get(p.id) ?? 0;
      if (n !== 1) problems.push(`${id}/${p.id}: ${n} suggest revisions of the run`);
      if (p.suggestion?.runId !== run.id) problems.push(`${id}/${p.id}: the pending suggestion is not the run's`);
    }
  }
  if (live !== PARAGRAPHS) problems.push(`${live} live paragraphs, expected ${PARAGRAPHS}`);
  if (results.length !== PARAGRAPHS) problems.push(`${results.length} result rows for ${PARAGRAPHS} paragraphs`);
  const tasks = await runStore.taskCounts(run.id);
  if (tasks.done !== PARAGRAPHS || Object.keys(tasks).length !== 1) problems.push(`task rows: ${JSON.stringify(tasks)}`);
  const final = (await runStore.getRun(run.id))!;
  if (final.status !== 'finished' || final.counts.done !== PARAGRAPHS || final.counts.total !== PARAGRAPHS) problems.push(`run ${final.status}, counts ${JSON.stringify(final.counts)}`);
  if (chatRequests !== PARAGRAPHS) problems.push(`the test server saw ${chatRequests} chat requests for ${PARAGRAPHS} paragraphs`);
  if (workerDone.every((d) => d !== undefined)) {
    const sum = workerDone.reduce((a, b) => a! + b!, 0)!;
    if (sum !== PARAGRAPHS) problems.push(`the workers reported ${workerDone.join(' + ')} = ${sum} paragraphs done`);
    if (workerDone.some((d) => d === 0)) problems.push(`a worker did nothing (${workerDone.join(', ')})`);
  } else problems.push('a worker did not report how many paragraphs it did');
  return problems;
}

async function withWorkers(cleanup: Cleanup, pg: BenchPostgres, server: BatchServerHandle, db: BenchDatabase, articles: string[], workers: number): Promise<WorkersResult> {
  const label = `${workers} worker${workers > 1 ? 's' : ''}`;
  const { dir, remove } = await tempDataDir(`pgbatch-${workers}w`);
  cleanup.add(`remove ${dir}`, remove);
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    CORPUS_DIR: corpusDir,
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: 'bench-key',
    OPENAI_MODEL: MODEL,
    OPENAI_TIMEOUT_MS: '30000',
    NODE_ENV: process.env.NODE_ENV ?? '',
  };
  // The workers first, idle on the empty queue: the measured time is theirs, not their start-up.
  const procs: WorkerProcess[] = [];
  for (let i = 0; i < workers; i++) {
    procs.push(await startWorker(cleanup, `worker ${i + 1}/${workers}`, ['--concurrency', String(CONCURRENCY), '--poll-ms', String(POLL_MS)], env));
  }
  await Promise.all(procs.map((p) => p.waitFor(/^worker \d+: /)));
  await sleep(2 * POLL_MS);

  // This process plays the app instance that starts the run (startSharedRun: prepareRun + enqueue).
  const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine(), env: { DATABASE_URL: db.url } });
  const runStore = (await openRunStore(dir, services.store)) as PgRunStore;
  try {
    const ctx: RunContext = { services, runStore, active: new ActiveRuns(), engineFor: envEngines(env) };
    await server.mark();
    const cpu0 = { workers: procs.map((p) => processCpuMs(p.pid)), postgres: pg.cpuMs(), machine: machineCpu() };
    const t0 = Date.now();
    const run = await startSharedRun(ctx, { articles, engine: 'openai', model: MODEL, level: 'minimal', concurrency: CONCURRENCY, actor: { username: 'bench', role: 'admin' } });
    // The tasks are visible to the workers from the commit at the end of startSharedRun.
    const start = Date.now();
    if (run.status !== 'running' || run.counts.total !== PARAGRAPHS) throw new Error(`the run is ${run.status} with ${run.counts.total} paragraphs`);
    let final: Run | undefined;
    const until = Date.now() + 120_000;
    while (!final) {
      const r = (await runStore.rawRun(run.id))!;
      if (r.status === 'finished') final = r;
      else if (r.status !== 'running') throw new Error(`the run ended ${r.status}: ${r.errors.map((e) => e.message).slice(0, 3).join('; ')}`);
      else if (Date.now() > until) throw new Error(`the run did not finish in 120 s: ${JSON.stringify(r.counts)}`);
      else await sleep(100);
    }
    // finishedAt is written by the worker that completed the last paragraph (this machine's clock).
    const wallMs = Date.parse(final.finishedAt!) - start;
    const cpu1 = { workers: procs.map((p) => processCpuMs(p.pid)), postgres: pg.cpuMs(), machine: machineCpu() };
    const srv = await server.stats();
    const stopped = await Promise.all(procs.map((p) => p.stop()));
    const perWorkerDone = stopped.map((s) => s.done);
    const problems = await exactlyOnce(services, runStore, final, articles, srv.chatRequests, perWorkerDone);
    const workerCpuMs = total(cpu1.workers.map((v, i) => (v === undefined || cpu0.workers[i] === undefined ? undefined : v - cpu0.workers[i]!)));
    const pgCpuMs = cpu0.postgres !== undefined && cpu1.postgres !== undefined ? cpu1.postgres - cpu0.postgres : undefined;
    const machine = cpu0.machine && cpu1.machine ? { busy: cpu1.machine.busy - cpu0.machine.busy, total: cpu1.machine.total - cpu0.machine.total } : undefined;
    const rate = PARAGRAPHS / (wallMs / 1000);
    const result = merge([
      {
        workers,
        paragraphs: PARAGRAPHS,
        wallMs,
        enqueueMs: [start - t0],
        rate,
        ideal: (workers * CONCURRENCY) / (LATENCY_MS / 1000),
        perWorkerDone: [perWorkerDone],
        serverMs: srv.serverMs,
        inFlightMean: srv.inFlightMean,
        inFlightMax: srv.inFlightMax,
        problems,
        cpu: {},
        raw: { ...(workerCpuMs !== undefined ? { workerCpuMs } : {}), ...(pgCpuMs !== undefined ? { pgCpuMs } : {}), ...(machine ? { machine } : {}) },
        rounds: [rate],
      },
    ]);
    const busy = result.cpu.machineBusy;
    console.log(
      `${label} × ${CONCURRENCY}: ${PARAGRAPHS} paragraphs in ${(wallMs / 1000).toFixed(2)} s → ${result.rate.toFixed(1)} paragraphs/s ` +
        `(ideal ${result.ideal.toFixed(1)}, ${(result.rate / result.ideal).toFixed(3)} of it); done per worker ${perWorkerDone.join(' + ')}; ` +
        `test server held ${srv.inFlightMean.toFixed(1)} requests on average (max ${srv.inFlightMax}), p50 ${ms(median(srv.serverMs), 0)}; ` +
        `CPU per paragraph: workers ${result.cpu.workers?.toFixed(1) ?? 'n/a'} ms, PostgreSQL ${result.cpu.postgres?.toFixed(1) ?? 'n/a'} ms; ` +
        `machine CPU ${busy === undefined ? 'n/a' : `${(busy * 100).toFixed(0)} %`} busy; enqueue ${ms(start - t0, 0)}`,
    );
    console.log(`  exactly one result per paragraph: ${problems.length ? `NO — ${problems.slice(0, 5).join('; ')}` : 'yes'}`);
    return result;
  } finally {
    for (const p of procs) await p.stop();
    await runStore.close().catch(() => undefined);
    await services.store.close().catch(() => undefined);
  }
}

export async function runPgBatch(): Promise<PgBatchResult> {
  const started = performance.now();
  const loadAtStart = conditions();
  console.log(`\n== Batch workers on PostgreSQL: ${ARTICLES} articles × ${PARAGRAPHS_PER_ARTICLE} paragraphs, ${CONCURRENCY} at a time per worker, test server latency ${LATENCY_MS} ms; 1 worker vs 2, ${ROUNDS} round(s)`);
  const cleanup = new Cleanup();
  try {
    const pg = await benchPostgres(cleanup);
    console.log(`PostgreSQL ${pg.version}: ${pg.origin}`);
    const t0 = performance.now();
    const template = await pg.database();
    const gen = await tempDataDir('pgbatch-gen');
    cleanup.add(`remove ${gen.dir}`, gen.remove);
    const services = await createServices({ dataDir: gen.dir, corpusDir, engine: new OfflineEngine(), env: { DATABASE_URL: template.url } });
    const articles: string[] = [];
    try {
      const text = new NewsText(3000);
      for (let i = 0; i < ARTICLES; i++) {
        articles.push(await importGenerated(services, text, { title: `Generated wire copy ${i + 1}`, paragraphs: PARAGRAPHS_PER_ARTICLE, words: WORDS }));
      }
    } finally {
      await services.store.close();
    }
    // Planner statistics for the copies, as a live database has them (see bench/pgActions.ts).
    await pg.analyze(template);
    const server = await startBatchServer(LATENCY_MS);
    cleanup.add('stop the OpenAI test server', () => server.stop());
    console.log(`set-up: ${PARAGRAPHS} paragraphs imported, OpenAI test server pid ${server.pid} (${ms(performance.now() - t0, 0)})`);

    // One worker and two in turn, A B B A … (so a drift in the machine's load weighs on both alike), each on a fresh copy.
    const ones: WorkersResult[] = [];
    const twos: WorkersResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) {
        (workers === 1 ? ones : twos).push(await withWorkers(cleanup, pg, server, await pg.database(template), articles, workers));
      }
    }
    const one = merge(ones);
    const two = merge(twos);
    const ratio = two.rate / one.rate;
    const perRound = ones.map((o, i) => twos[i]!.rate / o.rate);
    const ok = one.problems.length === 0 && two.problems.length === 0;
    console.log(
      `throughput 2 workers ÷ 1 worker${ROUNDS > 1 ? ` (${ROUNDS} rounds pooled: ${one.rate.toFixed(1)} and ${two.rate.toFixed(1)} paragraphs/s)` : ''}: ${ratio.toFixed(2)} (ideal 2.0)` +
        `${ROUNDS > 1 ? `; per round ${perRound.map((x) => x.toFixed(2)).join(', ')}` : ''}; exactly one result per paragraph: ${ok ? 'yes' : 'NO'}`,
    );

    const row = (r: WorkersResult) => [
      `${r.workers} × ${CONCURRENCY}`,
      `${(r.wallMs / 1000).toFixed(2)} s`,
      `**${r.rate.toFixed(1)}/s**`,
      `${r.ideal.toFixed(1)}/s`,
      (r.rate / r.ideal).toFixed(3),
      r.perWorkerDone.map((d) => d.join(' + ')).join('; '),
      `${r.inFlightMean.toFixed(1)} (max ${r.inFlightMax})`,
      `${ms(median(r.serverMs), 0)} / ${ms(quantile(r.serverMs, 0.99), 0)}`,
      `${r.cpu.workers?.toFixed(1) ?? 'n/a'} + ${r.cpu.postgres?.toFixed(1) ?? 'n/a'} ms`,
      r.cpu.machineBusy === undefined ? 'n/a' : `${(r.cpu.machineBusy * 100).toFixed(0)} %`,
      r.problems.length ? `**no**: ${r.problems.slice(0, 3).join('; ')}` : 'yes',
    ];
    // A lane's cycle: the time one paragraph holds one of the workers' lanes; the test server holds it LATENCY_MS of that.
    const cycle = (r: WorkersResult) => (r.workers * CONCURRENCY * r.wallMs) / r.paragraphs;
    const section = `## 6. Batch workers on PostgreSQL: two workers vs one — ratio ${ratio.toFixed(2)} (ideal 2.0)

Measured ${today()} on ${machine()}; ${loadAtStart}. PostgreSQL ${pg.version}: ${pg.origin}.
\`npx tsx bench/pgBatch.ts\`; ${ms(performance.now() - started, 0)} in all.

${ARTICLES} generated articles × ${PARAGRAPHS_PER_ARTICLE} paragraphs of ~${WORDS} words = ${PARAGRAPHS} paragraphs, imported once into a template
database (then ANALYZE, as a live database has its planner statistics); each configuration runs on its own byte-identical copy (\`CREATE DATABASE … TEMPLATE\`). The benchmark
starts the workers (\`server/cli/worker.ts\` as \`npm run worker -- --concurrency ${CONCURRENCY} --poll-ms ${POLL_MS}\`, each its own
process), waits until they idle on the empty queue, then hands one run (mode rewrite, level minimal, engine openai)
to them with \`startSharedRun\`, as an app instance with \`POSTEDIT_RUN_WORKERS=1\` does. The workers' real
\`OpenAIEngine\` talks to the OpenAI test server (\`tests/support/openaiServer.ts\`, its own process) answering
every request after ${LATENCY_MS} ms. Time: from the run being queued to the \`finishedAt\` the last worker wrote
(the ${median([...one.enqueueMs, ...two.enqueueMs]).toFixed(0)} ms \`startSharedRun\` takes before is not counted). ${ROUNDS > 1 ? `${ROUNDS} rounds, in the order
${Array.from({ length: ROUNDS }, (_, r) => (r % 2 === 0 ? '1, 2' : '2, 1')).join(', ')} workers (so a drift in the machine's load weighs on both alike); the table pools them.` : 'One round.'}
Ideal = workers × ${CONCURRENCY} ÷ ${LATENCY_MS / 1000} s. Workers, PostgreSQL, the test server and the benchmark share the machine.
Claims take the run's articles in turn (the first paragraph of each, then the second, …: \`run_tasks.position\`), so lanes
claiming at once work on different articles; a result is written in three round trips, the run's row locked for the last two.

${table(['workers × lanes', 'wall', 'achieved', 'ideal', 'achieved / ideal', 'paragraphs per worker', 'requests held by the test server, mean', 'test server held p50 / p99', 'CPU per paragraph: workers + PostgreSQL', 'machine CPU busy', 'exactly one result per paragraph'], [row(one), row(two)])}

**Throughput 2 workers ÷ 1 worker: ${ratio.toFixed(2)}** (ideal 2.0).${ROUNDS > 1 ? ` Per round: 1 worker ${ones.map((r) => r.rate.toFixed(1)).join(', ')}/s; 2 workers
${twos.map((r) => r.rate.toFixed(1)).join(', ')}/s; ratio ${perRound.map((x) => x.toFixed(2)).join(', ')}.` : ''}
A lane's cycle per paragraph (lanes × wall ÷ paragraphs): ${ms(cycle(one), 0)} with 1 worker, ${ms(cycle(two), 0)} with 2, of which
the test server holds ${LATENCY_MS} ms; the rest is the worker's own work (claim, article read, fact checks, the
suggestion's transaction, the result's transaction) and waiting for the CPU.
Exactly one result per paragraph was checked after each run: one result row each, all done; one suggest revision
carrying a suggestion of the run per paragraph; every task row done; the run's counts; one chat request per
paragraph at the test server; the workers' own counts adding up to ${PARAGRAPHS}: **${ok ? 'yes, every run' : 'NO'}**.`;
    placeSectionAfter('pgBatch', ['pgActions', 'batch', 'memory']);
    writeSection('pgBatch', section);
    return { one, two, ratio, exactlyOnce: ok };
  } finally {
    await cleanup.run();
  }
}

if (isMain(import.meta.url)) {
  const result = await runPgBatch();
  process.exitCode = result.exactlyOnce ? 0 : 1;
}
