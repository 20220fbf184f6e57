/** Who is acting. Until accounts exist every request acts as the local editor. */
import type { RequestHandler, Response } from 'express';
import type { Actor } from '../core/types.js';

export const LOCAL_ACTOR: Actor = { username: 'local', role: 'admin' };

export const localActor: RequestHandler = (_req, res, next) => {
  res.locals.actor = LOCAL_ACTOR;
  next();
};

export function actorOf(res: Response): Actor {
  return (res.locals.actor as Actor | undefined) ?? LOCAL_ACTOR;
}
