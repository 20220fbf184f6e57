/**
 * Reviewers' views of a whole article, all read-only: compare two points of its life paragraph by
 * paragraph (compare.ts) and the timeline of every action (timeline.ts). Pages and their JSON twins.
 */
import { Router } from 'express';
import type { Services } from '../commands/services.js';
import { compareRouter } from './compare.js';
import { timelineRouter } from './timeline.js';

export function reviewRouter(services: Services): Router {
  const r = Router();
  r.use(compareRouter(services));
  r.use(timelineRouter(services));
  return r;
}
