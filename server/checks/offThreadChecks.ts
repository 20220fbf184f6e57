/**
 * The fact guard on a worker thread (see offThread.ts), so checking a rewrite (a fraction of a
 * millisecond to a few ms of CPU) does not hold up other editors' requests on the main thread.
 */
import type { Finding } from '../core/types.js';
import { runChecks } from './index.js';
import { offThreadQueue } from './offThread.js';
import type { CheckContext } from './types.js';

export interface CheckJob {
  before: string;
  after: string;
  ctx: CheckContext;
}

const queue = offThreadQueue<CheckJob, Finding[]>(new URL('./checkWorker.ts', import.meta.url), (j) => runChecks(j.before, j.after, j.ctx));

export function runChecksOffThread(before: string, after: string, ctx: CheckContext = {}): Promise<Finding[]> {
  return queue.run({ before, after, ctx });
}

/** Whether checks currently run on the worker thread (false after a failure made them run in-process). */
export function checksRunOffThread(): boolean {
  return queue.runsOffThread();
}
