import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/commands/importFiles.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, type RunningApp } from '../support/app.js';

describe.skipIf(skipBrowser)('the editor page in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let articleId: string;

  beforeAll(async () => {
    app = await startApp();
    const { article } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' });
    articleId = article.id;
    browser = await launchBrowser();
    const context = await browser.newContext();
    const login = await context.request.post(`${app.url}/api/login`, { data: { username: 'editor', password: passwordOf('editor') } });
    expect(login.ok()).toBe(true);
    page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });

  const stored = async (pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;

  it('shows the article list with the seed and its progress', async () => {
    await page.goto(app.url + '/');
    await expect(page.locator('table.articles a').first().textContent()).resolves.toContain('smart wearable');
    expect(await page.locator('.topbar .engine').textContent()).toContain('offline cleanup');
  });

  it('suggests with s, accepts with a and shows the new status', async () => {
    await page.goto(`${app.url}/articles/${articleId}#p4`);
    const row = page.locator('#p4');
    await expect(row.getAttribute('class')).resolves.toContain('selected');
    await page.keyboard.press('s');
    await row.locator('.diff[data-kind="suggestion"] ins').first().waitFor();
    expect(await page.locator('#p4 .diff ins').first().textContent()).toBe('1 billion');
    expect(await page.locator('#p4 .diff del').first().textContent()).toBe('1000000000');
    await page.keyboard.press('a');
    await page.locator('#p4.status-accepted').waitFor();
    expect(await page.locator('#p4 .badge-accepted').textContent()).toContain('Accepted');
    const p = await stored('p4');
    expect(p.status).toBe('accepted');
    expect(p.text).toBe('Baoan smart wearable industry annual output value of 1 billion yuan.');
  });

  it('edits with e and Ctrl+Enter, then undoes with u', async () => {
    await page.goto(`${app.url}/articles/${articleId}#p3`);
    await page.keyboard.press('e');
    const ta = page.locator('#edit-p3');
    await ta.fill('On January 28, an alliance was inaugurated.');
    await page.keyboard.press('Control+Enter');
    await page.locator('#p3.status-edited').waitFor();
    expect((await stored('p3')).text).toBe('On January 28, an alliance was inaugurated.');
    await page.keyboard.press('u');
    await page.waitForLoadState('load');
    await page.locator('#p3.status-pending').waitFor();
    expect((await stored('p3')).status).toBe('pending');
  });
});
