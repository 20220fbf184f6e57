/**
 * Harper on a worker thread of its own (see offThread.ts), so linting a paragraph (milliseconds of
 * WebAssembly, and ~1.5 s plus several hundred MB for Harper's first use) does not hold up other
 * editors' requests on the main thread. In-process, the operations run on the very same code
 * (`./grammarCore.ts`).
 *
 * Harper's memory (~210–260 MB: its dictionary, ~160 MB of WebAssembly memory that WebAssembly
 * never gives back, ~64 MB more once a misspelt word had no suggestion within three edits — see
 * grammarLinter.ts —, and the compiled code) is released by ending the worker once it had no job
 * for a while: in the server, `POSTEDIT_WORKER_IDLE_SECONDS` (see offThread.ts, main.ts). The next job starts a
 * fresh worker, which answers the same after its ~1.5 s set-up.
 */
import type { Worker } from 'node:worker_threads';
import { runGrammarOp, type GrammarOp, type GrammarOptions, type GrammarResults } from './grammarCore.js';
import { offThreadQueue } from './offThread.js';

export interface GrammarJob {
  op: GrammarOp;
  text: string;
  options: GrammarOptions;
}

const queue = offThreadQueue<GrammarJob, unknown>(new URL('./grammarWorker.ts', import.meta.url), (j) => runGrammarOp(j.op, j.text, j.options));

/** Run a grammar operation on Harper's worker thread (in-process if the worker is unavailable). */
export function runGrammarOffThread<K extends GrammarOp>(op: K, text: string, options: GrammarOptions = {}): Promise<GrammarResults[K]> {
  return queue.run({ op, text, options }) as Promise<GrammarResults[K]>;
}

/** Whether grammar operations currently run on the worker thread (false once they fell back in-process). */
export function grammarRunsOffThread(): boolean {
  return queue.runsOffThread();
}

/** The worker thread, if one is running (for tests that need to kill it). */
export function grammarWorkerForTests(): Worker | undefined {
  return queue.worker();
}

/** End Harper's worker now if it has no job (its few hundred MB go back); the next job starts one. */
export function releaseGrammarWorker(): void {
  queue.release();
}
