/**
 * Uploaded glossaries on PostgreSQL (migration 003): one `glossaries` row per scope, shared by every
 * app instance, so a glossary uploaded through one instance is used by all of them.
 *
 * Every change runs in a transaction that first takes the row lock of `glossary_revision` and bumps
 * it: changes from all instances apply one at a time against the committed glossaries (a merge never
 * loses entries another instance stored meanwhile), with the same results as the lowdb store. The
 * counter also tells an instance when its cached glossaries (articleGlossary, the row cache) are stale:
 * `refresh()` reads it, and `revision()` changes whenever a new value has been seen. With listening
 * signals (pgSignals.ts: a trigger notifies every change on commit) `refresh()` reads it only after a
 * notification, so an action does not ask the database each time; another instance's upload is used
 * from the moment its notification arrives.
 */
import type { Pool } from 'pg';
import type { GlossaryEntry } from '../../core/glossary.js';
import { mergeGlossaries, type GlossaryMode, type GlossaryStore, type StoredGlossary } from '../glossaryStore.js';
import { iso, transaction, type Queryable } from './database.js';
import type { PgSignals } from './pgSignals.js';

interface GlossaryRow {
  scope: string;
  entries: GlossaryEntry[];
  updated_at: Date;
  updated_by: string;
}

export interface PgGlossaryCounts {
  glossaries: number;
  /** Entries over all glossaries. */
  glossaryEntries: number;
}

const UPSERT = `INSERT INTO glossaries (scope, entries, updated_at, updated_by) VALUES ($1, $2::json, $3, $4)
  ON CONFLICT (scope) DO UPDATE SET entries = EXCLUDED.entries, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`;

/** Takes the lock every glossary change holds, and bumps the shared revision. */
async function bump(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ revision: string }>('UPDATE glossary_revision SET revision = revision + 1 RETURNING revision');
  if (!rows[0]) throw new Error('glossary_revision has no row: the schema is damaged (see migration 003)');
  return rows[0].revision;
}

export class PgGlossaryStore implements GlossaryStore {
  readonly pool: Pool;
  #db: Queryable;
  /** The shared revision last seen, and this process's revision number, which changes with it. */
  #seen: string | undefined;
  #revision = 0;
  #signals: PgSignals | undefined;
  /** The `glossaries` generation under which the shared revision was last read (current: no need to read it). */
  #readAt: number | undefined;

  /** `db`: run reads on this client instead (a snapshot transaction, for `npm run migrate`). */
  constructor(pool: Pool, db: Queryable = pool, signals?: PgSignals) {
    this.pool = pool;
    this.#db = db;
    this.#signals = signals;
  }

  /** Opens the store on the pool (which it does not close). */
  static async open(pool: Pool, signals?: PgSignals): Promise<PgGlossaryStore> {
    const store = new PgGlossaryStore(pool, pool, signals);
    await store.refresh();
    return store;
  }

  #see(shared: string): number {
    if (shared !== this.#seen) {
      this.#seen = shared;
      this.#revision++;
    }
    return this.#revision;
  }

  revision(): number {
    return this.#revision;
  }

  async refresh(): Promise<number> {
    const at = this.#signals?.readAt('glossaries');
    if (at !== undefined && this.#readAt === at) return this.#revision;
    const { rows } = await this.#db.query<{ revision: string }>('SELECT revision FROM glossary_revision');
    // Current until the next notification — unless one came (or the connection was lost) meanwhile.
    this.#readAt = this.#signals?.stillAt('glossaries', at) ? at : undefined;
    return this.#see(rows[0]?.revision ?? '');
  }

  async get(scope: string): Promise<GlossaryEntry[]> {
    const { rows } = await this.#db.query<{ entries: GlossaryEntry[] }>('SELECT entries FROM glossaries WHERE scope = $1', [scope]);
    return rows[0]?.entries ?? [];
  }

  async list(): Promise<StoredGlossary[]> {
    const { rows } = await this.#db.query<GlossaryRow>('SELECT scope, entries, updated_at, updated_by FROM glossaries ORDER BY seq');
    return rows.map((r) => ({ scope: r.scope, entries: r.entries, updatedAt: iso(r.updated_at), updatedBy: r.updated_by }));
  }

  async put(scope: string, entries: GlossaryEntry[], by: { at: string; username: string }, mode: GlossaryMode = 'replace'): Promise<GlossaryEntry[]> {
    const { stored, revision } = await transaction(this.pool, async (c) => {
      // The revision row's lock first: changes from every instance go one at a time, and the read
      // below (a new snapshot, after the lock is ours) sees every change committed before.
      const revision = await bump(c);
      const { rows } = await c.query<{ entries: GlossaryEntry[] }>('SELECT entries FROM glossaries WHERE scope = $1 FOR UPDATE', [scope]);
      const before = rows[0]?.entries ?? [];
      const stored = mode === 'merge' ? mergeGlossaries(before, entries) : mergeGlossaries(entries);
      await c.query(UPSERT, [scope, JSON.stringify(stored), by.at, by.username]);
      return { stored, revision };
    });
    this.#see(revision);
    return structuredClone(stored);
  }

  async remove(scope: string): Promise<boolean> {
    const revision = await transaction(this.pool, async (c) => {
      // Same lock order as put: the revision row, then the glossary's.
      await c.query('SELECT revision FROM glossary_revision FOR UPDATE');
      const r = await c.query('DELETE FROM glossaries WHERE scope = $1', [scope]);
      return (r.rowCount ?? 0) > 0 ? bump(c) : undefined;
    });
    if (revision === undefined) return false;
    this.#see(revision);
    return true;
  }

  /** Stores the glossary as given; with `client`, inside that transaction (`npm run migrate`). */
  async restore(glossary: StoredGlossary, client?: Queryable): Promise<void> {
    const work = async (c: Queryable) => {
      const revision = await bump(c);
      await c.query(UPSERT, [glossary.scope, JSON.stringify(glossary.entries), glossary.updatedAt, glossary.updatedBy]);
      return revision;
    };
    if (client) await work(client);
    else this.#see(await transaction(this.pool, work));
  }

  /** Glossaries and their entries, for `npm run migrate` to verify a copy. */
  async counts(): Promise<PgGlossaryCounts> {
    const { rows } = await this.#db.query<{ entries: GlossaryEntry[] }>('SELECT entries FROM glossaries');
    return { glossaries: rows.length, glossaryEntries: rows.reduce((n, r) => n + r.entries.length, 0) };
  }
}
