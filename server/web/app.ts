/** Builds the express app (exported for tests); `main.ts` makes it listen. */
import express from 'express';
import { MT_FLAG_LABELS } from './mtFlagView.js';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Services } from '../commands/services.js';
import { apiRouter, paragraphActionRouter } from './api.js';
import { interchangeRouter } from './interchange.js';
import { runsRouter, type RunsRouterOptions } from './runs.js';
import type { RunStore } from '../store/runStore.js';
import { REVIEW_LABELS, STATUS_LABELS, viewerCan } from './presenters.js';
import { errorHandler, notFound } from './errors.js';
import { healthRouter } from './health.js';
import { pagesRouter } from './pages.js';
import { RowCache } from './rowCache.js';
import { statsRouter } from './stats.js';
import { reviewRouter } from './review.js';
import { authRouter, type SetupState } from './auth.js';
import { usersRouter } from './users.js';
import { actorOf, authenticate, csrfProtect, requireLogin } from './session.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AppOptions {
  setup?: SetupState;
  /** Batch runs: without a run store the /runs pages are not mounted. */
  runStore?: RunStore;
  runs?: RunsRouterOptions;
  /**
   * Trust X-Forwarded-* from these reverse proxies (so cookies get Secure behind https and the login
   * limit counts per client address): see parseTrustProxy in server/config.ts.
   */
  trustProxy?: boolean | string | number | string[];
  /**
   * Development settings (`npm run dev`, POSTEDIT_DEV=1): templates re-read on every render and the
   * stack on 500 pages. Off by default: production settings, no stack anywhere.
   */
  dev?: boolean;
}

export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  app.set('views', join(root, 'views'));
  app.set('view engine', 'ejs');
  // Production unless asked otherwise, whatever NODE_ENV says: express's own last-resort error
  // page then never shows a stack either.
  app.set('env', options.dev ? 'development' : 'production');
  // Compiled templates are kept; the editor page renders thousands of rows.
  app.set('view cache', !options.dev);
  // Pages change with every action: no ETag hashing of multi-megabyte pages.
  app.set('etag', false);
  app.locals.reviewLabels = REVIEW_LABELS;
  app.locals.mtFlagLabels = MT_FLAG_LABELS;
  app.locals.statusLabels = STATUS_LABELS;
  // Defaults for the layout, so an error page renders for a request that never reached the locals middleware below.
  app.locals.engineLine = services.engine.describe();
  app.locals.engineId = services.engine.id;
  app.disable('x-powered-by');
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use('/static', express.static(join(root, 'public'), { maxAge: '1h' }));
  // Everything past the static files is someone's data (or a login form): never kept by a browser or proxy cache.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRouter(services));
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use((_req, res, next) => {
    res.locals.engineLine = services.engine.describe();
    res.locals.engineId = services.engine.id;
    next();
  });
  app.use(authenticate(services.users));
  app.use(authRouter(services.users, options.setup ?? {}));
  app.use(requireLogin);
  app.use(csrfProtect);
  // What the viewer may do: `can` for the pages' tools (a page may pass its own, e.g. a paragraph's),
  // `nav` for the top bar's links.
  app.use((_req, res, next) => {
    const can = viewerCan(actorOf(res).role);
    res.locals.can = can;
    res.locals.nav = { users: can.manageUsers };
    next();
  });
  app.use('/api', paragraphActionRouter(services));
  const runs = options.runStore ? runsRouter(services, options.runStore, options.runs) : undefined;
  app.locals.hasRuns = !!runs;
  if (runs) {
    app.use('/api', runs.api);
    app.use(runs.pages);
    app.locals.closeRuns = runs.close;
  }
  app.use(usersRouter(services));
  app.use(interchangeRouter(services));
  app.use('/api', apiRouter(services));
  app.use(reviewRouter(services));
  app.use(statsRouter(services));
  app.use(pagesRouter(services, new RowCache(app)));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
