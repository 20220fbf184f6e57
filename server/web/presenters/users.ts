/** Accounts as the users page shows them: never a password hash or a token's secret. */
import type { User } from '../../store/userStore.js';

/** Admins remove other accounts, never their own (another admin must). */
export function mayRemoveUser(me: string, username: string): boolean {
  return me !== username;
}

export function userCard(u: User, me: string) {
  return {
    username: u.username,
    role: u.role,
    createdAt: u.createdAt,
    tokens: u.tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt })),
    self: u.username === me,
    can: { remove: mayRemoveUser(me, u.username) },
  };
}
