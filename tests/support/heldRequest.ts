/** Browser tests that order what a page sees: the first request a page makes to some URL, held back. */
import type { Page } from 'playwright-core';

export interface HeldRequest {
  /** Resolves once the request has come (with `answered`: once the server has answered it); rejects,
   *  saying so, when none has come within 15 s (a page that never sent it fails the test, not its timeout). */
  arrived: Promise<void>;
  /** Lets it go on. */
  release(): void;
}

/**
 * Holds the first request of `page` that `match` picks; later ones pass. Without `answered` it waits
 * unsent; with it the server answers at once and the page gets that answer only on `release` (an
 * answer made stale meanwhile).
 */
export async function holdRequest(page: Page, match: (url: URL) => boolean, options: { answered?: boolean } = {}): Promise<HeldRequest> {
  let arrive!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  await page.route(match, async (route) => {
    if (!first) return route.continue();
    first = false;
    const answer = options.answered ? await route.fetch() : undefined;
    arrive();
    await held;
    return answer ? route.fulfill({ response: answer }) : route.continue();
  });
  const came = within(arrived, 15_000, 'the page sent no request to hold');
  came.catch(() => undefined); // a test that failed before awaiting it has its own error to report
  return { arrived: came, release };
}

/** `promise`, or a rejection naming `what` did not happen once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
