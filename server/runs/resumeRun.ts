/** Continues a stopped, failed or interrupted run where it ended. */
import type { RunContext } from './activeRuns.js';
import type { Engine } from '../engines/types.js';
import { claim, interrupted, type Run, type RunParams } from '../store/runStore.js';
import { BadRequestError, InvalidStateError, NotFoundError } from '../commands/errors.js';
import { launchRun, MAX_CONCURRENCY } from './startRun.js';

/** Checks that the run may resume, applies new limits, and marks it queued by this process. */
export async function prepareResume(ctx: RunContext, id: string, params: Partial<RunParams> = {}, options: { pendingBatch?: boolean } = {}): Promise<{ run: Run; engine: Engine }> {
  const run = await ctx.runStore.getRun(id);
  if (!run) throw new NotFoundError(`no run "${id}"`);
  if (ctx.active.has(id)) throw new InvalidStateError(`run ${id} is running already`);
  if ((run.status === 'running' || run.status === 'queued') && !interrupted(run)) {
    throw new InvalidStateError(`run ${id} is executed by another process (pid ${run.owner?.pid})`);
  }
  if (run.status === 'finished') throw new InvalidStateError(`run ${id} has finished: start a new run to ask again`);
  if (!options.pendingBatch && run.batch?.id && run.batch.status !== 'ingested') {
    throw new InvalidStateError(`run ${id} waits for the results of batch ${run.batch.id}: continue it with npm run batch -- --resume ${id}`);
  }
  const c = params.concurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > MAX_CONCURRENCY)) {
    throw new BadRequestError(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const engine = ctx.engineFor(run.engine, run.model);
  const updated = await ctx.runStore.updateRun(id, (r) => {
    r.status = 'queued';
    claim(r);
    delete r.finishedAt;
    r.params = { ...r.params, ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) };
  });
  return { run: updated, engine };
}

export async function resumeRun(ctx: RunContext, id: string, params: Partial<RunParams> = {}): Promise<Run> {
  const { run, engine } = await prepareResume(ctx, id, params);
  launchRun(ctx, run.id, engine);
  return run;
}
