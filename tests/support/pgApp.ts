/**
 * App instances over one PostgreSQL database, as a desk runs them behind a reverse proxy: each has its
 * own port and data directory (its running-server marker) and shares articles, users, sessions,
 * batch runs and uploaded glossaries through the database.
 */
import { rm } from 'node:fs/promises';
import { createServices } from '../../server/boot.js';
import { addUser, createToken } from '../../server/commands/users.js';
import type { Role } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { Engine } from '../../server/engines/types.js';
import type { RunsRouterOptions } from '../../server/web/runs.js';
import { corpusDir, passwordOf, ROLES, serveApp, tempDir, type RunningApp } from './app.js';

/** Starts the real app on 127.0.0.1 (a free port) with its store on `databaseUrl`. */
export async function startAppOnDatabase(databaseUrl: string, options: { engine?: Engine; runs?: RunsRouterOptions } = {}): Promise<RunningApp> {
  const dataDir = await tempDir('postedit-pg-app-');
  const services = await createServices({ dataDir, corpusDir, engine: options.engine ?? new OfflineEngine(), env: { DATABASE_URL: databaseUrl } });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    // The first instance creates the users; the others find them in the database.
    if (!(await services.users.getUser(role))) {
      await addUser(services.users, { username: role, password: passwordOf(role), role }).catch(async (e: unknown) => {
        if (!(await services.users.getUser(role))) throw e;
      });
    }
    tokens[role] = await createToken(services.users, role, 'tests');
  }
  // Runs live in the database too (the run store goes with the store): a run started on one instance is followed on any other.
  return serveApp(services, dataDir, tokens, options.runs ? { runs: options.runs } : {}, {
    removeByDefault: true,
    remove: (dir) => rm(dir, { recursive: true, force: true }),
  });
}
