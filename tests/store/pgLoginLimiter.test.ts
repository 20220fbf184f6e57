/**
 * Login rate limits kept in PostgreSQL: failures counted on one instance count on every other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../server/auth/loginLimiter.js';
import { loginLimiterFor } from '../../server/auth/storeLoginLimiter.js';
import { PgLoginLimiter } from '../../server/store/pg/pgLoginLimiter.js';
import { openPool } from '../../server/store/pg/database.js';
import { migrate } from '../../server/store/pg/migrate.js';
import { PgUserStore } from '../../server/store/pg/pgUserStore.js';
import { LowdbUserStore } from '../../server/store/userStore.js';
import { client, repoRoot, tempDir, type RunningApp } from '../support/app.js';
import { startAppOnDatabase } from '../support/pgApp.js';
import { pgForTests, pgSkipReason, type PgForTests } from '../support/postgres.js';

const reason = pgSkipReason();
if (reason) console.warn(`pgLoginLimiter: skipped: ${reason}`);
// The HTTP test needs server/web/auth.ts to use loginLimiterFor (an await on the limiter's calls).
const wired = /loginLimiterFor/.test(readFileSync(join(repoRoot, 'server/web/auth.ts'), 'utf8'));
if (!reason && !wired) console.warn('pgLoginLimiter: the two-instance HTTP test is skipped: server/web/auth.ts does not use loginLimiterFor yet');

let pg: PgForTests | undefined;
beforeAll(async () => {
  if (!reason) pg = await pgForTests();
});
afterAll(async () => pg?.close());

it('lowdb keeps the in-memory limiter', async () => {
  const users = await LowdbUserStore.open(await tempDir());
  expect(loginLimiterFor(users)).toBeInstanceOf(LoginLimiter);
});

describe.skipIf(!!reason)('login limits on PostgreSQL', () => {
  it('count failures across instances, wait from the oldest, and clear on success', async () => {
    const db = await pg!.database();
    const [p1, p2] = [openPool(db.url, { max: 2 }), openPool(db.url, { max: 2 })];
    try {
      await migrate(p1);
      let now = 1_000_000_000_000;
      const a = new PgLoginLimiter(p1, 10, 15 * 60_000, () => now);
      const b = loginLimiterFor(new PgUserStore(p2));
      expect(b).toBeInstanceOf(PgLoginLimiter);
      const bb = new PgLoginLimiter(p2, 10, 15 * 60_000, () => now);
      for (let i = 0; i < 9; i++) {
        await a.fail('1.2.3.4|editor');
        now += 1000;
      }
      expect(await bb.retryAfter('1.2.3.4|editor')).toBe(0);
      await bb.fail('1.2.3.4|editor');
      expect(await a.retryAfter('1.2.3.4|editor')).toBe(15 * 60_000 - 9000);
      expect(await bb.retryAfter('1.2.3.4|editor')).toBe(15 * 60_000 - 9000);
      expect(await bb.retryAfter('1.2.3.4|admin')).toBe(0);
      now += 15 * 60_000 - 8999;
      expect(await bb.retryAfter('1.2.3.4|editor')).toBe(0);
      await a.fail('1.2.3.4|editor');
      await a.succeed('1.2.3.4|editor');
      const { rows } = await p2.query<{ n: number }>(`SELECT count(*)::int AS n FROM login_failures WHERE key = '1.2.3.4|editor'`);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await Promise.all([p1.end(), p2.end()]);
    }
  });

  it.skipIf(!wired)('10 failed logins on instance A → 429 on instance B', async () => {
    const db = await pg!.database();
    const apps: RunningApp[] = [];
    try {
      apps.push(await startAppOnDatabase(db.url));
      apps.push(await startAppOnDatabase(db.url));
      const [a, b] = apps as [RunningApp, RunningApp];
      for (let i = 0; i < 10; i++) expect((await client(a.url).post('/api/login', { username: 'editor', password: 'wrong' })).status).toBe(401);
      const refused = await client(b.url).post('/api/login', { username: 'editor', password: 'password-editor' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      for (const app of apps) await app.close();
    }
  });
});
