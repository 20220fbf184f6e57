/** Stops a run executing in this process; in-flight requests are cancelled and done again on resume. */
import type { RunContext } from './activeRuns.js';
import { interrupted, release, type Run } from '../store/runStore.js';
import { InvalidStateError, NotFoundError } from '../commands/errors.js';

export async function stopRun(ctx: RunContext, id: string): Promise<Run> {
  const stopped = await ctx.active.stop(id);
  if (stopped) return stopped;
  const run = await ctx.runStore.getRun(id);
  if (!run) throw new NotFoundError(`no run "${id}"`);
  if (interrupted(run)) {
    return ctx.runStore.updateRun(id, (r) => {
      r.status = 'stopped';
      release(r);
    });
  }
  if (run.status === 'running' || run.status === 'queued') {
    throw new InvalidStateError(`run ${id} is executed by another process (pid ${run.owner?.pid}): stop it there, e.g. with Ctrl-C in the batch command`);
  }
  throw new InvalidStateError(`run ${id} is ${run.status}, not running`);
}
