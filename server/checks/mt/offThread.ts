/** The MT checks on a worker thread of their own (see ../offThread.ts): jieba, the dictionary and
 *  the checks' CPU stay off the thread serving requests. */
import type { MtFlag } from '../../core/types.js';
import { offThreadQueue } from '../offThread.js';
import { runMtChecks } from './index.js';
import type { MtCheckContext } from './types.js';

export interface MtCheckJob {
  mt: string;
  source?: string;
  ctx: MtCheckContext;
}

export function runMtJob(job: MtCheckJob): MtFlag[] {
  return runMtChecks(job.mt, job.source, job.ctx);
}

const queue = offThreadQueue<MtCheckJob, MtFlag[]>(new URL('./mtWorker.ts', import.meta.url), runMtJob, { oneBatchAtATime: true });

export function runMtChecksOffThread(mt: string, source: string | undefined, ctx: MtCheckContext = {}): Promise<MtFlag[]> {
  return queue.run(source === undefined ? { mt, ctx } : { mt, source, ctx });
}

export function mtChecksRunOffThread(): boolean {
  return queue.runsOffThread();
}

/** End the MT checks' worker now if it has no job (jieba's and the dictionary's ~100 MB go back). */
export function releaseMtChecksWorker(): void {
  queue.release();
}
