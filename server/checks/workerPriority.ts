/**
 * Called by every worker thread's body before it says it is ready (Linux; elsewhere, or where it is
 * not allowed, the thread keeps its scheduling). Linux schedules threads one by one, so this thread
 * alone changes (its id read from /proc/thread-self).
 *
 * - SCHED_BATCH (on unless the worker was started with `batch: false`; offThread.ts, POSTEDIT_WORKER_BATCH):
 *   the thread keeps its full share of the CPU, but waking it (a job posted to it) no longer lets it
 *   take the core from the thread that woke it — on a busy machine each postMessage otherwise handed
 *   the main thread's core to the worker in the middle of a request. It cannot starve: a batch thread is
 *   only not preferred on wake-up, and runs at the next scheduler tick. Set with util-linux's `chrt`
 *   (no Node API for a thread's policy), asynchronously: the worker does not wait for it.
 * - `lower`: the nice value the worker was started with (the fact guard's and MT checks' workers only,
 *   POSTEDIT_WORKER_NICE, off by default); Harper's worker is never lowered (its per-paragraph budget is
 *   wall-clock time, which a lowered thread spends waiting for a core).
 */
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import type { WorkerSettings } from './offThread.js';

function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

export function settleThisWorkerThread(options: { lower: boolean }): void {
  if (process.platform !== 'linux') return;
  const settings = (workerData as Partial<WorkerSettings> | null) ?? {};
  const tid = threadId();
  if (tid === undefined) return;
  if (options.lower && settings.nice) {
    try {
      setPriority(tid, settings.nice);
    } catch {
      // Not permitted: the thread keeps its priority.
    }
  }
  if (settings.batch !== false) {
    // `chrt` missing or refused: the thread stays SCHED_OTHER, as before; nothing to report.
    execFile('chrt', ['--batch', '--pid', '0', String(tid)], { timeout: 5000 }, () => {});
  }
}
