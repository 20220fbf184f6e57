/**
 * Chooses the storage backend: PostgreSQL when `DATABASE_URL` is set, else the embedded lowdb files
 * in the data directory (the default).
 *
 * On PostgreSQL the schema is migrated on open (safe when several instances start at once), and the
 * article store owns the connection pool: `store.close()` closes it, after the user and glossary
 * stores are done (they have nothing of their own to close).
 */
import { LowdbStore } from './lowdbStore.js';
import { LowdbRunStore, type RunStore } from './runStore.js';
import { LowdbGlossaryStore, type GlossaryStore } from './glossaryStore.js';
import type { Store } from './types.js';
import { LowdbUserStore, type UserStore } from './userStore.js';

export type Backend = 'lowdb' | 'postgresql';

export interface OpenedStores {
  backend: Backend;
  store: Store;
  users: UserStore;
  /** Uploaded glossaries: DATA_DIR/glossaries.json, or the database (on the store's pool). */
  glossaries: GlossaryStore;
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
    return { backend: 'lowdb', store, users: await LowdbUserStore.open(dataDir), glossaries: await LowdbGlossaryStore.open(dataDir) };
  }
  const size = poolSize(env);
  // pg and the PostgreSQL stores load only here: a lowdb process never needs them.
  const { openPgStores } = await import('./pg/openPg.js');
  try {
    return { backend: 'postgresql', ...(await openPgStores(url, dataDir, size)) };
  } catch (e) {
    throw new Error(`PostgreSQL at ${describeDatabase(url)}: ${(e as Error).message}`);
  }
}

/**
 * The run store that goes with `store`: on PostgreSQL the runs live in the database (shared by every
 * instance and worker, on the store's pool: close the run store before the store); on lowdb they are
 * files in `dataDir/runs`, as before.
 */
export async function openRunStore(dataDir: string, store: Store): Promise<RunStore> {
  if (store instanceof LowdbStore) return LowdbRunStore.open(dataDir);
  const { pgRunStoreOf } = await import('./pg/openPg.js');
  return (await pgRunStoreOf(store)) ?? LowdbRunStore.open(dataDir);
}
