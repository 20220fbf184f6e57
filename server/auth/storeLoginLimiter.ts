/**
 * Login rate limiting that every app instance shares: the user store says how (PostgreSQL keeps the
 * failures in a table, see store/pg/pgLoginLimiter.ts); otherwise the in-memory LoginLimiter (one
 * process serves a lowdb data directory).
 */
import type { LoginLimits, UserStore } from '../store/userStore.js';
import { LoginLimiter } from './loginLimiter.js';

export type { LoginLimits };

/** The limiter for the store the users live in: shared through the store when it can, else in this process. */
export function loginLimiterFor(users: UserStore): LoginLimits {
  return users.sharedLoginLimits?.() ?? new LoginLimiter();
}
