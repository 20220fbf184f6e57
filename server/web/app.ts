/** Builds the express app (exported for tests); `main.ts` makes it listen. */
import express from 'express';
import { MT_FLAG_LABELS } from './mtFlagView.js';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Services } from '../commands/services.js';
import { apiRouter } from './api.js';
import { interchangeRouter } from './interchange.js';
import { runsRouter, type RunsRouterOptions } from './runs.js';
import type { RunStore } from '../store/runStore.js';
import { markDiff } from './diffView.js';
import { allow } from '../core/policy.js';
import { REVIEW_LABELS, STATUS_LABELS } from './presenters.js';
import { errorHandler, notFound } from './errors.js';
import { pagesRouter } from './pages.js';
import { RowCache } from './rowCache.js';
import { statsRouter } from './stats.js';
import { reviewRouter } from './review.js';
import { authRouter, type SetupState } from './auth.js';
import { authenticate, csrfProtect, requireLogin } from './session.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AppOptions {
  setup?: SetupState;
  /** Batch runs: without a run store the /runs pages are not mounted. */
  runStore?: RunStore;
  runs?: RunsRouterOptions;
  /** Trust X-Forwarded-* from a reverse proxy (so cookies get Secure behind https). */
  trustProxy?: boolean | string;
}

export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  app.set('views', join(root, 'views'));
  app.set('view engine', 'ejs');
  // Compiled templates are kept (as NODE_ENV=production would); the editor page renders thousands of rows.
  app.set('view cache', true);
  // Pages change with every action: no ETag hashing of multi-megabyte pages.
  app.set('etag', false);
  app.locals.markDiff = markDiff;
  app.locals.allow = allow;
  app.locals.reviewLabels = REVIEW_LABELS;
  app.locals.mtFlagLabels = MT_FLAG_LABELS;
  app.locals.statusLabels = STATUS_LABELS;
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
  const runs = options.runStore ? runsRouter(services, options.runStore, options.runs) : undefined;
  app.locals.hasRuns = !!runs;
  if (runs) {
    app.use('/api', runs.api);
    app.use(runs.pages);
    app.locals.closeRuns = runs.close;
  }
  app.use(interchangeRouter(services));
  app.use('/api', apiRouter(services));
  app.use(reviewRouter(services));
  app.use(statsRouter(services));
  app.use(pagesRouter(services, new RowCache(app)));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
