/**
 * Accept/edit on PostgreSQL (issue 9 item 8, issue 18 item 1): 20 editors on a 1,000-paragraph article
 * with 10,000 revisions and a pending suggestion on half its paragraphs — the article of
 * bench/actions.ts's scaling run, built by bench/lib/historyArticle.ts — each on its own paragraph
 * cycling edit → suggest → accept as fast as the answers come (bench/actions.ts's driver). Target, as on
 * lowdb: accept + edit p99 ≤ 25 ms and no errors, on one app instance over PostgreSQL.
 *
 * In one run and on byte-identical copies of the data (CREATE DATABASE … TEMPLATE): one instance and
 * two instances (two app processes on two ports, clients split between them), in turn over rounds, and
 * the same load on one lowdb instance. Each load starts with warm-up requests under the same load (left
 * out of the figures, as in bench/actions.ts), and ends with the same 20 editors paced (250 ms think
 * time between actions).
 *
 * PostgreSQL: DATABASE_URL's server (in databases of the benchmark's own, dropped at the end), else a
 * throwaway local cluster it starts and removes.
 *
 *   npx tsx bench/pgActions.ts        (npm run bench:pg-actions)
 *   BENCH_PG_ACTIONS_PARAGRAPHS=200 BENCH_PG_ACTIONS_REQUESTS=600 BENCH_PG_ACTIONS_LOWDB=0 npx tsx bench/pgActions.ts
 *   defaults: 1000 paragraphs; 6000 measured requests per configuration and round after 10,000 warm-up ones
 *   (BENCH_PG_ACTIONS_WARMUP; bench/actions.ts's 1000 are too few here, see WARMUP); 400 paced (BENCH_PG_ACTIONS_PACED, 0: none); 2 rounds (BENCH_PG_ROUNDS); lowdb too.
 *   BENCH_PG_ACTIONS_ONE_ONLY=1: one instance only, printed and not written to RESULTS (for quick comparisons).
 *   BENCH_PG_ACTIONS_SMALL: the paragraphs of a second, small article (default 100; 0: none) loaded the same way on one
 *   instance in each round, for the ratio of the figures at `size` paragraphs to those at this size.
 */
import { writeFileSync } from 'node:fs';
import { createServices } from '../server/boot.js';
import { OfflineEngine } from '../server/engines/offline.js';
import { CLIENTS, REVISIONS, currentParagraphs, drive, type Kind, type ParagraphAnswer, type Sample } from './actions.js';
import { editorToken, tempDataDir } from './lib/data.js';
import { generateHistoryArticle, type HistoryArticle } from './lib/historyArticle.js';
import { benchPostgres, Cleanup, machineCpu, processCpuMs, type BenchDatabase, type BenchPostgres } from './lib/pg.js';
import { conditions, isMain, kb, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { placeSectionAfter } from './lib/sections.js';
import { startServer, type ServerHandle } from './lib/server.js';
import { corpusDir, NewsText } from './lib/text.js';

const TARGET_P99 = 25;
/** Think time of the paced editors, as bench/actions.ts's. */
const THINK_MS = 250;
const SOLO = 30;
/**
 * Warm-up requests under load before the measured ones. A server just started runs its code
 * unoptimised, and V8 goes on compiling the hot path for tens of seconds of this load: with 1,000 (the
 * default until session 17) its log still showed ~4 s of TurboFan compiling between 10 and 25 s into a
 * quick run, and alternating quick runs measured p99 34.7, 34.7 ms after 1,000, 26.8, 26.2 after 5,000
 * and 23.9, 24.0 after 10,000 (one long run, p99 per 2,000 requests: 28–30 ms up to the 6,000th, 21–24 ms
 * after the 12,000th). So the figures are those of a server that has run for ~30 s of load; the first
 * FIRST_WARMUP and the rest of the warm-up are reported apart.
 */
const WARMUP = 10_000;
const FIRST_WARMUP = 1000;

export interface PgActionsResult {
  one: Summary;
  /** Two instances, and their ratios to one (absent with BENCH_PG_ACTIONS_ONE_ONLY=1). */
  two?: Summary;
  lowdb?: Summary;
  /** One instance on PostgreSQL: p99 ≤ 25 ms and no errors. */
  met: boolean;
  /** Two instances ÷ one instance. */
  throughputRatio?: number;
  p99Ratio?: number;
}

/** One measured load (raw), merged over rounds by `merge`. */
interface LoadResult {
  label: string;
  instances: number;
  /** Measured requests (warm-up left out), their span, and every request sent (warm-up included). */
  samples: Sample[];
  /**
   * The warm-up requests, reported apart: the first FIRST_WARMUP (a server just started: its code not
   * yet optimised) and the rest (V8 still compiling the hot path; see WARMUP).
   */
  warm: { start: Sample[]; later: Sample[] };
  wall: number;
  sent: number;
  errors: string[];
  paced: Sample[];
  soloAE: number[];
  /** Server-side stages of the unloaded requests, and under load (warm-up included). */
  soloStages: Record<string, number[]>;
  stages: Record<string, number[]>;
  /** Accept and edit as the app processes timed them (request read → answer written), warm-up left out. */
  inApp: number[];
  /** CPU ms used during the load by the app processes and PostgreSQL (when readable), the app's event loops' busy ms, and the machine's busy/total CPU. */
  appCpuMs?: number;
  pgCpuMs?: number;
  loopMs?: number;
  /** CPU ms of the app processes' main threads (Linux; not the check workers'). */
  mainCpuMs?: number;
  machine?: { busy: number; total: number };
  rounds: Array<{ wall: number; requests: number }>;
}

/** Starts `instances` app processes over the store that `env` names, one after the other. */
async function startInstances(cleanup: Cleanup, instances: number, env: NodeJS.ProcessEnv): Promise<ServerHandle[]> {
  const servers: ServerHandle[] = [];
  for (let i = 0; i < instances; i++) {
    // Each instance has a data directory of its own, as in production (uploaded glossaries live there).
    const { dir, remove } = await tempDataDir(`pgactions-app${i + 1}`);
    cleanup.add(`remove ${dir}`, remove);
    const server = await startServer({ dataDir: dir, env });
    cleanup.add(`stop app instance ${i + 1}`, () => server.stop());
    servers.push(server);
  }
  return servers;
}

const sum = (values: Array<number | undefined>) => (values.every((v) => v !== undefined) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined);

function pool(maps: Array<Record<string, number[]>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) (out[k] ??= []).push(...v);
  return out;
}

/** The servers' timings since they were last asked (stages, CPU, event-loop busy time), pooled. */
async function timingsOf(servers: ServerHandle[]): Promise<Record<string, number[]>> {
  return pool(await Promise.all(servers.map(async (s) => (await s.ask({ type: 'timings' }, 'timings')).timings)));
}

/**
 * The load over `servers`: a short unloaded warm-up per instance, then the 20 clients, client k on
 * paragraph k·size/20 and on instance k mod n, `warmup` + `total` requests in all (the first `warmup`
 * by send time left out), then the same clients paced for `paced` requests.
 */
async function load(label: string, servers: ServerHandle[], articleId: string, size: number, o: { total: number; warmup: number; paced: number }, pg?: BenchPostgres): Promise<LoadResult> {
  const n = servers.length;
  const gen = new NewsText(2001);
  const at = (list: ParagraphAnswer[]) => Array.from({ length: CLIENTS }, (_, k) => list[Math.floor((k * size) / CLIENTS)]!);
  let mine = at(await currentParagraphs(servers[0]!, articleId));
  // Unloaded service time (and warm-up): one client per instance, one request at a time, one instance after the other.
  const soloAE: number[] = [];
  for (let i = 0; i < n; i++) {
    const solo = await drive(servers[i]!, articleId, [mine[i]!], SOLO, gen, 1);
    soloAE.push(...solo.samples.filter((s) => s.status === 200 && s.kind !== 'suggest').map((s) => s.ms));
  }
  const soloStages = await timingsOf(servers);
  mine = at(await currentParagraphs(servers[0]!, articleId));
  const split = (budget: number, i: number) => {
    const clients = mine.filter((_, k) => k % n === i);
    return { clients, budget: Math.round((budget * clients.length) / CLIENTS) };
  };

  const cpu0 = { app: sum(servers.map((s) => processCpuMs(s.pid))), postgres: pg?.cpuMs(), machine: machineCpu() };
  const runs = await Promise.all(
    servers.map((s, i) => {
      // The budget split like the clients; each instance's share of the 20 clients works through it.
      const { clients, budget } = split(o.warmup + o.total, i);
      return drive(s, articleId, clients, budget, gen, clients.length);
    }),
  );
  const cpu1 = { app: sum(servers.map((s) => processCpuMs(s.pid))), postgres: pg?.cpuMs(), machine: machineCpu() };
  const perServer = await Promise.all(servers.map(async (s) => (await s.ask({ type: 'timings' }, 'timings')).timings));
  const stages = pool(perServer);
  // The app's own timing of each action (request read → answer written) is kept per kind in the order the
  // answers went; kinds come in turn (edit → suggest → accept), so the first warmup ÷ (warmup + total) of
  // each kind's list is the warm-up's share, left out like the warm-up's client-side samples.
  const measured = (list: number[] = []) => list.slice(Math.round((list.length * o.warmup) / (o.warmup + o.total)));
  const inApp = perServer.flatMap((t) => [...measured(t['accept']), ...measured(t['edit'])]);

  const all = runs.flatMap((r) => r.samples).sort((x, y) => x.at - y.at);
  const samples = all.slice(o.warmup);
  const firstWarm = Math.min(o.warmup, FIRST_WARMUP);
  // BENCH_DUMP=FILE: every measured sample as JSON lines (as bench/actions.ts), to look for clustered slow requests.
  if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, samples.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const wall = samples.length ? Math.max(...samples.map((x) => x.at + x.ms)) - samples[0]!.at : NaN;

  let paced: Sample[] = [];
  const errors = runs.flatMap((r) => r.errors);
  if (o.paced > 0) {
    mine = at(await currentParagraphs(servers[0]!, articleId));
    const pacedRuns = await Promise.all(servers.map((s, i) => {
      const { clients, budget } = split(o.paced, i);
      return drive(s, articleId, clients, budget, gen, clients.length, THINK_MS);
    }));
    paced = pacedRuns.flatMap((r) => r.samples);
    errors.push(...pacedRuns.flatMap((r) => r.errors));
    await timingsOf(servers);
  }
  const result: LoadResult = {
    label,
    instances: n,
    samples,
    warm: { start: all.slice(0, firstWarm), later: all.slice(firstWarm, o.warmup) },
    wall,
    sent: all.length,
    errors,
    paced,
    soloAE,
    soloStages,
    stages,
    inApp,
    ...(stages.loopActive ? { loopMs: sum(stages.loopActive) } : {}),
    ...(stages.mainCpu?.every(Number.isFinite) ? { mainCpuMs: sum(stages.mainCpu) } : {}),
    ...(cpu0.app !== undefined && cpu1.app !== undefined ? { appCpuMs: cpu1.app - cpu0.app } : {}),
    ...(cpu0.postgres !== undefined && cpu1.postgres !== undefined ? { pgCpuMs: cpu1.postgres - cpu0.postgres } : {}),
    ...(cpu0.machine && cpu1.machine ? { machine: { busy: cpu1.machine.busy - cpu0.machine.busy, total: cpu1.machine.total - cpu0.machine.total } } : {}),
    rounds: [{ wall, requests: samples.length }],
  };
  console.log(line(summarize(result)));
  return result;
}

function merge(results: LoadResult[]): LoadResult {
  const [first] = results;
  const all = <K extends 'appCpuMs' | 'pgCpuMs' | 'loopMs' | 'mainCpuMs'>(k: K) => sum(results.map((r) => r[k]));
  const [app, pgCpu, loop, main] = [all('appCpuMs'), all('pgCpuMs'), all('loopMs'), all('mainCpuMs')];
  const machines = results.map((r) => r.machine);
  return {
    label: first!.label,
    instances: first!.instances,
    samples: results.flatMap((r) => r.samples),
    warm: { start: results.flatMap((r) => r.warm.start), later: results.flatMap((r) => r.warm.later) },
    wall: results.reduce((a, r) => a + r.wall, 0),
    sent: results.reduce((a, r) => a + r.sent, 0),
    errors: results.flatMap((r) => r.errors),
    paced: results.flatMap((r) => r.paced),
    soloAE: results.flatMap((r) => r.soloAE),
    soloStages: pool(results.map((r) => r.soloStages)),
    stages: pool(results.map((r) => r.stages)),
    inApp: results.flatMap((r) => r.inApp),
    ...(app !== undefined ? { appCpuMs: app } : {}),
    ...(pgCpu !== undefined ? { pgCpuMs: pgCpu } : {}),
    ...(loop !== undefined ? { loopMs: loop } : {}),
    ...(main !== undefined ? { mainCpuMs: main } : {}),
    ...(machines.every(Boolean) ? { machine: { busy: sum(machines.map((m) => m!.busy))!, total: sum(machines.map((m) => m!.total))! } } : {}),
    rounds: results.flatMap((r) => r.rounds),
  };
}

interface Summary {
  label: string;
  instances: number;
  requests: number;
  wall: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Accept + edit p99 of the warm-up requests: the first FIRST_WARMUP, and the rest. */
  warmP99: { start: number; later: number };
  byKind: Record<Kind, number[]>;
  errors: number;
  conflicts: number;
  firstErrors: string[];
  paced: { requests: number; p50: number; p99: number };
  soloP50: number;
  soloStages: Record<string, number[]>;
  stages: Record<string, number[]>;
  inApp: number[];
  /** Per request sent (warm-up included): CPU ms of the app processes and of PostgreSQL, the app's event-loop busy ms; and the share of the machine's CPU that was busy. */
  cpu: { app?: number; postgres?: number; loop?: number; main?: number; machineBusy?: number };
  rounds: Array<{ wall: number; requests: number }>;
}

const acceptEdit = (samples: Sample[]) => samples.filter((s) => s.status === 200 && s.kind !== 'suggest').map((s) => s.ms);

function summarize(r: LoadResult): Summary {
  const ok = r.samples.filter((s) => s.status === 200);
  const byKind = { edit: [], suggest: [], accept: [] } as Record<Kind, number[]>;
  for (const s of ok) byKind[s.kind].push(s.ms);
  const ae = acceptEdit(r.samples);
  const pacedAE = acceptEdit(r.paced);
  return {
    label: r.label,
    instances: r.instances,
    requests: r.samples.length,
    wall: r.wall,
    throughput: r.samples.length / (r.wall / 1000),
    p50: median(ae),
    p99: quantile(ae, 0.99),
    warmP99: { start: quantile(acceptEdit(r.warm.start), 0.99), later: quantile(acceptEdit(r.warm.later), 0.99) },
    byKind,
    errors: r.errors.length,
    conflicts: [...r.samples, ...r.paced].filter((s) => s.status === 409).length,
    firstErrors: r.errors.slice(0, 5),
    paced: { requests: r.paced.length, p50: median(pacedAE), p99: quantile(pacedAE, 0.99) },
    soloP50: median(r.soloAE),
    soloStages: r.soloStages,
    stages: r.stages,
    inApp: r.inApp,
    cpu: {
      ...(r.appCpuMs !== undefined ? { app: r.appCpuMs / r.sent } : {}),
      ...(r.pgCpuMs !== undefined ? { postgres: r.pgCpuMs / r.sent } : {}),
      ...(r.loopMs !== undefined ? { loop: r.loopMs / r.sent } : {}),
      ...(r.mainCpuMs !== undefined ? { main: r.mainCpuMs / r.sent } : {}),
      ...(r.machine && r.machine.total > 0 ? { machineBusy: r.machine.busy / r.machine.total } : {}),
    },
    rounds: r.rounds,
  };
}

/** "p50 / p99" of a list of ms. */
const p50p99 = (list: number[]) => `${fig(quantile(list, 0.5))} / ${fig(quantile(list, 0.99))}`;

function line(r: Summary): string {
  const cpuNote = [r.cpu.app !== undefined ? `app ${ms(r.cpu.app)}` : '', r.cpu.postgres !== undefined ? `PostgreSQL ${ms(r.cpu.postgres)}` : '', r.cpu.loop !== undefined ? `event loop busy ${ms(r.cpu.loop)}` : '', r.cpu.main !== undefined ? `main thread CPU ${ms(r.cpu.main)}` : ''].filter(Boolean).join(', ');
  return (
    `${r.label}: ${r.requests} measured requests in ${ms(r.wall, 0)} → ${r.throughput.toFixed(0)} req/s; accept+edit p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ` +
    `${(['edit', 'accept', 'suggest'] as const).map((k) => `${k} p50 ${fig(median(r.byKind[k]))} / p99 ${fig(quantile(r.byKind[k], 0.99))}`).join(', ')}; ` +
    `in the app p50 / p99 ${p50p99(r.inApp)}; ` +
    `${r.errors} errors (${r.conflicts} × 409); ${r.paced.requests ? `paced p50 ${ms(r.paced.p50)}, p99 ${ms(r.paced.p99)}; ` : ''}warm-up p99 ${warmFigures(r)}; unloaded p50 ${ms(r.soloP50)}` +
    `${cpuNote ? `; per request: ${cpuNote}` : ''}${r.cpu.machineBusy !== undefined ? `; machine CPU ${(r.cpu.machineBusy * 100).toFixed(0)} % busy` : ''}` +
    `${r.firstErrors.length ? `\n  first errors:\n    ${r.firstErrors.join('\n    ')}` : ''}`
  );
}

const servicesOn = (dataDir: string, env: NodeJS.ProcessEnv) => createServices({ dataDir, corpusDir, engine: new OfflineEngine(), env });
const meets = (r: Summary) => r.p99 <= TARGET_P99 && r.errors === 0;
/** A figure, or n/a where there were no samples (never "NaN ms"). */
const fig = (n: number, digits = 2) => (Number.isFinite(n) ? ms(n, digits) : 'n/a');
const warmFigures = (r: Summary) => `${fig(r.warmP99.start)} / ${fig(r.warmP99.later)}`;

export async function runPgActions(): Promise<PgActionsResult> {
  const o = {
    total: Number(process.env.BENCH_PG_ACTIONS_REQUESTS ?? 6000),
    warmup: Number(process.env.BENCH_PG_ACTIONS_WARMUP ?? WARMUP),
    paced: Number(process.env.BENCH_PG_ACTIONS_PACED ?? 400),
  };
  const size = Number(process.env.BENCH_PG_ACTIONS_PARAGRAPHS ?? 1000);
  // The same load on a small article, one instance: the latency's dependence on the article's size (0: left out).
  const small = Number(process.env.BENCH_PG_ACTIONS_SMALL ?? 100);
  const withSmall = small > 0 && small < size;
  const withLowdb = process.env.BENCH_PG_ACTIONS_LOWDB !== '0';
  const rounds = Math.max(1, Number(process.env.BENCH_PG_ROUNDS ?? 2));
  // For quick comparisons while working on the write path: one instance only, printed, RESULTS untouched.
  const oneOnly = process.env.BENCH_PG_ACTIONS_ONE_ONLY === '1';
  const started = performance.now();
  const loadAtStart = conditions();
  console.log(`\n== Accept/edit on PostgreSQL: ${size}-paragraph article with ${REVISIONS.toLocaleString('en-US')} revisions; ${CLIENTS} unpaced clients, ${o.warmup} warm-up + ${o.total} measured requests per configuration and round, ${rounds} round(s); ${loadAtStart}`);
  const cleanup = new Cleanup();
  try {
    const pg = await benchPostgres(cleanup);
    console.log(`PostgreSQL ${pg.version}: ${pg.origin}`);

    // The article, generated once into a template database; each PostgreSQL configuration gets a copy.
    const t0 = performance.now();
    const template: BenchDatabase = await pg.database();
    const gen = await tempDataDir('pgactions-gen');
    cleanup.add(`remove ${gen.dir}`, gen.remove);
    const services = await servicesOn(gen.dir, { DATABASE_URL: template.url });
    let article;
    let smallArticle: HistoryArticle | undefined;
    try {
      article = await generateHistoryArticle(services, size, REVISIONS);
      if (withSmall && !oneOnly) smallArticle = await generateHistoryArticle(services, small, REVISIONS);
      await editorToken(services);
    } finally {
      await services.store.close();
    }
    // Statistics for the copies' planner, as a live database of this size has them: without, the copies
    // made before autovacuum had analyzed the template (its first minute) ran with none until autovacuum
    // reached the copy itself — during the warm-up or the measured requests, by chance — and the same
    // configuration measured accept + edit p50 11–15 ms in one round and 4–5 ms in the other (2026-12-06).
    await pg.analyze(template);
    const articleBytes = Buffer.byteLength(JSON.stringify(article.article));
    console.log(`generated "${article.id}" on PostgreSQL: ${REVISIONS} revisions, ${article.suggested} suggestions, article JSON ${kb(articleBytes)} (${ms(performance.now() - t0, 0)})`);

    const run = async (label: string, instances: number, db: BenchDatabase, on = { id: article.id, size }) => {
      const servers = await startInstances(cleanup, instances, { DATABASE_URL: db.url });
      try {
        return await load(label, servers, on.id, on.size, o, pg);
      } finally {
        for (const s of servers) await s.stop();
        await pg.drop(db);
      }
    };
    // One instance and two in turn, A B B A … (so a drift in the machine's load weighs on both alike),
    // each round on a fresh copy of the same data.
    // The small article's load (one instance) sits between them: 1, small, 2, then 2, small, 1.
    const ones: LoadResult[] = [];
    const twos: LoadResult[] = [];
    const smalls: LoadResult[] = [];
    const configurations = {
      one: async () => ones.push(await run('PostgreSQL, 1 instance', 1, await pg.database(template))),
      two: async () => twos.push(await run('PostgreSQL, 2 instances', 2, await pg.database(template))),
      small: async () => {
        if (smallArticle) smalls.push(await run(`PostgreSQL, 1 instance, ${small}-paragraph article`, 1, await pg.database(template), { id: smallArticle.id, size: small }));
      },
    };
    for (let round = 0; round < rounds; round++) {
      for (const name of oneOnly ? (['one'] as const) : round % 2 === 0 ? (['one', 'small', 'two'] as const) : (['two', 'small', 'one'] as const)) await configurations[name]();
    }
    const smallOne = smalls.length ? summarize(merge(smalls)) : undefined;
    const one = summarize(merge(ones));
    if (oneOnly) {
      console.log(line(one));
      const st = (k: string) => p50p99(one.stages[`stage:${k}`] ?? []);
      console.log(`stages p50 / p99 (warm-up included): before the command ${st('lockWait+clone')}, the command ${st('change')}, after it ${st('persist')}`);
      console.log(`accept+edit p99 on PostgreSQL, 1 instance: ${ms(one.p99)} (BENCH_PG_ACTIONS_ONE_ONLY: RESULTS not written)`);
      return { one, met: meets(one) };
    }
    const two = summarize(merge(twos));

    let lowdb: Summary | undefined;
    if (withLowdb) {
      const t1 = performance.now();
      const data = await tempDataDir('pgactions-lowdb');
      cleanup.add(`remove ${data.dir}`, data.remove);
      // An empty env: lowdb even when DATABASE_URL is set in the shell.
      const lowServices = await servicesOn(data.dir, {});
      let lowId: string;
      try {
        lowId = (await generateHistoryArticle(lowServices, size, REVISIONS)).id;
      } finally {
        await lowServices.store.close();
      }
      console.log(`generated the same article on lowdb (${ms(performance.now() - t1, 0)})`);
      const server = await startServer({ dataDir: data.dir, env: { DATABASE_URL: '' } });
      cleanup.add('stop the lowdb app', () => server.stop());
      try {
        lowdb = summarize(await load('lowdb, 1 instance', [server], lowId, size, o));
      } finally {
        await server.stop();
      }
    }

    const met = meets(one);
    const throughputRatio = two.throughput / one.throughput;
    const p99Ratio = two.p99 / one.p99;
    const perRound = ones.map((x, i) => summarize(twos[i]!).throughput / summarize(x).throughput);
    if (rounds > 1) for (const r of [one, two, ...(smallOne ? [smallOne] : [])]) console.log(line(r));
    console.log(`accept+edit p99 on PostgreSQL, 1 instance: ${ms(one.p99)} — target p99 ≤ ${TARGET_P99} ms, no errors: ${met ? 'MET' : 'MISSED'} (2 instances: ${meets(two) ? 'met' : 'missed'})`);
    console.log(`two instances / one: throughput ${throughputRatio.toFixed(2)}×, p99 ${p99Ratio.toFixed(2)}×${rounds > 1 ? `; per round: ${perRound.map((x) => x.toFixed(2)).join(', ')}` : ''}`);
    const sizeRatios = smallOne && `throughput ${(one.throughput / smallOne.throughput).toFixed(2)}×, accept + edit p50 ${(one.p50 / smallOne.p50).toFixed(2)}×, p99 ${(one.p99 / smallOne.p99).toFixed(2)}×`;
    if (sizeRatios) console.log(`${size} paragraphs / ${small} (PostgreSQL, 1 instance): ${sizeRatios}`);
    if (lowdb) console.log(`PostgreSQL 1 instance / lowdb 1 instance: throughput ${(one.throughput / lowdb.throughput).toFixed(2)}×, p50 ${(one.p50 / lowdb.p50).toFixed(2)}×, p99 ${(one.p99 / lowdb.p99).toFixed(2)}×`);

    const all = [one, two, ...(smallOne ? [smallOne] : []), ...(lowdb ? [lowdb] : [])];
    const conflicts = all.reduce((a, r) => a + r.conflicts, 0);
    const perRequest = (r: Summary) =>
      r.cpu.app === undefined ? 'n/a' : `${ms(r.cpu.app, 1)}${r.cpu.postgres !== undefined && r.label.startsWith('PostgreSQL') ? ` + ${ms(r.cpu.postgres, 1)}` : ''}${r.cpu.loop !== undefined ? ` (loop ${ms(r.cpu.loop, 1)})` : ''}`;
    const stage = (r: Summary, k: string) => p50p99(r.stages[`stage:${k}`] ?? []);
    const solo = (k: string) => fig(median(one.soloStages[`stage:${k}`] ?? []));
    const handledSolo = () => fig(median([...(one.soloStages['accept'] ?? []), ...(one.soloStages['edit'] ?? [])]));
    const section = `## 5. Accept/edit on PostgreSQL: ${size} paragraphs, ${CLIENTS} editors — ${met ? 'target met' : 'TARGET MISSED'}

Measured ${today()} on ${machine()}; ${loadAtStart}. PostgreSQL ${pg.version}: ${pg.origin}.
\`npm run bench:pg-actions\`; ${ms(performance.now() - started, 0)} in all.

The article of bench/actions.ts's scaling run (bench/lib/historyArticle.ts): ${size} generated paragraphs, ${REVISIONS.toLocaleString('en-US')} revisions,
a pending suggestion on ${article.suggested} of them (every other), undo stack full; ${kb(articleBytes)} of article JSON. On PostgreSQL one
row per paragraph and per undo entry (migrations 004, 005); generated once into a template database, each configuration on
its own byte-identical copy (\`CREATE DATABASE … TEMPLATE\`, after an ANALYZE of the template: the planner statistics a live database has), dropped once measured (so its dead rows are not vacuumed during the next). ${CLIENTS} unpaced API clients (bench/actions.ts's driver: keep-alive,
Bearer token, each on its own paragraph, edit → suggest → accept): ${o.warmup.toLocaleString('en-US')} warm-up requests under the same load, left out of the
figures — a server just started runs its code unoptimised, and V8 went on compiling the hot path for ~30 s of this load (see WARMUP in bench/pgActions.ts: after 1,000 warm-up requests, §2's number, the p99 of quick runs was 34.7 ms, after 10,000 24.0 ms); their accept + edit p99, the first ${Math.min(FIRST_WARMUP, o.warmup).toLocaleString('en-US')} and the rest apart, is a column of its own: what a desk sees in its first minute of such load after a start —, then ${o.total.toLocaleString('en-US')} measured per configuration and round; ${o.paced ? `then the same ${CLIENTS} editors paced (${THINK_MS} ms think time, ${o.paced} requests).` : ''}
Two instances: two app processes on two ports, clients 0, 2, 4, … on the first and 1, 3, 5, … on the second. Every app
process has its own data directory and the default pool of 10 connections.${smallOne ? ` The ${small}-paragraph article: the same generator, revisions and load (its ${smallArticle?.suggested} pending suggestions, 20 clients), one instance, on a copy of the same database.` : ''} ${rounds > 1 ? `${rounds} rounds, in the order ${Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? `1, ${smallOne ? 'small, ' : ''}2` : `2, ${smallOne ? 'small, ' : ''}1`)).join(', ')} instances, each on a fresh copy; the PostgreSQL lines pool the rounds.` : 'One round.'}
One machine runs the clients, the app processes and PostgreSQL.

${table(['configuration', 'throughput', '**accept + edit p50 / p99**', 'edit p99', 'accept p99', 'suggest p50 / p99', `paced (${THINK_MS} ms) p50 / p99`, 'errors (409s)', `warm-up accept + edit p99: first ${FIRST_WARMUP.toLocaleString('en-US')} / the rest`, 'unloaded p50', 'CPU per request: app + PostgreSQL', 'machine CPU busy'], all.map((r) => [
      r.label,
      `${r.throughput.toFixed(0)} req/s`,
      `**${fig(r.p50)} / ${fig(r.p99)}**`,
      fig(quantile(r.byKind.edit, 0.99)),
      fig(quantile(r.byKind.accept, 0.99)),
      `${fig(median(r.byKind.suggest))} / ${fig(quantile(r.byKind.suggest, 0.99))}`,
      r.paced.requests ? `${fig(r.paced.p50)} / ${fig(r.paced.p99)}` : 'n/a',
      `${r.errors} (${r.conflicts})`,
      warmFigures(r),
      fig(r.soloP50),
      perRequest(r),
      r.cpu.machineBusy === undefined ? 'n/a' : `${(r.cpu.machineBusy * 100).toFixed(0)} %`,
    ]))}

Target (issue 18): accept + edit p99 ≤ ${TARGET_P99} ms and no errors on PostgreSQL, one instance: **${met ? 'met' : 'missed'}** (p99 ${ms(one.p99)}; two instances ${ms(two.p99)}).
Unpaced clients send their next request as soon as an answer comes, so the latency is the queue: with ${CLIENTS} of them it
is about ${CLIENTS} ÷ throughput, and the throughput is bounded by the CPU the app, PostgreSQL and the clients share.
**Two instances ÷ one** (PostgreSQL): throughput **${throughputRatio.toFixed(2)}×**, p99 **${p99Ratio.toFixed(2)}×**.${rounds > 1 ? ` Per round: 1 instance ${ones.map((r) => summarize(r).throughput.toFixed(0)).join(', ')} req/s; 2 instances ${twos.map((r) => summarize(r).throughput.toFixed(0)).join(', ')} req/s.` : ''}${sizeRatios ? `
**${size} paragraphs ÷ ${small}** (PostgreSQL, one instance, the same load): ${sizeRatios.replace(/p99 ([\d.]+×)/, 'p99 **$1**')}${smallOne && one.p99 / smallOne.p99 <= 1.5 ? ': the tail does not grow with the article (≤ 1.5×, the bound issue 18 sets for p50 in §2)' : ': the tail grows with the article'}.` : ''}${lowdb ? `
PostgreSQL (one instance) ÷ lowdb (one instance): throughput ${(one.throughput / lowdb.throughput).toFixed(2)}×, p50 ${(one.p50 / lowdb.p50).toFixed(2)}×, p99 ${(one.p99 / lowdb.p99).toFixed(2)}×.` : ''}
409 conflicts: ${conflicts}${conflicts === 0 ? ' (none, as expected: every client owns its paragraph)' : ' — UNEXPECTED: every client owns its paragraph'}.${all.some((r) => r.errors) ? `
First errors: ${all.flatMap((r) => r.firstErrors.map((e) => `${r.label}: ${e}`)).slice(0, 5).join('; ')}` : ''}

Server-side stages of each action on PostgreSQL (the store's \`updateArticle\` wrapped in the app processes; p50 / p99
under load, warm-up included, and p50 of the unloaded requests on one instance):

${table(['stage', 'PostgreSQL, 1 instance', 'PostgreSQL, 2 instances', '1 instance, unloaded'], [
      ['before the command: the article\'s queue in this process; then, unless the cached copy is current (this instance wrote the article last), a pool connection and one round trip of BEGIN, SELECT version … FOR UPDATE (waits for the other instance\'s transaction) and the read of the rows written since the copy; a change written with others waits for the ones before it', ...[one, two].map((r) => stage(r, 'lockWait+clone')), solo('lockWait+clone')],
      ['the command (checks, diffs, undo entry)', ...[one, two].map((r) => stage(r, 'change')), solo('change')],
      ['after the command: the changes written with it, then one round trip of the statement writing — only if the article is still at the version they were made on — the new version, the changed paragraph and undo rows, the brief\'s counts, revisions and suggestions (with COMMIT under the lock)', ...[one, two].map((r) => stage(r, 'persist')), solo('persist')],
      ['the whole accept or edit inside the app process, warm-up left out: from its request read off the socket to its answer written (the rest of what a client measures is the wait before the app reads the request, its event loop busy with other requests, and the client\'s own turn to read the answer)', ...[one, two].map((r) => p50p99(r.inApp)), handledSolo()],
    ])}

An action writes only the rows it changed: its paragraph and undo rows, its revisions and suggestions, and the article
row's version, metadata and brief — paragraph counts by status and review since migration 007, no longer a list with an
entry per paragraph. Actions on one article are serialised in one process by the store's queue, and the changes that
queued while one was written are written together in the next statement (server/store/pg/articleUpdate.ts), each on the
article as the ones before it left it. Each instance keeps the article in memory: while it wrote the article last, the
changes run on that copy and the statement applies only if the article row is still at its version — one round trip, no
lock held while the command runs; otherwise (another instance wrote since) they run again under the article row's lock
(\`SELECT … FOR UPDATE\`) on the rows read since. Two instances taking turns on one article therefore mostly take the
lock path: two round trips, and a read of what the other wrote. The Bearer token's user and the shared glossary
revision cost no round trip while nothing changed them: each instance keeps them and drops them when a trigger's
notification says users, tokens or glossaries changed (server/store/pg/pgSignals.ts, migration 008).`;
    placeSectionAfter('pgActions', ['batch', 'memory']);
    writeSection('pgActions', section);
    return { two, one, ...(lowdb ? { lowdb } : {}), met, throughputRatio, p99Ratio };
  } finally {
    await cleanup.run();
  }
}

if (isMain(import.meta.url)) {
  await runPgActions();
  // The generation above ran edit commands in this process, which start the fact-guard worker thread
  // (server/checks/offThreadChecks.ts); it keeps the process alive, so end it explicitly.
  process.exit(0);
}
