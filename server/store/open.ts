/**
 * Chooses the storage backend: PostgreSQL when `DATABASE_URL` is set, else the embedded lowdb files
 * in the data directory (the default).
 *
 * On PostgreSQL the schema is migrated on open (safe when several instances start at once), and the
 * article store owns the connection pool: `store.close()` closes it, after the user store is done.
 */
import { mkdir } from 'node:fs/promises';
import { LowdbStore } from './lowdbStore.js';
import { openPool } from './pg/database.js';
import { migrate } from './pg/migrate.js';
import { PgStore } from './pg/pgStore.js';
import { PgRunStore } from './pg/pgRunStore.js';
import { PgUserStore } from './pg/pgUserStore.js';
import { LowdbRunStore, type RunStore } from './runStore.js';
import type { Store } from './types.js';
import { LowdbUserStore, type UserStore } from './userStore.js';

export type Backend = 'lowdb' | 'postgresql';

export interface OpenedStores {
  backend: Backend;
  store: Store;
  users: UserStore;
}

/** `DATABASE_URL` without its password, for logs. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL (not a URL)';
  }
}

function poolSize(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "${raw}"`);
  return n;
}

export async function openStores(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<OpenedStores> {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const store = await LowdbStore.open(dataDir);
    return { backend: 'lowdb', store, users: await LowdbUserStore.open(dataDir) };
  }
  const size = poolSize(env);
  const pool = openPool(url, size === undefined ? {} : { max: size });
  try {
    await migrate(pool);
    // Uploaded glossaries are not in PostgreSQL yet: they stay in this instance's data directory.
    await mkdir(dataDir, { recursive: true });
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL at ${describeDatabase(url)}: ${(e as Error).message}`);
  }
  return { backend: 'postgresql', store: new PgStore(pool, { dir: dataDir }), users: new PgUserStore(pool) };
}

/**
 * The run store that goes with `store`: on PostgreSQL the runs live in the database (shared by every
 * instance and worker, on the store's pool: close the run store before the store); on lowdb they are
 * files in `dataDir/runs`, as before.
 */
export async function openRunStore(dataDir: string, store: Store): Promise<RunStore> {
  return store instanceof PgStore ? PgRunStore.open(store.pool) : LowdbRunStore.open(dataDir);
}
