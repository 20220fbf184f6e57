/**
 * Batch runs: one record per run and an append-only log of finished paragraphs.
 *
 *   DATA_DIR/runs/RUNID.json             the run record, rewritten atomically by lowdb
 *   DATA_DIR/runs/RUNID.results.jsonl    one line per finished paragraph, appended as each completes
 *
 * The results log is the truth about what a run did; the record's counts and tokens are a summary
 * of it that a crash can leave behind, so the executor recomputes them from the log on every start.
 */
import { processAlive } from './processAlive.js';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { EditLevel } from '../core/types.js';
import type { TokenUsage } from '../core/types.js';
import { appendLines, readLines, rewriteLines } from './appendLog.js';
import { KeyedLock } from './keyedLock.js';
import { NotFoundError } from './types.js';

/** `rewrite` improves the MT; `retranslate` translates the source afresh (with the MT as a draft) where there is one. */
export type RunMode = 'rewrite' | 'retranslate';
export const RUN_MODES: readonly RunMode[] = ['rewrite', 'retranslate'];

export type RunStatus = 'queued' | 'running' | 'stopped' | 'finished' | 'failed';

export interface RunParams {
  concurrency: number;
  /** Requests per minute; unlimited when absent. */
  rpm?: number;
  /** Tokens per minute; unlimited when absent. */
  tpm?: number;
}

export interface RunCounts {
  total: number;
  done: number;
  failed: number;
  skipped: number;
}

export interface RunError {
  articleId: string;
  paragraphId: string;
  message: string;
}

export interface Run {
  id: string;
  engine: string;
  model: string;
  promptVersion: string;
  promptHash: string;
  level: EditLevel;
  params: RunParams;
  articles: string[];
  mode: RunMode;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  counts: RunCounts;
  tokens: TokenUsage;
  /** USD, from the price table in runs/cost.ts; absent for models it does not know. */
  estimatedCost?: number;
  /** The first MAX_RUN_ERRORS failures, and why the run itself failed. */
  errors: RunError[];
  startedBy: string;
  /** Process executing the run while it is queued or running (see `claim`). */
  owner?: RunOwner;
  /** Batch-file runs: the requests went to the OpenAI Batch API as a JSON Lines file. */
  batch?: RunBatchFile;
}

export interface RunBatchFile {
  /** The JSON Lines file of requests, as written. */
  file: string;
  lines: number;
  /** How replies were asked for: `json` is {"text": …} (json_schema), `text` the bare paragraph. */
  replyMode: 'json' | 'text';
  /** The provider's batch id once submitted. */
  id?: string;
  /** The provider's batch status, or `ingested` once its results are in. */
  status?: string;
}

export interface RunOwner {
  pid: number;
  /** Tells this process from an earlier one that had the same pid (containers restart as pid 1). */
  instance: string;
}

export type ResultStatus = 'done' | 'failed' | 'skipped';

export interface RunResult {
  articleId: string;
  paragraphId: string;
  status: ResultStatus;
  suggestionId?: string;
  error?: string;
  usage?: TokenUsage;
  /** Milliseconds the paragraph took, rate limiting and retries included. */
  ms: number;
  /** Set when the suggestion was found in the store after a crash rather than made by this process. */
  recovered?: boolean;
}

export const MAX_RUN_ERRORS = 50;

/** The owner of a run the worker processes execute (`npm run worker`). */
export const WORKER_OWNER: RunOwner = { pid: 0, instance: 'workers' };

export interface TaskKey {
  runId: string;
  articleId: string;
  paragraphId: string;
}

export interface ClaimedTask extends TaskKey {
  /** 1 on the first claim; more when an earlier claim expired (its worker died). */
  attempts: number;
}

/**
 * Runs shared by worker processes on any machine (PostgreSQL): one task per paragraph, claimed with a
 * lease. The executor and the workers use only this; the SQL stays in the store.
 */
export interface SharedRunQueue extends RunStore {
  /** The record as stored, owner included (getRun shows a dead owner's run as interrupted). */
  rawRun(id: string): Promise<Run | undefined>;
  /** In one transaction: logs `recovered` results, queues `tasks`, and changes the run record. */
  enqueue(runId: string, recovered: RunResult[], tasks: Array<{ articleId: string; paragraphId: string }>, change: (run: Run) => void): Promise<Run>;
  claimTasks(worker: string, limit: number, leaseMs: number): Promise<ClaimedTask[]>;
  renewClaims(worker: string): Promise<number>;
  releaseClaims(worker: string, task?: TaskKey): Promise<number>;
  completeTask(worker: string, task: TaskKey, result: RunResult, change: (run: Run, open: number) => void): Promise<Run | undefined>;
  taskCounts(runId: string): Promise<Record<string, number>>;
}

export interface RunStore {
  /** Present when worker processes can share this store's runs (PostgreSQL); the choice is the store's. */
  readonly sharedQueue?: SharedRunQueue;
  createRun(run: Run): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  /** Newest first. */
  listRuns(): Promise<Run[]>;
  /** Changes a copy of the record and stores it; changes to one run are applied one at a time. */
  updateRun(id: string, change: (run: Run) => void): Promise<Run>;
  appendResult(id: string, result: RunResult): Promise<void>;
  results(id: string): Promise<RunResult[]>;
  close(): Promise<void>;
}

export const RUN_ID_PATTERN = /^run-[a-z0-9-]{1,80}$/;

/** A sortable, readable id: run-20250101-120000-ab12. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const tail = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `run-${stamp}-${tail}`;
}

const INSTANCE = randomUUID();

/** Marks the run as executed by this process. */
export function claim(run: Run): void {
  run.owner = { pid: process.pid, instance: INSTANCE };
}

export function release(run: Run): void {
  delete run.owner;
}

/** True when the run's record says it is executing but no process is executing it (crash, SIGKILL). */
export function interrupted(run: Run): boolean {
  if (run.status !== 'running' && run.status !== 'queued') return false;
  const owner = run.owner;
  if (!owner) return true;
  if (owner.instance === INSTANCE) return false;
  return owner.pid === process.pid || !processAlive(owner.pid);
}

function jsonFile<T>(file: string): DataFile<T> {
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d, null, 1) });
}

export class LowdbRunStore implements RunStore {
  readonly dir: string;
  #runs = new Map<string, Low<Run>>();
  #lock = new KeyedLock();

  private constructor(dataDir: string) {
    this.dir = join(dataDir, 'runs');
  }

  static async open(dataDir: string): Promise<LowdbRunStore> {
    const store = new LowdbRunStore(dataDir);
    await store.#load();
    return store;
  }

  #path(id: string, suffix: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new NotFoundError(`no run "${id}"`);
    return join(this.dir, `${id}${suffix}`);
  }

  async #load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const f of await readdir(this.dir)) {
      if (f.startsWith('.') && f.endsWith('.tmp')) {
        await rm(join(this.dir, f), { force: true });
        continue;
      }
      const m = /^(run-[a-z0-9-]+)\.json$/.exec(f);
      if (!m || !RUN_ID_PATTERN.test(m[1]!)) continue;
      const adapter = jsonFile<Run>(this.#path(m[1]!, '.json'));
      const data = await adapter.read();
      if (!data) continue;
      this.#runs.set(data.id, new Low<Run>(adapter, data));
      const file = this.#path(data.id, '.results.jsonl');
      const { items, torn } = await readLines<RunResult>(file);
      if (torn) await rewriteLines(file, items);
    }
  }

  async createRun(run: Run): Promise<void> {
    await this.#lock.run(run.id, async () => {
      if (this.#runs.has(run.id)) throw new Error(`a run with id "${run.id}" exists`);
      const db = new Low<Run>(jsonFile(this.#path(run.id, '.json')), structuredClone(run));
      await db.write();
      this.#runs.set(run.id, db);
    });
  }

  async getRun(id: string): Promise<Run | undefined> {
    const data = this.#runs.get(id)?.data;
    return data ? structuredClone(data) : undefined;
  }

  async listRuns(): Promise<Run[]> {
    return [...this.#runs.values()]
      .map((db) => structuredClone(db.data))
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1));
  }

  async updateRun(id: string, change: (run: Run) => void): Promise<Run> {
    return this.#lock.run(id, async () => {
      const db = this.#runs.get(id);
      if (!db) throw new NotFoundError(`no run "${id}"`);
      const draft = structuredClone(db.data);
      change(draft);
      const previous = db.data;
      db.data = draft;
      try {
        await db.write();
      } catch (e) {
        db.data = previous;
        throw e;
      }
      return structuredClone(draft);
    });
  }

  async appendResult(id: string, result: RunResult): Promise<void> {
    if (!this.#runs.has(id)) throw new NotFoundError(`no run "${id}"`);
    await this.#lock.run(`${id}:results`, () => appendLines(this.#path(id, '.results.jsonl'), [result]));
  }

  async results(id: string): Promise<RunResult[]> {
    if (!this.#runs.has(id)) throw new NotFoundError(`no run "${id}"`);
    return (await readLines<RunResult>(this.#path(id, '.results.jsonl'))).items;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#runs.keys()].flatMap((id) => [
      this.#lock.run(id, async () => undefined),
      this.#lock.run(`${id}:results`, async () => undefined),
    ]));
  }
}
