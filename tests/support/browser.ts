/** Debian's Chromium driven by playwright-core, or a printed reason why the browser tests are skipped. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));

/** True when the browser tests must be skipped: no Chromium here and not under CI (where that is a failure). */
export const skipBrowser = !CHROMIUM && process.env.CI !== 'true';
if (skipBrowser) console.warn('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium)');

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed at /usr/bin/chromium: apt-get install -y chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
