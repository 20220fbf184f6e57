/**
 * Users, API tokens and sessions on PostgreSQL. Sessions (with their CSRF tokens) live in the
 * database, so a cookie issued by one app instance is honoured by every other.
 * As in the lowdb store, only hashes of session and token secrets are stored.
 */
import type { Pool, PoolClient } from 'pg';
import type { Role } from '../../core/types.js';
import { hashSecret, type AdminCheck, type ApiToken, type LoginLimits, type Session, type SessionUser, type User, type UserStore } from '../userStore.js';
import { iso, transaction, type Queryable } from './database.js';
import { PgLoginLimiter } from './pgLoginLimiter.js';
import type { PgSignals } from './pgSignals.js';

/** Most token lookups kept (all are dropped beyond it: a simple bound, not an LRU). */
const CACHED_TOKENS = 1000;

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  created_at: Date;
}

interface TokenRow {
  id: string;
  username: string;
  name: string;
  hash: string;
  created_at: Date;
}

interface SessionRow {
  hash: string;
  username: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

export interface PgUserCounts {
  users: number;
  tokens: number;
  /** Sessions not yet expired. */
  sessions: number;
}

function copyUser(u: User): User {
  return { ...u, tokens: u.tokens.map((t) => ({ ...t })) };
}

function toSession(r: SessionRow): Session {
  return { hash: r.hash, username: r.username, csrfToken: r.csrf_token, createdAt: iso(r.created_at), expiresAt: iso(r.expires_at) };
}

export class PgUserStore implements UserStore {
  readonly pool: Pool;
  #db: Queryable;
  #signals: PgSignals | undefined;
  /** Token hash → the user it found, while the `users` generation it was read under is current (pgSignals.ts). */
  #byToken = new Map<string, { generation: number; user: User }>();

  sharedLoginLimits(): LoginLimits {
    return new PgLoginLimiter(this.pool);
  }

  /**
   * `db`: run reads on this client instead (a snapshot transaction, for `npm run migrate`). `signals`:
   * keep token lookups while they listen (an app instance; see findUserByToken) — without them every
   * lookup asks the database.
   */
  constructor(pool: Pool, db: Queryable = pool, signals?: PgSignals) {
    this.pool = pool;
    this.#db = db;
    this.#signals = signals;
  }

  /** This instance changed users or tokens: drop its cached lookups now, not when the notification comes. */
  #changed<T>(result: T): T {
    this.#signals?.touch('users');
    this.#byToken.clear();
    return result;
  }

  async #withTokens(users: UserRow[]): Promise<User[]> {
    if (users.length === 0) return [];
    const { rows } = await this.#db.query<TokenRow>(
      'SELECT id, username, name, hash, created_at FROM api_tokens WHERE username = ANY($1::text[]) ORDER BY username, position',
      [users.map((u) => u.username)],
    );
    const tokens = new Map<string, ApiToken[]>();
    for (const t of rows) {
      const list = tokens.get(t.username) ?? [];
      list.push({ id: t.id, name: t.name, hash: t.hash, createdAt: iso(t.created_at) });
      tokens.set(t.username, list);
    }
    return users.map((u) => ({ username: u.username, role: u.role, passwordHash: u.password_hash, createdAt: iso(u.created_at), tokens: tokens.get(u.username) ?? [] }));
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.#db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return rows[0]!.n;
  }

  async listUsers(): Promise<User[]> {
    const { rows } = await this.#db.query<UserRow>('SELECT username, role, password_hash, created_at FROM users ORDER BY seq');
    return this.#withTokens(rows);
  }

  async getUser(username: string): Promise<User | undefined> {
    const { rows } = await this.#db.query<UserRow>('SELECT username, role, password_hash, created_at FROM users WHERE username = $1', [username]);
    return (await this.#withTokens(rows))[0];
  }

  /** Creates or replaces the user, tokens included (a token missing from `user.tokens` is revoked). */
  async saveUser(user: User, client?: PoolClient): Promise<void> {
    const work = async (c: PoolClient) => {
      await c.query(
        `INSERT INTO users (username, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, created_at = EXCLUDED.created_at`,
        [user.username, user.role, user.passwordHash, user.createdAt],
      );
      const ids = user.tokens.map((t) => t.id);
      await c.query('DELETE FROM api_tokens WHERE username = $1 AND NOT (id = ANY($2::text[]))', [user.username, ids]);
      if (user.tokens.length) {
        await c.query(
          `INSERT INTO api_tokens (id, username, position, name, hash, created_at)
           SELECT t.id, $1, t.position, t.name, t.hash, t.created_at
           FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[]) AS t(id, position, name, hash, created_at)
           ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, name = EXCLUDED.name, hash = EXCLUDED.hash, created_at = EXCLUDED.created_at`,
          [user.username, ids, user.tokens.map((_, i) => i), user.tokens.map((t) => t.name), user.tokens.map((t) => t.hash), user.tokens.map((t) => t.createdAt)],
        );
      }
    };
    await (client ? work(client) : transaction(this.pool, work));
    this.#changed(undefined);
  }

  async createUser(user: User): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO users (username, role, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING',
      [user.username, user.role, user.passwordHash, user.createdAt],
    );
    if ((r.rowCount ?? 0) === 0) return false;
    for (const token of user.tokens) await this.addToken(user.username, token);
    return this.#changed(true);
  }

  // The changes below touch only their own column or rows: a role set meanwhile stays as it is.
  async setPasswordHash(username: string, passwordHash: string): Promise<number | undefined> {
    return this.#changed(await transaction(this.pool, async (c) => {
      const r = await c.query('UPDATE users SET password_hash = $2 WHERE username = $1', [username, passwordHash]);
      if ((r.rowCount ?? 0) === 0) return undefined;
      return (await c.query('DELETE FROM api_tokens WHERE username = $1', [username])).rowCount ?? 0;
    }));
  }

  async addToken(username: string, token: ApiToken): Promise<boolean> {
    // The position after the user's last token keeps the list in the order tokens were made.
    const r = await this.pool.query(
      `INSERT INTO api_tokens (id, username, position, name, hash, created_at)
       SELECT $2, u.username, coalesce((SELECT max(position) + 1 FROM api_tokens WHERE username = u.username), 0), $3, $4, $5
       FROM users u WHERE u.username = $1`,
      [username, token.id, token.name, token.hash, token.createdAt],
    );
    return this.#changed((r.rowCount ?? 0) > 0);
  }

  async removeToken(username: string, tokenId: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM api_tokens WHERE username = $1 AND id = $2', [username, tokenId]);
    return this.#changed((r.rowCount ?? 0) > 0);
  }

  async setRole(username: string, role: Role, check?: AdminCheck): Promise<boolean> {
    return this.#changed(await this.#changeUser(username, check, async (c) => {
      await c.query('UPDATE users SET role = $2 WHERE username = $1', [username, role]);
    }));
  }

  async deleteUser(username: string, check?: AdminCheck): Promise<boolean> {
    // Tokens and sessions go with the user (ON DELETE CASCADE).
    if (!check) {
      const r = await this.#db.query('DELETE FROM users WHERE username = $1', [username]);
      return this.#changed((r.rowCount ?? 0) > 0);
    }
    return this.#changed(await this.#changeUser(username, check, async (c) => {
      await c.query('DELETE FROM users WHERE username = $1', [username]);
    }));
  }

  /**
   * A role change or removal in a transaction that first locks every admin's row (in one order, so two
   * cannot deadlock), then the user's: a concurrent one waits, and then no longer counts an admin this
   * one demoted or removed. `check` runs on what the locks hold; it throws to refuse (ROLLBACK).
   */
  #changeUser(username: string, check: AdminCheck | undefined, write: (c: PoolClient) => Promise<void>): Promise<boolean> {
    return transaction(this.pool, async (c) => {
      const admins = await c.query('SELECT username FROM users WHERE role = $1 ORDER BY username FOR UPDATE', ['admin']);
      const { rows } = await c.query<Pick<UserRow, 'username' | 'role'>>('SELECT username, role FROM users WHERE username = $1 FOR UPDATE', [username]);
      if (!rows[0]) return false;
      check?.({ username: rows[0].username, role: rows[0].role }, admins.rowCount ?? 0);
      await write(c);
      return true;
    });
  }

  /**
   * Every API request asks. With listening signals (pgSignals.ts) a found user is kept until any change
   * to users or tokens — on any instance, by any client — is notified (or this instance makes one):
   * a revoked token, a deleted user or a new role count from the moment the notification arrives.
   * Otherwise, and for unknown tokens: the user and all their tokens in one statement (one round trip).
   */
  async findUserByToken(secret: string): Promise<User | undefined> {
    const hash = hashSecret(secret);
    const at = this.#signals?.readAt('users');
    const kept = this.#byToken.get(hash);
    if (at !== undefined && kept?.generation === at) return copyUser(kept.user);
    const user = await this.#lookUpToken(hash);
    // Kept only if nothing was notified (or lost) while the statement ran.
    if (user && this.#signals?.stillAt('users', at)) {
      if (this.#byToken.size >= CACHED_TOKENS) this.#byToken.clear();
      this.#byToken.set(hash, { generation: at, user: copyUser(user) });
    }
    return user;
  }

  async #lookUpToken(hash: string): Promise<User | undefined> {
    const { rows } = await this.#db.query<UserRow & { tokens: Array<[string, string, string, string]> }>(
      `SELECT u.username, u.role, u.password_hash, u.created_at,
         (SELECT coalesce(json_agg(json_build_array(k.id, k.name, k.hash, k.created_at) ORDER BY k.position), '[]'::json)
          FROM api_tokens k WHERE k.username = u.username) AS tokens
       FROM api_tokens t JOIN users u ON u.username = t.username WHERE t.hash = $1`,
      [hash],
    );
    const u = rows[0];
    if (!u) return undefined;
    const tokens = u.tokens.map(([id, name, hash, createdAt]): ApiToken => ({ id, name, hash, createdAt: iso(createdAt) }));
    return { username: u.username, role: u.role, passwordHash: u.password_hash, createdAt: iso(u.created_at), tokens };
  }

  async createSession(session: Session, client?: PoolClient): Promise<void> {
    const db = client ?? this.pool;
    await db.query('DELETE FROM sessions WHERE expires_at <= $1', [new Date()]);
    await db.query(
      'INSERT INTO sessions (hash, username, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.hash, session.username, session.csrfToken, session.createdAt, session.expiresAt],
    );
  }

  /** One statement: the session and its user's role (a session of a deleted user is gone with it). */
  async findSessionUser(secret: string): Promise<SessionUser | undefined> {
    const { rows } = await this.#db.query<SessionRow & { role: Role }>(
      `SELECT s.hash, s.username, s.csrf_token, s.created_at, s.expires_at, u.role
         FROM sessions s JOIN users u ON u.username = s.username WHERE s.hash = $1 AND s.expires_at > $2`,
      [hashSecret(secret), new Date()],
    );
    const r = rows[0];
    return r && { session: toSession(r), username: r.username, role: r.role };
  }

  async deleteSession(secret: string): Promise<void> {
    await this.#db.query('DELETE FROM sessions WHERE hash = $1', [hashSecret(secret)]);
  }

  async deleteSessions(username: string, exceptSecret?: string): Promise<number> {
    const r = await this.#db.query('DELETE FROM sessions WHERE username = $1 AND hash IS DISTINCT FROM $2', [
      username,
      exceptSecret === undefined ? null : hashSecret(exceptSecret),
    ]);
    return r.rowCount ?? 0;
  }

  /** Sessions not yet expired, oldest first: for `npm run migrate`. */
  async listSessions(): Promise<Session[]> {
    const { rows } = await this.#db.query<SessionRow>(
      'SELECT hash, username, csrf_token, created_at, expires_at FROM sessions WHERE expires_at > $1 ORDER BY created_at, hash',
      [new Date()],
    );
    return rows.map(toSession);
  }

  async counts(): Promise<PgUserCounts> {
    const { rows } = await this.#db.query<PgUserCounts>(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM api_tokens)::int AS tokens,
              (SELECT count(*) FROM sessions WHERE expires_at > $1)::int AS sessions`,
      [new Date()],
    );
    return rows[0]!;
  }
}
