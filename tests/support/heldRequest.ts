/** Browser tests that order what a page sees: the first request a page makes to some URL, held back. */
import type { Page } from 'playwright-core';

export interface HeldRequest {
  /** Resolves once the request has come (with `answered`: once the server has answered it). */
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
  return { arrived, release };
}
