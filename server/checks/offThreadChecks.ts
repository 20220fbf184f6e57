/**
 * The fact guard on a worker thread, so checking a new suggestion (a millisecond or more of CPU)
 * does not hold up other editors' requests on the main thread. If the worker cannot start or dies,
 * the checks run in-process: findings are never skipped.
 *
 * Jobs are sent in batches, one message per turn of the event loop, and answered in one message per
 * batch: on a busy machine every message wakes the other thread, and each wake-up can cost the
 * sender its core (measured: ~90 µs of the main thread per message under load, for ~1 µs of work).
 */
import { Worker } from 'node:worker_threads';
import type { Finding } from '../core/types.js';
import { runChecks } from './index.js';
import type { CheckContext } from './types.js';

export interface CheckJob {
  id: number;
  before: string;
  after: string;
  ctx: CheckContext;
}

/** What the worker answers for one job of a batch. */
export interface CheckAnswer {
  id: number;
  findings?: Finding[];
  error?: string;
}

type Pending = CheckJob & { resolve: (f: Finding[]) => void };

let worker: Worker | undefined;
let broken = false;
let nextId = 1;
let ready = false;
/** Jobs not sent yet: waiting for the end of this turn of the event loop, or for the worker to load. */
let outbox: CheckJob[] = [];
let flushScheduled = false;
const pending = new Map<number, Pending>();

function inProcess(job: Pending): void {
  job.resolve(runChecks(job.before, job.after, job.ctx));
}

function failAll(): void {
  broken = true;
  worker = undefined;
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
  try {
    // The worker is TypeScript like the rest of the server: tsx is registered inside it first.
    const url = new URL('./checkWorker.ts', import.meta.url).href;
    worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true });
  } catch {
    broken = true;
    return undefined;
  }
  worker.on('message', (m: { ready: true } | CheckAnswer[]) => {
    if (!Array.isArray(m)) {
      ready = true;
      flush();
      return;
    }
    for (const answer of m) {
      const job = pending.get(answer.id);
      if (!job) continue;
      pending.delete(answer.id);
      if (answer.findings) job.resolve(answer.findings);
      else inProcess(job);
    }
    if (!pending.size) worker?.unref();
  });
  worker.on('error', failAll);
  worker.on('exit', () => {
    if (pending.size) failAll();
    worker = undefined;
    ready = false;
  });
  // Referenced only while a job waits for it (ref on the first pending job, unref when none is
  // left): an idle worker must not keep a process (CLI, benchmark) from exiting, and a busy one must
  // keep it waiting for the answer. After the listeners, which ref the worker again when added.
  worker.unref();
  return worker;
}

export function runChecksOffThread(before: string, after: string, ctx: CheckContext = {}): Promise<Finding[]> {
  const w = start();
  if (!w) return Promise.resolve(runChecks(before, after, ctx));
  return new Promise((resolve) => {
    const id = nextId++;
    if (!pending.size) w.ref();
    const job = { id, before, after, ctx };
    pending.set(id, { ...job, resolve });
    outbox.push(job);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}

/** Whether checks currently run on the worker thread (false after a failure made them run in-process). */
export function checksRunOffThread(): boolean {
  return !!worker && !broken;
}
