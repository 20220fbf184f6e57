/** Worker thread body: runs the MT checks for the main thread, a batch per message (see ../offThread.ts). */
import { parentPort } from 'node:worker_threads';
import { settleThisWorkerThread } from '../workerPriority.js';
import type { Answer, Envelope } from '../offThread.js';
import { runMtJob, type MtCheckJob } from './offThread.js';

parentPort?.on('message', (jobs: Array<Envelope<MtCheckJob>>) => {
  const answers: Answer[] = jobs.map((job) => {
    try {
      return { id: job.id, result: runMtJob(job) };
    } catch (e) {
      return { id: job.id, error: (e as Error).message };
    }
  });
  parentPort!.postMessage(answers);
});

settleThisWorkerThread({ lower: true });
parentPort?.postMessage({ ready: true });
