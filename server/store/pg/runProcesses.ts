/**
 * Which processes executing batch runs are alive, decided from the database rather than from the
 * local process table: every process with a PgRunStore open writes a heartbeat to `run_processes`,
 * and a worker-run run is alive while it has open tasks. A run alive elsewhere is handed out as owned
 * by this process, so `interrupted()` says no; one whose owner stopped beating is handed out without
 * an owner, so it shows as interrupted and can be resumed. An owner on this machine (same boot, same
 * pid namespace) whose pid is gone is known dead at once, without waiting for its heartbeat to lapse:
 * a run killed with SIGKILL resumes straight away, as on lowdb.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { claim, WORKER_OWNER, type Run } from '../runStore.js';
import type { Queryable } from './database.js';
import { processAlive } from '../processAlive.js';

/** This process's instance id, as `claim()` writes it. */
export const LOCAL_INSTANCE: string = (() => {
  const probe = {} as Run;
  claim(probe);
  return probe.owner!.instance;
})();

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

const EXECUTING = new Set(['queued', 'running']);

/** Writes this process's heartbeat, and forgets processes gone for a day. */
export async function beat(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO run_processes (instance, pid, host, seen_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (instance) DO UPDATE SET seen_at = now()`,
    [LOCAL_INSTANCE, process.pid, HOST],
  );
  // Processes gone for a day are of no interest to anyone.
  await db.query(`DELETE FROM run_processes WHERE seen_at < now() - interval '1 day'`);
}

/** Removes this process's heartbeat (it is closing). */
export async function forget(db: Queryable): Promise<void> {
  await db.query('DELETE FROM run_processes WHERE instance = $1', [LOCAL_INSTANCE]);
}

/**
 * Gives each run executing elsewhere the owner `interrupted()` judges rightly on this process: this
 * process when its owner is alive (a process seen within `liveMs`, or workers with open tasks), none
 * when not. Changes and returns `runs`.
 */
export async function presentRuns(db: Queryable, runs: Run[], liveMs: number): Promise<Run[]> {
  const executing = runs.filter((r) => EXECUTING.has(r.status) && r.owner?.instance !== LOCAL_INSTANCE);
  if (executing.length === 0) return runs;
  const [live, open] = await Promise.all([
    db.query<{ instance: string; pid: number; host: string }>(
      `SELECT instance, pid, host FROM run_processes WHERE seen_at > now() - $1 * interval '1 millisecond'`,
      [liveMs],
    ),
    db.query<{ run_id: string }>(
      `SELECT DISTINCT run_id FROM run_tasks WHERE run_id = ANY($1::text[]) AND status IN ('queued', 'claimed')`,
      [executing.map((r) => r.id)],
    ),
  ]);
  // Beating recently, unless it is a process of this machine that no longer exists (killed).
  const liveSet = new Set(live.rows.filter((r) => !(PID_SPACE && r.host === HOST && !processAlive(r.pid))).map((r) => r.instance));
  const openSet = new Set(open.rows.map((r) => r.run_id));
  for (const run of executing) {
    const owner = run.owner;
    const alive = owner ? (owner.instance === WORKER_OWNER.instance ? openSet.has(run.id) : liveSet.has(owner.instance)) : false;
    if (alive) claim(run);
    else delete run.owner;
  }
  return runs;
}
