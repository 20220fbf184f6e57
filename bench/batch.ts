/**
 * Batch run benchmark (issue 4, item 8): 2,000 paragraphs (20 generated articles × 100) through the
 * real executor (`prepareRun` + `runBatch`) and the real OpenAI SDK (`OpenAIEngine`) against the
 * OpenAI test server answering every request after a fixed 200 ms, at concurrency 16 with no rpm/tpm
 * limits. Ideal throughput = concurrency ÷ latency = 80 paragraphs/s; target achieved/ideal ≥ 0.9.
 *
 * The test server runs in its own process, so the CPU time reported (process.cpuUsage of this process
 * over the run: main thread and libuv threads) is Postedit's alone; the server's is shown apart.
 *
 *   npm run bench:batch            (or npx tsx bench/batch.ts)
 *   BENCH_BATCH_CPU_PROF=/tmp/batch.cpuprofile npx tsx bench/batch.ts   (V8 profile of the run only)
 *   npx tsx bench/profile.ts /tmp/batch.cpuprofile
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createServices } from '../server/boot.js';
import { prepareRun } from '../server/runs/startRun.js';
import type { Services } from '../server/commands/services.js';
import { OfflineEngine } from '../server/engines/offline.js';
import { ActiveRuns, type RunContext } from '../server/runs/activeRuns.js';
import { runBatch } from '../server/runs/runBatch.js';
import { LowdbRunStore, type Run, type RunStore } from '../server/store/runStore.js';
import { startBatchServer, type BatchServerHandle } from './lib/batchServer.js';
import { TimedOpenAIEngine, Timings, timeMethods } from './lib/batchTiming.js';
import { importGenerated, tempDataDir } from './lib/data.js';
import { conditions, isMain, machine, median, ms, quantile, resultsFile, table, today, writeSection } from './lib/report.js';
import { corpusDir, NewsText } from './lib/text.js';

const ARTICLES = 20;
const PARAGRAPHS_PER_ARTICLE = 100;
const WORDS = 80;
const PARAGRAPHS = ARTICLES * PARAGRAPHS_PER_ARTICLE;
const CONCURRENCY = 16;
const LATENCY_MS = 200;
const IDEAL = CONCURRENCY / (LATENCY_MS / 1000);
const TARGET = 0.9;
const MODEL = 'gpt-4o-mini';

export interface BatchBenchResult {
  paragraphs: number;
  wallMs: number;
  rate: number;
  ideal: number;
  ratio: number;
  cpuMsPerParagraph: number;
  met: boolean;
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/** Puts the section's markers before the hand-written analysis the first time, so it sits with the other measured sections. */
function placeSection(name: string): void {
  if (!existsSync(resultsFile)) return;
  const doc = readFileSync(resultsFile, 'utf8');
  if (doc.includes(`<!-- bench:${name}:start -->`)) return;
  const at = doc.search(/^## Analysis/m);
  if (at < 0) return;
  writeFileSync(resultsFile, `${doc.slice(0, at)}<!-- bench:${name}:start -->\n<!-- bench:${name}:end -->\n\n${doc.slice(at)}`);
}

/** A V8 CPU profile of `fn` alone (not of the set-up), written to `file`. */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the run written to ${file} (summarise with: npx tsx bench/profile.ts ${file})`);
  }
}

export async function runBatchBench(): Promise<BatchBenchResult> {
  const load = conditions();
  console.log(`\n== Batch run: ${ARTICLES} articles × ${PARAGRAPHS_PER_ARTICLE} paragraphs (~${WORDS} words), concurrency ${CONCURRENCY}, test server latency ${LATENCY_MS} ms`);
  const { dir, remove } = await tempDataDir('batch');
  let server: BatchServerHandle | undefined;
  let services: Services | undefined;
  let runStore: RunStore | undefined;
  try {
    // Set-up, not measured: articles imported through the real command into a lowdb data directory
    // (an empty env, so a DATABASE_URL in the shell does not send the benchmark to PostgreSQL).
    const t0 = performance.now();
    services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine(), env: {} });
    const gen = new NewsText(2000);
    const ids: string[] = [];
    for (let i = 0; i < ARTICLES; i++) {
      ids.push(await importGenerated(services, gen, { title: `Generated wire copy ${i + 1}`, paragraphs: PARAGRAPHS_PER_ARTICLE, words: WORDS }));
    }
    server = await startBatchServer(LATENCY_MS);
    runStore = await LowdbRunStore.open(dir);
    // As envEngines makes it for a run: the SDK's own retries off, the run retries itself.
    const engine = new TimedOpenAIEngine({ baseURL: server.url, apiKey: 'bench-key', model: MODEL, maxRetries: 0, timeoutMs: 30_000 });
    const ctx: RunContext = { services, runStore, active: new ActiveRuns(), engineFor: () => engine };
    const { run } = await prepareRun(ctx, {
      articles: ids,
      engine: 'openai',
      model: MODEL,
      level: 'minimal',
      concurrency: CONCURRENCY,
      actor: { username: 'bench', role: 'admin' },
    });
    if (run.counts.total !== PARAGRAPHS) throw new Error(`the run has ${run.counts.total} paragraphs, expected ${PARAGRAPHS}`);
    console.log(`set-up: ${ARTICLES} articles imported, run ${run.id} prepared, test server pid ${server.pid} at ${server.url} (${ms(performance.now() - t0, 0)})`);

    // The measured run: the live stores wrapped to time their calls (wall time, lock waits included).
    const timings = new Timings();
    engine.timings = timings;
    const timedServices: Services = { ...services, store: timeMethods(services.store, 'store', timings) };
    const timedRuns = timeMethods(runStore, 'runStore', timings);
    const finishedAt: number[] = [];
    await server.mark();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const final: Run = await profiled(process.env.BENCH_BATCH_CPU_PROF, () =>
      runBatch({ services: timedServices, runStore: timedRuns, runId: run.id, engine, onProgress: () => void finishedAt.push(performance.now()) }),
    );
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0).utilization;
    delay.disable();
    const srv = await server.stats();

    if (final.status !== 'finished' || final.counts.done !== PARAGRAPHS) {
      throw new Error(`the run ended ${final.status} with ${JSON.stringify(final.counts)}: ${final.errors.map((e) => e.message).slice(0, 3).join('; ')}`);
    }
    if (srv.chatRequests !== PARAGRAPHS) throw new Error(`the test server saw ${srv.chatRequests} chat requests, expected ${PARAGRAPHS}`);
    const results = await runStore.results(run.id);

    const rate = PARAGRAPHS / (wallMs / 1000);
    const ratio = rate / IDEAL;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const cpuPer = cpuMs / PARAGRAPHS;
    const met = ratio >= TARGET;
    // Steady state: the middle 80 % of completions, without the ramp-up and the tail.
    const lo = finishedAt[Math.floor(PARAGRAPHS * 0.1)]!;
    const hi = finishedAt[Math.floor(PARAGRAPHS * 0.9)]!;
    const steady = (Math.floor(PARAGRAPHS * 0.9) - Math.floor(PARAGRAPHS * 0.1)) / ((hi - lo) / 1000);

    const perParagraph = results.map((r) => r.ms);
    const suggest = timings.get('engine.suggest');
    const serverMs = srv.serverMs;
    const suggestMean = mean(suggest);
    const serverMean = mean(serverMs);
    // A worker's cycle: with every worker busy from start to end, each paragraph occupies one of the
    // CONCURRENCY slots for CONCURRENCY × wall ÷ paragraphs; throughput = concurrency ÷ cycle. The timed parts
    // below add up to it; what is left is CPU work between awaits (fact checks, prompt, glue) and the
    // ramp-up and tail of the run.
    const cycle = (CONCURRENCY * wallMs) / PARAGRAPHS;
    const per = (k: string) => sum(timings.get(k)) / PARAGRAPHS;
    const storeKeys = ['store.getArticle', 'store.listArticles', 'store.updateArticle', 'runStore.appendResult', 'runStore.updateRun'];
    const inStore = storeKeys.reduce((n, k) => n + per(k), 0);
    const rest = cycle - suggestMean - inStore;
    const pct = (v: number) => `${((v / cycle) * 100).toFixed(1)} %`;
    const row = (label: string, v: number, note = ''): string[] => [label, ms(v), pct(v), note];
    const p99 = (k: string) => `p99 ${ms(quantile(timings.get(k), 0.99), 1)}`;
    const cycleRows = [
      row('test server holds the request', serverMean, `p99 ${ms(quantile(serverMs, 0.99), 1)}; ${LATENCY_MS} ms configured`),
      row('openai SDK + HTTP + waiting for this event loop', suggestMean - serverMean, `engine.suggest ${ms(suggestMean, 1)} in all`),
      row('store.getArticle + listArticles (desk examples)', per('store.getArticle') + per('store.listArticles'), p99('store.listArticles')),
      row('store.updateArticle: lock queue + clone', per('store.updateArticle → change runs'), p99('store.updateArticle → change runs')),
      row('store.updateArticle: change, log appends, shared article file write', per('store.updateArticle') - per('store.updateArticle → change runs'), `whole call ${p99('store.updateArticle')}`),
      row('runStore.appendResult (results log line)', per('runStore.appendResult'), p99('runStore.appendResult')),
      row('runStore.updateRun (run record rewritten)', per('runStore.updateRun'), p99('runStore.updateRun')),
      row('rest: fact checks, prompt, glue, ramp-up and tail', rest),
      ['**cycle per paragraph** (concurrency × wall ÷ paragraphs)', `**${ms(cycle)}**`, '100 %', `ideal ${ms(LATENCY_MS, 0)}`],
    ];
    const articleBytes = Buffer.byteLength(JSON.stringify(await services.store.getArticle(ids[0]!)));
    const runBytes = Buffer.byteLength(JSON.stringify(final, null, 1));
    const loopP99 = delay.percentile(99) / 1e6;
    const loopMax = delay.max / 1e6;

    console.log(`paragraphs           ${PARAGRAPHS} (${final.counts.done} done, ${final.counts.failed} failed, ${final.counts.skipped} skipped)`);
    console.log(`wall time            ${(wallMs / 1000).toFixed(2)} s (ideal ${(PARAGRAPHS / IDEAL).toFixed(2)} s)`);
    console.log(`achieved             ${rate.toFixed(1)} paragraphs/s (steady state, middle 80 %: ${steady.toFixed(1)}/s)`);
    console.log(`ideal                ${IDEAL.toFixed(1)} paragraphs/s (${CONCURRENCY} ÷ ${LATENCY_MS / 1000} s)`);
    console.log(`ratio                ${ratio.toFixed(3)} — target ≥ ${TARGET}: ${met ? 'MET' : 'MISSED'}`);
    console.log(`CPU (Postedit)       ${cpuPer.toFixed(2)} ms per paragraph (${(cpuMs / 1000).toFixed(2)} s: user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s; event loop utilization ${(elu * 100).toFixed(0)} %)`);
    console.log(`CPU (test server)    ${((srv.cpuUserMs + srv.cpuSystemMs) / PARAGRAPHS).toFixed(2)} ms per request, in its own process, not counted above`);
    console.log(`per paragraph        cycle ${ms(cycle, 1)} (ideal ${LATENCY_MS} ms): server ${ms(serverMean, 1)}, SDK + HTTP ${ms(suggestMean - serverMean, 1)}, store and run log ${ms(inStore, 1)}, rest ${ms(rest, 1)}; result log p50 ${ms(median(perParagraph), 0)}, p99 ${ms(quantile(perParagraph, 0.99), 0)}`);
    console.log(`server               in flight mean ${srv.inFlightMean.toFixed(1)}, max ${srv.inFlightMax}; held p50 ${ms(median(serverMs), 1)}, p99 ${ms(quantile(serverMs, 0.99), 1)}; event loop delay here p99 ${ms(loopP99, 1)}, max ${ms(loopMax, 1)}`);

    const section = `## 4. Batch run throughput — ${met ? 'target met' : 'TARGET MISSED'}

Measured ${today()} on ${machine()}; ${load}.

${ARTICLES} generated articles × ${PARAGRAPHS_PER_ARTICLE} paragraphs of ~${WORDS} words = ${PARAGRAPHS} paragraphs, imported into a
temporary lowdb data directory; one run (\`prepareRun\` + \`runBatch\`, mode rewrite, level minimal, concurrency ${CONCURRENCY},
no rpm/tpm limits) with the real \`OpenAIEngine\` (openai SDK, json_schema replies) against the OpenAI test server
(\`tests/support/openaiServer.ts\`) answering every request after ${LATENCY_MS} ms. The test server runs in its own
process: the CPU time is \`process.cpuUsage()\` of the benchmark process over the run alone (main thread and libuv
threads), i.e. Postedit only; the server's own CPU is shown apart.

${table(['', 'value'], [
      ['paragraphs', `${PARAGRAPHS} (${final.counts.failed} failed)`],
      ['wall time', `${(wallMs / 1000).toFixed(2)} s`],
      ['achieved', `**${rate.toFixed(1)} paragraphs/s**`],
      ['ideal (concurrency ÷ latency)', `${IDEAL.toFixed(1)} paragraphs/s`],
      ['**ratio achieved / ideal**', `**${ratio.toFixed(3)}**`],
      ['steady state (middle 80 % of completions)', `${steady.toFixed(1)} paragraphs/s (${(steady / IDEAL).toFixed(3)} of ideal)`],
      ['**CPU per paragraph** (Postedit)', `**${cpuPer.toFixed(2)} ms** (user ${(cpu.user / 1000 / PARAGRAPHS).toFixed(2)}, system ${(cpu.system / 1000 / PARAGRAPHS).toFixed(2)})`],
      ['event loop utilization / delay p99 (Postedit)', `${(elu * 100).toFixed(0)} % / ${ms(loopP99, 1)}`],
      ['CPU per request (test server, not counted)', `${((srv.cpuUserMs + srv.cpuSystemMs) / PARAGRAPHS).toFixed(2)} ms`],
    ])}

Target ratio ≥ ${TARGET}: **${met ? 'met' : 'missed'}**.

Where the time goes. Throughput = concurrency ÷ the time a paragraph holds one of the ${CONCURRENCY} slots (its cycle);
every awaited step a worker takes besides the request itself lengthens the cycle. Wall time per step, averaged over
the paragraphs (store calls timed by wrapping the live stores; lock waits and I/O included):

${table(['step of a worker cycle', 'per paragraph', 'share', ''], cycleRows)}

Per-paragraph time in the results log (request start → suggestion stored, before the run log and record are written):
p50 ${ms(median(perParagraph), 0)}, p99 ${ms(quantile(perParagraph, 0.99), 0)}. The server held ${srv.inFlightMean.toFixed(1)} requests on average
(max ${srv.inFlightMax}). Sizes at the end: an article file ${(articleBytes / 1024).toFixed(1)} KB (rewritten after every suggestion,
writes shared between concurrent actions), the run record ${(runBytes / 1024).toFixed(1)} KB (rewritten after every paragraph).`;
    placeSection('batch');
    writeSection('batch', section);
    return { paragraphs: PARAGRAPHS, wallMs, rate, ideal: IDEAL, ratio, cpuMsPerParagraph: cpuPer, met };
  } finally {
    await runStore?.close().catch(() => undefined);
    await services?.store.close().catch(() => undefined);
    await server?.stop();
    await remove();
  }
}

if (isMain(import.meta.url)) await runBatchBench();
