/** Worker thread body: runs the fact guard for the main thread, a batch per message (see offThreadChecks.ts). */
import { parentPort } from 'node:worker_threads';
import { runChecks } from './index.js';
import type { CheckAnswer, CheckJob } from './offThreadChecks.js';

parentPort?.on('message', (jobs: CheckJob[]) => {
  const answers: CheckAnswer[] = jobs.map((job) => {
    try {
      return { id: job.id, findings: runChecks(job.before, job.after, job.ctx) };
    } catch (e) {
      return { id: job.id, error: (e as Error).message };
    }
  });
  parentPort!.postMessage(answers);
});

parentPort?.postMessage({ ready: true });
