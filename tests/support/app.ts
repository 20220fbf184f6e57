/** Starts the real app on 127.0.0.1 port 0 over a temporary data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { Engine } from '../../server/engines/types.js';
import { createToken } from '../../server/commands/users.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Role } from '../../server/core/types.js';
import { createApp, type AppOptions } from '../../server/web/app.js';
import { openRunStore } from '../../server/store/open.js';
import { dropStoreFor, storeEnvFor } from './postgres.js';
import type { RunStore } from '../../server/store/runStore.js';
import type { Express } from 'express';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const corpusDir = join(repoRoot, 'corpus');
export const seedPath = join(corpusDir, 'baoan-smart-wearables.en.txt');

export async function tempDir(prefix = 'postedit-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export const ROLES: Role[] = ['editor', 'reviewer', 'admin'];
export const passwordOf = (role: Role) => `password-${role}`;

export interface RunningApp {
  url: string;
  /** An API token per role; users are named after their role. */
  tokens: Record<Role, string>;
  services: Services;
  dataDir: string;
  runStore: RunStore;
  /**
   * Stops the server; the data directory (and, on PostgreSQL, the app's database) stays unless
   * `remove` is set.
   */
  close(remove?: boolean): Promise<void>;
}

/**
 * The role users' password hashes, made once per worker and stored as they are by every app the
 * worker starts: scrypt is slow on purpose (~40 ms a hash here), and ~50 apps a run each made three.
 * (Adding users with all their checks is tested in tests/commands/users.test.ts.)
 */
const roleHashes = new Map<Role, Promise<string>>();
function roleHash(role: Role): Promise<string> {
  let hash = roleHashes.get(role);
  if (!hash) roleHashes.set(role, (hash = hashPassword(passwordOf(role))));
  return hash;
}

export async function startApp(options: { dataDir?: string; engine?: Engine; app?: AppOptions; users?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunningApp> {
  const dataDir = options.dataDir ?? (await tempDir());
  // With DATABASE_URL set, the app's store is a database of its own (one per data directory).
  const env = await storeEnvFor(dataDir, options.env ?? process.env);
  const services = await createServices({ dataDir, corpusDir, engine: options.engine ?? new OfflineEngine(), env });
  const tokens = {} as Record<Role, string>;
  if (options.users !== false) {
    for (const role of ROLES) {
      if (!(await services.users.getUser(role))) await services.users.createUser({ username: role, role, passwordHash: await roleHash(role), createdAt: new Date().toISOString(), tokens: [] });
      tokens[role] = await createToken(services.users, role, 'tests');
    }
  }
  return serveApp(services, dataDir, tokens, options.app ?? {}, { removeByDefault: false, remove: removeData });
}

/**
 * Serves `services` as the real app on 127.0.0.1, port 0, with the run store that goes with its store.
 * `close(remove)` stops the server, closes the stores and, when asked (or by default), removes the data.
 */
export async function serveApp(
  services: Services,
  dataDir: string,
  tokens: Record<Role, string>,
  appOptions: AppOptions,
  data: { removeByDefault: boolean; remove(dataDir: string): Promise<void> },
): Promise<RunningApp> {
  const runStore = await openRunStore(dataDir, services.store);
  const app = createApp(services, { runStore, ...appOptions });
  const { url, stop } = await listen(app);
  return {
    url,
    tokens,
    services,
    dataDir,
    runStore,
    async close(remove = data.removeByDefault) {
      await stop();
      await (app.locals.closeRuns as (() => Promise<void>) | undefined)?.();
      await runStore.close();
      await services.store.close();
      if (remove) await data.remove(dataDir);
    },
  };
}

/** Removes a test's data directory and, on PostgreSQL, the database storeEnvFor made for it. */
export async function removeData(dataDir: string): Promise<void> {
  await dropStoreFor(dataDir);
  await rm(dataDir, { recursive: true, force: true });
}

/** Serves an app on 127.0.0.1, port 0. */
export async function listen(app: Express): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON client acting with an API token. */
export function tokenClient(app: RunningApp, role: Role) {
  return client(app.url, { authorization: `Bearer ${app.tokens[role]}` });
}

/** A JSON client holding a browser-like session: cookie plus CSRF token. */
export async function sessionClient(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login as ${username} answered ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { csrfToken, cookie, api: client(base, { cookie, 'x-csrf-token': csrfToken }), bare: client(base, { cookie }) };
}

/** A small JSON client for the API. */
export function client(base: string, headers: Record<string, string> = {}) {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(base + path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    del: (path: string) => call('DELETE', path),
  };
}
