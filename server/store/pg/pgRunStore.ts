/**
 * Batch runs on PostgreSQL: the run records and results logs every app instance shares, and the work
 * queue (`run_tasks`, runQueue.ts) that `npm run worker` processes take paragraphs from.
 *
 * A run is executed either by one process (the app's executor, as with lowdb: its `owner`) or by the
 * workers (owner WORKER_OWNER, one task row per paragraph). Whether its executor is still alive is
 * decided from the database, not from the local process table (runProcesses.ts): every process with
 * a PgRunStore open writes a heartbeat, and records are handed out with the owner `interrupted()`
 * judges rightly on this process.
 */
import type { Pool, PoolClient } from 'pg';
import { NotFoundError } from '../types.js';
import { WORKER_OWNER, type ClaimedTask, type Run, type RunResult, type RunStore, type SharedRunQueue, type TaskKey } from '../runStore.js';
import { transaction, type Queryable } from './database.js';
import { beat, forget, LOCAL_INSTANCE, presentRuns } from './runProcesses.js';
import { claimTasks, completeTask, enqueueTasks, executorOf, releaseClaims, renewClaims, taskCounts } from './runQueue.js';

export { LOCAL_INSTANCE, WORKER_OWNER, type ClaimedTask, type TaskKey };
export { roundRobin } from './runQueue.js';

export interface PgRunStoreOptions {
  /** How often this process writes its heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** A process not seen for this long is gone (default 30 s). */
  liveMs?: number;
}

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
    await beat(this.pool);
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
    return run ? (await presentRuns(this.pool, [run], this.liveMs))[0] : undefined;
  }

  async listRuns(): Promise<Run[]> {
    const { rows } = await this.pool.query<{ data: Run }>('SELECT data FROM runs ORDER BY started_at DESC, id DESC');
    return presentRuns(this.pool, rows.map((r) => r.data), this.liveMs);
  }

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

  /** Changes the record with its row locked, inside `client`'s transaction. */
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

  // ---- the work queue of `npm run worker` (runQueue.ts) ----

  enqueueTasks(runId: string, tasks: { articleId: string; paragraphId: string }[], db: Queryable = this.pool): Promise<void> {
    return enqueueTasks(db, runId, tasks);
  }

  claimTasks(worker: string, limit: number, leaseMs: number): Promise<ClaimedTask[]> {
    return claimTasks(this.pool, worker, limit, leaseMs);
  }

  renewClaims(worker: string): Promise<number> {
    return renewClaims(this.pool, worker);
  }

  releaseClaims(worker: string, task?: TaskKey): Promise<number> {
    return releaseClaims(this.pool, worker, task);
  }

  completeTask(worker: string, task: TaskKey, result: RunResult, change: (run: Run, open: number) => void): Promise<Run | undefined> {
    return completeTask(this.pool, worker, task, result, change);
  }

  taskCounts(runId: string): Promise<Record<string, number>> {
    return taskCounts(this.pool, runId);
  }

  /** Stops the heartbeat and forgets this process (the pool stays open: its owner closes it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await forget(this.pool).catch(() => undefined);
  }
}
