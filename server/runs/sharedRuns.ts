/**
 * Runs executed by worker processes (`npm run worker`) on PostgreSQL, seen from the instance that
 * starts, resumes and stops them: a run handed to the workers gets one `run_tasks` row per paragraph
 * still without a result; the `…AnyRun` functions pick the workers or the in-process executor
 * (startRun, resumeRun, stopRun) by the configuration. The workers themselves are in worker.ts.
 */
import { InvalidStateError, NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { WORKER_OWNER, type Run, type RunParams, type RunResult, type SharedRunQueue } from '../store/runStore.js';
import type { RunContext } from './activeRuns.js';
import { estimateCost } from './cost.js';
import { keyOf, pendingParagraphs, pushError, summarizeResults } from './runBatch.js';
import { prepareResume, resumeRun } from './resumeRun.js';
import { prepareRun, startRun, type StartRunProps } from './startRun.js';
import { stopRun } from './stopRun.js';

/** The suggestion of this run that reached the paragraph's history without a result row (a worker died in between). */
export async function loggedSuggestion(services: Services, runId: string, task: { articleId: string; paragraphId: string }): Promise<RunResult | undefined> {
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
    const article = await services.store.readArticle(articleId);
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
