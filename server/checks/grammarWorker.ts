/**
 * Worker thread body: Harper for the main thread (see offThreadGrammar.ts and offThread.ts). Jobs arrive in batches
 * and run concurrently, as they would in-process (Harper yields between a paragraph's chunks); the
 * answers go back in batches, one message per turn of this thread's event loop, or sooner when the
 * oldest unsent answer has waited `MAX_HOLD_MS` (many short jobs finish within one long turn).
 */
import { parentPort } from 'node:worker_threads';
import { runGrammarOp } from './grammarCore.js';
import type { Answer, Envelope } from './offThread.js';
import type { GrammarJob } from './offThreadGrammar.js';
import { settleThisWorkerThread } from './workerPriority.js';

const MAX_HOLD_MS = 10;

let outbox: Answer[] = [];
let firstQueuedAt = 0;
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (!outbox.length) return;
  const answers = outbox;
  outbox = [];
  parentPort!.postMessage(answers);
}

function answer(a: Answer): void {
  if (!outbox.length) firstQueuedAt = performance.now();
  outbox.push(a);
  if (performance.now() - firstQueuedAt >= MAX_HOLD_MS) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

parentPort?.on('message', (jobs: Array<Envelope<GrammarJob>>) => {
  for (const job of jobs) {
    // Started from a resolved promise, so that even a synchronous throw becomes an error answer
    // (which the main thread retries in-process) instead of killing this thread.
    Promise.resolve(job).then((j) => runGrammarOp(j.op, j.text, j.options)).then(
      (result) => answer({ id: job.id, result }),
      (e: unknown) => answer({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
    );
  }
});

settleThisWorkerThread({ lower: false });
parentPort?.postMessage({ ready: true });
