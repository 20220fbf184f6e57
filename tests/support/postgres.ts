/**
 * PostgreSQL for tests.
 *
 * - `DATABASE_URL` set: the PostgreSQL suites use that server (CI starts one with
 *   scripts/pg-test-cluster.sh). Every suite works in databases of its own that it creates and drops,
 *   so the database named in the URL only needs to let the user CREATE DATABASE.
 * - Otherwise, with `POSTEDIT_PG_TESTS=1` and the server binaries installed (Debian: package
 *   `postgresql`, binaries in /usr/lib/postgresql/VERSION/bin, or set PG_BIN), each test file starts a
 *   throwaway cluster in a temporary directory (initdb + pg_ctl, 127.0.0.1, a free port, trust auth,
 *   fsync off) and stops and removes it afterwards.
 * - Neither: `pgSkipReason()` says why, and the suites skip.
 *
 * initdb refuses to run as root; as root the cluster is made and run by the `postgres` system user
 * (`runuser -u postgres -- …`), which owns the temporary directory.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
  /** An outage: stops the server (pg_ctl stop -m fast), keeping its data. Only on a cluster startPostgres made. */
  halt?(): Promise<void>;
  /** Starts a halted server again, on the same port and data. */
  resume?(): Promise<void>;
}

/** The directory holding initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function findPgBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (env.PG_BIN) return has(env.PG_BIN) ? env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  return undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

const isRoot = () => process.getuid?.() === 0;

/** Why the PostgreSQL suites cannot run here, or undefined when they can. */
export function pgSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DATABASE_URL) return undefined;
  if (env.POSTEDIT_PG_TESTS !== '1') return 'no PostgreSQL: set DATABASE_URL, or POSTEDIT_PG_TESTS=1 to start a throwaway cluster';
  if (!findPgBin(env)) return 'POSTEDIT_PG_TESTS=1 but no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or PG_BIN';
  if (isRoot() && !postgresUser()) return 'POSTEDIT_PG_TESTS=1 as root, but there is no `postgres` system user to run initdb as';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway cluster in a temporary directory; `stop()` stops it and removes the directory. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL server binaries found (set PG_BIN)');
  const dir = await mkdtemp(join(tmpdir(), 'postedit-pg-'));
  const asUser = isRoot() ? postgresUser() : undefined;
  if (isRoot() && !asUser) throw new Error('running as root and there is no `postgres` user to run initdb as');
  if (asUser) await chown(dir, asUser.uid, asUser.gid);
  const cmd = (tool: string, args: string[]) =>
    asUser ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const data = join(dir, 'data');
  try {
    await cmd('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: string }).stderr || (e as Error).message}`);
  }
  let port = 0;
  let started = false;
  let lastError = '';
  const start = () => cmd('pg_ctl', [
    '-D', data, '-l', join(dir, 'log'), '-w', '-t', '30',
    '-o', `-k ${dir} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort();
    try {
      await start();
      started = true;
    } catch (e) {
      lastError = (e as { stderr?: string }).stderr || (e as Error).message;
    }
  }
  if (!started) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${lastError}`);
  }
  const stopSync = () => {
    try {
      const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
      if (asUser) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that ends without afterAll (a crash, Ctrl-C) must not leave a server behind.
  process.once('exit', stopSync);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      await cmd('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    async halt() {
      await cmd('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async resume() {
      await start();
    },
  };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let created = 0;

/** Creates an empty database on the server `baseUrl` points at; `drop()` removes it. */
export async function createDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `postedit_test_${process.pid}_${Date.now().toString(36)}_${++created}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(baseUrl, name),
    async drop() {
      const c = new Client({ connectionString: baseUrl });
      await c.connect();
      try {
        // pool.end() resolves as its connections are told to close, a moment before their server
        // processes are gone: wait for that (briefly), so FORCE only ends connections really left open.
        for (let i = 0; i < 50; i++) {
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface PgForTests {
  /** A new, empty database (dropped by `close()`). */
  database(): Promise<TestDatabase>;
  /** Drops the databases made and stops the cluster if this process started it. */
  close(): Promise<void>;
}

/** PostgreSQL for one test file: DATABASE_URL's server, or a throwaway cluster. */
export async function pgForTests(): Promise<PgForTests> {
  const server = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: async () => undefined } : await startPostgres();
  const made: TestDatabase[] = [];
  return {
    async database() {
      const db = await createDatabase(server.url);
      made.push(db);
      return db;
    },
    async close() {
      for (const db of made.splice(0)) await db.drop().catch((e: unknown) => console.warn(`could not drop a test database: ${(e as Error).message}`));
      await server.stop();
    },
  };
}

/**
 * True when the app suites run on PostgreSQL (DATABASE_URL set): each app's store is then a database
 * of its own, and nothing of the articles, users or runs is in files under its data directory.
 */
export const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

const perDataDir = new Map<string, Promise<TestDatabase>>();

/**
 * For app tests run on PostgreSQL (DATABASE_URL set): the environment to give createServices so that
 * the app's store lives in a database of its own, one per data directory (an app restarted on the
 * same directory finds its data again). Without DATABASE_URL: the environment unchanged (lowdb).
 */
export async function storeEnvFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  const base = env.DATABASE_URL?.trim();
  if (!base) return env;
  let db = perDataDir.get(dataDir);
  if (!db) {
    db = createDatabase(base);
    perDataDir.set(dataDir, db);
  }
  return { ...env, DATABASE_URL: (await db).url };
}

/** Drops the database storeEnvFor made for `dataDir`, if any. */
export async function dropStoreFor(dataDir: string): Promise<void> {
  const db = perDataDir.get(dataDir);
  perDataDir.delete(dataDir);
  if (db) await (await db).drop();
}

/**
 * The PostgreSQL set-up of one test file: why its suites skip (undefined when they run), and new
 * databases on the server, which is set up before the file's tests and closed (databases dropped)
 * after them.
 */
export function postgresForFile(name: string): { reason: string | undefined; database(): Promise<TestDatabase> } {
  const reason = pgSkipReason();
  if (reason) console.warn(`${name}: skipped: ${reason}`);
  let pg: PgForTests | undefined;
  beforeAll(async () => {
    if (!reason) pg = await pgForTests();
  });
  afterAll(async () => pg?.close());
  return {
    reason,
    database() {
      if (!pg) throw new Error('PostgreSQL is not set up for this file');
      return pg.database();
    },
  };
}
