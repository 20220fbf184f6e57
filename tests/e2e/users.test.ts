/**
 * /users and /account in real Chromium on a 390 × 844 phone: nothing scrolls sideways (every details
 * open, a minted token on show), and an admin adds a user and resets a password through the forms.
 */
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLogin, createToken } from '../../server/commands/users.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, startApp, type RunningApp } from '../support/app.js';

/** Widths that stick out of the viewport: the page's own, and every visible element's right edge. */
async function overflow(p: Page) {
  return p.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    const vw = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')]
      .filter((el) => (el as HTMLElement).getClientRects().length > 0)
      .map((el) => ({ el: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`, right: Math.round(el.getBoundingClientRect().right) }))
      .filter((x) => x.right > vw + 1);
    return { vw, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 8) };
  });
}

describe.skipIf(skipBrowser)('accounts on a phone', () => {
  let app: RunningApp;
  let browser: Browser;
  let ctx: BrowserContext;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    app = await startApp();
    // Long names and many tokens: the worst case for the cards.
    for (let i = 0; i < 3; i++) await createToken(app.services.users, 'editor', `a very long token name for the nightly batch script number ${i}`);
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    ctx.setDefaultTimeout(8000);
    const p = await ctx.newPage();
    await p.goto(`${app.url}/login`);
    await p.fill('input[name=username]', 'admin');
    await p.fill('input[name=password]', passwordOf('admin'));
    await Promise.all([p.waitForURL(`${app.url}/`), p.click('button[type=submit]')]);
    await p.close();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });

  async function open(path: string) {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => pageErrors.push(e));
    await p.goto(`${app.url}${path}`);
    return p;
  }

  it('/users fits 390 px: no horizontal scroll, every form reachable', async () => {
    const p = await open('/users');
    expect(await p.title()).toBe('Users · Postedit');
    const o = await overflow(p);
    expect(o.out, JSON.stringify(o)).toEqual([]);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.vw);
    // The top bar's link to this page is there and on screen.
    const link = await p.locator('.topbar a[href="/users"]').boundingBox();
    expect(link && link.x + link.width).toBeLessThanOrEqual(390);
    await p.close();
  });

  it('an admin adds a user and mints a token through the forms; the token card fits too', async () => {
    const p = await open('/users');
    await p.fill('.add-user input[name=username]', 'maria');
    await p.selectOption('.add-user select[name=role]', 'reviewer');
    await p.fill('.add-user input[name=password]', 'marias password');
    await p.fill('.add-user input[name=password2]', 'marias password');
    await Promise.all([p.waitForURL(/done=added/), p.click('.add-user button[type=submit]')]);
    expect(await p.locator('.notice').textContent()).toContain('Added maria.');
    expect((await checkLogin(app.services.users, 'maria', 'marias password'))?.role).toBe('reviewer');

    const card = p.locator('#user-maria');
    await card.locator('summary', { hasText: 'API tokens' }).click();
    await card.locator('input[name=name]').fill('phone');
    await Promise.all([p.waitForLoadState('load'), card.locator('button', { hasText: 'Mint a token' }).click()]);
    await p.waitForSelector('#minted-token');
    expect(await p.locator('#minted-token').textContent()).toMatch(/^pe_/);
    const o = await overflow(p);
    expect(o.out, JSON.stringify(o)).toEqual([]);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.vw);
    await p.close();
  });

  it('/users and /account have no serious or critical axe violation', async () => {
    // bypassCSP: axe is injected as an inline script, which the app's CSP rightly forbids.
    const axeCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    try {
      expect((await axeCtx.request.post(`${app.url}/api/login`, { data: { username: 'admin', password: passwordOf('admin') } })).ok()).toBe(true);
      const p = await axeCtx.newPage();
      for (const path of ['/users', '/account']) {
        await p.goto(`${app.url}${path}`);
        await p.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        await p.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core') });
        const result = (await p.evaluate(() => (window as unknown as { axe: { run(d: Document, o: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }))) as AxeResults;
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        expect(bad, path).toEqual([]);
      }
    } finally {
      await axeCtx.close();
    }
  });

  it('/account fits 390 px and changes the password while staying logged in', async () => {
    const p = await open('/account');
    const o = await overflow(p);
    expect(o.out, JSON.stringify(o)).toEqual([]);
    await p.fill('input[name=current]', passwordOf('admin'));
    await p.fill('input[name=password]', 'a new admin password');
    await p.fill('input[name=password2]', 'a new admin password');
    await Promise.all([p.waitForURL(/\/account\?done=password/), p.click('button[type=submit].primary')]);
    expect(await p.locator('.notice').textContent()).toContain('this session stays');
    await p.goto(`${app.url}/users`);
    expect(p.url()).toBe(`${app.url}/users`);
    expect(await checkLogin(app.services.users, 'admin', 'a new admin password')).toBeTruthy();
    await p.close();
    expect(pageErrors).toEqual([]);
  });
});
