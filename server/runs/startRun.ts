/** Creates a batch run and executes it in the background. */
import type { Actor } from '../core/types.js';
import type { EditLevel, Engine } from '../engines/types.js';
import type { RunContext } from './activeRuns.js';
import { canRetranslate, promptIdentity } from './engines.js';
import { runBatch } from './runBatch.js';
import { claim, newRunId, type Run, type RunMode } from '../store/runStore.js';
import { BadRequestError, NotFoundError } from '../commands/errors.js';

export interface StartRunProps {
  articles: string[] | 'all';
  engine: string;
  model?: string | undefined;
  level: EditLevel;
  mode?: RunMode | undefined;
  concurrency?: number | undefined;
  rpm?: number | undefined;
  tpm?: number | undefined;
  actor: Actor;
}

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/** Checks the request and stores the run record (status `queued`); does not execute it. */
export async function prepareRun(ctx: RunContext, props: StartRunProps): Promise<{ run: Run; engine: Engine }> {
  const { store } = ctx.services;
  const ids = props.articles === 'all' ? (await store.listArticles()).map((a) => a.id) : [...new Set(props.articles)];
  if (ids.length === 0) throw new BadRequestError(props.articles === 'all' ? 'there are no articles to run on' : 'choose at least one article');
  let total = 0;
  for (const id of ids) {
    const article = await store.readArticle(id);
    if (!article) throw new NotFoundError(`no article "${id}"`);
    total += article.paragraphs.filter((p) => p.status !== 'deleted').length;
  }
  const concurrency = props.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new BadRequestError(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  for (const [name, value] of [['rpm', props.rpm], ['tpm', props.tpm]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new BadRequestError(`${name} must be a whole number ≥ 1`);
  }
  const engine = ctx.engineFor(props.engine, props.model?.trim() || undefined);
  const mode = props.mode ?? 'rewrite';
  if (mode === 'retranslate' && !canRetranslate(engine)) {
    throw new BadRequestError(`the ${engine.id} engine cannot translate from the source: use mode rewrite, or an LLM engine`);
  }
  const now = ctx.services.now();
  const run: Run = {
    id: newRunId(now),
    engine: engine.id,
    model: engine.model,
    ...promptIdentity(engine, props.level, mode),
    level: props.level,
    params: { concurrency, ...(props.rpm ? { rpm: props.rpm } : {}), ...(props.tpm ? { tpm: props.tpm } : {}) },
    articles: ids,
    mode,
    startedAt: now.toISOString(),
    status: 'queued',
    counts: { total, done: 0, failed: 0, skipped: 0 },
    tokens: { prompt: 0, completion: 0 },
    errors: [],
    startedBy: props.actor.username,
  };
  claim(run);
  await ctx.runStore.createRun(run);
  return { run, engine };
}

/** Executes a stored run in this process, in the background. */
export function launchRun(ctx: RunContext, runId: string, engine: Engine): void {
  const done = ctx.active.start(runId, (signal) =>
    runBatch({
      services: ctx.services,
      runStore: ctx.runStore,
      runId,
      engine,
      signal,
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      ...(ctx.retry ? { retry: ctx.retry } : {}),
      ...(ctx.env ? { env: ctx.env } : {}),
    }),
  );
  done.catch((e: unknown) => console.error(`run ${runId} failed:`, e));
}

export async function startRun(ctx: RunContext, props: StartRunProps): Promise<Run> {
  const { run, engine } = await prepareRun(ctx, props);
  launchRun(ctx, run.id, engine);
  return run;
}
