/**
 * Accept/edit on PostgreSQL with two app instances (issue 9, item 8): the accept/edit benchmark's
 * article (200 paragraphs, 10,000 revisions) and its 20 unpaced API clients (bench/actions.ts's
 * driver), each on its own paragraph cycling edit → suggest → accept — split over TWO app processes on
 * two ports over one PostgreSQL database, and, in the same run and on a byte-identical copy of the data
 * (CREATE DATABASE … TEMPLATE), the same load on ONE instance on PostgreSQL and on one on lowdb.
 * Prints throughput, accept+edit p50/p99, errors (409s must be 0: every client owns its paragraph),
 * and the ratios two instances / one instance. No target: reporting only.
 *
 * PostgreSQL: DATABASE_URL's server (in databases of the benchmark's own, dropped at the end), else a
 * throwaway local cluster it starts and removes.
 *
 *   npx tsx bench/pgActions.ts
 *   BENCH_PG_ACTIONS_REQUESTS=2000 BENCH_PG_ACTIONS_LOWDB=0 npx tsx bench/pgActions.ts   (defaults: 600 requests per configuration and round, 2 rounds, with lowdb)
 */
import { createServices } from '../server/boot.js';
import { OfflineEngine } from '../server/engines/offline.js';
import { CLIENTS, REVISIONS, currentParagraphs, drive, type Kind, type ParagraphAnswer, type Sample } from './actions.js';
import { editorToken, tempDataDir } from './lib/data.js';
import { generateHistoryArticle } from './lib/historyArticle.js';
import { benchPostgres, busyShare, Cleanup, machineCpu, processCpuMs, type BenchDatabase, type BenchPostgres } from './lib/pg.js';
import { conditions, isMain, kb, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { placeSectionAfter } from './lib/sections.js';
import { startServer, type ServerHandle } from './lib/server.js';
import { corpusDir, NewsText } from './lib/text.js';

export interface PgActionsResult {
  two: Summary;
  one: Summary;
  lowdb?: Summary;
  /** Two instances ÷ one instance. */
  throughputRatio: number;
  p99Ratio: number;
}

/** One measured load (raw), merged over rounds by `merge`. */
interface LoadResult {
  label: string;
  instances: number;
  wall: number;
  samples: Sample[];
  errors: string[];
  soloAE: number[];
  /** Server-side stages of the unloaded requests. */
  soloStages: Record<string, number[]>;
  stages: Record<string, number[]>;
  /** CPU ms used during the load by the app processes and PostgreSQL (when readable), and the machine's busy/total CPU. */
  appCpuMs?: number;
  pgCpuMs?: number;
  machine?: { busy: number; total: number };
  rounds: Array<{ wall: number; requests: number }>;
}

const SOLO = 30;

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

/**
 * The load of bench/actions.ts over `servers`: a short unloaded warm-up per instance, then the 20
 * clients, client k on paragraph k·size/20 and on instance k mod n, `total` requests in all.
 */
async function load(label: string, servers: ServerHandle[], articleId: string, size: number, total: number, pg?: BenchPostgres): Promise<LoadResult> {
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
  const soloStages: Record<string, number[]> = {};
  for (const s of servers) {
    for (const [k, v] of Object.entries((await s.ask({ type: 'timings' }, 'timings')).timings)) (soloStages[k] ??= []).push(...v);
  }
  mine = at(await currentParagraphs(servers[0]!, articleId));

  const cpu0 = { app: sum(servers.map((s) => processCpuMs(s.pid))), postgres: pg?.cpuMs(), machine: machineCpu() };
  const t0 = performance.now();
  const runs = await Promise.all(
    servers.map((s, i) => {
      const clients = mine.filter((_, k) => k % n === i);
      // The budget split like the clients; each instance's share of the 20 clients works through it.
      return drive(s, articleId, clients, Math.round((total * clients.length) / CLIENTS), gen, clients.length);
    }),
  );
  const wall = performance.now() - t0;
  const cpu1 = { app: sum(servers.map((s) => processCpuMs(s.pid))), postgres: pg?.cpuMs(), machine: machineCpu() };

  const stages: Record<string, number[]> = {};
  for (const s of servers) {
    for (const [k, v] of Object.entries((await s.ask({ type: 'timings' }, 'timings')).timings)) (stages[k] ??= []).push(...v);
  }
  const samples = runs.flatMap((r) => r.samples);
  const result: LoadResult = {
    label,
    instances: n,
    wall,
    samples,
    errors: runs.flatMap((r) => r.errors),
    soloAE,
    soloStages,
    stages,
    ...(cpu0.app !== undefined && cpu1.app !== undefined ? { appCpuMs: cpu1.app - cpu0.app } : {}),
    ...(cpu0.postgres !== undefined && cpu1.postgres !== undefined ? { pgCpuMs: cpu1.postgres - cpu0.postgres } : {}),
    ...(cpu0.machine && cpu1.machine ? { machine: { busy: cpu1.machine.busy - cpu0.machine.busy, total: cpu1.machine.total - cpu0.machine.total } } : {}),
    rounds: [{ wall, requests: samples.length }],
  };
  console.log(line(summarize(result)));
  return result;
}

function pool(maps: Array<Record<string, number[]>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) (out[k] ??= []).push(...v);
  return out;
}

function merge(results: LoadResult[]): LoadResult {
  const [first] = results;
  const all = <K extends 'appCpuMs' | 'pgCpuMs'>(k: K) => sum(results.map((r) => r[k]));
  const app = all('appCpuMs');
  const pgCpu = all('pgCpuMs');
  const machines = results.map((r) => r.machine);
  return {
    label: first!.label,
    instances: first!.instances,
    wall: results.reduce((a, r) => a + r.wall, 0),
    samples: results.flatMap((r) => r.samples),
    errors: results.flatMap((r) => r.errors),
    soloAE: results.flatMap((r) => r.soloAE),
    soloStages: pool(results.map((r) => r.soloStages)),
    stages: pool(results.map((r) => r.stages)),
    ...(app !== undefined ? { appCpuMs: app } : {}),
    ...(pgCpu !== undefined ? { pgCpuMs: pgCpu } : {}),
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
  byKind: Record<Kind, number[]>;
  errors: number;
  conflicts: number;
  firstErrors: string[];
  soloP50: number;
  soloStages: Record<string, number[]>;
  stages: Record<string, number[]>;
  /** CPU ms per request: the app processes, PostgreSQL; and the share of the machine's CPU that was busy. */
  cpu: { app?: number; postgres?: number; machineBusy?: number };
  rounds: Array<{ wall: number; requests: number }>;
}

function summarize(r: LoadResult): Summary {
  const ok = r.samples.filter((s) => s.status === 200);
  const byKind = { edit: [], suggest: [], accept: [] } as Record<Kind, number[]>;
  for (const s of ok) byKind[s.kind].push(s.ms);
  const ae = [...byKind.edit, ...byKind.accept];
  const requests = r.samples.length;
  return {
    label: r.label,
    instances: r.instances,
    requests,
    wall: r.wall,
    throughput: requests / (r.wall / 1000),
    p50: median(ae),
    p99: quantile(ae, 0.99),
    byKind,
    errors: r.errors.length,
    conflicts: r.samples.filter((s) => s.status === 409).length,
    firstErrors: r.errors.slice(0, 5),
    soloP50: median(r.soloAE),
    soloStages: r.soloStages,
    stages: r.stages,
    cpu: {
      ...(r.appCpuMs !== undefined ? { app: r.appCpuMs / requests } : {}),
      ...(r.pgCpuMs !== undefined ? { postgres: r.pgCpuMs / requests } : {}),
      ...(r.machine && r.machine.total > 0 ? { machineBusy: r.machine.busy / r.machine.total } : {}),
    },
    rounds: r.rounds,
  };
}

function line(r: Summary): string {
  const cpuNote = [r.cpu.app !== undefined ? `app ${ms(r.cpu.app)}` : '', r.cpu.postgres !== undefined ? `PostgreSQL ${ms(r.cpu.postgres)}` : ''].filter(Boolean).join(', ');
  return (
    `${r.label}: ${r.requests} requests in ${ms(r.wall, 0)} → ${r.throughput.toFixed(0)} req/s; accept+edit p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ` +
    `${r.errors} errors (${r.conflicts} × 409); unloaded p50 ${ms(r.soloP50)}` +
    `${cpuNote ? `; CPU per request: ${cpuNote}` : ''}${r.cpu.machineBusy !== undefined ? `; machine CPU ${(r.cpu.machineBusy * 100).toFixed(0)} % busy` : ''}` +
    `${r.firstErrors.length ? `\n  first errors:\n    ${r.firstErrors.join('\n    ')}` : ''}`
  );
}

const servicesOn = (dataDir: string, env: NodeJS.ProcessEnv) => createServices({ dataDir, corpusDir, engine: new OfflineEngine(), env });

export async function runPgActions(): Promise<PgActionsResult> {
  const total = Number(process.env.BENCH_PG_ACTIONS_REQUESTS ?? 600);
  const size = Number(process.env.BENCH_PG_ACTIONS_PARAGRAPHS ?? 200);
  const withLowdb = process.env.BENCH_PG_ACTIONS_LOWDB !== '0';
  const rounds = Math.max(1, Number(process.env.BENCH_PG_ROUNDS ?? 2));
  const started = performance.now();
  const loadAtStart = conditions();
  console.log(`\n== Accept/edit on PostgreSQL: ${size}-paragraph article with ${REVISIONS.toLocaleString('en-US')} revisions; ${CLIENTS} unpaced clients, ${total} requests per configuration and round, ${rounds} round(s)`);
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
    try {
      article = await generateHistoryArticle(services, size, REVISIONS);
      await editorToken(services);
    } finally {
      await services.store.close();
    }
    const articleBytes = Buffer.byteLength(JSON.stringify(article.article));
    console.log(`generated "${article.id}" on PostgreSQL: ${REVISIONS} revisions, article JSON ${kb(articleBytes)} (${ms(performance.now() - t0, 0)})`);

    const run = async (label: string, instances: number, db: BenchDatabase) => {
      const servers = await startInstances(cleanup, instances, { DATABASE_URL: db.url });
      try {
        return await load(label, servers, article.id, size, total, pg);
      } finally {
        for (const s of servers) await s.stop();
      }
    };
    // One instance and two in turn, A B B A … (so a drift in the machine's load weighs on both alike),
    // each round on a fresh copy of the same data.
    const ones: LoadResult[] = [];
    const twos: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const instances of round % 2 === 0 ? [1, 2] : [2, 1]) {
        const label = `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`;
        (instances === 1 ? ones : twos).push(await run(label, instances, await pg.database(template)));
      }
    }
    const one = summarize(merge(ones));
    const two = summarize(merge(twos));
    const perRound = ones.map((o, i) => summarize(twos[i]!).throughput / summarize(o).throughput);

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
        lowdb = summarize(await load('lowdb, 1 instance', [server], lowId, size, total));
      } finally {
        await server.stop();
      }
    }

    const throughputRatio = two.throughput / one.throughput;
    const p50Ratio = two.p50 / one.p50;
    const p99Ratio = two.p99 / one.p99;
    if (rounds > 1) {
      console.log(line(one));
      console.log(line(two));
    }
    console.log(`two instances / one (PostgreSQL${rounds > 1 ? `, ${rounds} rounds pooled` : ''}): throughput ${throughputRatio.toFixed(2)}×, accept+edit p50 ${p50Ratio.toFixed(2)}×, p99 ${p99Ratio.toFixed(2)}×${rounds > 1 ? `; per round: ${perRound.map((x) => x.toFixed(2)).join(', ')}` : ''}`);
    if (lowdb) console.log(`PostgreSQL 1 instance / lowdb 1 instance: throughput ${(one.throughput / lowdb.throughput).toFixed(2)}×, p50 ${(one.p50 / lowdb.p50).toFixed(2)}×, p99 ${(one.p99 / lowdb.p99).toFixed(2)}×`);
    const conflicts = one.conflicts + two.conflicts + (lowdb?.conflicts ?? 0);
    console.log(`409 conflicts: ${conflicts} (must be 0)`);

    const all = [two, one, ...(lowdb ? [lowdb] : [])];
    const cpuCell = (r: Summary) =>
      r.cpu.app === undefined ? 'n/a' : `${ms(r.cpu.app, 1)}${r.cpu.postgres !== undefined && r.instances > 0 && r.label.startsWith('PostgreSQL') ? ` + ${ms(r.cpu.postgres, 1)}` : ''}`;
    const stage = (r: Summary, k: string) => `${ms(quantile(r.stages[`stage:${k}`] ?? [], 0.5))} / ${ms(quantile(r.stages[`stage:${k}`] ?? [], 0.99))}`;
    const solo = (k: string) => ms(median(one.soloStages[`stage:${k}`] ?? []));
    const section = `## 5. Accept/edit on PostgreSQL: two app instances vs one (no target)

Measured ${today()} on ${machine()}; ${loadAtStart}. PostgreSQL ${pg.version}: ${pg.origin}.
\`npx tsx bench/pgActions.ts\`; ${ms(performance.now() - started, 0)} in all.

The accept/edit benchmark's article (${size} generated paragraphs, ${REVISIONS.toLocaleString('en-US')} revisions, ${article.suggested} suggestions, undo stack full;
${kb(articleBytes)} of article JSON; on PostgreSQL one row per paragraph and per undo entry, migrations 004 and 005) generated once into a template database; each configuration runs
on its own byte-identical copy (\`CREATE DATABASE … TEMPLATE\`). ${CLIENTS} unpaced API clients (bench/actions.ts's driver:
keep-alive, Bearer token, each on its own paragraph, edit → suggest → accept), ${total} requests per configuration
and round, after ${SOLO} unloaded requests per instance. Two instances: two app processes on two ports, clients 0, 2, 4, …
on the first and 1, 3, 5, … on the second, ${total / 2} requests each. Every app process has its own data directory and
the default pool of 10 connections. ${rounds > 1 ? `${rounds} rounds, in the order ${Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? '1, 2' : '2, 1')).join(', ')} instances (so a drift in the
machine's load weighs on both alike), each on a fresh copy; the PostgreSQL lines pool the rounds.` : 'One round.'} Everything was measured
in this run, one configuration after the other, on one machine running the clients, the app processes and PostgreSQL.

${table(['configuration', 'throughput', '**accept + edit p50 / p99**', 'edit p99', 'accept p99', 'suggest p50 / p99', 'errors (409s)', 'unloaded p50', 'CPU per request: app + PostgreSQL', 'machine CPU busy'], all.map((r) => [
      r.label,
      `${r.throughput.toFixed(0)} req/s`,
      `**${ms(r.p50)} / ${ms(r.p99)}**`,
      ms(quantile(r.byKind.edit, 0.99)),
      ms(quantile(r.byKind.accept, 0.99)),
      `${ms(median(r.byKind.suggest))} / ${ms(quantile(r.byKind.suggest, 0.99))}`,
      `${r.errors} (${r.conflicts})`,
      ms(r.soloP50),
      cpuCell(r),
      r.cpu.machineBusy === undefined ? 'n/a' : `${(r.cpu.machineBusy * 100).toFixed(0)} %`,
    ]))}

**Two instances ÷ one instance** (PostgreSQL): throughput **${throughputRatio.toFixed(2)}×**, accept + edit p50 ${p50Ratio.toFixed(2)}×, p99 **${p99Ratio.toFixed(2)}×**.${rounds > 1 ? `
Per round: 1 instance ${ones.map((r) => summarize(r).throughput.toFixed(0)).join(', ')} req/s; 2 instances ${twos.map((r) => summarize(r).throughput.toFixed(0)).join(', ')} req/s; throughput ratio ${perRound.map((x) => x.toFixed(2)).join(', ')}.` : ''}${lowdb ? `
PostgreSQL (one instance) ÷ lowdb (one instance): throughput ${(one.throughput / lowdb.throughput).toFixed(2)}×, p50 ${(one.p50 / lowdb.p50).toFixed(2)}×, p99 ${(one.p99 / lowdb.p99).toFixed(2)}×.` : ''}
409 conflicts: ${conflicts}${conflicts === 0 ? ' (none, as expected: every client owns its paragraph)' : ' — UNEXPECTED: every client owns its paragraph'}.${[...all].some((r) => r.errors) ? `
First errors: ${all.flatMap((r) => r.firstErrors.map((e) => `${r.label}: ${e}`)).slice(0, 5).join('; ')}` : ''}

Server-side stages of each action on PostgreSQL (the store's \`updateArticle\` wrapped in the app processes; p50 / p99
under load, and p50 of the unloaded requests on one instance):

${table(['stage', 'PostgreSQL, 2 instances', 'PostgreSQL, 1 instance', '1 instance, unloaded'], [
      ['before the command: queue behind this process\'s article lock, pool connection, one round trip of BEGIN, SELECT version … FOR UPDATE (waits for the other instance\'s transaction) and the read of the rows written since the cached copy (none when this instance wrote last)', ...[two, one].map((r) => stage(r, 'lockWait+clone')), solo('lockWait+clone')],
      ['the command (checks, diffs, undo entry)', ...[two, one].map((r) => stage(r, 'change')), solo('change')],
      ['after the command: one round trip of the statement writing the new version, the changed paragraph and undo rows, revisions and suggestions, and COMMIT', ...[two, one].map((r) => stage(r, 'persist')), solo('persist')],
    ])}

All actions on one article are serialised — in one process by the store's per-article lock, across processes by the
article row's lock — and each holds the row for two round trips to PostgreSQL (lock + read of what changed; write +
COMMIT). An action writes only the rows it changed, and each instance keeps the article in memory; when two instances
take turns on one article, nearly every action first reads the rows the other wrote since — one paragraph and one undo
entry per action, found by version (no id list unless the paragraph order changed, migration 005). On this 2-core
machine the app processes, PostgreSQL and the 20 clients also share the same two cores.`;
    placeSectionAfter('pgActions', ['batch', 'memory']);
    writeSection('pgActions', section);
    return { two, one, ...(lowdb ? { lowdb } : {}), throughputRatio, p99Ratio };
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
