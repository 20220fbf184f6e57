/**
 * Versioned schema migrations for the PostgreSQL store.
 *
 * `migrations/NNN_name.sql` files are applied in order of their number, each once; `schema_migrations`
 * records which are in (with a checksum, so an edited migration is noticed instead of silently
 * skipped). Everything runs in one transaction holding an advisory lock: several instances starting
 * at once apply the migrations once, and the others wait and then find them applied. A failing
 * migration leaves the schema as it was. What SQL cannot do (taking apart JSON that may hold \u0000)
 * is a step of its own in dataMigrations.ts, run right after its migration's SQL in the same transaction.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';
import { DATA_STEPS } from './dataMigrations.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Arbitrary, fixed: the advisory lock every Postedit instance takes while migrating. */
const MIGRATION_LOCK = 7_312_018_451;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const m = /^(\d+)_([a-z0-9_-]+)\.sql$/i.exec(file);
    if (!m) continue;
    const sql = (await readFile(join(dir, file), 'utf8')).replace(/\r\n/g, '\n');
    out.push({ version: Number(m[1]), name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) throw new Error(`two migrations have version ${out[i]!.version} in ${dir}`);
  }
  return out;
}

export interface MigrateResult {
  /** Versions applied now. */
  applied: number[];
  /** The schema version after migrating. */
  version: number;
}

/** Brings the database's schema up to date. Safe to call from several processes at once. */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await loadMigrations(dir);
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    try {
      const result = await applyPending(client, migrations);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((r: unknown) => {
        broken = r;
      });
      throw e;
    }
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

async function applyPending(client: PoolClient, migrations: Migration[]): Promise<MigrateResult> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of rows) {
    const m = known.get(row.version);
    if (!m) {
      const newest = migrations.at(-1)?.version ?? 0;
      throw new Error(`the database schema has migration ${row.version} (${row.name}), which this Postedit (schema ${newest}) does not know: upgrade Postedit`);
    }
    if (m.checksum !== row.checksum) {
      throw new Error(`migration ${row.version} (${m.name}) was changed after it was applied: add a new migration instead of editing an applied one`);
    }
  }
  const done = new Set(rows.map((r) => r.version));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    try {
      await client.query(m.sql);
      await DATA_STEPS[`${m.version}_${m.name}`]?.(client);
    } catch (e) {
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
    }
    await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
    applied.push(m.version);
  }
  return { applied, version: Math.max(0, ...rows.map((r) => r.version), ...applied) };
}
