/**
 * Keeps a run under its requests-per-minute and tokens-per-minute limits with two token buckets.
 * Requests take turns in arrival order, so a long request cannot be starved by short ones.
 */
import { abortReason, realClock, type Clock } from './clock.js';

export interface RateLimits {
  rpm?: number | undefined;
  tpm?: number | undefined;
}

export interface RateLimiterOptions {
  /** Requests that may go out back to back before the rpm spacing applies. Default 1: evenly spaced. */
  burst?: number;
  /** Seconds of tokens the tpm bucket holds. Default 1. */
  tokenBurstSeconds?: number;
}

class Bucket {
  #level: number;
  #at: number;

  constructor(readonly perMs: number, readonly capacity: number, now: number) {
    this.#level = capacity;
    this.#at = now;
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#level = Math.min(this.capacity, this.#level + (now - this.#at) * this.perMs);
      this.#at = now;
    }
  }

  /**
   * Milliseconds until `amount` may be taken. An amount above the capacity only waits for a full
   * bucket and then drives the level negative: a paragraph larger than one second of tokens still
   * goes out, and the debt delays the requests after it.
   */
  waitFor(amount: number, now: number): number {
    this.#refill(now);
    const need = Math.min(amount, this.capacity);
    return this.#level >= need ? 0 : Math.ceil((need - this.#level) / this.perMs);
  }

  take(amount: number): void {
    this.#level -= amount;
  }

  give(amount: number): void {
    this.#level = Math.min(this.capacity, this.#level + amount);
  }
}

export class RateLimiter {
  readonly limits: RateLimits;
  #clock: Clock;
  #requests?: Bucket;
  #tokens?: Bucket;
  #turn: Promise<void> = Promise.resolve();
  #holdUntil = 0;

  constructor(limits: RateLimits, clock: Clock = realClock, options: RateLimiterOptions = {}) {
    this.limits = limits;
    this.#clock = clock;
    const now = clock.now();
    if (limits.rpm) this.#requests = new Bucket(limits.rpm / 60_000, Math.max(1, options.burst ?? 1), now);
    if (limits.tpm) this.#tokens = new Bucket(limits.tpm / 60_000, Math.max(1, (limits.tpm / 60) * (options.tokenBurstSeconds ?? 1)), now);
  }

  /** Waits until one request estimated at `tokens` may be sent, then counts it. */
  acquire(tokens = 0, signal?: AbortSignal): Promise<void> {
    const mine = this.#turn.then(() => this.#wait(tokens, signal));
    this.#turn = mine.catch(() => undefined);
    return mine;
  }

  async #wait(tokens: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const now = this.#clock.now();
      const wait = Math.max(this.#holdUntil - now, this.#requests?.waitFor(1, now) ?? 0, this.#tokens?.waitFor(tokens, now) ?? 0);
      if (wait <= 0) break;
      await this.#clock.sleep(wait, signal);
    }
    this.#requests?.take(1);
    this.#tokens?.take(tokens);
  }

  /** Corrects the token count once the server has reported what a request really used. */
  settle(estimated: number, actual: number): void {
    if (!this.#tokens) return;
    if (actual > estimated) this.#tokens.take(actual - estimated);
    else this.#tokens.give(estimated - actual);
  }

  /** After a 429 with Retry-After nobody sends before the server said to. */
  holdFor(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, this.#clock.now() + ms);
  }
}
