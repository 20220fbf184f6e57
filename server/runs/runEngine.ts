/**
 * The engine as a run uses it: every request waits for the rate limiter, is retried with backoff,
 * is cancelled with the run, and in `retranslate` mode translates from the source. It wraps the
 * engine handed to suggestParagraph, so the command itself stays unaware of runs.
 */
import { EngineAuthError, EngineError, EngineModelError, EngineRateLimitError } from '../engines/errors.js';
import { buildMessages, type Task } from '../engines/prompt.js';
import type { Engine, SuggestRequest, SuggestResult } from '../engines/types.js';
import type { RunMode } from '../store/runStore.js';
import type { RateLimiter } from './rateLimiter.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface RunEngineOptions {
  mode: RunMode;
  signal: AbortSignal;
  limiter?: RateLimiter | undefined;
  retry?: Partial<RetryOptions> | undefined;
  /** Told about an error every later request would get too: a bad key, an unknown model, no quota. */
  onFatal?: (err: EngineError) => void;
}

/** Errors that retrying or moving on to the next paragraph cannot get past. */
export function isFatal(err: unknown): err is EngineError {
  return err instanceof EngineAuthError || err instanceof EngineModelError || (err instanceof EngineRateLimitError && !err.retryable);
}

/** Tokens a request will use, roughly (4 characters a token), before the server says exactly. */
export function estimateTokens(request: SuggestRequest, task: Task = 'rewrite'): number {
  const prompt = buildMessages(request, 'json', task).reduce((n, m) => n + m.content.length, 0);
  const reply = (request.source && task === 'retranslate' ? Math.max(request.text.length, request.source.length * 2) : request.text.length) * 1.2 + 16;
  return Math.ceil((prompt + reply) / 4);
}

/**
 * A signal that follows the run's for one request. The OpenAI SDK never removes the listener it adds
 * to a request's signal; on the run's own signal those would pile up, one per paragraph.
 */
function requestSignal(run: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(run.reason);
  if (run.aborted) onAbort();
  else run.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, release: () => run.removeEventListener('abort', onAbort) };
}

export function runEngine(inner: Engine, options: RunEngineOptions): Engine {
  const { limiter, signal } = options;
  const task: Task = options.mode === 'retranslate' ? 'retranslate' : 'rewrite';
  return {
    id: inner.id,
    model: inner.model,
    describe: () => inner.describe(),
    ...(inner.ready ? { ready: () => inner.ready!() } : {}),
    async suggest(request: SuggestRequest): Promise<SuggestResult> {
      try {
        return await withRetry(async () => {
          const estimate = limiter ? estimateTokens(request, task) : 0;
          await inner.ready?.();
          await limiter?.acquire(estimate, signal);
          const linked = requestSignal(signal);
          // Engines that do not know `task` ignore it (the run refuses retranslate for them up front).
          const requestOptions = { signal: linked.signal, task };
          try {
            const result = await inner.suggest(request, requestOptions);
            if (limiter && result.usage) limiter.settle(estimate, result.usage.prompt + result.usage.completion);
            return result;
          } catch (err) {
            if (err instanceof EngineRateLimitError && err.retryAfterMs !== undefined) limiter?.holdFor(err.retryAfterMs);
            throw err;
          } finally {
            linked.release();
          }
        }, { ...options.retry, signal });
      } catch (err) {
        if (isFatal(err)) options.onFatal?.(err);
        throw err;
      }
    },
  };
}
