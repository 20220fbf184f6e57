/**
 * The work queue of `npm run worker` processes on PostgreSQL: one `run_tasks` row per paragraph of a
 * run executed by the workers, claimed with FOR UPDATE SKIP LOCKED, leased for a while, marked done
 * with its result appended in one transaction. Used by PgRunStore (its SharedRunQueue side).
 */
import type { Pool, QueryResult } from 'pg';
import { WORKER_OWNER, type ClaimedTask, type Run, type RunResult, type TaskKey } from '../runStore.js';
import type { Queryable } from './database.js';
import { lit } from './sqlLiterals.js';

/** The `executor` column of a run: `workers` for one the workers execute, else `process`. */
export const executorOf = (run: Run): 'workers' | 'process' => (run.owner?.instance === WORKER_OWNER.instance ? 'workers' : 'process');

/**
 * Positions that take the keys in turn, in the order each key first appears, each key's items in their
 * order: for [a, a, a, b, b, c] the order a, b, c, a, b, a (positions 0, 3, 5, 1, 4, 2).
 */
export function roundRobin(keys: string[]): number[] {
  const rank = new Map<string, number>();
  const counts: number[] = [];
  const at = keys.map((k) => {
    let r = rank.get(k);
    if (r === undefined) rank.set(k, (r = rank.size));
    return [r, (counts[r] = (counts[r] ?? 0) + 1) - 1] as const;
  });
  // Round t holds the keys with more than t items; position = items of earlier rounds + place in round t.
  const max = Math.max(...counts);
  const roundStart: number[] = [0];
  for (let t = 1; t <= max; t++) roundStart.push(roundStart[t - 1]! + counts.filter((c) => c > t - 1).length);
  const placeInRound = (key: number, t: number) => {
    let n = 0;
    for (let k = 0; k < key; k++) if (counts[k]! > t) n++;
    return n;
  };
  return at.map(([key, t]) => roundStart[t]! + placeInRound(key, t));
}

/**
 * Queues the paragraphs (again); rows already done or claimed are left alone. Claims follow
 * `position`, which takes the articles in turn (the first paragraph of each, then the second of
 * each, …), so workers claiming at once work on different articles instead of queueing for one
 * article's row lock.
 */
export async function enqueueTasks(db: Queryable, runId: string, tasks: { articleId: string; paragraphId: string }[]): Promise<void> {
  if (tasks.length === 0) return;
  const positions = roundRobin(tasks.map((t) => t.articleId));
  await db.query(
    `INSERT INTO run_tasks (run_id, article_id, paragraph_id, position)
     SELECT $1, t.a, t.p, t.n FROM unnest($2::text[], $3::text[], $4::int[]) AS t(a, p, n)
     ON CONFLICT (run_id, article_id, paragraph_id) DO UPDATE SET status = 'queued', claimed_by = NULL, claimed_at = NULL
     WHERE run_tasks.status = 'failed'`,
    [runId, tasks.map((t) => t.articleId), tasks.map((t) => t.paragraphId), positions],
  );
}

/**
 * Claims up to `limit` paragraphs of running runs for `worker`: queued ones, and claimed ones whose
 * lease (`leaseMs` since their claim was last renewed) has run out. SKIP LOCKED: workers claiming
 * at the same moment get different rows, never the same one.
 */
export async function claimTasks(db: Queryable, worker: string, limit: number, leaseMs: number): Promise<ClaimedTask[]> {
  const { rows } = await db.query<{ run_id: string; article_id: string; paragraph_id: string; attempts: number }>(
    `WITH picked AS (
       SELECT t.run_id, t.article_id, t.paragraph_id
       FROM run_tasks t JOIN runs r ON r.id = t.run_id
       WHERE r.status = 'running' AND r.executor = 'workers'
         AND (t.status = 'queued' OR (t.status = 'claimed' AND t.claimed_at < now() - $3 * interval '1 millisecond'))
       ORDER BY r.started_at, t.run_id, t.position
       LIMIT $2
       FOR UPDATE OF t SKIP LOCKED
     )
     UPDATE run_tasks t SET status = 'claimed', claimed_by = $1, claimed_at = now(), attempts = t.attempts + 1
     FROM picked
     WHERE t.run_id = picked.run_id AND t.article_id = picked.article_id AND t.paragraph_id = picked.paragraph_id
     RETURNING t.run_id, t.article_id, t.paragraph_id, t.attempts`,
    [worker, limit, leaseMs],
  );
  return rows.map((r) => ({ runId: r.run_id, articleId: r.article_id, paragraphId: r.paragraph_id, attempts: r.attempts }));
}

/** Extends the lease of every claim `worker` holds. */
export async function renewClaims(db: Queryable, worker: string): Promise<number> {
  const r = await db.query(`UPDATE run_tasks SET claimed_at = now() WHERE claimed_by = $1 AND status = 'claimed'`, [worker]);
  return r.rowCount ?? 0;
}

/** Gives `worker`'s claims (or its claim of `task`) back to the queue (a worker stopping politely). */
export async function releaseClaims(db: Queryable, worker: string, task?: TaskKey): Promise<number> {
  const r = task
    ? await db.query(
        `UPDATE run_tasks SET status = 'queued', claimed_by = NULL, claimed_at = NULL
         WHERE claimed_by = $1 AND status = 'claimed' AND run_id = $2 AND article_id = $3 AND paragraph_id = $4`,
        [worker, task.runId, task.articleId, task.paragraphId],
      )
    : await db.query(`UPDATE run_tasks SET status = 'queued', claimed_by = NULL, claimed_at = NULL WHERE claimed_by = $1 AND status = 'claimed'`, [worker]);
  return r.rowCount ?? 0;
}

/**
 * Records a finished paragraph in one transaction: the task is marked done (only while `worker` still
 * holds its claim), the result appended, and the record changed by `change` with the number of the
 * run's tasks still open. Undefined when the claim was lost (nothing is written).
 *
 * Three round trips (simple queries, values as literals), the run's row locked for the last two
 * only, since every paragraph of the run passes through it: BEGIN with the mark and the result (one
 * statement: no result without the mark); the run's row locked and its open tasks counted (a
 * statement of its own, so its snapshot, taken once the lock is held, sees every completion committed
 * before); the record written with COMMIT. Rows are locked in the order task, then run, as
 * enqueueRun does.
 */
export async function completeTask(pool: Pool, worker: string, task: TaskKey, result: RunResult, change: (run: Run, open: number) => void): Promise<Run | undefined> {
  const [runId, articleId, paragraphId] = [lit(task.runId), lit(task.articleId), lit(task.paragraphId)];
  const client = await pool.connect();
  let broken: Error | undefined;
  let done = false;
  try {
    const [, marked] = (await client.query(`BEGIN;
      WITH marked AS (UPDATE run_tasks SET status = ${lit(result.status === 'failed' ? 'failed' : 'done')}, claimed_at = now()
          WHERE run_id = ${runId} AND article_id = ${articleId} AND paragraph_id = ${paragraphId} AND claimed_by = ${lit(worker)} AND status = 'claimed'
          RETURNING run_id),
        appended AS (INSERT INTO run_results (run_id, article_id, paragraph_id, data)
          SELECT run_id, ${articleId}, ${paragraphId}, ${lit(JSON.stringify(result))}::json FROM marked)
      SELECT count(*)::int AS n FROM marked`)) as unknown as [QueryResult, QueryResult<{ n: number }>];
    if (marked.rows[0]!.n === 0) return undefined;
    // NO KEY UPDATE, as PgRunStore.updateIn: the result appended above holds a KEY SHARE lock on the run's row (its foreign key).
    const [locked, open] = (await client.query(`SELECT data FROM runs WHERE id = ${runId} FOR NO KEY UPDATE;
      SELECT count(*)::int AS n FROM run_tasks WHERE run_id = ${runId} AND status IN ('queued', 'claimed')`)) as unknown as [
      QueryResult<{ data: Run }>,
      QueryResult<{ n: number }>,
    ];
    const run = locked.rows[0]?.data;
    if (!run) return undefined;
    change(run, open.rows[0]!.n);
    await client.query(`UPDATE runs SET status = ${lit(run.status)}, executor = ${lit(executorOf(run))}, data = ${lit(JSON.stringify(run))}::json
      WHERE id = ${runId};
      COMMIT`);
    done = true;
    return run;
  } finally {
    // Not committed (claim lost, no run, a failure): roll back. A connection whose ROLLBACK failed is
    // in an unknown state: the pool must not hand it out again.
    if (!done) {
      await client.query('ROLLBACK').catch((r: unknown) => {
        broken = r instanceof Error ? r : new Error(String(r));
      });
    }
    client.release(broken);
  }
}

/** Tasks of a run by status, for tests and the worker's log. */
export async function taskCounts(db: Queryable, runId: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM run_tasks WHERE run_id = $1 GROUP BY status', [runId]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
