/**
 * Work sent to a worker thread of its own, so CPU-heavy checks (the fact guard, Harper, the MT
 * checks) do not hold up other editors' requests on the HTTP thread. Used by offThreadChecks.ts,
 * offThreadGrammar.ts and mt/offThread.ts.
 *
 * - One worker per queue, started on first use. Run from TypeScript (`npm run dev`, tests, CLIs) tsx
 *   is registered inside it first; run from the compiled server (`npm start`, dist/) it loads the
 *   `.js` sibling of the worker file directly. It posts `{ ready: true }` once loaded.
 * - A worker left without a job for `idleMs` (the queue's own, else the process's default, which the
 *   server sets — `setDefaultWorkerIdleMs`; 0: never) is terminated, giving its memory back (Harper
 *   holds a few hundred MB, the MT checks' dictionaries ~100 MB); the next job starts a fresh one.
 * - Jobs go in batches, one message per turn of the event loop, and come back in batches
 *   (`{ id, result }` or `{ id, error }` each): on a busy machine every message wakes the other thread,
 *   and each wake-up can cost the sender its core (measured ~90 µs of the main thread per message under
 *   load, for ~1 µs of copying). A queue whose worker answers each batch with one message, all at once
 *   (`oneBatchAtATime`: the fact guard, the MT checks), sends no batch while one is being worked on: the
 *   jobs that come meanwhile wait here and go together when its answer arrives, so a busy worker is
 *   sent one message per batch it runs rather than one per turn of this loop. Such a queue also keeps
 *   work done ahead (lane `later`) behind jobs someone waits for (`now`), sending it one job at a time
 *   when no `now` job waits.
 * - The worker is referenced only while a job waits for it: an idle worker never keeps a process (CLI,
 *   benchmark) from exiting, and a busy one keeps it waiting for the answer.
 * - Every worker runs as SCHED_BATCH (Linux; `setWorkerBatch`, POSTEDIT_WORKER_BATCH, on by default;
 *   workerPriority.ts): a job posted to a worker no longer takes the main thread's core from it in the
 *   middle of a request; the worker keeps its full share of the CPU. Measured (20 unpaced editors, 1,000
 *   paragraphs, 2 cores, alternating pairs of runs): accept+edit p99 38–41 → 25–32 ms on PostgreSQL
 *   (suggestions' p50 115–134 → 130–150 ms), 19–21 → 11–12 ms on lowdb (suggestions and throughput unchanged).
 * - The fact guard's and the MT checks' workers can also run at a lower priority than the main thread
 *   (Linux; `setWorkerNice`, POSTEDIT_WORKER_NICE, off by default): when cores are short, the main
 *   thread, which serves every request someone waits for, goes first. Measured at 10, before batch
 *   scheduling (same load): accept+edit p99 35–37 → 23–28 ms on PostgreSQL, 23–24 → 11–12 ms on lowdb;
 *   suggestions' p50 ~118 → ~140 ms. Not the default: on a saturated machine the lowered workers starve
 *   (a loaded test run's "suggest all" went past 8 s). Harper's worker is never lowered: its budget per
 *   paragraph is wall-clock time, which a lowered thread spends waiting for a core (flags cut short).
 * - If the worker cannot start or dies with jobs waiting, those jobs and all later ones run in-process
 *   on the same code, and a job the worker answers with an error is retried in-process: answers are
 *   the same, nothing is skipped. A worker gone while idle is started again on the next job.
 */
import { Worker } from 'node:worker_threads';

/** One job as the worker receives it. */
export type Envelope<J> = J & { id: number };

/** What every worker is started with (`workerData`). */
export interface WorkerSettings {
  nice: number;
  /** SCHED_BATCH (workerPriority.ts): a job posted to the worker does not take the poster's core. */
  batch: boolean;
}

/** What the worker answers for one job of a batch. */
export interface Answer {
  id: number;
  result?: unknown;
  error?: string;
}

/** `now`: someone waits for the answer to go on (an edit, an accept). `later`: work done ahead or in
 *  bulk (a suggestion's checks, its accept primed, batch runs): with `oneBatchAtATime`, sent only when
 *  no `now` job waits, one at a time, so an edit waits behind at most one of them. */
export type Lane = 'now' | 'later';

/** `later` jobs per batch. Measured (bench/actions.ts, 20 editors): 1 → accept+edit p99 17–21 ms,
 *  2 → 22–24 ms, 4 → 27–32 ms, 8 → 29 ms; suggestions pay for it (p99 ~90 ms at 1, ~55 ms unsplit). */
const LATER_BATCH = 1;

export interface OffThreadQueue<J, R> {
  run(job: J, lane?: Lane): Promise<R>;
  /** Whether jobs currently run on the worker (false once they fell back in-process). */
  runsOffThread(): boolean;
  /** The worker, if one is running (tests kill it). */
  worker(): Worker | undefined;
  /** End the worker now if no job waits for it (after a background batch: its memory goes back at
   *  once rather than after `idleMs`); the next job starts a new one. */
  release(): void;
}

export interface OffThreadOptions {
  /** Terminate the worker after this many ms without a job (read when it falls idle; 0: never).
   *  Without it, the process's default applies (`setDefaultWorkerIdleMs`). */
  idleMs?: () => number;
  /** The worker answers each batch with a single message: hold the next batch until that answer. */
  oneBatchAtATime?: boolean;
}

let defaultIdleMs = 0;
/** The worker threads' nice value unless set otherwise (POSTEDIT_WORKER_NICE). */
export const DEFAULT_WORKER_NICE = 0;
let workerNice = DEFAULT_WORKER_NICE;

/** The nice value (0–19; 0: as the main thread) of the worker threads started from now on. */
export function setWorkerNice(nice: number): void {
  workerNice = nice;
}

let workerBatch = true;

/** Whether the worker threads started from now on run as SCHED_BATCH (Linux; on by default, POSTEDIT_WORKER_BATCH=0: off). */
export function setWorkerBatch(batch: boolean): void {
  workerBatch = batch;
}

/** For a long-running process (the server): how long a worker of a queue without its own `idleMs`
 *  may stay without a job before it is ended (0, the default: never). */
export function setDefaultWorkerIdleMs(ms: number): void {
  defaultIdleMs = ms;
}

/** Whether this module runs compiled (dist/*.js) rather than as TypeScript through tsx. */
const compiled = import.meta.url.endsWith('.js');

function startWorker(workerFile: URL): Worker {
  const workerData: WorkerSettings = { nice: workerNice, batch: workerBatch };
  if (compiled) {
    const file = new URL(workerFile.href.replace(/\.ts$/, '.js'));
    // The worker inherits the process's node options, but a file cannot be run with --input-type (a
    // script given with -e): that one is left out — only then, as an explicit list may not hold V8 flags.
    if (!process.execArgv.some((a) => a.startsWith('--input-type'))) return new Worker(file, { workerData });
    return new Worker(file, { workerData, execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });
  }
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerFile.href)}); })`, { eval: true, workerData });
}

export function offThreadQueue<J extends object, R>(workerFile: URL, inProcess: (job: J) => R | Promise<R>, options: OffThreadOptions = {}): OffThreadQueue<J, R> {
  type Pending = { job: J; resolve: (r: R | Promise<R>) => void };
  let worker: Worker | undefined;
  let broken = false;
  let ready = false;
  let nextId = 1;
  let outbox: Array<Envelope<J>> = [];
  let later: Array<Envelope<J>> = [];
  let flushScheduled = false;
  /** Batches sent and not yet answered (counted only with `oneBatchAtATime`). */
  let inFlight = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const pending = new Map<number, Pending>();

  const local = (p: Pending) => p.resolve(Promise.resolve().then(() => inProcess(p.job)));

  function failAll(): void {
    broken = true;
    worker = undefined;
    ready = false;
    outbox = [];
    later = [];
    inFlight = 0;
    for (const [id, p] of pending) {
      pending.delete(id);
      local(p);
    }
  }

  function flush(): void {
    flushScheduled = false;
    if (!worker || !ready || inFlight > 0 || !(outbox.length || later.length)) return;
    let jobs: Array<Envelope<J>>;
    if (!options.oneBatchAtATime) {
      jobs = outbox.concat(later);
      later = [];
    } else if (outbox.length) jobs = outbox;
    else jobs = later.splice(0, LATER_BATCH);
    outbox = [];
    if (options.oneBatchAtATime) inFlight++;
    worker.postMessage(jobs);
  }

  /** Ends the running worker, which has no job; the next job starts a new one. */
  function end(w: Worker): void {
    clearTimeout(idleTimer);
    worker = undefined;
    ready = false;
    void w.terminate();
  }

  /** No job waits: end the worker once it stayed idle `idleMs` (it is started again by the next job). */
  function idle(w: Worker): void {
    w.unref();
    const ms = options.idleMs ? options.idleMs() : defaultIdleMs;
    if (!(ms > 0)) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (worker === w && !pending.size) end(w);
    }, ms);
    idleTimer.unref();
  }

  function start(): Worker | undefined {
    if (worker || broken) return worker;
    let w: Worker;
    try {
      w = startWorker(workerFile);
    } catch {
      broken = true;
      return undefined;
    }
    worker = w;
    inFlight = 0;
    w.on('message', (m: { ready: true } | Answer[]) => {
      if (!Array.isArray(m)) {
        ready = true;
        flush();
        return;
      }
      if (inFlight > 0 && worker === w) inFlight--;
      for (const a of m) {
        const p = pending.get(a.id);
        if (!p) continue;
        pending.delete(a.id);
        if (a.error === undefined) p.resolve(a.result as R);
        else local(p);
      }
      if (!pending.size && worker === w) idle(w);
      // The jobs held while this batch ran (oneBatchAtATime) go now, as one message.
      else if (worker === w && (outbox.length || later.length) && !flushScheduled) flush();
    });
    w.on('error', () => {
      if (worker === w) failAll();
    });
    w.on('exit', () => {
      if (worker !== w) return;
      if (pending.size) failAll();
      worker = undefined;
      ready = false;
      inFlight = 0;
    });
    // After the listeners, which ref the worker again when added.
    w.unref();
    return w;
  }

  return {
    run(job, lane = 'now') {
      clearTimeout(idleTimer);
      const w = start();
      if (!w) return Promise.resolve().then(() => inProcess(job));
      return new Promise<R>((resolve) => {
        const id = nextId++;
        if (!pending.size) w.ref();
        pending.set(id, { job, resolve });
        (lane === 'now' ? outbox : later).push({ ...job, id });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
    runsOffThread: () => !!worker && !broken,
    worker: () => worker,
    release() {
      const w = worker;
      if (w && !pending.size && !outbox.length && !later.length) end(w);
    },
  };
}
