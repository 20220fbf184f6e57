/**
 * The live desk in two real browsers (issue 17): one edits, the other sees it in place without a
 * reload (focus and scroll kept); presence on the rows; suggestions made elsewhere appear.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';
import type { Role } from '../../server/core/types.js';

describe.skipIf(skipBrowser)('the live desk in two browsers', () => {
  let app: RunningApp;
  let browser: Browser;
  let articleId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];

  async function open(role: Role, hash = ''): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(ctx);
    ctx.setDefaultTimeout(8000);
    expect((await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } })).ok()).toBe(true);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
    await page.goto(`${app.url}/articles/${articleId}${hash}`);
    await page.locator('.para.selected').waitFor();
    return page;
  }

  beforeAll(async () => {
    app = await startApp();
    articleId = (await importFile(app.services, seedPath, { username: 'import', role: 'admin' })).article.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    expect(pageErrors.splice(0).map((e) => e.message)).toEqual([]);
  });

  it('shows another editor\'s change in its row without a reload, keeping focus and scroll', async () => {
    const watcher = await open('reviewer', '#p12');
    const editor = await open('editor', '#p3');
    await watcher.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await watcher.waitForTimeout(800); // the smooth scroll to #p12 ends
    const where = () => ({ top: document.getElementById('p12')!.getBoundingClientRect().top, focus: document.activeElement?.closest('.para')?.id });
    const before = await watcher.evaluate(where);
    await editor.keyboard.press('e');
    await editor.locator('#edit-p3').fill('The alliance was founded on January 28 in Baoan.');
    await editor.keyboard.press('Control+Enter');
    await editor.locator('#p3.status-edited').waitFor();

    await watcher.locator('#p3.status-edited').waitFor();
    expect(await watcher.locator('#p3 .live-by').textContent()).toContain('editor');
    expect(await watcher.locator('#p3 .diff').textContent()).toContain('founded on January 28');
    const after = await watcher.evaluate(where);
    expect(await watcher.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42); // no reload
    // The row this reviewer is on stays where it was on the screen, and keeps the focus.
    expect(after.focus).toBe('p12');
    expect(before.focus).toBe('p12');
    expect(Math.abs(after.top - before.top)).toBeLessThanOrEqual(2);
    // The progress line follows the others' decisions.
    await watcher.locator('.progress-line span', { hasText: /^1 \/ 18 decided/ }).waitFor();
  });

  it('shows who is on which paragraph, and forgets them when they leave', async () => {
    const editor = await open('editor', '#p2');
    const reviewer = await open('reviewer', '#p5');
    await editor.locator('#p5 .presence-tag', { hasText: 'reviewer is here' }).waitFor();
    expect(await editor.locator('.presence-bar').textContent()).toContain('reviewer (¶5)');
    await reviewer.keyboard.press('e');
    await editor.locator('#p5 .presence-tag', { hasText: 'reviewer is editing' }).waitFor();
    await reviewer.close();
    await editor.locator('#p5 .presence-tag').waitFor({ state: 'detached', timeout: 6000 });
    expect(await editor.locator('.presence-bar').isHidden()).toBe(true);
  });

  it('fills in suggestions asked for elsewhere (suggest-all by another user)', async () => {
    const watcher = await open('editor', '#p2');
    const done = await tokenClient(app, 'reviewer').post(`/api/articles/${articleId}/suggest-all`, { wait: 20_000 });
    expect(done.status).toBe(200);
    await watcher.locator('#p4[data-suggestion]').waitFor();
    expect(await watcher.locator('#p4 .diff[data-kind="suggestion"] ins').first().textContent()).toBe('1 billion');
  });
});
