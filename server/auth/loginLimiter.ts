/** Slows down password guessing: after too many failures from one address, logins wait. */
import { normaliseUsername } from './username.js';

/**
 * The limiter's key: the client address (req.ip, which follows X-Forwarded-For only when TRUST_PROXY
 * names the proxy) and the normalised username, so " Admin", "admin\u00A0" or "\uFEFFadmin" share
 * the budget of "admin".
 */
export function loginKey(ip: string | undefined, username: unknown): string {
  return `${ip ?? 'unknown'}|${normaliseUsername(username)}`;
}

export class LoginLimiter {
  #failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0. */
  retryAfter(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(0, recent[0]! + this.windowMs - this.now());
  }

  fail(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.now());
    this.#failures.set(key, recent);
  }

  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }
}
