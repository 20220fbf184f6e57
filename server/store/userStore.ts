/**
 * Users, sessions and API tokens. Secrets are stored only as hashes: a stolen data directory gives
 * no working session cookie or token.
 */
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { WriteQueue } from './writeQueue.js';
import type { Role } from '../core/types.js';

export interface ApiToken {
  id: string;
  name: string;
  hash: string;
  createdAt: string;
}

export interface User {
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  tokens: ApiToken[];
}

export interface Session {
  /** sha256 of the cookie value. */
  hash: string;
  username: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** What the login limiter needs; the in-memory LoginLimiter (sync) fits too. */
export interface LoginLimits {
  /** Milliseconds until the key may try again, or 0. */
  retryAfter(key: string): number | Promise<number>;
  fail(key: string): void | Promise<void>;
  succeed(key: string): void | Promise<void>;
}

/** A session and who it belongs to, as the session middleware needs them. */
export interface SessionUser {
  session: Session;
  username: string;
  role: Role;
}

export interface UserStore {
  /** Login failures shared by every app instance of this store (PostgreSQL); absent: count in-process. */
  sharedLoginLimits?(): LoginLimits;
  countUsers(): Promise<number>;
  listUsers(): Promise<User[]>;
  getUser(username: string): Promise<User | undefined>;
  /** Creates or replaces the whole user, tokens included: for copying between stores. Actions change one field instead. */
  saveUser(user: User): Promise<void>;
  /** Adds the user unless the name is taken (false then), in one step with the check. */
  createUser(user: User): Promise<boolean>;
  /**
   * Sets the password hash and revokes every API token of the user, in one step, changing nothing else
   * (a role changed meanwhile stays). Answers how many tokens were revoked, or undefined when there is no such user.
   */
  setPasswordHash(username: string, passwordHash: string): Promise<number | undefined>;
  /** Adds an API token to the user's; false when there is no such user. */
  addToken(username: string, token: ApiToken): Promise<boolean>;
  /** Removes one API token of the user; false when the user has no token with that id. */
  removeToken(username: string, tokenId: string): Promise<boolean>;
  /**
   * Changes the user's role, and nothing else. With `check`, in one atomic step with it: `check` sees
   * the user's name and role and how many admins there are, and no other role change or removal can come between it
   * and the write (it throws to refuse, and nothing is written). Answers false when there is no such user.
   */
  setRole(username: string, role: Role, check?: AdminCheck): Promise<boolean>;
  /** Removes the user with their tokens and sessions; `check` as for `setRole`. Answers false when there is no such user. */
  deleteUser(username: string, check?: AdminCheck): Promise<boolean>;
  findUserByToken(secret: string): Promise<User | undefined>;
  createSession(session: Session): Promise<void>;
  /** The live session of a cookie secret with its user's current role, in one look-up (what every page request needs). */
  findSessionUser(secret: string): Promise<SessionUser | undefined>;
  deleteSession(secret: string): Promise<void>;
  /** Ends every session of the user except the one whose cookie secret is `exceptSecret`; answers how many ended. */
  deleteSessions(username: string, exceptSecret?: string): Promise<number>;
}

/**
 * Runs where a role change or a removal is decided (see `setRole`): the user's name and role and the
 * number of admins, all as they are at that moment; it throws to refuse the change.
 */
export type AdminCheck = (user: Pick<User, 'username' | 'role'>, admins: number) => void;

interface UsersFile {
  version: 1;
  users: User[];
  sessions: Session[];
}

export function hashSecret(secret: string): string {
  // One-shot hash: the same hex digest as createHash's, without a Hash object per API request.
  return hash('sha256', secret, 'hex');
}

export class LowdbUserStore implements UserStore {
  #db: Low<UsersFile>;

  #writes: WriteQueue<UsersFile>;
  /** Users by token hash, for the data object it was built from (every write replaces that object). */
  #tokens: { data: UsersFile; byHash: Map<string, User> } | undefined;

  private constructor(db: Low<UsersFile>) {
    this.#db = db;
    this.#writes = new WriteQueue(db);
  }

  static async open(dataDir: string): Promise<LowdbUserStore> {
    const file = new DataFile<UsersFile>(join(dataDir, 'users.json'), { parse: JSON.parse, stringify: (d) => JSON.stringify(d, null, 1) });
    const db = new Low<UsersFile>(file, { version: 1, users: [], sessions: [] });
    await db.read();
    const now = new Date().toISOString();
    db.data.sessions = db.data.sessions.filter((s) => s.expiresAt > now);
    return new LowdbUserStore(db);
  }

  #write(change: (data: UsersFile) => void): Promise<void> {
    return this.#writes.write(change);
  }

  /** Every API request looks its token up: an index instead of a scan of every user's tokens. */
  #tokenIndex(): Map<string, User> {
    const data = this.#db.data;
    if (this.#tokens?.data !== data) {
      const byHash = new Map<string, User>();
      for (const u of data.users) for (const t of u.tokens) if (!byHash.has(t.hash)) byHash.set(t.hash, u);
      this.#tokens = { data, byHash };
    }
    return this.#tokens.byHash;
  }

  async countUsers() {
    return this.#db.data.users.length;
  }

  async listUsers() {
    return structuredClone(this.#db.data.users);
  }

  async getUser(username: string) {
    const u = this.#db.data.users.find((x) => x.username === username);
    return u && structuredClone(u);
  }

  saveUser(user: User) {
    return this.#write((d) => {
      const i = d.users.findIndex((x) => x.username === user.username);
      if (i >= 0) d.users[i] = structuredClone(user);
      else d.users.push(structuredClone(user));
    });
  }

  async createUser(user: User) {
    let created = false;
    await this.#write((d) => {
      if (d.users.some((x) => x.username === user.username)) return;
      d.users.push(structuredClone(user));
      created = true;
    });
    return created;
  }

  // Each change below finds the user in the queued data and changes one field there, so it never
  // writes back a copy read before another change (a role set meanwhile would be undone).
  async setPasswordHash(username: string, passwordHash: string) {
    let revoked: number | undefined;
    await this.#write((d) => {
      const u = d.users.find((x) => x.username === username);
      if (!u) return;
      u.passwordHash = passwordHash;
      revoked = u.tokens.length;
      u.tokens = [];
    });
    return revoked;
  }

  async addToken(username: string, token: ApiToken) {
    let added = false;
    await this.#write((d) => {
      const u = d.users.find((x) => x.username === username);
      if (!u) return;
      u.tokens.push({ ...token });
      added = true;
    });
    return added;
  }

  async removeToken(username: string, tokenId: string) {
    let removed = false;
    await this.#write((d) => {
      const u = d.users.find((x) => x.username === username);
      if (!u || !u.tokens.some((t) => t.id === tokenId)) return;
      u.tokens = u.tokens.filter((t) => t.id !== tokenId);
      removed = true;
    });
    return removed;
  }

  // Role changes and removals check and write inside the write queue, on the data as the queue has
  // it: two of them never both see the same admins (each runs after the one before was written).
  setRole(username: string, role: Role, check?: AdminCheck) {
    return this.#changeChecked(username, check, (u) => {
      u.role = role;
    });
  }

  deleteUser(username: string, check?: AdminCheck) {
    return this.#changeChecked(username, check, (_, d) => {
      d.users = d.users.filter((x) => x.username !== username);
      d.sessions = d.sessions.filter((s) => s.username !== username);
    });
  }

  /** Finds the user in the queued data, runs the admin check there, then the change; false when there is no such user. */
  async #changeChecked(username: string, check: AdminCheck | undefined, change: (u: User, d: UsersFile) => void): Promise<boolean> {
    if (!this.#db.data.users.some((x) => x.username === username)) return false;
    let found = false;
    await this.#write((d) => {
      const u = d.users.find((x) => x.username === username);
      if (!u) return;
      check?.({ username: u.username, role: u.role }, adminCount(d));
      change(u, d);
      found = true;
    });
    return found;
  }

  async findUserByToken(secret: string) {
    const u = this.#tokenIndex().get(hashSecret(secret));
    return u && structuredClone(u);
  }

  createSession(session: Session) {
    const now = new Date().toISOString();
    return this.#write((d) => {
      d.sessions = d.sessions.filter((s) => s.expiresAt > now);
      d.sessions.push(session);
    });
  }

  #findSession(secret: string): Session | undefined {
    const hash = hashSecret(secret);
    const s = this.#db.data.sessions.find((x) => x.hash === hash);
    if (!s || s.expiresAt <= new Date().toISOString()) return undefined;
    return structuredClone(s);
  }

  async findSessionUser(secret: string) {
    const session = this.#findSession(secret);
    const user = session && this.#db.data.users.find((x) => x.username === session.username);
    return session && user ? { session, username: user.username, role: user.role } : undefined;
  }

  async deleteSession(secret: string) {
    const hash = hashSecret(secret);
    await this.#write((d) => {
      d.sessions = d.sessions.filter((s) => s.hash !== hash);
    });
  }

  async deleteSessions(username: string, exceptSecret?: string) {
    const keep = exceptSecret === undefined ? undefined : hashSecret(exceptSecret);
    let ended = 0;
    await this.#write((d) => {
      const before = d.sessions.length;
      d.sessions = d.sessions.filter((s) => s.username !== username || s.hash === keep);
      ended = before - d.sessions.length;
    });
    return ended;
  }
}

function adminCount(d: UsersFile): number {
  return d.users.filter((u) => u.role === 'admin').length;
}
