/**
 * Executes a run: asks the engine for a suggestion on every live paragraph of the run's articles,
 * `concurrency` at a time, and logs each paragraph the moment it is finished.
 *
 * Resuming is running again: paragraphs with a result line are not asked again, and a suggestion
 * the store holds but the log missed (the process died between the two writes) is logged instead of
 * asked for twice. Stopping lets in-flight requests be cancelled; their paragraphs have no result
 * line and are done on resume.
 */
import { setMaxListeners } from 'node:events';
import { EngineFailedError, NotFoundError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { suggestParagraph } from '../commands/suggestParagraph.js';
import type { Actor, TokenUsage } from '../core/types.js';
import type { EngineError } from '../engines/errors.js';
import type { Engine } from '../engines/types.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { claim, MAX_RUN_ERRORS, release, type Run, type RunCounts, type RunResult, type RunStore } from '../store/runStore.js';
import { realClock, type Clock } from './clock.js';
import { estimateCost } from './cost.js';
import { RateLimiter } from './rateLimiter.js';
import type { RetryOptions } from './retry.js';
import { runEngine } from './runEngine.js';

export interface RunBatchOptions {
  services: Services;
  runStore: RunStore;
  runId: string;
  /** The engine the run names, as made by an EngineFactory. */
  engine: Engine;
  /** Aborting stops the run: status `stopped`, resumable. */
  signal?: AbortSignal;
  clock?: Clock;
  retry?: Partial<RetryOptions>;
  /** Called after every finished paragraph with the updated record. */
  onProgress?: (run: Run) => void;
  env?: NodeJS.ProcessEnv;
}

export interface Task {
  articleId: string;
  paragraphId: string;
}

export const keyOf = (t: Task) => `${t.articleId}\u0000${t.paragraphId}`;

/** Counts and tokens as the results log has them. */
export function summarizeResults(results: RunResult[]): { counts: Omit<RunCounts, 'total'>; tokens: TokenUsage } {
  const counts = { done: 0, failed: 0, skipped: 0 };
  const tokens = { prompt: 0, completion: 0 };
  for (const r of results) {
    counts[r.status]++;
    tokens.prompt += r.usage?.prompt ?? 0;
    tokens.completion += r.usage?.completion ?? 0;
  }
  return { counts, tokens };
}

/** Logs suggestions of this run that reached an article's history but never reached the results log. */
async function recoverLogged(services: Services, runStore: RunStore, run: Run, finished: Set<string>): Promise<RunResult[]> {
  const recovered: RunResult[] = [];
  for (const articleId of run.articles) {
    const article = await services.store.readArticle(articleId);
    if (!article || article.paragraphs.every((p) => finished.has(keyOf({ articleId, paragraphId: p.id })))) continue;
    const mine = new Map((await services.store.suggestions(articleId)).filter((s) => s.runId === run.id).map((s) => [s.id, s]));
    if (mine.size === 0) continue;
    // History, not the suggestions log: only a suggestion whose article write completed is really there.
    for (const rev of await services.store.history(articleId)) {
      const s = rev.action === 'suggest' && rev.suggestionId ? mine.get(rev.suggestionId) : undefined;
      const task = { articleId, paragraphId: rev.paragraphId };
      if (!s || finished.has(keyOf(task))) continue;
      const result: RunResult = { ...task, status: 'done', suggestionId: s.id, ...(s.usage ? { usage: s.usage } : {}), ms: 0, recovered: true };
      await runStore.appendResult(run.id, result);
      finished.add(keyOf(task));
      recovered.push(result);
    }
  }
  return recovered;
}

/** The run's live paragraphs without a result line, and the run's articles that no longer exist. */
export async function pendingParagraphs(services: Services, run: Run, finished: Set<string>): Promise<{ tasks: Task[]; missing: string[] }> {
  const tasks: Task[] = [];
  const missing: string[] = [];
  for (const articleId of run.articles) {
    const article = await services.store.readArticle(articleId);
    if (!article) {
      missing.push(articleId);
      continue;
    }
    for (const p of article.paragraphs) {
      const task = { articleId, paragraphId: p.id };
      if (p.status !== 'deleted' && !finished.has(keyOf(task))) tasks.push(task);
    }
  }
  return { tasks, missing };
}

export function pushError(run: Run, error: Run['errors'][number]): void {
  if (run.errors.length < MAX_RUN_ERRORS) run.errors.push(error);
}

/** Runs (or resumes) the run to its end, a stop, or a fatal error; returns the final record. */
export async function runBatch(options: RunBatchOptions): Promise<Run> {
  const { services, runStore, runId } = options;
  const clock = options.clock ?? realClock;
  const start = await runStore.getRun(runId);
  if (!start) throw new NotFoundError(`no run "${runId}"`);
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  // One abort listener per request in flight is expected, not a leak.
  setMaxListeners(64, signal);
  let fatal: EngineError | undefined;
  let crash: Error | undefined;
  const actor: Actor = { username: start.startedBy, role: 'editor' };

  // The live desk shows a run's progress on its articles' pages: at most a few notes a second.
  let announced = 0;
  const announce = (r: Run, last = false) => {
    const now = Date.now();
    if (!last && now - announced < 400) return;
    announced = now;
    void services.store.changes
      // A notification holds at most 8,000 bytes: a run over many articles is announced to all.
      .sendNote({ type: 'run', runId: r.id, articleIds: r.articles.length > 100 ? ['*'] : r.articles, status: r.status, counts: r.counts, at: new Date(now).toISOString() })
      .catch(() => undefined);
  };

  const counts: Omit<RunCounts, 'total'> = { done: 0, failed: 0, skipped: 0 };
  const tokens: TokenUsage = { prompt: 0, completion: 0 };
  const newErrors: Run['errors'] = [];
  let promptHash: string | undefined;
  const summarize = (r: Run) => {
    Object.assign(r.counts, counts);
    r.tokens = { ...tokens };
    const cost = estimateCost(r.engine, r.model, tokens, options.env);
    if (cost === undefined) delete r.estimatedCost;
    else r.estimatedCost = cost;
    if (promptHash) r.promptHash = promptHash;
    for (const e of newErrors.splice(0)) pushError(r, e);
  };

  try {
    const logged = await runStore.results(runId);
    const finished = new Set(logged.map(keyOf));
    const recovered = await recoverLogged(services, runStore, start, finished);
    const all = [...logged, ...recovered];
    Object.assign(counts, summarizeResults(all).counts);
    Object.assign(tokens, summarizeResults(all).tokens);
    const { tasks, missing } = await pendingParagraphs(services, start, finished);
    for (const articleId of missing) newErrors.push({ articleId, paragraphId: '', message: `article "${articleId}" no longer exists` });
    let run = await runStore.updateRun(runId, (r) => {
      r.status = 'running';
      claim(r);
      delete r.finishedAt;
      r.counts.total = all.length + tasks.length;
      summarize(r);
    });
    options.onProgress?.(run);

    const { concurrency, rpm, tpm } = run.params;
    const limiter = rpm || tpm ? new RateLimiter({ rpm, tpm }, clock) : undefined;
    const engine = runEngine(options.engine, {
      mode: run.mode,
      signal,
      limiter,
      retry: { ...options.retry, clock },
      onFatal: (err) => {
        fatal ??= err;
        inner.abort(err);
      },
    });

    const finish = async (result: RunResult) => {
      await runStore.appendResult(runId, result);
      counts[result.status]++;
      if (result.usage) {
        tokens.prompt += result.usage.prompt;
        tokens.completion += result.usage.completion;
      }
      if (result.status === 'failed') newErrors.push({ articleId: result.articleId, paragraphId: result.paragraphId, message: result.error ?? 'failed' });
      run = await runStore.updateRun(runId, summarize);
      options.onProgress?.(run);
      announce(run);
    };

    const one = async (task: Task) => {
      const began = clock.now();
      let result: RunResult;
      try {
        const p = await suggestParagraph(services, { ...task, actor, level: run.level, engine, runId, force: true, onlyUndecided: true, task: run.mode === 'retranslate' ? 'retranslate' : 'rewrite' });
        const s = p.suggestion!;
        if (s.promptHash) promptHash = s.promptHash;
        result = { ...task, status: 'done', suggestionId: s.id, ...(s.usage ? { usage: s.usage } : {}), ms: clock.now() - began };
      } catch (e) {
        // Cancelled mid-request: no result line, so a resume asks again.
        if (signal.aborted) return;
        // Decided, approved, deleted or changed meanwhile: the editor's work stands, the paragraph is skipped.
        const skipped = e instanceof ParagraphRefusal || e instanceof StaleRevisionError || e instanceof NotFoundError || e instanceof StoreNotFound;
        if (!skipped && !(e instanceof EngineFailedError)) throw e;
        result = { ...task, status: skipped ? 'skipped' : 'failed', error: (e as Error).message, ms: clock.now() - began };
      }
      await finish(result);
    };

    let next = 0;
    const worker = async () => {
      try {
        while (!signal.aborted && next < tasks.length) await one(tasks[next++]!);
      } catch (e) {
        // A store failure, not an engine one: stop the other workers too, and end the run as failed.
        crash ??= e as Error;
        inner.abort(crash);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
  } catch (e) {
    crash ??= e as Error;
    inner.abort(crash);
  }

  const ended = await runStore.updateRun(runId, (r) => {
    summarize(r);
    if (fatal || crash) {
      r.status = 'failed';
      r.errors.unshift({ articleId: '', paragraphId: '', message: `the run stopped: ${(fatal ?? crash)!.message}` });
      r.errors.splice(MAX_RUN_ERRORS);
    } else {
      r.status = options.signal?.aborted ? 'stopped' : 'finished';
    }
    r.finishedAt = services.now().toISOString();
    release(r);
  });
  announce(ended, true);
  return ended;
}
