/**
 * The account commands on their own, against the real user store of a temporary data directory:
 * adding users, roles, passwords (a change ends what the old one opened), tokens, logins, sessions,
 * and the rule that the desk always keeps an admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../server/commands/errors.js';
import {
  addUser, changeOwnPassword, checkLogin, createToken, openSession, removeUser, revokeToken, setPassword, setRole,
} from '../../server/commands/users.js';
import type { UserStore } from '../../server/store/userStore.js';
import { openDesk, refusal, type Desk } from '../support/commands.js';

let desk: Desk;
let users: UserStore;
beforeAll(async () => {
  desk = await openDesk();
  users = desk.services.users;
});
afterAll(async () => desk?.close());

let n = 0;
/** A fresh username for each test, so tests do not depend on one another. */
const fresh = (prefix: string) => `${prefix}${++n}`;

describe('adding users', () => {
  it('stores the user under one spelling of the name, with a hashed password that logs in', async () => {
    const name = fresh('carla');
    const user = await addUser(users, { username: ` ${name.toUpperCase()} `, password: 'correct horse', role: 'editor' });
    expect(user).toMatchObject({ username: name, role: 'editor', tokens: [] });
    expect(user.passwordHash).not.toContain('correct horse');
    expect((await users.getUser(name))?.role).toBe('editor');
    expect((await checkLogin(users, name.toUpperCase(), 'correct horse'))?.username).toBe(name);
    expect(await checkLogin(users, name, 'wrong horse')).toBeUndefined();
    expect(await checkLogin(users, 'nobody-here', 'correct horse')).toBeUndefined();
  });

  it('refuses a taken name (in any case), a bad name, a bad role and a short password', async () => {
    const name = fresh('dan');
    const before = (await users.listUsers()).length;
    await addUser(users, { username: name, password: 'long enough', role: 'reviewer' });
    const taken = await refusal(() => addUser(users, { username: name.toUpperCase(), password: 'long enough', role: 'editor' }));
    expect(taken).toBeInstanceOf(BadRequestError);
    expect(taken.message).toBe(`the user "${name}" exists already`);
    await expect(addUser(users, { username: 'x', password: 'long enough', role: 'editor' })).rejects.toThrow(/a username has 2–40 characters/);
    await expect(addUser(users, { username: 'with space', password: 'long enough', role: 'editor' })).rejects.toThrow(/a username has 2–40 characters/);
    await expect(addUser(users, { username: fresh('erin'), password: 'long enough', role: 'boss' })).rejects.toThrow('the role must be editor, reviewer or admin, not "boss"');
    await expect(addUser(users, { username: fresh('fay'), password: 'short', role: 'editor' })).rejects.toThrow('the password must have at least 8 characters');
    expect((await users.listUsers()).length).toBe(before + 1);
  });
});

describe('roles and the last admin', () => {
  it('changes a role; an admin cannot be demoted or removed while they are the only one', async () => {
    const boss = fresh('boss');
    await addUser(users, { username: boss, password: 'long enough', role: 'admin' });
    const demote = await refusal(() => setRole(users, boss, 'editor'));
    expect(demote).toBeInstanceOf(BadRequestError);
    expect(demote.message).toBe(`${boss} is the only admin: make another user an admin before you make ${boss} an editor`);
    await expect(removeUser(users, boss)).rejects.toThrow(`${boss} is the only admin: make another user an admin before you remove ${boss}`);
    const second = fresh('second');
    await addUser(users, { username: second, password: 'long enough', role: 'reviewer' });
    await setRole(users, second, 'admin');
    expect((await users.getUser(second))?.role).toBe('admin');
    await setRole(users, boss, 'reviewer');
    expect((await users.getUser(boss))?.role).toBe('reviewer');
    // Now `second` is the only admin.
    await expect(removeUser(users, second)).rejects.toThrow(/is the only admin/);
    await removeUser(users, boss);
    expect(await users.getUser(boss)).toBeUndefined();
    await expect(setRole(users, second, 'superuser')).rejects.toThrow(/the role must be/);
    await expect(setRole(users, 'nobody-here', 'editor')).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeUser(users, 'nobody-here')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('two admins demoting each other at the same moment still leave one admin', async () => {
    // A desk of its own: exactly two admins.
    const own = await openDesk();
    try {
      await addUser(own.services.users, { username: 'ann', password: 'long enough', role: 'admin' });
      await addUser(own.services.users, { username: 'bob', password: 'long enough', role: 'admin' });
      const results = await Promise.allSettled([setRole(own.services.users, 'ann', 'editor'), setRole(own.services.users, 'bob', 'editor')]);
      expect((await own.services.users.listUsers()).filter((u) => u.role === 'admin').map((u) => u.username)).toHaveLength(1);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    } finally {
      await own.close();
    }
  });
});

describe('passwords, sessions and tokens', () => {
  it('a password set by an admin ends every session and revokes every token of the user', async () => {
    const name = fresh('gail');
    await addUser(users, { username: name, password: 'first password', role: 'editor' });
    const s1 = await openSession(users, name);
    const s2 = await openSession(users, name);
    const token = await createToken(users, name, 'laptop');
    expect((await users.findUserByToken(token))?.username).toBe(name);
    expect((await users.findSessionUser(s1.secret).then((u) => u?.session))?.username).toBe(name);
    expect(await setPassword(users, name, 'second password')).toEqual({ sessionsEnded: 2, tokensRevoked: 1 });
    expect(await users.findSessionUser(s1.secret).then((u) => u?.session)).toBeUndefined();
    expect(await users.findSessionUser(s2.secret).then((u) => u?.session)).toBeUndefined();
    expect(await users.findUserByToken(token)).toBeUndefined();
    expect(await checkLogin(users, name, 'first password')).toBeUndefined();
    expect((await checkLogin(users, name, 'second password'))?.username).toBe(name);
  });

  it('changing one\'s own password needs the current one and keeps the session it is changed from', async () => {
    const name = fresh('hugo');
    await addUser(users, { username: name, password: 'old password', role: 'reviewer' });
    const here = await openSession(users, name);
    const elsewhere = await openSession(users, name);
    const other = fresh('ines');
    await addUser(users, { username: other, password: 'her password', role: 'editor' });
    const hers = await openSession(users, other);
    const wrong = await refusal(() => changeOwnPassword(users, name, { current: 'not it', password: 'new password', keepSession: here.secret }));
    expect(wrong).toBeInstanceOf(ForbiddenError);
    expect(wrong.message).toBe('the current password is wrong');
    expect(await users.findSessionUser(elsewhere.secret).then((u) => u?.session)).toBeDefined();
    const r = await changeOwnPassword(users, name, { current: 'old password', password: 'new password', keepSession: here.secret });
    expect(r).toEqual({ sessionsEnded: 1, tokensRevoked: 0 });
    expect((await users.findSessionUser(here.secret).then((u) => u?.session))?.username).toBe(name);
    expect(await users.findSessionUser(elsewhere.secret).then((u) => u?.session)).toBeUndefined();
    // Another user's session is none of this change's business.
    expect((await users.findSessionUser(hers.secret).then((u) => u?.session))?.username).toBe(other);
    await expect(changeOwnPassword(users, name, { current: 'new password', password: 'short' })).rejects.toThrow(/at least 8 characters/);
  });

  it('a session is opened with a CSRF token and an expiry two weeks ahead; the cookie secret is not stored', async () => {
    const name = fresh('jo');
    await addUser(users, { username: name, password: 'long enough', role: 'editor' });
    const { secret, session } = await openSession(users, name);
    expect(session.hash).not.toBe(secret);
    expect(session.csrfToken.length).toBeGreaterThanOrEqual(16);
    const days = (Date.parse(session.expiresAt) - Date.parse(session.createdAt)) / 86_400_000;
    expect(days).toBe(14);
    expect(await users.findSessionUser(secret).then((u) => u?.session)).toMatchObject({ username: name, csrfToken: session.csrfToken });
  });

  it('tokens: created with a name, shown once, revoked one by one', async () => {
    const name = fresh('kim');
    await addUser(users, { username: name, password: 'long enough', role: 'editor' });
    const a = await createToken(users, name, '  build   server ');
    const b = await createToken(users, name);
    expect(a).toMatch(/^pe_/);
    const stored = (await users.getUser(name))!.tokens;
    expect(stored.map((t) => t.name)).toEqual(['build server', 'token']);
    expect(JSON.stringify(stored)).not.toContain(a);
    await revokeToken(users, name, stored[0]!.id);
    expect(await users.findUserByToken(a)).toBeUndefined();
    expect((await users.findUserByToken(b))?.username).toBe(name);
    await expect(revokeToken(users, name, stored[0]!.id)).rejects.toThrow(`${name} has no such token`);
    await expect(createToken(users, name, 'x'.repeat(61))).rejects.toThrow('a token name has at most 60 characters');
  });

  it('a role changed at the same moment as a token, a revocation or a password is kept, and so is the other change', async () => {
    const name = fresh('max');
    await addUser(users, { username: name, password: 'long enough', role: 'editor' });
    const kept = await createToken(users, name, 'kept');
    const goneId = (await users.getUser(name))!.tokens[0]!.id;
    // The role change first: each account action used to save a copy of the user read before it, undoing the role.
    const [, added] = await Promise.all([setRole(users, name, 'reviewer'), createToken(users, name, 'added')]);
    expect((await users.getUser(name))?.role).toBe('reviewer');
    expect((await users.findUserByToken(added))?.username).toBe(name);
    await Promise.all([setRole(users, name, 'editor'), revokeToken(users, name, goneId)]);
    expect((await users.getUser(name))?.role).toBe('editor');
    expect(await users.findUserByToken(kept)).toBeUndefined();
    expect((await users.getUser(name))!.tokens.map((t) => t.name)).toEqual(['added']);
    const [, change] = await Promise.all([setRole(users, name, 'reviewer'), setPassword(users, name, 'brand new password')]);
    expect(change.tokensRevoked).toBe(1);
    expect((await users.getUser(name))?.role).toBe('reviewer');
    expect((await checkLogin(users, name, 'brand new password'))?.username).toBe(name);
  });

  it('two people adding the same new name at once: one is added, the other is told it is taken', async () => {
    const name = fresh('ned');
    const results = await Promise.allSettled([
      addUser(users, { username: name, password: 'first password', role: 'editor' }),
      addUser(users, { username: name, password: 'second password', role: 'admin' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.message).toBe(`the user "${name}" exists already`);
    const won = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ role: string }>).value;
    expect((await users.getUser(name))?.role).toBe(won.role);
  });

  it('removing a user ends their sessions and their tokens', async () => {
    const name = fresh('lou');
    await addUser(users, { username: name, password: 'long enough', role: 'editor' });
    const s = await openSession(users, name);
    const t = await createToken(users, name);
    await removeUser(users, name);
    expect(await users.findSessionUser(s.secret).then((u) => u?.session)).toBeUndefined();
    expect(await users.findUserByToken(t)).toBeUndefined();
    expect(await checkLogin(users, name, 'long enough')).toBeUndefined();
  });
});
