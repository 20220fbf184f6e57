/** Per-request retries: exponential backoff with jitter, or exactly as long as the server's Retry-After says. */
import { EngineAbortedError, EngineError, EngineRateLimitError } from '../engines/errors.js';
import { realClock, type Clock } from './clock.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited for: the request fails instead. */
  maxRetryAfterMs: number;
  random: () => number;
  clock: Clock;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 4,
  baseMs: 500,
  maxMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
  clock: realClock,
};

export function isRetryable(err: unknown): err is EngineError {
  return err instanceof EngineError && err.retryable && !(err instanceof EngineAbortedError);
}

/**
 * How long to wait before retry number `attempt` (0-based). Retry-After wins when the server sent
 * one; otherwise "equal jitter": half the exponential step for sure, half at random, so parallel
 * requests that failed together do not come back together.
 */
export function backoffMs(attempt: number, err: unknown, options: Pick<RetryOptions, 'baseMs' | 'maxMs' | 'random'>): number {
  if (err instanceof EngineRateLimitError && err.retryAfterMs !== undefined) {
    return Math.ceil(err.retryAfterMs + options.random() * Math.min(250, err.retryAfterMs * 0.1));
  }
  const step = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.ceil(step / 2 + options.random() * (step / 2));
}

export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: Partial<RetryOptions> & { signal?: AbortSignal; onRetry?: (err: EngineError, attempt: number, waitMs: number) => void } = {},
): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...options };
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (options.signal?.aborted || attempt >= o.retries || !isRetryable(err)) throw err;
      if (err instanceof EngineRateLimitError && (err.retryAfterMs ?? 0) > o.maxRetryAfterMs) throw err;
      const wait = backoffMs(attempt, err, o);
      options.onRetry?.(err, attempt, wait);
      await o.clock.sleep(wait, options.signal);
    }
  }
}
