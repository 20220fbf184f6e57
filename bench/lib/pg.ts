/**
 * PostgreSQL for the benchmarks (bench/pgActions.ts, bench/pgBatch.ts), and clean-up that also runs
 * when a benchmark fails or is interrupted.
 *
 * - `DATABASE_URL` set: that server; the benchmark works in databases of its own that it creates and
 *   drops (the user needs CREATEDB), so the database named in the URL is left alone.
 * - Unset: a throwaway cluster in a temporary directory (`startPostgres()` of tests/support/postgres.ts:
 *   initdb + pg_ctl on 127.0.0.1, trust auth, **fsync, synchronous_commit and full_page_writes off**),
 *   stopped and removed at the end.
 *
 * Databases can be made from a template (`CREATE DATABASE … TEMPLATE`), so that data generated once
 * is copied, byte for byte, for each configuration a benchmark compares.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { startPostgres } from '../../tests/support/postgres.js';
import { describeDatabase } from '../../server/store/open.js';

export interface BenchDatabase {
  name: string;
  url: string;
}

export interface BenchPostgres {
  /** Where the server comes from, for the report. */
  origin: string;
  /** The server's version string (`SHOW server_version`). */
  version: string;
  /** A new, empty database, or a copy of `template` (which must have no open connections). */
  database(template?: BenchDatabase): Promise<BenchDatabase>;
  /**
   * Drops a database made here once it has served (no open connections), so that its dead rows are
   * not vacuumed while the next configuration is measured.
   */
  drop(db: BenchDatabase): Promise<void>;
  /**
   * ANALYZE of every table of `db`: the planner statistics a live database has (autovacuum gathers them
   * within a minute or so of a bulk load). Copies made with `database(template)` inherit them.
   */
  analyze(db: BenchDatabase): Promise<void>;
  /** CPU time (ms) used so far by the server's processes (postmaster and backends), when it runs on this machine. */
  cpuMs(): number | undefined;
  /** Drops the databases made and stops the cluster if this process started it. */
  close(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Waits (up to ~2 s) until no session is connected to `name`: pool.end() resolves a moment before the server processes are gone. */
async function untilIdle(c: Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Drops database `name` once no connection uses it any more. */
async function dropWhenIdle(c: Client, name: string): Promise<void> {
  await untilIdle(c, name);
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export async function benchPostgres(cleanup: Cleanup): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL?.trim();
  const server = given ? { url: given, stop: async () => undefined } : await startPostgres();
  cleanup.add('stop PostgreSQL', () => server.stop());
  const origin = given
    ? `the PostgreSQL server of DATABASE_URL (${describeDatabase(given)}), in databases of the benchmark's own`
    : 'a throwaway local cluster started by the benchmark (tests/support/postgres.ts: fsync, synchronous_commit and full_page_writes off, as for tests)';
  // The postmaster is the parent of every backend: found from this connection's backend while it
  // is open, when the server runs on this machine (/proc tells); else PostgreSQL's CPU is not shown.
  const { version, postmaster } = await admin(server.url, async (c) => {
    const backend = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let parent: number | undefined;
    try {
      const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
      parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!readFileSync(`/proc/${parent}/comm`, 'utf8').startsWith('postgres')) parent = undefined;
    } catch {
      parent = undefined;
    }
    return { version: (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version, postmaster: parent };
  });
  const made: string[] = [];
  let n = 0;
  const base = `postedit_bench_${process.pid}_${Date.now().toString(36)}`;
  const pg: BenchPostgres = {
    origin,
    version,
    cpuMs: () => (postmaster ? treeCpuMs(postmaster) : undefined),
    async database(template) {
      const name = `${base}_${++n}`;
      await admin(server.url, async (c) => {
        if (template) await untilIdle(c, template.name);
        await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template.name}` : ''}`);
      });
      made.push(name);
      return { name, url: withDatabase(server.url, name) };
    },
    async drop(db) {
      const i = made.indexOf(db.name);
      if (i < 0) return;
      made.splice(i, 1);
      await admin(server.url, (c) => dropWhenIdle(c, db.name));
    },
    async analyze(db) {
      await admin(db.url, (c) => c.query('ANALYZE'));
    },
    async close() {
      if (made.length) {
        await admin(server.url, async (c) => {
          for (const name of made.splice(0)) await dropWhenIdle(c, name).catch((e: unknown) => console.warn(`could not drop ${name}: ${(e as Error).message}`));
        }).catch((e: unknown) => console.warn(`could not drop the benchmark databases: ${(e as Error).message}`));
      }
      await server.stop();
    },
  };
  // Drop the databases before the cluster stops (clean-up runs last-in, first-out).
  cleanup.add('drop the benchmark databases', () => pg.close());
  return pg;
}

/**
 * Clean-up steps run last-in, first-out by `run()` — in a benchmark's `finally`, and on SIGINT/SIGTERM.
 * Child processes registered with `child()` are also killed (SIGKILL) if this process exits without
 * running the steps (an uncaught error), so none is left behind.
 */
export class Cleanup {
  #steps: Array<{ label: string; fn: () => Promise<void> | void }> = [];
  #children = new Set<ChildProcess>();
  #running: Promise<void> | undefined;
  readonly #onExit = () => {
    for (const c of this.#children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  readonly #onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up…`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.on('exit', this.#onExit);
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  add(label: string, fn: () => Promise<void> | void): void {
    this.#steps.push({ label, fn });
  }

  /** Kills `child` on exit if it is still running; `stop` (a polite stop) runs with the other steps. */
  child(child: ChildProcess, label: string, stop?: () => Promise<void>): void {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    this.add(label, async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (stop) await stop().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.splice(0).reverse()) {
        try {
          await step.fn();
        } catch (e) {
          console.warn(`clean-up "${step.label}" failed: ${(e as Error).message}`);
        }
      }
      this.#onExit();
      process.off('exit', this.#onExit);
      process.off('SIGINT', this.#onSignal);
      process.off('SIGTERM', this.#onSignal);
    })();
    return this.#running;
  }
}

/** Busy and total CPU time of the whole machine (Linux /proc/stat), to say how much of it a run used. */
export function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU busy between two `machineCpu()` readings (0–1). */
export function busyShare(a: ReturnType<typeof machineCpu>, b: ReturnType<typeof machineCpu>): number | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}

/** CPU time (ms, user + system) a process has used so far (Linux /proc/PID/stat; clock ticks of 10 ms). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of a process and its children (Linux /proc), e.g. the PostgreSQL postmaster and its backends. */
export function treeCpuMs(root: number): number | undefined {
  try {
    let sum = processCpuMs(root) ?? 0;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === root) sum += processCpuMs(Number(d)) ?? 0;
      } catch {
        // gone meanwhile
      }
    }
    return sum;
  } catch {
    return undefined;
  }
}
