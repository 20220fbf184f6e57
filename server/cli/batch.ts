/**
 * `npm run batch -- [ARTICLE…|--all] --engine openai|offline [--model M] [--level minimal|fluent]
 *   [--retranslate] [--concurrency N] [--rpm N] [--tpm N] [--resume RUN] [--dry-run]
 *   [--mode batch-file [--no-submit] [--out FILE] [--ingest FILE] [--poll-ms N]]
 *   [--data DIR] [--server URL [--token T]]`
 *
 * Pre-computes suggestions for many articles. Ctrl-C stops cleanly (the run is marked stopped and
 * `--resume RUN` continues it); exit code 1 when any paragraph failed, 130 when stopped.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../boot.js';
import { CommandError } from '../commands/errors.js';
import { prepareResume } from '../runs/resumeRun.js';
import { prepareRun } from '../runs/startRun.js';
import { loadDotEnv, readConfig } from '../config.js';
import type { EditLevel } from '../engines/types.js';
import { OfflineEngine } from '../engines/offline.js';
import { OpenAIEngine } from '../engines/openai.js';
import { downloadBatchResults, ingestBatchResults, submitBatchFile, waitForBatch, writeBatchFile } from '../runs/batchFile.js';
import { ActiveRuns, type RunContext } from '../runs/activeRuns.js';
import { envEngines } from '../runs/engines.js';
import { estimateRun } from '../runs/estimate.js';
import { formatDuration, formatProgress, ProgressLine } from '../runs/progress.js';
import { runBatch } from '../runs/runBatch.js';
import { formatSummary, summarizeRun, type RunSummary } from '../runs/summary.js';
import { runningServer } from '../store/dataDirLock.js';
import { openRunStore } from '../store/open.js';
import { release, type Run, type RunMode } from '../store/runStore.js';
import { positiveInt } from './args.js';
import { fail } from './fail.js';

const USAGE = `usage: npm run batch -- [ARTICLE…|--all] --engine openai|offline [--model M] [--level minimal|fluent]
       [--retranslate] [--concurrency N] [--rpm N] [--tpm N] [--dry-run] [--data DIR]
       npm run batch -- --resume RUN [--concurrency N] [--rpm N] [--tpm N]
       add --server URL [--token T] to run through a running Postedit server
       add --mode batch-file [--no-submit] [--out FILE] to use the OpenAI Batch API (24 h window, half price);
       npm run batch -- --resume RUN --ingest RESULTS.jsonl to read results produced elsewhere (e.g. vLLM run_batch)`;

loadDotEnv();
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      engine: { type: 'string' },
      model: { type: 'string' },
      level: { type: 'string', default: 'minimal' },
      retranslate: { type: 'boolean', default: false },
      mode: { type: 'string', default: 'requests' },
      'no-submit': { type: 'boolean', default: false },
      out: { type: 'string' },
      ingest: { type: 'string' },
      'poll-ms': { type: 'string' },
      concurrency: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      resume: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      data: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string', default: 'batch' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const level = values.level as EditLevel;
if (level !== 'minimal' && level !== 'fluent') fail(`--level must be minimal or fluent, not "${values.level}"`, 2);
// Translate from the source (with the MT as a draft) where an article has one, instead of rewriting the MT.
const mode: RunMode = values.retranslate ? 'retranslate' : 'rewrite';
if (values.mode !== 'requests' && values.mode !== 'batch-file') fail(`--mode must be batch-file (or requests, the default), not "${values.mode}"`, 2);
if (values.ingest && !values.resume) fail('--ingest needs --resume RUN: the run whose batch file the results answer', 2);
const pollMs = positiveInt(values['poll-ms'], '--poll-ms') ?? 10_000;
const limits = {
  concurrency: positiveInt(values.concurrency, '--concurrency'),
  rpm: positiveInt(values.rpm, '--rpm'),
  tpm: positiveInt(values.tpm, '--tpm'),
};
if (!values.resume) {
  if (!values.all && positionals.length === 0) fail(`name the articles to run on, or --all\n${USAGE}`, 2);
  if (values.all && positionals.length) fail('give article ids or --all, not both', 2);
  if (!values.engine) fail(`--engine is required: openai or offline\n${USAGE}`, 2);
}
const articles: string[] | 'all' = values.all ? 'all' : positionals;
const config = readConfig();
const dataDir = resolve(values.data ?? config.dataDir);

const TERMINAL = new Set(['stopped', 'finished', 'failed']);
const progress = new ProgressLine();
const began = Date.now();
let before = -1;

function show(run: Run, force = false): void {
  const finished = run.counts.done + run.counts.failed + run.counts.skipped;
  if (before < 0) before = finished;
  progress.update(formatProgress({ ...run.counts, before, elapsedMs: Date.now() - began }), force);
}

function exitCode(run: Run): number {
  if (run.status === 'stopped') return 130;
  return run.status === 'failed' || run.counts.failed > 0 ? 1 : 0;
}

function finish(summary: RunSummary): never {
  show(summary.run, true);
  progress.end();
  console.log(formatSummary(summary, Date.now() - began));
  if (summary.run.status === 'stopped' || summary.run.status === 'failed') {
    console.log(`continue with: npm run batch -- --resume ${summary.run.id}${values.server ? ` --server ${values.server}` : ''}`);
  }
  process.exit(exitCode(summary.run));
}

/** Ctrl-C once stops the run cleanly; twice quits at once (the run resumes all the same). */
function onInterrupt(stop: () => void): void {
  let asked = false;
  process.on('SIGINT', () => {
    if (asked) process.exit(130);
    asked = true;
    progress.end();
    console.error('stopping: waiting for requests in flight (Ctrl-C again to quit at once)…');
    stop();
  });
}

async function viaServer(base: string): Promise<never> {
  const root = base.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (values.token) headers.authorization = `Bearer ${values.token}`;
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      fail(`cannot reach the server at ${root}: ${(e as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) fail(`the server answered ${res.status}: ${String(json.error ?? res.statusText)}${res.status === 401 ? ' (pass --token T)' : ''}`);
    return json;
  };
  if (values['dry-run']) fail('--dry-run works on a local data directory only');
  if (values.mode === 'batch-file' || values.ingest) fail('--mode batch-file and --ingest work on a local data directory only');
  const params = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const started = values.resume
    ? await call('POST', `/api/runs/${encodeURIComponent(values.resume)}/resume`, params)
    : await call('POST', '/api/runs', { articles, engine: values.engine, ...(values.model ? { model: values.model } : {}), level, mode, ...params });
  const id = String((started.run as Run | undefined)?.id ?? started.id);
  console.error(`run ${id} submitted to ${root} (see ${root}/runs/${id})`);
  onInterrupt(() => void call('POST', `/api/runs/${encodeURIComponent(id)}/stop`));
  for (;;) {
    const state = (await call('GET', `/api/runs/${encodeURIComponent(id)}`)) as unknown as RunSummary;
    show(state.run);
    if (TERMINAL.has(state.run.status)) finish(state);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function local(): Promise<never> {
  const held = runningServer(dataDir);
  if (held) {
    fail(`a Postedit server (pid ${held.pid}) is using ${dataDir}: submit the run through it with --server ${held.url.replace(/\/$/, '')} --token TOKEN`, 2);
  }
  const services = await createServices({ dataDir, corpusDir: config.corpusDir, engine: new OfflineEngine() });
  const runStore = await openRunStore(dataDir, services.store);
  const ctx: RunContext = { services, runStore, active: new ActiveRuns(), engineFor: envEngines() };
  try {
    if (values['dry-run']) {
      const existing = values.resume ? await runStore.getRun(values.resume) : undefined;
      if (values.resume && !existing) fail(`no run "${values.resume}"`);
      const engine = ctx.engineFor(existing?.engine ?? values.engine!, existing?.model ?? values.model);
      const ids = existing?.articles ?? (articles === 'all' ? (await services.store.listArticles()).map((a) => a.id) : articles);
      const skip = new Set(existing ? (await runStore.results(existing.id)).map((r) => `${r.articleId}/${r.paragraphId}`) : []);
      const est = await estimateRun(services, ids, engine, existing?.level ?? level, existing?.mode ?? mode, { ...existing?.params, ...limits }, skip);
      const missing = ids.filter((id) => !est.articles.some((a) => a.id === id));
      if (missing.length) fail(`no article ${missing.map((m) => `"${m}"`).join(', ')}`);
      console.log(`dry run: nothing is sent and nothing is stored`);
      for (const a of est.articles) console.log(`  ${a.id}  ${a.paragraphs} paragraph${a.paragraphs === 1 ? '' : 's'}  ${a.title}`);
      console.log(`${est.paragraphs} paragraphs with ${engine.id} ${engine.model} (${existing?.level ?? level}, ${existing?.mode ?? mode})`);
      if (est.tokens.prompt) console.log(`about ${est.tokens.prompt} prompt + ${est.tokens.completion} completion tokens${est.cost !== undefined ? `, about $${est.cost.toFixed(4)}` : ''}`);
      if (est.minMs !== undefined) console.log(`the rate limits allow it in no less than ${formatDuration(est.minMs)}`);
      process.exit(0);
    }
    const existing = values.resume ? await runStore.getRun(values.resume) : undefined;
    if (values.mode === 'batch-file' || values.ingest || existing?.batch) await viaBatchFile(ctx);
    const { run, engine } = values.resume
      ? await prepareResume(ctx, values.resume, limits)
      : await prepareRun(ctx, { articles, engine: values.engine!, model: values.model, level, mode, ...limits, actor: { username: values.user!, role: 'admin' } });
    console.error(`run ${run.id}: ${run.engine} ${run.model} · ${run.level} · ${run.mode} · ${run.articles.length} article${run.articles.length === 1 ? '' : 's'} · concurrency ${run.params.concurrency}${run.params.rpm ? ` · ${run.params.rpm} rpm` : ''}${run.params.tpm ? ` · ${run.params.tpm} tpm` : ''}`);
    const controller = new AbortController();
    onInterrupt(() => controller.abort(new Error('interrupted')));
    const final = await runBatch({ services, runStore, runId: run.id, engine, signal: controller.signal, onProgress: (r) => show(r) });
    const summary = summarizeRun(final, await runStore.results(run.id));
    await runStore.close();
    await services.store.close();
    finish(summary);
  } catch (e) {
    if (e instanceof CommandError) fail(e.message);
    throw e;
  }
}

/** The run as an OpenAI Batch API job: write the file, submit, wait, ingest (or only some of that). */
async function viaBatchFile(ctx: RunContext): Promise<never> {
  const { services, runStore } = ctx;
  if (!values.resume && values.engine !== 'openai') fail('--mode batch-file needs --engine openai', 2);
  const { run: start, engine } = values.resume
    ? await prepareResume(ctx, values.resume, limits, { pendingBatch: true })
    : await prepareRun(ctx, { articles, engine: values.engine!, model: values.model, level, mode, ...limits, actor: { username: values.user!, role: 'admin' } });
  if (!(engine instanceof OpenAIEngine)) fail(`run ${start.id} uses the ${engine.id} engine: batch files are for the openai engine`, 2);
  const end = async (run: Run): Promise<never> => {
    const summary = summarizeRun(run, await runStore.results(run.id));
    await runStore.close();
    await services.store.close();
    finish(summary);
  };
  if (values.ingest) {
    const text = await readFile(resolve(values.ingest), 'utf8').catch((e: Error) => fail(`cannot read ${values.ingest}: ${e.message}`));
    return end(await ingestBatchResults(services, runStore, start.id, engine, text));
  }
  let run = start;
  if (!run.batch?.id || run.batch.status === 'ingested') {
    const file = resolve(values.out ?? join(dataDir, 'runs', `${run.id}.batch-input.jsonl`));
    await mkdir(dirname(file), { recursive: true });
    const written = await writeBatchFile(services, runStore, run.id, engine, file);
    console.error(`run ${run.id}: wrote ${written.lines} request${written.lines === 1 ? '' : 's'} to ${file}`);
    if (written.lines === 0) return end(await ingestBatchResults(services, runStore, run.id, engine, ''));
    if (values['no-submit']) {
      await runStore.updateRun(run.id, (r) => {
        r.status = 'stopped';
        release(r);
      });
      console.log(`not submitted. Submit it with:  npm run batch -- --resume ${run.id} --mode batch-file`);
      console.log(`or run it elsewhere (vLLM: python -m vllm.entrypoints.openai.run_batch -i ${file} -o RESULTS.jsonl --model ${run.model})`);
      console.log(`and read the results with:     npm run batch -- --resume ${run.id} --ingest RESULTS.jsonl`);
      process.exit(0);
    }
    run = await submitBatchFile(runStore, run.id, engine);
    console.error(`submitted batch ${run.batch!.id} (Ctrl-C stops waiting; the batch goes on, and --resume ${run.id} waits again)`);
  }
  const batchId = run.batch!.id!;
  const controller = new AbortController();
  onInterrupt(() => controller.abort(new Error('interrupted')));
  let batch;
  try {
    batch = await waitForBatch(engine, batchId, {
      signal: controller.signal,
      pollMs,
      onPoll: (b) => {
        const c = b.request_counts;
        progress.update(`batch ${b.id}: ${b.status}${c ? ` · ${c.completed + c.failed}/${c.total}${c.failed ? ` · ${c.failed} failed` : ''}` : ''} · ${formatDuration(Date.now() - began)}`);
      },
    });
  } catch (e) {
    if (!controller.signal.aborted) throw e;
    const stopped = await runStore.updateRun(run.id, (r) => {
      r.status = 'stopped';
      release(r);
    });
    return end(stopped);
  }
  progress.end();
  if (!batch.output_file_id && !batch.error_file_id) {
    return end(await runStore.updateRun(run.id, (r) => {
      r.batch = { ...r.batch!, status: batch.status };
      r.status = 'failed';
      r.errors.unshift({ articleId: '', paragraphId: '', message: `batch ${batchId} ended ${batch.status} without results` });
      r.finishedAt = services.now().toISOString();
      release(r);
    }));
  }
  return end(await ingestBatchResults(services, runStore, run.id, engine, await downloadBatchResults(engine, batch)));
}

await (values.server ? viaServer(values.server) : local());
