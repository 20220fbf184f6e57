/**
 * MT flags in real Chromium: the marks give their reason on keyboard focus (not colour alone),
 * focusing one lights up its counterpart in the source, the source column can be hidden and the
 * choice is remembered, and "Riskiest first" puts the flagged headline on top.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { corpusDir, passwordOf, startApp, type RunningApp } from '../support/app.js';

describe.skipIf(skipBrowser)('MT flags on the editor page in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const id = 'wmt23-rfi-19792-en';

  beforeAll(async () => {
    app = await startApp();
    await importFile(app.services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19792.en.txt'), { username: 'import', role: 'admin' });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(8000);
    const login = await context.request.post(`${app.url}/api/login`, { data: { username: 'editor', password: passwordOf('editor') } });
    expect(login.ok()).toBe(true);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });

  it('marks "Fiji" and tells why on keyboard focus, lighting up the source', async () => {
    await page.goto(`${app.url}/articles/${id}`);
    const mark = page.locator('#p1 mark.mtflag', { hasText: 'Fiji' });
    await mark.waitFor();
    // The page may have been served before the checks finished: the script fills them in.
    await mark.focus();
    const tip = await mark.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(tip).toMatch(/Fiji/);
    const described = await mark.getAttribute('aria-describedby');
    const reason = await page.locator(`#${described!.split(' ')[0]}`).textContent();
    expect(reason).toMatch(/Fiji/);
    const lit = page.locator('#p1 .col-src .srcflag.lit');
    expect(await lit.count()).toBeGreaterThan(0);
    expect(await lit.first().textContent()).toMatch(/[美日菲]/);
    expect(errors).toEqual([]);
  });

  it('shows the source beside the MT, hides it on request and remembers that', async () => {
    await page.goto(`${app.url}/articles/${id}`);
    const src = page.locator('#p2 .col-src');
    await expect.poll(() => src.isVisible()).toBe(true);
    const mtBox = await page.locator('#p2 .col-mt').boundingBox();
    const srcBox = await src.boundingBox();
    // Beside, not above: same row, source to the left.
    expect(Math.abs(mtBox!.y - srcBox!.y)).toBeLessThan(5);
    expect(srcBox!.x).toBeLessThan(mtBox!.x);
    await page.getByRole('button', { name: /Source/ }).click();
    await expect.poll(() => src.isVisible()).toBe(false);
    await page.reload();
    await expect.poll(() => page.locator('#p2 .col-src').isVisible()).toBe(false);
    await page.getByRole('button', { name: /Source/ }).click();
    await expect.poll(() => page.locator('#p2 .col-src').isVisible()).toBe(true);
  });

  it('puts the riskiest paragraphs first and leaves them out of "Likely fine"', async () => {
    await page.goto(`${app.url}/articles/${id}`);
    await page.getByRole('link', { name: 'Riskiest first' }).click();
    await page.waitForURL(/sort=risk/);
    const risks = await page.locator('.para .badge.risk').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.risk)));
    expect(risks.length).toBeGreaterThan(3);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    await page.getByRole('link', { name: /Likely fine/ }).click();
    await page.waitForURL(/risk=fine/);
    expect(await page.locator('#p1').count()).toBe(0);
    const fine = await page.locator('.para .badge.risk').allTextContents();
    expect(fine.every((t) => t.includes('likely fine'))).toBe(true);
    expect(errors).toEqual([]);
  });
});
