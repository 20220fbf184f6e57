/**
 * `GET /healthz`, for load balancers and monitoring: no login, no body parsing, nothing cached.
 * 200 `{ok: true, storage: "ok"}` when the store can read and write; 503 with the part that is down
 * and why (`{ok: false, storage: "down: the disk is full"}`), without paths or stacks.
 */
import { Router } from 'express';
import type { Services } from '../commands/services.js';

export function healthRouter(services: Services): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const storage = await services.store.health();
    res.set('Cache-Control', 'no-store');
    res.status(storage.ok ? 200 : 503).json({ ok: storage.ok, storage: storage.ok ? 'ok' : `down: ${storage.reason}` });
  });
  return r;
}
