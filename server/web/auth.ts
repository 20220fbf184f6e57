/** Login, logout and the first-run set-up of an admin. */
import { Router, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { loginKey } from '../auth/loginLimiter.js';
import { loginLimiterFor, type LoginLimits } from '../auth/storeLoginLimiter.js';
import { addUser, checkLogin, openSession } from '../commands/users.js';
import type { Session, UserStore } from '../store/userStore.js';
import { HttpError } from './errors.js';
import { clearSessionCookie, setSessionCookie } from './session.js';

export interface SetupState {
  /** One-time secret printed on the console while no user exists. */
  token?: string;
}

const loginSchema = z.object({ username: z.string().max(100), password: z.string().max(1024), next: z.string().optional() });

/** Only local paths: `next` must never send the browser to another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authRouter(users: UserStore, setup: SetupState, limiter: LoginLimits = loginLimiterFor(users)): Router {
  const r = Router();

  async function login(req: Request, res: Response) {
    const body = loginSchema.parse(req.body);
    const key = loginKey(req.ip, body.username);
    const wait = await limiter.retryAfter(key);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      throw new HttpError(429, `too many failed logins: try again in ${Math.ceil(wait / 60_000)} minute(s)`);
    }
    const user = await checkLogin(users, body.username, body.password);
    if (!user) {
      await limiter.fail(key);
      throw new HttpError(401, 'wrong username or password');
    }
    await limiter.succeed(key);
    const { secret, session } = await openSession(users, user.username);
    setSessionCookie(req, res, secret, session.expiresAt);
    return { user, session, next: safeNext(body.next) };
  }

  r.get('/login', async (req, res) => {
    if (res.locals.actor) return res.redirect(303, safeNext(req.query.next));
    res.render('login', { title: 'Log in', next: safeNext(req.query.next), error: undefined, needsSetup: (await users.countUsers()) === 0 });
  });

  r.post('/login', async (req, res) => {
    try {
      const { next } = await login(req, res);
      res.redirect(303, next);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      res.status(e.status).render('login', { title: 'Log in', next: safeNext(req.body?.next), error: e.message, needsSetup: false });
    }
  });

  r.post('/api/login', async (req, res) => {
    const { user, session } = await login(req, res);
    res.json({ user: user.username, role: user.role, csrfToken: session.csrfToken });
  });

  async function logout(req: Request, res: Response) {
    const secret = res.locals.sessionSecret as string | undefined;
    if (secret) await users.deleteSession(secret);
    clearSessionCookie(req, res);
  }

  r.post('/logout', async (req, res) => {
    if (res.locals.session && (req.body as { _csrf?: string })?._csrf !== (res.locals.session as Session).csrfToken) {
      throw new HttpError(403, 'missing or wrong CSRF token: reload the page and try again');
    }
    await logout(req, res);
    res.redirect(303, '/login');
  });

  r.post('/api/logout', async (req, res) => {
    if (res.locals.session && req.get('x-csrf-token') !== (res.locals.session as Session).csrfToken) {
      throw new HttpError(403, 'missing or wrong CSRF token');
    }
    await logout(req, res);
    res.json({ ok: true });
  });

  async function checkSetup(token: unknown) {
    if ((await users.countUsers()) > 0 || !setup.token) throw new HttpError(404, 'set-up is done: log in instead');
    if (typeof token !== 'string' || !sameSecret(token, setup.token)) throw new HttpError(403, 'this set-up link is not valid: use the one printed on the server console');
  }

  r.get('/setup', async (req, res) => {
    await checkSetup(req.query.token);
    res.render('setup', { title: 'Create the first admin', token: req.query.token, error: undefined });
  });

  r.post('/setup', async (req, res) => {
    const body = z.object({ token: z.string(), username: z.string(), password: z.string() }).parse(req.body);
    await checkSetup(body.token);
    try {
      const user = await addUser(users, { username: body.username, password: body.password, role: 'admin' });
      setup.token = undefined;
      const { secret, session } = await openSession(users, user.username);
      setSessionCookie(req, res, secret, session.expiresAt);
      res.redirect(303, '/');
    } catch (e) {
      res.status(400).render('setup', { title: 'Create the first admin', token: body.token, error: (e as Error).message });
    }
  });

  return r;
}
