/** Debian's Chromium driven by playwright-core, or a printed reason why the browser tests are skipped. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's chromium-headless-shell when installed: the same Blink and V8 as Chromium (the build
 * Playwright itself runs headless), without the full browser around them, which cost the browser
 * tests ~17 s more CPU per run here (73 s against 56 s). Else Debian's Chromium in headless mode.
 */
export const CHROMIUM = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));

/** True when the browser tests must be skipped: no Chromium here and not under CI (where that is a failure). */
export const skipBrowser = !CHROMIUM && process.env.CI !== 'true';
if (skipBrowser) console.warn('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium-headless-shell, or chromium)');

/**
 * One Chromium per test worker, shared by the browser test files it runs one after another (they
 * share their worker's modules): each file gets a lease, and its `close()` gives the lease back. The
 * browser really closes 20 s after the last lease is given back, unless another file takes one first
 * (a worker runs unit, HTTP and browser files mixed: a launch costs seconds of CPU); Playwright kills
 * it with the worker process in any case.
 */
let shared: Promise<Browser> | undefined;
let leases = 0;
let closing: NodeJS.Timeout | undefined;

function launch(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install -y chromium-headless-shell (or chromium)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function launchBrowser(): Promise<Browser> {
  clearTimeout(closing);
  if (shared) {
    const current = await shared.catch(() => undefined);
    if (!current?.isConnected()) shared = undefined;
  }
  shared ??= launch();
  const browser = await shared;
  leases++;
  let released = false;
  const contexts: BrowserContext[] = [];
  return new Proxy(browser, {
    get(target, key) {
      if (key === 'newContext') {
        return async (...args: Parameters<Browser['newContext']>) => {
          const ctx = await target.newContext(...args);
          contexts.push(ctx);
          return ctx;
        };
      }
      if (key === 'close') {
        return async () => {
          if (released) return;
          released = true;
          // Contexts the file left open go with its lease, as they would with its own browser.
          await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
          if (--leases === 0) {
            closing = setTimeout(() => {
              shared = undefined;
              void target.close();
            }, 20_000);
            closing.unref();
          }
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
