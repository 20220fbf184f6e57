/**
 * Login failures in PostgreSQL (`login_failures`), so ten wrong passwords spread over several
 * instances behind a proxy count as ten.
 */
import type { Pool } from 'pg';
import type { LoginLimits } from '../userStore.js';

export class PgLoginLimiter implements LoginLimits {
  constructor(
    private readonly pool: Pool,
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfter(key: string): Promise<number> {
    const since = new Date(this.now() - this.windowMs);
    const { rows } = await this.pool.query<{ n: number; first: Date | null }>(
      'SELECT count(*)::int AS n, min(at) AS first FROM login_failures WHERE key = $1 AND at > $2',
      [key, since],
    );
    const { n, first } = rows[0]!;
    if (n < this.maxFailures || !first) return 0;
    // As the in-memory limiter: the wait runs from the oldest failure still in the window.
    return Math.max(0, first.getTime() + this.windowMs - this.now());
  }

  async fail(key: string): Promise<void> {
    const at = new Date(this.now());
    await this.pool.query('INSERT INTO login_failures (key, at) VALUES ($1, $2)', [key, at]);
    // Old rows are of no use to anyone.
    await this.pool.query('DELETE FROM login_failures WHERE at <= $1', [new Date(this.now() - this.windowMs)]);
  }

  async succeed(key: string): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE key = $1', [key]);
  }
}
