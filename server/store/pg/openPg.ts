/**
 * The PostgreSQL stores of one process: the pool, the schema migrated, the listening connection for
 * the live desk's feed and the invalidation signals. Loaded by store/open.ts only when DATABASE_URL
 * is set, so a lowdb server never loads pg.
 */
import { mkdir } from 'node:fs/promises';
import type { RunStore } from '../runStore.js';
import type { Store } from '../types.js';
import { openPool } from './database.js';
import { migrate } from './migrate.js';
import { PgGlossaryStore } from './pgGlossaryStore.js';
import { PgListener } from './pgListener.js';
import { PgRunStore } from './pgRunStore.js';
import { PgSignals } from './pgSignals.js';
import { PgStore } from './pgStore.js';
import { PgUserStore } from './pgUserStore.js';

/** Opens the stores on `url`; on a failure the pool is closed again and the error thrown. */
export async function openPgStores(url: string, dataDir: string, poolSize: number | undefined) {
  const pool = openPool(url, poolSize === undefined ? {} : { max: poolSize });
  // One listening connection (pgListener.ts) for the live desk's feed and the invalidation signals:
  // token lookups and the glossary revision are cached while it listens. The store closes it.
  const listener = new PgListener(pool);
  const signals = new PgSignals(listener);
  // Made before listening starts: its change feed adds its channels to the listener.
  const store = new PgStore(pool, { dir: dataDir, signals, listener });
  try {
    await migrate(pool);
    await signals.start();
    const glossaries = await PgGlossaryStore.open(pool, signals);
    // Everything shared is in the database; the data directory holds this instance's own files
    // (the running-server marker).
    await mkdir(dataDir, { recursive: true });
    return { store, users: new PgUserStore(pool, pool, signals), glossaries };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

/** The run store on `store`'s pool when it is a PostgreSQL store, else undefined. */
export async function pgRunStoreOf(store: Store): Promise<RunStore | undefined> {
  return store instanceof PgStore ? PgRunStore.open(store.pool) : undefined;
}
