/**
 * Called by a worker thread's body (the fact guard's, the MT checks') before it says it is ready: lowers this thread's priority to the nice value it was
 * started with (offThread.ts), so the main thread goes first when cores are short. Linux keeps a
 * nice value per thread, so this thread alone changes (its id read from /proc/thread-self).
 * Elsewhere, or where it is not allowed, the thread keeps its priority.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import type { WorkerSettings } from './offThread.js';

export function lowerThisThreadsPriority(): void {
  const nice = (workerData as Partial<WorkerSettings> | null)?.nice;
  if (process.platform !== 'linux' || !nice) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // Not permitted or no /proc: the thread keeps its priority.
  }
}
