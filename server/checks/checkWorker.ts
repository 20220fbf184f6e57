/** Worker thread body: runs the fact guard for the main thread (see offThreadChecks.ts). */
import { parentPort } from 'node:worker_threads';
import { runChecks } from './index.js';
import type { CheckContext } from './types.js';

interface Job {
  id: number;
  before: string;
  after: string;
  ctx: CheckContext;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, findings: runChecks(job.before, job.after, job.ctx) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});

parentPort?.postMessage({ ready: true });
