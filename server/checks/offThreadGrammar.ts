/**
 * Harper on a worker thread of its own, so linting a paragraph (milliseconds of WebAssembly, and
 * ~1.5 s plus several hundred MB for Harper's first use) does not hold up other editors' requests
 * on the main thread. One worker per process, started on first use. If it cannot start or dies,
 * the operations run in-process (`./grammarCore.ts`): no job is ever skipped, and the answers are
 * the same, since the worker runs that very code.
 *
 * Same pattern as the fact guard's worker (`./offThreadChecks.ts`): jobs are sent in batches, one
 * message per turn of the event loop, and answered in batches; the worker is referenced only while
 * a job waits for it, so an idle worker never keeps a CLI or a benchmark from exiting.
 */
import { Worker } from 'node:worker_threads';
import { runGrammarOp, type GrammarOp, type GrammarOptions, type GrammarResults } from './grammarCore.js';

export interface GrammarJob {
  id: number;
  op: GrammarOp;
  text: string;
  options: GrammarOptions;
}

/** What the worker answers for one job. */
export interface GrammarAnswer {
  id: number;
  /** Present when the job succeeded (the result of `runGrammarOp`). */
  result?: unknown;
  error?: string;
}

type Pending = GrammarJob & { resolve: (result: Promise<unknown>) => void };

let worker: Worker | undefined;
let broken = false;
let nextId = 1;
let ready = false;
/** Jobs not sent yet: waiting for the end of this turn of the event loop, or for the worker to load. */
let outbox: GrammarJob[] = [];
let flushScheduled = false;
const pending = new Map<number, Pending>();

function inProcess(job: Pending): void {
  job.resolve(runGrammarOp(job.op, job.text, job.options));
}

function failAll(): void {
  broken = true;
  worker = undefined;
  ready = false;
  outbox = [];
  for (const [id, job] of pending) {
    pending.delete(id);
    inProcess(job);
  }
}

function flush(): void {
  flushScheduled = false;
  if (!worker || !ready || !outbox.length) return;
  const jobs = outbox;
  outbox = [];
  worker.postMessage(jobs);
}

function start(): Worker | undefined {
  if (worker || broken) return worker;
  let w: Worker;
  try {
    // The worker is TypeScript like the rest of the server: tsx is registered inside it first.
    const url = new URL('./grammarWorker.ts', import.meta.url).href;
    w = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, {
      eval: true,
    });
  } catch {
    broken = true;
    return undefined;
  }
  worker = w;
  w.on('message', (m: { ready: true } | GrammarAnswer[]) => {
    if (!Array.isArray(m)) {
      ready = true;
      flush();
      return;
    }
    for (const answer of m) {
      const job = pending.get(answer.id);
      if (!job) continue;
      pending.delete(answer.id);
      if (answer.error === undefined) job.resolve(Promise.resolve(answer.result));
      else inProcess(job);
    }
    if (!pending.size && worker === w) w.unref();
  });
  w.on('error', () => {
    if (worker === w) failAll();
  });
  w.on('exit', () => {
    if (worker !== w) return;
    // Died with jobs waiting: those, and everything after, run in-process. Gone while idle: the
    // next job starts a new worker.
    if (pending.size) failAll();
    worker = undefined;
    ready = false;
  });
  // Referenced only while a job waits for it (ref on the first pending job, unref when none is
  // left): an idle worker must not keep a process (CLI, benchmark) from exiting, and a busy one must
  // keep it waiting for the answer. After the listeners, which ref the worker again when added.
  w.unref();
  return w;
}

/** Run a grammar operation on Harper's worker thread (in-process if the worker is unavailable). */
export function runGrammarOffThread<K extends GrammarOp>(op: K, text: string, options: GrammarOptions = {}): Promise<GrammarResults[K]> {
  const w = start();
  if (!w) return runGrammarOp(op, text, options);
  return new Promise<GrammarResults[K]>((resolve) => {
    const id = nextId++;
    if (!pending.size) w.ref();
    const job: GrammarJob = { id, op, text, options };
    pending.set(id, { ...job, resolve: resolve as (result: Promise<unknown>) => void });
    outbox.push(job);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}

/** Whether grammar operations currently run on the worker thread (false once they fell back in-process). */
export function grammarRunsOffThread(): boolean {
  return !!worker && !broken;
}

/** The worker thread, if one is running (for tests that need to kill it). */
export function grammarWorkerForTests(): Worker | undefined {
  return worker;
}
