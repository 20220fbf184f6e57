import { describe, expect, it } from 'vitest';
import { EngineAuthError, EngineRateLimitError, EngineUnavailableError } from '../../server/engines/errors.js';
import { RateLimiter } from '../../server/runs/rateLimiter.js';
import { backoffMs, withRetry } from '../../server/runs/retry.js';
import { FakeClock } from './fakeClock.js';

/** Starts `n` acquisitions at once and records the fake time at which each one is granted. */
function grantTimes(limiter: RateLimiter, clock: FakeClock, costs: number[]): number[] {
  const times: number[] = [];
  costs.forEach((cost, i) => void limiter.acquire(cost).then(() => (times[i] = clock.now())));
  return times;
}

describe('RateLimiter', () => {
  it('spaces requests evenly at the rpm', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 60 }, clock);
    const times = grantTimes(limiter, clock, [0, 0, 0, 0, 0]);
    await clock.advance(10_000);
    expect(times).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('allows a burst and then the rate', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 120 }, clock, { burst: 3 });
    const times = grantTimes(limiter, clock, [0, 0, 0, 0, 0]);
    await clock.advance(5_000);
    expect(times).toEqual([0, 0, 0, 500, 1000]);
  });

  it('keeps tokens per minute, lets a request larger than the bucket through and charges the debt', async () => {
    const clock = new FakeClock();
    // 600 tpm = 10 tokens a second; the bucket holds one second.
    const limiter = new RateLimiter({ tpm: 600 }, clock);
    const times = grantTimes(limiter, clock, [10, 10, 30, 10]);
    await clock.advance(20_000);
    // 10 at once; 10 more after 1 s; 30 waits for a full bucket (2 s), leaving a debt of 20;
    // the last 10 waits until the level is back at 10: 3 s later.
    expect(times).toEqual([0, 1000, 2000, 5000]);
  });

  it('gives back tokens the server did not use', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ tpm: 600 }, clock);
    await limiter.acquire(10);
    limiter.settle(10, 4);
    const times = grantTimes(limiter, clock, [6]);
    await clock.advance(1);
    expect(times).toEqual([0]);
  });

  it('holds everyone back after a Retry-After', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 6000 }, clock);
    limiter.holdFor(1500);
    const times = grantTimes(limiter, clock, [0, 0]);
    await clock.advance(3000);
    expect(times).toEqual([1500, 1510]);
  });

  it('stops waiting when aborted', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 1 }, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(0, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter, and exactly as long as Retry-After says', () => {
    const o = { baseMs: 500, maxMs: 4000 };
    expect(backoffMs(0, new Error(), { ...o, random: () => 0 })).toBe(250);
    expect(backoffMs(0, new Error(), { ...o, random: () => 1 })).toBe(500);
    expect(backoffMs(3, new Error(), { ...o, random: () => 1 })).toBe(4000);
    expect(backoffMs(5, new Error(), { ...o, random: () => 0.5 })).toBe(3000);
    expect(backoffMs(0, new EngineRateLimitError('429', { retryAfterMs: 2000 }), { ...o, random: () => 0 })).toBe(2000);
  });

  it('retries retryable errors only, then gives up', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const flaky = withRetry(async () => {
      calls++;
      if (calls < 3) throw new EngineUnavailableError('502', { retryable: true });
      return 'ok';
    }, { clock, random: () => 0 });
    await clock.advance(10_000);
    expect(await flaky).toBe('ok');
    expect(calls).toBe(3);

    let authCalls = 0;
    await expect(withRetry(async () => {
      authCalls++;
      throw new EngineAuthError('401');
    }, { clock })).rejects.toThrow('401');
    expect(authCalls).toBe(1);

    let always = 0;
    const hopeless = withRetry(async () => {
      always++;
      throw new EngineUnavailableError('503', { retryable: true });
    }, { clock, retries: 2 });
    const settled = hopeless.catch((e: Error) => e.message);
    await clock.advance(60_000);
    expect(await settled).toBe('503');
    expect(always).toBe(3);
  });
});
