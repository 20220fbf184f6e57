/** Engine failures as typed errors whose messages tell a person what to do. */
import type OpenAI from 'openai';
import { loadedOpenAI } from './openaiSdk.js';

export interface EngineErrorOptions {
  retryable?: boolean;
  status?: number;
  cause?: unknown;
}

export class EngineError extends Error {
  readonly retryable: boolean;
  readonly status?: number;

  constructor(message: string, options: EngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** Bad or missing API key (401), or a key without access (403). */
export class EngineAuthError extends EngineError {}

/** Unknown model or endpoint (404). */
export class EngineModelError extends EngineError {}

/** Too many requests (429). */
export class EngineRateLimitError extends EngineError {
  readonly retryAfterMs?: number;

  constructor(message: string, options: EngineErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { retryable: true, status: 429, ...options });
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export class EngineTimeoutError extends EngineError {}

/** Server errors (5xx) and connection failures. */
export class EngineUnavailableError extends EngineError {}

/** The server answered, but not with a usable paragraph: empty, refused, cut off or unparseable. */
export class EngineReplyError extends EngineError {}

/** The caller cancelled the request. */
export class EngineAbortedError extends EngineError {}

/** What toEngineError may name in its messages. */
export interface EngineErrorContext {
  model?: string;
  baseURL?: string;
  timeoutMs?: number;
}

function oneLine(s: string, max = 160): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The server's own explanation, without the SDK's status prefix. */
function serverSays(err: InstanceType<typeof OpenAI.APIError>): string {
  const body = err.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : err.message.replace(/^\d{3}\s+/, '');
  const text = oneLine(raw);
  return text && !/status code \(no body\)/.test(text) ? `: server said "${text}"` : '';
}

function hostOf(baseURL: string | undefined): string {
  if (!baseURL) return 'api.openai.com';
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

/** The system error code (ECONNREFUSED, ENOTFOUND…) at the bottom of a chain of causes. */
function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && code) return code;
    current = cause;
  }
  return undefined;
}

/** Retry-After as milliseconds, from `retry-after-ms` or `retry-after` (seconds or HTTP date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps anything thrown while talking to an LLM server to an EngineError. */
export function toEngineError(err: unknown, ctx: EngineErrorContext = {}): EngineError {
  if (err instanceof EngineError) return err;
  const host = hostOf(ctx.baseURL);
  const model = ctx.model ? `"${ctx.model}"` : 'the configured model';

  // Without the SDK loaded, nothing thrown came from it.
  const sdk = loadedOpenAI();
  if (sdk && err instanceof sdk.APIUserAbortError) {
    return new EngineAbortedError('The suggestion request was cancelled', { cause: err });
  }
  if (sdk && err instanceof sdk.APIConnectionTimeoutError) {
    const after = ctx.timeoutMs ? ` within ${ctx.timeoutMs / 1000} s` : ' in time';
    return new EngineTimeoutError(
      `The LLM server at ${host} did not answer${after}: try again, or raise OPENAI_TIMEOUT_MS`,
      { retryable: true, cause: err },
    );
  }
  if (sdk && err instanceof sdk.APIConnectionError) {
    const code = causeCode(err);
    const cause = code ? ` (${code})` : '';
    return new EngineUnavailableError(
      `Cannot reach the LLM server at ${host}${cause}: check OPENAI_BASE_URL and that the server is running`,
      { retryable: true, cause: err },
    );
  }
  if (sdk && err instanceof sdk.APIError) {
    const status = err.status ?? 0;
    const says = serverSays(err);
    const opts = { status, cause: err };
    if (status === 401) {
      return new EngineAuthError(`The LLM server refused the API key (401): check OPENAI_API_KEY${says}`, opts);
    }
    if (status === 403) {
      return new EngineAuthError(
        `The LLM server denied access (403): check that OPENAI_API_KEY may use ${model}${says}`,
        opts,
      );
    }
    if (status === 404) {
      return new EngineModelError(
        `The LLM server at ${host} has no model ${model} (404): check OPENAI_MODEL, and that OPENAI_BASE_URL ends in /v1${says}`,
        opts,
      );
    }
    if (status === 429) {
      if (err.code === 'insufficient_quota') {
        return new EngineRateLimitError(
          `The LLM account has run out of quota (429): check the plan and billing of OPENAI_API_KEY${says}`,
          { ...opts, retryable: false },
        );
      }
      const wait = retryAfterMs(err.headers);
      const when = wait === undefined ? 'in a moment' : `in ${Math.ceil(wait / 1000)} s`;
      return new EngineRateLimitError(
        `The LLM server is rate-limiting requests (429): try again ${when}, or send fewer at once${says}`,
        wait === undefined ? opts : { ...opts, retryAfterMs: wait },
      );
    }
    if (status === 408 || status === 409 || status >= 500) {
      return new EngineUnavailableError(
        `The LLM server at ${host} failed (${status}): try again later${says}`,
        { ...opts, retryable: true },
      );
    }
    return new EngineError(`The LLM server rejected the request (${status})${says}`, opts);
  }
  if (err instanceof SyntaxError) {
    return new EngineReplyError(`The LLM server at ${host} sent a response that is not valid JSON`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError(`The LLM request failed: ${oneLine(message)}`, { cause: err });
}
