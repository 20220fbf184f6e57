/**
 * Who is acting: a session cookie (browser) or an API token (`Authorization: Bearer …`, scripts and
 * the CLI). Cookie-authenticated requests that change state must carry the session's CSRF token.
 */
import type { Request, RequestHandler, Response } from 'express';
import { allow, aRole, type Action } from '../core/policy.js';
import type { Actor } from '../core/types.js';
import type { Session, UserStore } from '../store/userStore.js';
import { HttpError } from './errors.js';

export const SESSION_COOKIE = 'postedit_session';

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new HttpError(401, 'log in first');
  return actor;
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function setSessionCookie(req: Request, res: Response, secret: string, expiresAt: string): void {
  res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: new Date(expiresAt) });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}

/** Sets `res.locals.actor` (and `session` or `viaToken`) when the request carries valid credentials. */
export function authenticate(users: UserStore): RequestHandler {
  return async (req, res, next) => {
    const auth = req.get('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const user = m ? await users.findUserByToken(m[1]!) : undefined;
      if (!user) return next(new HttpError(401, 'the API token is not valid'));
      res.locals.actor = { username: user.username, role: user.role } satisfies Actor;
      res.locals.viaToken = true;
      return next();
    }
    const secret = readCookie(req, SESSION_COOKIE);
    if (secret) {
      const found = await users.findSessionUser(secret);
      if (found) {
        const { session } = found;
        res.locals.actor = { username: found.username, role: found.role } satisfies Actor;
        res.locals.session = session;
        res.locals.sessionSecret = secret;
        res.locals.csrfToken = session.csrfToken;
      }
    }
    next();
  };
}

/** Anonymous requests get the login page (pages) or 401 (API). */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (res.locals.actor) return next();
  if (req.path.startsWith('/api/') || req.baseUrl.startsWith('/api')) return next(new HttpError(401, 'log in first: POST /api/login or send Authorization: Bearer TOKEN'));
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookie-authenticated state changes must echo the session's CSRF token (header or form field). */
export const csrfProtect: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || res.locals.viaToken || !res.locals.session) return next();
  const session = res.locals.session as Session;
  const body = req.body as Record<string, unknown> | undefined;
  const sent = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (sent !== session.csrfToken) return next(new HttpError(403, 'missing or wrong CSRF token: reload the page and try again'));
  next();
};

/** Refuses the request with 403 unless the actor's role allows the action. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function authorize<P = any>(action: Action | ((req: Request<P>) => Action)): RequestHandler<P> {
  return (req, res, next) => {
    const actor = actorOf(res);
    const needed = typeof action === 'function' ? action(req) : action;
    if (!allow(actor.role, needed)) return next(new HttpError(403, `${aRole(actor.role)} may not ${needed.replace('-', ' ')}`));
    next();
  };
}
