/** Worker thread body: runs the fact guard for the main thread, a batch per message (see offThread.ts). */
import { parentPort } from 'node:worker_threads';
import { runChecks } from './index.js';
import type { Answer, Envelope } from './offThread.js';
import type { CheckJob } from './offThreadChecks.js';

parentPort?.on('message', (jobs: Array<Envelope<CheckJob>>) => {
  const answers: Answer[] = jobs.map((job) => {
    try {
      return { id: job.id, result: runChecks(job.before, job.after, job.ctx) };
    } catch (e) {
      return { id: job.id, error: (e as Error).message };
    }
  });
  parentPort!.postMessage(answers);
});

parentPort?.postMessage({ ready: true });
