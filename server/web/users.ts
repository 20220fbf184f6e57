/**
 * Accounts on the web: `/users` (admins: list, add, change role, reset password, remove, API tokens)
 * and `/account` (everyone: their own password). Every change goes through server/commands/users.ts.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { CommandError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { addUser, changeOwnPassword, createToken, removeUser, revokeToken, setPassword, setRole } from '../commands/users.js';
import { ROLES } from '../core/policy.js';
import { HttpError } from './errors.js';
import { actorOf, authorize } from './session.js';
import { mayRemoveUser, userCard } from './presenters.js';

const field = (max: number) => z.string().max(max);
const passwordPair = z.object({ password: field(1024), password2: field(1024).optional() });

/** Fixed texts for what a redirect says was done (the query names the case, never the text). */
const DONE: Record<string, (user: string) => string> = {
  added: (u) => `Added ${u}.`,
  role: (u) => `Changed the role of ${u}.`,
  password: (u) => `Set a new password for ${u}: their other sessions ended and their API tokens were revoked.`,
  removed: (u) => `Removed ${u}.`,
  revoked: (u) => `Revoked an API token of ${u}.`,
};

function samePasswords(body: { password: string; password2?: string | undefined }): string {
  if (body.password2 !== undefined && body.password2 !== body.password) throw new HttpError(400, 'the two passwords differ: nothing changed');
  return body.password;
}

/** The session cookie's secret when the request came with one (kept when users change their own password). */
function currentSession(res: Response): string | undefined {
  return res.locals.viaToken ? undefined : (res.locals.sessionSecret as string | undefined);
}

export function usersRouter(services: Services): Router {
  const r = Router();
  const users = services.users;

  async function renderUsers(req: Request, res: Response, extra: { status?: number; error?: string; minted?: { username: string; name: string; secret: string }; form?: { username: string; role: string } } = {}) {
    const me = actorOf(res).username;
    const list = (await users.listUsers()).map((u) => userCard(u, me));
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const notice = done && typeof req.query.user === 'string' ? done(req.query.user.slice(0, 60)) : undefined;
    res.status(extra.status ?? 200).render('users', {
      title: 'Users',
      users: list,
      roles: ROLES,
      notice: extra.error || extra.minted ? undefined : notice,
      error: extra.error,
      minted: extra.minted,
      form: extra.form ?? { username: '', role: 'editor' },
    });
  }

  /** Runs a change; a refusal (bad input, last admin…) shows the page again with the reason. */
  async function change(req: Request, res: Response, work: () => Promise<string>, form?: { username: string; role: string }) {
    try {
      res.redirect(303, await work());
    } catch (e) {
      if (!(e instanceof CommandError || e instanceof HttpError || e instanceof z.ZodError)) throw e;
      const status = e instanceof z.ZodError ? 400 : e.status;
      const message = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : e.message;
      await renderUsers(req, res, { status, error: message, ...(form ? { form } : {}) });
    }
  }

  const done = (what: string, user: string) => `/users?done=${what}&user=${encodeURIComponent(user)}`;

  r.get('/users', authorize('manage-users'), async (req, res) => {
    await renderUsers(req, res);
  });

  r.post('/users', authorize('manage-users'), async (req, res) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const form = { username: typeof raw.username === 'string' ? raw.username.slice(0, 100) : '', role: typeof raw.role === 'string' ? raw.role.slice(0, 20) : 'editor' };
    await change(req, res, async () => {
      const body = passwordPair.extend({ username: field(100), role: field(20) }).parse(req.body);
      const user = await addUser(users, { username: body.username, role: body.role, password: samePasswords(body) });
      return done('added', user.username);
    }, form);
  });

  r.post('/users/:username/role', authorize('manage-users'), async (req, res) => {
    await change(req, res, async () => {
      const { role } = z.object({ role: field(20) }).parse(req.body);
      await setRole(users, req.params.username, role);
      return done('role', req.params.username);
    });
  });

  r.post('/users/:username/password', authorize('manage-users'), async (req, res) => {
    await change(req, res, async () => {
      const password = samePasswords(passwordPair.parse(req.body));
      const self = req.params.username === actorOf(res).username;
      const keep = self ? currentSession(res) : undefined;
      await setPassword(users, req.params.username, password, keep ? { keepSession: keep } : {});
      return done('password', req.params.username);
    });
  });

  r.post('/users/:username/remove', authorize('manage-users'), async (req, res) => {
    await change(req, res, async () => {
      if (!mayRemoveUser(actorOf(res).username, req.params.username)) throw new HttpError(400, 'you cannot remove yourself: ask another admin');
      await removeUser(users, req.params.username);
      return done('removed', req.params.username);
    });
  });

  r.post('/users/:username/tokens', authorize('manage-users'), async (req, res) => {
    try {
      const { name } = z.object({ name: field(200).optional() }).parse(req.body);
      const secret = await createToken(users, req.params.username, name?.trim() || 'web');
      const token = (await users.getUser(req.params.username))?.tokens.at(-1);
      await renderUsers(req, res, { status: 201, minted: { username: req.params.username, name: token?.name ?? 'web', secret } });
    } catch (e) {
      if (!(e instanceof CommandError || e instanceof z.ZodError)) throw e;
      await renderUsers(req, res, { status: e instanceof CommandError ? e.status : 400, error: e.message });
    }
  });

  r.post('/users/:username/tokens/:id/revoke', authorize('manage-users'), async (req, res) => {
    await change(req, res, async () => {
      await revokeToken(users, req.params.username, req.params.id);
      return done('revoked', req.params.username);
    });
  });

  // Everyone: their own password.
  r.get('/account', async (req, res) => {
    const actor = actorOf(res);
    const user = await users.getUser(actor.username);
    res.render('account', {
      title: 'Your account',
      account: { username: actor.username, role: actor.role, tokens: user?.tokens.length ?? 0 },
      notice: req.query.done === 'password' ? 'Your password was changed. Your other sessions ended and your API tokens were revoked; this session stays.' : undefined,
      error: undefined,
    });
  });

  r.post('/account/password', async (req, res) => {
    const actor = actorOf(res);
    try {
      const body = passwordPair.extend({ current: field(1024) }).parse(req.body);
      const keep = currentSession(res);
      await changeOwnPassword(users, actor.username, { current: body.current, password: samePasswords(body), ...(keep ? { keepSession: keep } : {}) });
      res.redirect(303, '/account?done=password');
    } catch (e) {
      if (!(e instanceof CommandError || e instanceof HttpError || e instanceof z.ZodError)) throw e;
      res.status(e instanceof z.ZodError ? 400 : e.status).render('account', {
        title: 'Your account',
        account: { username: actor.username, role: actor.role, tokens: (await users.getUser(actor.username))?.tokens.length ?? 0 },
        notice: undefined,
        error: e instanceof z.ZodError ? 'fill in the current and the new password' : e.message,
      });
    }
  });

  r.post('/api/account/password', async (req, res) => {
    const body = z.object({ currentPassword: field(1024), newPassword: field(1024) }).parse(req.body);
    const keep = currentSession(res);
    const result = await changeOwnPassword(users, actorOf(res).username, { current: body.currentPassword, password: body.newPassword, ...(keep ? { keepSession: keep } : {}) });
    res.json({ ok: true, ...result });
  });

  return r;
}
