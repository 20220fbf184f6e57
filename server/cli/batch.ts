/**
 * `npm run batch -- [ARTICLE…|--all] --engine openai|offline [--model M] [--level minimal|fluent]
 *   [--retranslate] [--concurrency N] [--rpm N] [--tpm N] [--resume RUN] [--dry-run]
 *   [--mode batch-file [--no-submit] [--out FILE] [--ingest FILE] [--poll-ms N]]
 *   [--data DIR] [--server URL [--token T]]`
 *
 * Pre-computes suggestions for many articles. Ctrl-C stops cleanly (the run is marked stopped and
 * `--resume RUN` continues it); exit code 1 when any paragraph failed, 130 when stopped.
 */
import { resolve } from 'node:path';
import { createServices } from '../boot.js';
import { CommandError } from '../commands/errors.js';
import { prepareResume } from '../runs/resumeRun.js';
import { prepareRun } from '../runs/startRun.js';
import { loadDotEnv, readConfig } from '../config.js';
import { ENGINE_IDS, isEngineId } from '../engines/ids.js';
import type { EditLevel } from '../engines/types.js';
import { OfflineEngine } from '../engines/offline.js';
import { ActiveRuns, type RunContext } from '../runs/activeRuns.js';
import { envEngines } from '../runs/engines.js';
import { runBatch } from '../runs/runBatch.js';
import { summarizeRun } from '../runs/summary.js';
import { runningServer } from '../store/dataDirLock.js';
import { openRunStore } from '../store/open.js';
import type { RunMode } from '../store/runStore.js';
import { positiveInt, readCommandLine } from './args.js';
import { RunConsole } from './batch/console.js';
import { dryRun } from './batch/dryRun.js';
import type { BatchRequest } from './batch/request.js';
import { viaBatchFile } from './batch/viaBatchFile.js';
import { viaServer } from './batch/viaServer.js';
import { fail } from './fail.js';

const USAGE = `usage: npm run batch -- [ARTICLE…|--all] --engine openai|offline [--model M] [--level minimal|fluent]
       [--retranslate] [--concurrency N] [--rpm N] [--tpm N] [--dry-run] [--data DIR]
       npm run batch -- --resume RUN [--concurrency N] [--rpm N] [--tpm N]
       add --server URL [--token T] to run through a running Postedit server
       add --mode batch-file [--no-submit] [--out FILE] to use the OpenAI Batch API (24 h window, half price);
       npm run batch -- --resume RUN --ingest RESULTS.jsonl to read results produced elsewhere (e.g. vLLM run_batch)`;

loadDotEnv();
const parsed = readCommandLine({
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
  },
}, USAGE);
const { values, positionals } = parsed;
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
// Before any data is read: a misspelt engine is the mistake to report, not what the data lacks.
if (values.engine !== undefined && !isEngineId(values.engine)) fail(`unknown engine "${values.engine}": use ${ENGINE_IDS.join(' or ')}`, 2);
const articles: string[] | 'all' = values.all ? 'all' : positionals;
const config = readConfig();
const dataDir = resolve(values.data ?? config.dataDir);
const req: BatchRequest = {
  articles,
  engine: values.engine,
  model: values.model,
  level,
  mode,
  limits,
  resume: values.resume,
  user: values.user!,
  dryRun: values['dry-run']!,
  batchFile: values.mode === 'batch-file',
  noSubmit: values['no-submit']!,
  out: values.out,
  ingest: values.ingest,
  pollMs,
  dataDir,
  server: values.server,
  token: values.token,
};
const out: RunConsole = new RunConsole(values.server);

async function local(): Promise<never> {
  const held = runningServer(dataDir);
  if (held) {
    fail(`a Postedit server (pid ${held.pid}) is using ${dataDir}: submit the run through it with --server ${held.url.replace(/\/$/, '')} --token TOKEN`, 2);
  }
  const services = await createServices({ dataDir, corpusDir: config.corpusDir, engine: new OfflineEngine() });
  const runStore = await openRunStore(dataDir, services.store);
  const ctx: RunContext = { services, runStore, active: new ActiveRuns(), engineFor: envEngines() };
  try {
    if (req.dryRun) await dryRun(ctx, req);
    const existing = req.resume ? await runStore.getRun(req.resume) : undefined;
    if (req.batchFile || req.ingest || existing?.batch) await viaBatchFile(ctx, req, out);
    const { run, engine } = values.resume
      ? await prepareResume(ctx, values.resume, limits)
      : await prepareRun(ctx, { articles, engine: values.engine!, model: values.model, level, mode, ...limits, actor: { username: values.user!, role: 'admin' } });
    console.error(`run ${run.id}: ${run.engine} ${run.model} · ${run.level} · ${run.mode} · ${run.articles.length} article${run.articles.length === 1 ? '' : 's'} · concurrency ${run.params.concurrency}${run.params.rpm ? ` · ${run.params.rpm} rpm` : ''}${run.params.tpm ? ` · ${run.params.tpm} tpm` : ''}`);
    const controller = new AbortController();
    out.onInterrupt(() => controller.abort(new Error('interrupted')));
    const final = await runBatch({ services, runStore, runId: run.id, engine, signal: controller.signal, onProgress: (r) => out.show(r) });
    const summary = summarizeRun(final, await runStore.results(run.id));
    await runStore.close();
    await services.store.close();
    out.finish(summary);
  } catch (e) {
    if (e instanceof CommandError) fail(e.message);
    throw e;
  }
}

await (values.server ? viaServer(values.server, req, out) : local());
