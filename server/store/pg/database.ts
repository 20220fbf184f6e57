/** The connection pool and transactions shared by the PostgreSQL stores. */
import { DatabaseError, Pool, type PoolClient } from 'pg';
import { recogniseDatabaseErrors } from '../faults.js';

recogniseDatabaseErrors((e) => e instanceof DatabaseError);

export interface PoolOptions {
  /** Connections per process (default 10). Each update waiting for an article's row lock holds one. */
  max?: number;
}

export function openPool(url: string, options: PoolOptions = {}): Pool {
  // allowExitOnIdle: a command-line tool ends when its work is done, without waiting for idle connections to time out.
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: 'postedit',
    allowExitOnIdle: true,
    keepAlive: true,
    // A transaction holds an article's row lock only while the store works on it (milliseconds). One
    // left open by a process that hangs or lost its network is ended by the server, releasing the lock.
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle connection the server dropped (restart, admin kill) must not take the process down:
  // the pool discards it and the next query opens a new one.
  pool.on('error', (e) => console.error(`postgresql: idle connection lost: ${e.message}`));
  return pool;
}

/** Runs `work` in a transaction: COMMIT when it returns, ROLLBACK when it throws. */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch((r: unknown) => {
        broken = r instanceof Error ? r : new Error(String(r));
      });
      throw e;
    }
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
    client.release(broken);
  }
}

/** The name of the unique constraint a statement violated, if that is why it failed. */
export function uniqueViolation(e: unknown): string | undefined {
  return e instanceof DatabaseError && e.code === '23505' ? (e.constraint ?? '') : undefined;
}

/** A timestamp column read back as the ISO string the app stores everywhere else. */
export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** The pool, or one client of it inside a transaction. */
export type Queryable = Pick<Pool, 'query'>;
