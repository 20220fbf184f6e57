/**
 * Shared batch work on PostgreSQL: a run queued for the workers has one `run_tasks` row per paragraph,
 * and any number of worker processes (`npm run worker`, on any machine) take rows with
 * SELECT … FOR UPDATE SKIP LOCKED and run each through suggestParagraph with the run's engine, as the
 * in-process executor (runBatch) does. A worker renews the lease on its claims while it works; the
 * claims of a worker that died are taken over once the lease has run out. A paragraph's result row,
 * its task's `done` mark and the run's counts are written in one transaction, and only while the
 * worker still holds the claim, so no paragraph gets two result rows.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { EngineFailedError, InvalidStateError, NotFoundError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { suggestParagraph } from '../commands/suggestParagraph.js';
import type { Actor } from '../core/types.js';
import type { Engine } from '../engines/types.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { MAX_RUN_ERRORS, WORKER_OWNER, type ClaimedTask, type Run, type RunResult, type SharedRunQueue, type TaskKey } from '../store/runStore.js';
import type { RunContext } from './activeRuns.js';
import { realClock, type Clock } from './clock.js';
import { estimateCost } from './cost.js';
import type { EngineFactory } from './engines.js';
import { RateLimiter } from './rateLimiter.js';
import type { RetryOptions } from './retry.js';
import { keyOf, pendingParagraphs, pushError, summarizeResults } from './runBatch.js';
import { runEngine } from './runEngine.js';
import { prepareResume, resumeRun } from './resumeRun.js';
import { prepareRun, startRun, type StartRunProps } from './startRun.js';
import { stopRun } from './stopRun.js';
import type { RunParams } from '../store/runStore.js';

/** The suggestion of this run that reached the paragraph's history without a result row (a worker died in between). */
async function loggedSuggestion(services: Services, runId: string, task: { articleId: string; paragraphId: string }): Promise<RunResult | undefined> {
  const mine = new Map((await services.store.suggestions(task.articleId)).filter((s) => s.runId === runId && s.paragraphId === task.paragraphId).map((s) => [s.id, s]));
  if (mine.size === 0) return undefined;
  for (const rev of await services.store.history(task.articleId)) {
    const s = rev.paragraphId === task.paragraphId && rev.action === 'suggest' && rev.suggestionId ? mine.get(rev.suggestionId) : undefined;
    if (s) return { ...task, status: 'done', suggestionId: s.id, ...(s.usage ? { usage: s.usage } : {}), ms: 0, recovered: true };
  }
  return undefined;
}

/**
 * Hands a stored run to the workers: queues its paragraphs without a result row (logging suggestions
 * that reached the articles but not the results first), and marks it running, executed by the workers.
 */
export async function enqueueRun(services: Services, runStore: SharedRunQueue, runId: string): Promise<Run> {
  const run = await runStore.rawRun(runId);
  if (!run) throw new NotFoundError(`no run "${runId}"`);
  const logged = await runStore.results(runId);
  const finished = new Set(logged.map(keyOf));
  const recovered: RunResult[] = [];
  for (const articleId of run.articles) {
    const article = await services.store.getArticle(articleId);
    if (!article) continue;
    for (const p of article.paragraphs) {
      const task = { articleId, paragraphId: p.id };
      if (finished.has(keyOf(task))) continue;
      const found = await loggedSuggestion(services, runId, task);
      if (found) {
        recovered.push(found);
        finished.add(keyOf(task));
      }
    }
  }
  const { tasks, missing } = await pendingParagraphs(services, run, finished);
  const all = [...logged, ...recovered];
  const { counts, tokens } = summarizeResults(all);
  return runStore.enqueue(runId, recovered, tasks, (r) => {
      Object.assign(r.counts, counts, { total: all.length + tasks.length });
      r.tokens = tokens;
      const cost = estimateCost(r.engine, r.model, tokens);
      if (cost === undefined) delete r.estimatedCost;
      else r.estimatedCost = cost;
      for (const articleId of missing) pushError(r, { articleId, paragraphId: '', message: `article "${articleId}" no longer exists` });
      delete r.finishedAt;
      if (tasks.length === 0) {
        r.status = 'finished';
        r.finishedAt = services.now().toISOString();
        delete r.owner;
      } else {
        r.status = 'running';
        r.owner = { ...WORKER_OWNER };
      }
  });
}

function sharedStore(ctx: RunContext): SharedRunQueue {
  const queue = ctx.runStore.sharedQueue;
  if (!queue) throw new InvalidStateError('shared runs (npm run worker) need the PostgreSQL store: set DATABASE_URL');
  return queue;
}

/** Like startRun, but the run is executed by `npm run worker` processes instead of this one. */
export async function startSharedRun(ctx: RunContext, props: StartRunProps): Promise<Run> {
  const store = sharedStore(ctx);
  const { run } = await prepareRun(ctx, props);
  return enqueueRun(ctx.services, store, run.id);
}

/** Like resumeRun, for the workers. */
export async function resumeSharedRun(ctx: RunContext, id: string, params: Partial<RunParams> = {}): Promise<Run> {
  const store = sharedStore(ctx);
  await prepareResume(ctx, id, params);
  return enqueueRun(ctx.services, store, id);
}

/** Stops a run the workers execute: they claim no more of its paragraphs; ones in flight still finish. */
export async function stopSharedRun(runStore: SharedRunQueue, id: string, now = new Date()): Promise<Run> {
  return runStore.updateRun(id, (r) => {
    if (r.status !== 'running' && r.status !== 'queued') throw new InvalidStateError(`run ${id} is ${r.status}, not running`);
    r.status = 'stopped';
    r.finishedAt = now.toISOString();
    delete r.owner;
  });
}

/** Whether runs started on the web go to the workers: the PostgreSQL store and POSTEDIT_RUN_WORKERS=1. */
export function runsGoToWorkers(ctx: RunContext, env: NodeJS.ProcessEnv = ctx.env ?? process.env): boolean {
  return !!ctx.runStore.sharedQueue && env.POSTEDIT_RUN_WORKERS === '1';
}

/** startRun, or startSharedRun when runs go to the workers. */
export async function startAnyRun(ctx: RunContext, props: StartRunProps): Promise<Run> {
  return runsGoToWorkers(ctx) ? startSharedRun(ctx, props) : startRun(ctx, props);
}

/** resumeRun, or resumeSharedRun when runs go to the workers. */
export async function resumeAnyRun(ctx: RunContext, id: string, params: Partial<RunParams> = {}): Promise<Run> {
  return runsGoToWorkers(ctx) ? resumeSharedRun(ctx, id, params) : resumeRun(ctx, id, params);
}

/** stopRun, or stopSharedRun for a run the workers execute (from any instance). */
export async function stopAnyRun(ctx: RunContext, id: string): Promise<Run> {
  const queue = ctx.runStore.sharedQueue;
  if (queue && !ctx.active.has(id)) {
    const raw = await queue.rawRun(id);
    if (raw?.owner?.instance === WORKER_OWNER.instance) return stopSharedRun(queue, id, ctx.services.now());
  }
  return stopRun(ctx, id);
}

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
