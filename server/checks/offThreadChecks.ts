/**
 * The fact guard on a worker thread (see offThread.ts), so checking a rewrite (a fraction of a
 * millisecond to a few ms of CPU) does not hold up other editors' requests on the main thread —
 * except a short pair someone waits for (IN_PROCESS_CHARS), which costs less here than the hop.
 *
 * Glossaries go to the worker by number: the entries of a glossary travel once per worker, which keeps
 * them (checkWorker.ts), and later jobs name the number only, so a job costs the same to send however
 * large the desk's glossary is. A glossary is one array for as long as it does not change
 * (commands/articleGlossary.ts), so a changed glossary gets a number of its own. A job the worker cannot
 * answer (it no longer holds that glossary) runs in-process, with the entries this side kept.
 */
import type { Worker } from 'node:worker_threads';
import type { GlossaryEntry } from '../core/glossary.js';
import type { Finding } from '../core/types.js';
import { runChecks } from './index.js';
import { offThreadQueue, type Lane } from './offThread.js';
import type { CheckContext } from './types.js';

export interface CheckJob {
  before: string;
  after: string;
  ctx: Omit<CheckContext, 'glossary'>;
  /** The glossary's number, when the checks get one. */
  glossary?: number;
  /** Its entries, the first time this worker gets that number. */
  entries?: GlossaryEntry[];
}

/** A job as this side keeps it: the glossary itself rides along, not enumerable, so it is never sent. */
type LocalJob = CheckJob & { readonly local?: GlossaryEntry[] };

/** The context of a job, with its glossary back in place. */
function contextOf(job: CheckJob, glossary: GlossaryEntry[] | undefined): CheckContext {
  return glossary ? { ...job.ctx, glossary } : job.ctx;
}

// Kept when idle (unlike Harper's worker): it holds little (~10 MB) and every edit waits for it.
const queue = offThreadQueue<CheckJob, Finding[]>(
  new URL('./checkWorker.ts', import.meta.url),
  (j: LocalJob) => runChecks(j.before, j.after, contextOf(j, j.local ?? j.entries)),
  { idleMs: () => 0, oneBatchAtATime: true },
);

const numbers = new WeakMap<GlossaryEntry[], number>();
let lastNumber = 0;
/**
 * The glossaries the running worker was sent (a new worker starts with none), by lane: within a lane
 * jobs reach the worker in the order they were queued, and every `now` job goes before the `later`
 * jobs queued after it, so a `now` job can count only on entries sent with an earlier `now` job, a
 * `later` job on entries sent with an earlier job of either lane.
 */
let sent: { worker: Worker | undefined; now: Set<number>; any: Set<number> } = { worker: undefined, now: new Set(), any: new Set() };

/**
 * Pairs up to this many characters (both texts) that someone waits for are checked on the calling
 * thread: ~0.3–1.5 ms of CPU here, less than waiting for a busy worker costs the edit (20 unpaced
 * editors, alternating runs: accept + edit p99 −14 % on PostgreSQL, −25–45 % on lowdb, for ~5 % less
 * throughput; bench/RESULTS.md §5). Longer pairs (~11 ms at 16,000 characters) still go to the worker,
 * so one long paragraph does not hold up everyone else's requests.
 */
export const IN_PROCESS_CHARS = 2000;

/** The fact guard's findings, on its worker; `lane` `later` for checks done ahead (see offThread.ts). */
export function runChecksOffThread(before: string, after: string, ctx: CheckContext = {}, lane: Lane = 'now'): Promise<Finding[]> {
  if (lane === 'now' && before.length + after.length <= IN_PROCESS_CHARS) {
    return new Promise((resolve) => resolve(runChecks(before, after, ctx)));
  }
  const { glossary, ...rest } = ctx;
  if (!glossary) return queue.run({ before, after, ctx: rest }, lane);
  let n = numbers.get(glossary);
  if (n === undefined) numbers.set(glossary, (n = ++lastNumber));
  const running = queue.worker();
  const known = running !== undefined && sent.worker === running && (lane === 'now' ? sent.now : sent.any).has(n);
  const job: CheckJob = { before, after, ctx: rest, glossary: n, ...(known ? {} : { entries: glossary }) };
  Object.defineProperty(job, 'local', { value: glossary, enumerable: false });
  const answer = queue.run(job, lane);
  const worker = queue.worker();
  if (worker) {
    if (sent.worker !== worker) sent = { worker, now: new Set(), any: new Set() };
    if (lane === 'now') sent.now.add(n);
    sent.any.add(n);
  }
  return answer;
}

/** Whether checks currently run on the worker thread (false after a failure made them run in-process). */
export function checksRunOffThread(): boolean {
  return queue.runsOffThread();
}
