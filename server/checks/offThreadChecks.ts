/**
 * The fact guard on a worker thread, so checking a new suggestion (a millisecond or more of CPU)
 * does not hold up other editors' requests on the main thread. If the worker cannot start or dies,
 * the checks run in-process: findings are never skipped.
 */
import { Worker } from 'node:worker_threads';
import type { Finding } from '../core/types.js';
import { runChecks } from './index.js';
import type { CheckContext } from './types.js';

type Pending = { resolve: (f: Finding[]) => void; before: string; after: string; ctx: CheckContext };

let worker: Worker | undefined;
let broken = false;
let nextId = 1;
let ready = false;
/** Jobs posted before the worker finished loading. */
const queued: Array<{ id: number; before: string; after: string; ctx: CheckContext }> = [];
const pending = new Map<number, Pending>();

function failAll(): void {
  broken = true;
  worker = undefined;
  queued.length = 0;
  for (const [id, job] of pending) {
    pending.delete(id);
    job.resolve(runChecks(job.before, job.after, job.ctx));
  }
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
  worker.on('message', (m: { id: number; findings?: Finding[]; error?: string; ready?: boolean }) => {
    if (m.ready) {
      ready = true;
      for (const job of queued.splice(0)) worker?.postMessage(job);
      return;
    }
    const job = pending.get(m.id);
    if (!job) return;
    pending.delete(m.id);
    if (!pending.size) worker?.unref();
    job.resolve(m.findings ?? runChecks(job.before, job.after, job.ctx));
  });
  worker.on('error', failAll);
  worker.on('exit', () => {
    if (pending.size) failAll();
    worker = undefined;
    ready = false;
  });
  // Referenced only while a job waits for it (ref on the first pending job, unref when none is left): an idle worker must not keep a
  // process (CLI, benchmark) from exiting, and a busy one must keep it waiting for the answer.
  // After the listeners, which ref the worker again when added.
  worker.unref();
  return worker;
}

export function runChecksOffThread(before: string, after: string, ctx: CheckContext = {}): Promise<Finding[]> {
  const w = start();
  if (!w) return Promise.resolve(runChecks(before, after, ctx));
  return new Promise((resolve) => {
    const id = nextId++;
    if (!pending.size) w.ref();
    pending.set(id, { resolve, before, after, ctx });
    if (ready) w.postMessage({ id, before, after, ctx });
    else queued.push({ id, before, after, ctx });
  });
}

/** Whether checks currently run on the worker thread (false after a failure made them run in-process). */
export function checksRunOffThread(): boolean {
  return !!worker && !broken;
}
