/**
 * Batch runs on PostgreSQL: the run records and results logs every app instance shares, and the work
 * queue (`run_tasks`) that `npm run worker` processes take paragraphs from.
 *
 * A run is executed either by one process (the app's executor, as with lowdb: its `owner`) or by the
 * workers (owner WORKER_OWNER, one task row per paragraph). Whether its executor is still alive is
 * decided from the database, not from the local process table: every process with a PgRunStore open
 * writes a heartbeat to `run_processes`, and a worker-run run is alive while it has open tasks. A run
 * that is alive elsewhere is handed out as owned by this process, so `interrupted()` says no; one whose
 * owner stopped beating is handed out without an owner, so it shows as interrupted and can be resumed.
 * An owner on this machine (same boot, same pid namespace) whose pid is gone is known dead at once,
 * without waiting for its heartbeat to lapse: a run killed with SIGKILL resumes straight away, as on lowdb.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { NotFoundError } from '../types.js';
import { claim, WORKER_OWNER, type ClaimedTask, type Run, type RunOwner, type RunResult, type RunStore, type SharedRunQueue, type TaskKey } from '../runStore.js';

export { WORKER_OWNER, type ClaimedTask, type TaskKey };
import { transaction, type Queryable } from './database.js';

/** The owner of a run executed by `npm run worker` processes through `run_tasks`. */

/** This process's instance id, as `claim()` writes it. */
export const LOCAL_INSTANCE: string = (() => {
  const probe = {} as Run;
  claim(probe);
  return probe.owner!.instance;
})();

export interface PgRunStoreOptions {
  /** How often this process writes its heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** A process not seen for this long is gone (default 30 s). */
  liveMs?: number;
}


/**
 * The process table this process's pid belongs to: the machine's boot and the pid namespace (Linux),
 * so that two containers sharing a host name never judge each other's pids. Undefined elsewhere.
 */
const PID_SPACE: string | undefined = (() => {
  try {
    return `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()} ${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
  }
})();

/** The `host` this process announces: its host name, and where its pid can be checked. */
const HOST = PID_SPACE ? `${hostname()} ${PID_SPACE}` : hostname();

/** True unless `pid` names no process in this process table. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const EXECUTING = new Set(['queued', 'running']);

/** A string as an SQL literal, for statements sent as simple queries. */
function lit(value: string): string {
  if (value.includes('\u0000')) throw new Error('PostgreSQL cannot store a NUL character outside JSON');
  // As pg's escapeLiteral (quotes doubled; with a backslash, E'' and backslashes doubled), without its per-character loop.
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

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

const executorOf = (run: Run) => (run.owner?.instance === WORKER_OWNER.instance ? 'workers' : 'process');

export class PgRunStore implements RunStore, SharedRunQueue {
  readonly pool: Pool;
  readonly liveMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(pool: Pool, options: PgRunStoreOptions) {
    this.pool = pool;
    this.liveMs = options.liveMs ?? 30_000;
    const every = options.heartbeatMs ?? 5_000;
    this.#timer = setInterval(() => void this.heartbeat().catch((e: unknown) => console.error(`postgresql: run heartbeat failed: ${(e as Error).message}`)), every);
    this.#timer.unref();
  }

  /** Opens the store on the pool (which it does not close) and announces this process. */
  static async open(pool: Pool, options: PgRunStoreOptions = {}): Promise<PgRunStore> {
    const store = new PgRunStore(pool, options);
    await store.heartbeat();
    return store;
  }

  async heartbeat(): Promise<void> {
    if (this.#closed) return;
    await this.pool.query(
      `INSERT INTO run_processes (instance, pid, host, seen_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (instance) DO UPDATE SET seen_at = now()`,
      [LOCAL_INSTANCE, process.pid, HOST],
    );
    // Processes gone for a day are of no interest to anyone.
    await this.pool.query(`DELETE FROM run_processes WHERE seen_at < now() - interval '1 day'`);
  }

  /** Hands out the record with an owner `interrupted()` judges rightly on this process. */
  async #present(runs: Run[]): Promise<Run[]> {
    const executing = runs.filter((r) => EXECUTING.has(r.status) && r.owner?.instance !== LOCAL_INSTANCE);
    if (executing.length === 0) return runs;
    const [live, open] = await Promise.all([
      this.pool.query<{ instance: string; pid: number; host: string }>(
        `SELECT instance, pid, host FROM run_processes WHERE seen_at > now() - $1 * interval '1 millisecond'`,
        [this.liveMs],
      ),
      this.pool.query<{ run_id: string }>(
        `SELECT DISTINCT run_id FROM run_tasks WHERE run_id = ANY($1::text[]) AND status IN ('queued', 'claimed')`,
        [executing.map((r) => r.id)],
      ),
    ]);
    // Beating recently, unless it is a process of this machine that no longer exists (killed).
    const liveSet = new Set(live.rows.filter((r) => !(PID_SPACE && r.host === HOST && !pidAlive(r.pid))).map((r) => r.instance));
    const openSet = new Set(open.rows.map((r) => r.run_id));
    for (const run of executing) {
      const owner = run.owner;
      const alive = owner ? (owner.instance === WORKER_OWNER.instance ? openSet.has(run.id) : liveSet.has(owner.instance)) : false;
      if (alive) claim(run);
      else delete run.owner;
    }
    return runs;
  }

  async createRun(run: Run): Promise<void> {
    const r = await this.pool.query(
      'INSERT INTO runs (id, started_at, status, executor, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [run.id, run.startedAt, run.status, executorOf(run), JSON.stringify(run)],
    );
    if ((r.rowCount ?? 0) === 0) throw new Error(`a run with id "${run.id}" exists`);
  }

  /** The record as stored, without the liveness view. */
  async rawRun(id: string, db: Queryable = this.pool): Promise<Run | undefined> {
    const { rows } = await db.query<{ data: Run }>('SELECT data FROM runs WHERE id = $1', [id]);
    return rows[0]?.data;
  }

  async getRun(id: string): Promise<Run | undefined> {
    const run = await this.rawRun(id);
    return run ? (await this.#present([run]))[0] : undefined;
  }

  async listRuns(): Promise<Run[]> {
    const { rows } = await this.pool.query<{ data: Run }>('SELECT data FROM runs ORDER BY started_at DESC, id DESC');
    return this.#present(rows.map((r) => r.data));
  }

  /** Changes the record with its row locked, inside `client`'s transaction. */
  get sharedQueue(): SharedRunQueue {
    return this;
  }

  async enqueue(runId: string, recovered: RunResult[], tasks: Array<{ articleId: string; paragraphId: string }>, change: (run: Run) => void): Promise<Run> {
    return transaction(this.pool, async (c) => {
      for (const r of recovered) await this.appendResult(runId, r, c);
      await this.enqueueTasks(runId, tasks, c);
      return this.updateIn(c, runId, change);
    });
  }

  async updateIn(client: PoolClient, id: string, change: (run: Run) => void): Promise<Run> {
    // NO KEY UPDATE: the lock the UPDATE below needs; it lets transactions that only reference the run
    // (appending a result: the foreign key's KEY SHARE lock) go on, so that two of them, each waiting
    // for the other's KEY SHARE, never deadlock.
    const { rows } = await client.query<{ data: Run }>('SELECT data FROM runs WHERE id = $1 FOR NO KEY UPDATE', [id]);
    const run = rows[0]?.data;
    if (!run) throw new NotFoundError(`no run "${id}"`);
    change(run);
    await client.query('UPDATE runs SET status = $2, executor = $3, data = $4 WHERE id = $1', [id, run.status, executorOf(run), JSON.stringify(run)]);
    return run;
  }

  async updateRun(id: string, change: (run: Run) => void): Promise<Run> {
    return transaction(this.pool, (c) => this.updateIn(c, id, change));
  }

  async #exists(id: string, db: Queryable = this.pool): Promise<void> {
    const { rows } = await db.query('SELECT 1 FROM runs WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundError(`no run "${id}"`);
  }

  async appendResult(id: string, result: RunResult, db: Queryable = this.pool): Promise<void> {
    await this.#exists(id, db);
    await db.query('INSERT INTO run_results (run_id, article_id, paragraph_id, data) VALUES ($1, $2, $3, $4)', [
      id,
      result.articleId,
      result.paragraphId,
      JSON.stringify(result),
    ]);
  }

  async results(id: string): Promise<RunResult[]> {
    await this.#exists(id);
    const { rows } = await this.pool.query<{ data: RunResult }>('SELECT data FROM run_results WHERE run_id = $1 ORDER BY seq', [id]);
    return rows.map((r) => r.data);
  }

  // ---- the work queue of `npm run worker` ----

  /**
   * Queues the paragraphs (again); rows already done or claimed are left alone. Claims follow
   * `position`, which takes the articles in turn (the first paragraph of each, then the second of
   * each, …), so workers claiming at once work on different articles instead of queueing for one
   * article's row lock.
   */
  async enqueueTasks(runId: string, tasks: { articleId: string; paragraphId: string }[], db: Queryable = this.pool): Promise<void> {
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
  async claimTasks(worker: string, limit: number, leaseMs: number): Promise<ClaimedTask[]> {
    const { rows } = await this.pool.query<{ run_id: string; article_id: string; paragraph_id: string; attempts: number }>(
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
  async renewClaims(worker: string): Promise<number> {
    const r = await this.pool.query(`UPDATE run_tasks SET claimed_at = now() WHERE claimed_by = $1 AND status = 'claimed'`, [worker]);
    return r.rowCount ?? 0;
  }

  /** Gives `worker`'s claims back to the queue (a worker stopping politely). */
  async releaseClaims(worker: string, task?: TaskKey): Promise<number> {
    const r = task
      ? await this.pool.query(
          `UPDATE run_tasks SET status = 'queued', claimed_by = NULL, claimed_at = NULL
           WHERE claimed_by = $1 AND status = 'claimed' AND run_id = $2 AND article_id = $3 AND paragraph_id = $4`,
          [worker, task.runId, task.articleId, task.paragraphId],
        )
      : await this.pool.query(`UPDATE run_tasks SET status = 'queued', claimed_by = NULL, claimed_at = NULL WHERE claimed_by = $1 AND status = 'claimed'`, [worker]);
    return r.rowCount ?? 0;
  }

  /**
   * Records a finished paragraph in one transaction: the task is marked done (only while `worker` still
   * holds its claim), the result appended, and the record changed by `change` with the number of the
   * run's tasks still open. False when the claim was lost (nothing is written).
   *
   * Three round trips (simple queries, values as literals), the run's row locked for the last two
   * only, since every paragraph of the run passes through it: BEGIN with the mark and the result (one
   * statement: no result without the mark); the run's row locked and its open tasks counted (a
   * statement of its own, so its snapshot, taken once the lock is held, sees every completion committed
   * before); the record written with COMMIT. Rows are locked in the order task, then run, as
   * enqueueRun does.
   */
  async completeTask(worker: string, task: TaskKey, result: RunResult, change: (run: Run, open: number) => void): Promise<Run | undefined> {
    const [runId, articleId, paragraphId] = [lit(task.runId), lit(task.articleId), lit(task.paragraphId)];
    const client = await this.pool.connect();
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
      // NO KEY UPDATE, as updateIn: the result appended above holds a KEY SHARE lock on the run's row (its foreign key).
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
  async taskCounts(runId: string): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM run_tasks WHERE run_id = $1 GROUP BY status', [runId]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Stops the heartbeat and forgets this process (the pool stays open: its owner closes it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.pool.query('DELETE FROM run_processes WHERE instance = $1', [LOCAL_INSTANCE]).catch(() => undefined);
  }
}
