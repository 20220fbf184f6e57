/** Worker thread body: runs the fact guard for the main thread, a batch per message (see offThread.ts). */
import { parentPort } from 'node:worker_threads';
import { settleThisWorkerThread } from './workerPriority.js';
import type { GlossaryEntry } from '../core/glossary.js';
import { runChecks } from './index.js';
import type { Answer, Envelope } from './offThread.js';
import type { CheckJob } from './offThreadChecks.js';

/** Glossaries by number (offThreadChecks.ts), the latest few: one per desk and language pair in use. */
const glossaries = new Map<number, GlossaryEntry[]>();
const KEPT = 32;

function glossaryOf(job: CheckJob): GlossaryEntry[] | undefined {
  if (job.glossary === undefined) return undefined;
  if (job.entries) {
    glossaries.delete(job.glossary);
    glossaries.set(job.glossary, job.entries);
    if (glossaries.size > KEPT) glossaries.delete(glossaries.keys().next().value!);
  }
  const entries = glossaries.get(job.glossary);
  // Answered as an error, the job runs again in the main thread, which has the entries.
  if (!entries) throw new Error(`glossary ${job.glossary} is not held here`);
  return entries;
}

parentPort?.on('message', (jobs: Array<Envelope<CheckJob>>) => {
  const answers: Answer[] = jobs.map((job) => {
    try {
      const glossary = glossaryOf(job);
      return { id: job.id, result: runChecks(job.before, job.after, glossary ? { ...job.ctx, glossary } : job.ctx) };
    } catch (e) {
      return { id: job.id, error: (e as Error).message };
    }
  });
  parentPort!.postMessage(answers);
});

settleThisWorkerThread({ lower: true });
parentPort?.postMessage({ ready: true });
