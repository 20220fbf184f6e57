/**
 * A worker process's loop (`npm run worker`, on any machine): it takes `run_tasks` rows with
 * SELECT … FOR UPDATE SKIP LOCKED and runs each through suggestParagraph with the run's engine, as the
 * in-process executor (runBatch) does. A worker renews the lease on its claims while it works; the
 * claims of a worker that died are taken over once the lease has run out. A paragraph's result row,
 * its task's `done` mark and the run's counts are written in one transaction, and only while the
 * worker still holds the claim, so no paragraph gets two result rows. Queuing a run for the workers
 * is in sharedRuns.ts.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { EngineFailedError, NotFoundError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { suggestParagraph } from '../commands/suggestParagraph.js';
import type { Actor } from '../core/types.js';
import type { Engine } from '../engines/types.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { MAX_RUN_ERRORS, type ClaimedTask, type Run, type RunResult, type SharedRunQueue, type TaskKey } from '../store/runStore.js';
import { realClock, type Clock } from './clock.js';
import { estimateCost } from './cost.js';
import type { EngineFactory } from './engines.js';
import { RateLimiter } from './rateLimiter.js';
import type { RetryOptions } from './retry.js';
import { pushError } from './runBatch.js';
import { runEngine } from './runEngine.js';
import { loggedSuggestion } from './sharedRuns.js';

export {
  enqueueRun, resumeAnyRun, resumeSharedRun, runsGoToWorkers, startAnyRun, startSharedRun, stopAnyRun, stopSharedRun,
} from './sharedRuns.js';

export interface WorkerOptions {
  services: Services;
  runStore: SharedRunQueue;
  engineFor: EngineFactory;
  /** Names this worker in `run_tasks.claimed_by`; default host:pid:random. */
  id?: string;
  /** Paragraphs this worker works on at a time (default 4). */
  concurrency?: number;
  /** A claim not renewed for this long is taken over by another worker (default 60 s). */
  leaseMs?: number;
  /** Wait between looks at an empty queue (default 1 s). */
  pollMs?: number;
  /** Aborting stops the worker: requests in flight are cancelled and (unless `releaseOnStop` is false) their claims given back. */
  signal?: AbortSignal;
  /** false: leave claims held on stop, as a killed worker does (tests). Default true. */
  releaseOnStop?: boolean;
  clock?: Clock;
  retry?: Partial<RetryOptions>;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface WorkerStats {
  id: string;
  /** Paragraphs this worker finished (result rows written). */
  done: number;
  /** Claims lost to another worker before finishing (nothing written). */
  lost: number;
}

interface RunWork {
  engine: Engine;
  actor: Actor;
  level: Run['level'];
  mode: Run['mode'];
  controller: AbortController;
}

/** Polls for queued paragraphs and works on them until `signal` aborts. */
export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const { services, runStore } = options;
  const id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => undefined);
  const stop = options.signal ?? new AbortController().signal;
  setMaxListeners(256, stop);
  const stats: WorkerStats = { id, done: 0, lost: 0 };
  const runs = new Map<string, RunWork>();

  const renew = setInterval(() => {
    if (!stop.aborted) void runStore.renewClaims(id).catch((e: unknown) => log(`renewing claims failed: ${(e as Error).message}`));
  }, Math.max(50, Math.floor(leaseMs / 3)));
  renew.unref();

  async function workFor(runId: string): Promise<RunWork | undefined> {
    const known = runs.get(runId);
    if (known && !known.controller.signal.aborted) return known;
    const run = await runStore.rawRun(runId);
    if (!run || run.status !== 'running') return undefined;
    const controller = new AbortController();
    setMaxListeners(256, controller.signal);
    const signal = AbortSignal.any([stop, controller.signal]);
    setMaxListeners(256, signal);
    const { rpm, tpm } = run.params;
    // Per worker: with N workers a run may send up to N times its rpm / tpm.
    const limiter = rpm || tpm ? new RateLimiter({ rpm, tpm }, clock) : undefined;
    const engine = runEngine(options.engineFor(run.engine, run.model), {
      mode: run.mode,
      signal,
      limiter,
      retry: { ...options.retry, clock },
      onFatal: (err) => {
        if (controller.signal.aborted) return;
        controller.abort(err);
        log(`run ${runId} failed: ${err.message}`);
        void runStore
          .updateRun(runId, (r) => {
            if (r.status !== 'running') return;
            r.status = 'failed';
            r.errors.unshift({ articleId: '', paragraphId: '', message: `the run stopped: ${err.message}` });
            r.errors.splice(MAX_RUN_ERRORS);
            r.finishedAt = services.now().toISOString();
            delete r.owner;
          })
          .catch((e: unknown) => log(`could not mark run ${runId} failed: ${(e as Error).message}`));
      },
    });
    const work: RunWork = { engine, actor: { username: run.startedBy, role: 'editor' }, level: run.level, mode: run.mode, controller };
    runs.set(runId, work);
    return work;
  }

  async function one(task: ClaimedTask): Promise<void> {
    const key: TaskKey = { runId: task.runId, articleId: task.articleId, paragraphId: task.paragraphId };
    const paragraph = { articleId: task.articleId, paragraphId: task.paragraphId };
    const work = await workFor(task.runId);
    if (!work) {
      await runStore.releaseClaims(id, key);
      return;
    }
    const began = clock.now();
    let result: RunResult | undefined = task.attempts > 1 ? await loggedSuggestion(services, task.runId, paragraph) : undefined;
    let promptHash: string | undefined;
    if (!result) {
      try {
        const p = await suggestParagraph(services, { ...paragraph, actor: work.actor, level: work.level, engine: work.engine, runId: task.runId, force: true, onlyUndecided: true, task: work.mode === 'retranslate' ? 'retranslate' : 'rewrite' });
        const s = p.suggestion!;
        promptHash = s.promptHash || undefined;
        result = { ...paragraph, status: 'done', suggestionId: s.id, ...(s.usage ? { usage: s.usage } : {}), ms: clock.now() - began };
      } catch (e) {
        if (stop.aborted || work.controller.signal.aborted) {
          // Cancelled: no result row, the paragraph is asked again later.
          if (!stop.aborted || options.releaseOnStop !== false) await runStore.releaseClaims(id, key);
          return;
        }
        // Decided, approved, deleted or changed meanwhile: the editor's work stands, the paragraph is skipped.
        const skipped = e instanceof ParagraphRefusal || e instanceof StaleRevisionError || e instanceof NotFoundError || e instanceof StoreNotFound;
        result = { ...paragraph, status: skipped ? 'skipped' : 'failed', error: (e as Error).message, ms: clock.now() - began };
        if (!skipped && !(e instanceof EngineFailedError)) log(`${task.runId} ${task.articleId}/${task.paragraphId}: ${(e as Error).message}`);
      }
    }
    const finalResult = result;
    const updated = await runStore.completeTask(id, key, finalResult, (r, open) => {
      r.counts[finalResult.status]++;
      if (finalResult.usage) {
        r.tokens.prompt += finalResult.usage.prompt;
        r.tokens.completion += finalResult.usage.completion;
      }
      const cost = estimateCost(r.engine, r.model, r.tokens, options.env);
      if (cost === undefined) delete r.estimatedCost;
      else r.estimatedCost = cost;
      if (promptHash) r.promptHash = promptHash;
      if (finalResult.status === 'failed') pushError(r, { articleId: finalResult.articleId, paragraphId: finalResult.paragraphId, message: finalResult.error ?? 'failed' });
      if (open === 0 && r.status === 'running') {
        r.status = 'finished';
        r.finishedAt = services.now().toISOString();
        delete r.owner;
      }
    });
    if (updated) {
      stats.done++;
      if (updated.status === 'finished') log(`run ${updated.id} finished: ${updated.counts.done} done, ${updated.counts.failed} failed, ${updated.counts.skipped} skipped`);
    } else {
      stats.lost++;
      log(`${task.runId} ${task.articleId}/${task.paragraphId}: the claim was taken over; result dropped`);
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        stop.removeEventListener('abort', done);
        resolve();
      }
      stop.addEventListener('abort', done, { once: true });
    });

  const lane = async () => {
    while (!stop.aborted) {
      let task: ClaimedTask | undefined;
      try {
        [task] = await runStore.claimTasks(id, 1, leaseMs);
      } catch (e) {
        log(`claiming failed: ${(e as Error).message}`);
      }
      if (stop.aborted) {
        if (task && options.releaseOnStop !== false) await runStore.releaseClaims(id, task).catch(() => undefined);
        break;
      }
      if (!task) {
        await sleep(pollMs);
        continue;
      }
      try {
        await one(task);
      } catch (e) {
        // A store failure: give the paragraph back for another try, and slow down.
        log(`${task.runId} ${task.articleId}/${task.paragraphId}: ${(e as Error).message}`);
        await runStore.releaseClaims(id, task).catch(() => undefined);
        await sleep(pollMs);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    clearInterval(renew);
    if (options.releaseOnStop !== false) await runStore.releaseClaims(id).catch(() => undefined);
  }
  return stats;
}
