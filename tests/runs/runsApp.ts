/**
 * The real app with the runs routers in front of it, wired as server/web/app.ts will wire them
 * (authenticate → requireLogin → csrfProtect → routes), over a temporary data directory.
 */
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import { addUser, createToken } from '../../server/commands/users.js';
import type { Role } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { EngineFactory } from '../../server/runs/engines.js';
import { LowdbRunStore } from '../../server/store/runStore.js';
import { createApp } from '../../server/web/app.js';
import { errorHandler } from '../../server/web/errors.js';
import { runsRouter } from '../../server/web/runs.js';
import { authenticate, csrfProtect, requireLogin } from '../../server/web/session.js';
import { corpusDir, passwordOf, repoRoot, ROLES, tempDir } from '../support/app.js';

export interface RunsApp {
  url: string;
  dataDir: string;
  services: Services;
  runStore: LowdbRunStore;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

export async function startRunsApp(engineFor: EngineFactory): Promise<RunsApp> {
  const dataDir = await tempDir('postedit-runs-web-');
  const services = await createServices({ dataDir, corpusDir, engine: new OfflineEngine() });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    await addUser(services.users, { username: role, password: passwordOf(role), role });
    tokens[role] = await createToken(services.users, role, 'tests');
  }
  const runStore = await LowdbRunStore.open(dataDir);
  const runs = runsRouter(services, runStore, { engineFor, retry: { baseMs: 10, maxMs: 50 } });

  const mine = express.Router();
  mine.use((_req, res, next) => {
    res.locals.engineLine = services.engine.describe();
    res.locals.engineId = services.engine.id;
    next();
  });
  mine.use(authenticate(services.users), requireLogin, csrfProtect);
  mine.use('/api', runs.api);
  mine.use(runs.pages);

  const app = express();
  app.set('views', join(repoRoot, 'views'));
  app.set('view engine', 'ejs');
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => (/^\/(api\/)?runs(\/|$)/.test(req.path) ? mine(req, res, next) : next()));
  app.use(createApp(services));
  app.use(errorHandler);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    services,
    runStore,
    tokens,
    async close() {
      await runs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runStore.close();
      await services.store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
