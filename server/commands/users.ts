/** Account actions shared by the web (login, set-up) and the `npm run users` CLI. */
import { randomUUID } from 'node:crypto';
import { hashPassword, MIN_PASSWORD_LENGTH, newSecret, verifyPassword } from '../auth/passwords.js';
import { normaliseUsername } from '../auth/username.js';
import { isRole } from '../core/policy.js';
import { hashSecret, type AdminCheck, type Session, type User, type UserStore } from '../store/userStore.js';
import { BadRequestError, ForbiddenError, NotFoundError } from './errors.js';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const SESSION_DAYS = 14;

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new BadRequestError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > 1024) throw new BadRequestError('the password is too long');
  return password;
}

export async function addUser(users: UserStore, props: { username: string; password: string; role: string }): Promise<User> {
  const username = normaliseUsername(props.username);
  if (!USERNAME.test(username)) throw new BadRequestError('a username has 2–40 characters: lowercase letters, digits, dot, dash, underscore');
  if (!isRole(props.role)) throw new BadRequestError(`the role must be editor, reviewer or admin, not "${props.role}"`);
  const taken = () => new BadRequestError(`the user "${username}" exists already`);
  if (await users.getUser(username)) throw taken();
  const user: User = { username, role: props.role, passwordHash: await hashPassword(checkPassword(props.password)), createdAt: new Date().toISOString(), tokens: [] };
  if (!(await users.createUser(user))) throw taken();
  return user;
}

async function mustGet(users: UserStore, username: string): Promise<User> {
  const user = await users.getUser(normaliseUsername(username));
  if (!user) throw new NotFoundError(`no user "${username}"`);
  return user;
}

export interface PasswordChange {
  /** Sessions of the user that were ended (all but the one kept). */
  sessionsEnded: number;
  /** API tokens of the user that were revoked (all of them). */
  tokensRevoked: number;
}

/**
 * Sets a new password and ends what the old one opened: every session of the user (except
 * `keepSession`, the cookie secret of the user changing their own password) and every API token.
 */
export async function setPassword(users: UserStore, username: string, password: string, options: { keepSession?: string } = {}): Promise<PasswordChange> {
  const user = await mustGet(users, username);
  const tokensRevoked = await users.setPasswordHash(user.username, await hashPassword(checkPassword(password)));
  if (tokensRevoked === undefined) throw new NotFoundError(`no user "${username}"`);
  const sessionsEnded = await users.deleteSessions(user.username, options.keepSession);
  return { sessionsEnded, tokensRevoked };
}

/** A user changing their own password: the current one must be right; their current session stays. */
export async function changeOwnPassword(
  users: UserStore,
  username: string,
  props: { current: string; password: string; keepSession?: string },
): Promise<PasswordChange> {
  const user = await mustGet(users, username);
  if (!(await verifyPassword(String(props.current), user.passwordHash))) throw new ForbiddenError('the current password is wrong');
  return setPassword(users, user.username, props.password, props.keepSession === undefined ? {} : { keepSession: props.keepSession });
}

/**
 * Refuses to leave the desk without an admin (nobody could manage accounts on the web any more). The
 * store runs it atomically with the change, so two admins demoting each other at once leave one.
 */
function keepAnAdmin(what: string): AdminCheck {
  return (user, admins) => {
    if (user.role === 'admin' && admins <= 1) throw new BadRequestError(`${user.username} is the only admin: make another user an admin before you ${what}`);
  };
}

export async function setRole(users: UserStore, username: string, role: string): Promise<void> {
  if (!isRole(role)) throw new BadRequestError(`the role must be editor, reviewer or admin, not "${role}"`);
  const user = await mustGet(users, username);
  const check = role === 'admin' ? undefined : keepAnAdmin(`make ${user.username} ${role === 'editor' ? 'an' : 'a'} ${role}`);
  if (!(await users.setRole(user.username, role, check))) throw new NotFoundError(`no user "${username}"`);
}

export async function removeUser(users: UserStore, username: string): Promise<void> {
  const user = await mustGet(users, username);
  if (!(await users.deleteUser(user.username, keepAnAdmin(`remove ${user.username}`)))) throw new NotFoundError(`no user "${username}"`);
}

function tokenName(name: unknown): string {
  const n = String(name ?? '').replace(/\s+/gu, ' ').trim();
  if (n.length > 60) throw new BadRequestError('a token name has at most 60 characters');
  return n || 'token';
}

/** Creates an API token; the secret is shown once and only its hash is stored. */
export async function createToken(users: UserStore, username: string, name = 'token'): Promise<string> {
  const user = await mustGet(users, username);
  const secret = `pe_${newSecret(24)}`;
  const added = await users.addToken(user.username, { id: randomUUID(), name: tokenName(name), hash: hashSecret(secret), createdAt: new Date().toISOString() });
  if (!added) throw new NotFoundError(`no user "${username}"`);
  return secret;
}

/** Revokes one API token of the user, by its id. */
export async function revokeToken(users: UserStore, username: string, tokenId: string): Promise<void> {
  const user = await mustGet(users, username);
  if (!(await users.removeToken(user.username, tokenId))) throw new NotFoundError(`${user.username} has no such token`);
}

/** Checks a password; answers the user, or undefined for a wrong name or password alike. */
export async function checkLogin(users: UserStore, username: string, password: string): Promise<User | undefined> {
  const user = await users.getUser(normaliseUsername(username));
  if (!user) {
    // Spend the same time as a real check so a missing user cannot be told apart by timing.
    await verifyPassword(String(password), 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    return undefined;
  }
  return (await verifyPassword(String(password), user.passwordHash)) ? user : undefined;
}

/** Opens a session; answers the cookie secret (never stored) and the session. */
export async function openSession(users: UserStore, username: string): Promise<{ secret: string; session: Session }> {
  const secret = newSecret();
  const now = Date.now();
  const session: Session = {
    hash: hashSecret(secret),
    username,
    csrfToken: newSecret(18),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + SESSION_DAYS * 86_400_000).toISOString(),
  };
  await users.createSession(session);
  return { secret, session };
}
