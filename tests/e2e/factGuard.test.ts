/**
 * An LLM suggestion that changes a number, in real Chromium: the row shows the fact guard's warning,
 * and accepting asks for confirmation. Dismissed, nothing is stored; confirmed, the rewrite is stored.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { OpenAIEngine } from '../../server/engines/openai.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, type RunningApp } from '../support/app.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';

describe.skipIf(skipBrowser)('fact guard warnings in the editor', () => {
  let llm: OpenAIServer;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let articleId: string;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    llm = await startOpenAIServer();
    app = await startApp({ engine: new OpenAIEngine({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', maxRetries: 0, timeoutMs: 5000 }) });
    ({ article: { id: articleId } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(8000);
    expect((await context.request.post(`${app.url}/api/login`, { data: { username: 'editor', password: passwordOf('editor') } })).ok()).toBe(true);
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
    await llm?.close();
  });
  afterEach(() => {
    expect(pageErrors.splice(0).map((e) => e.message)).toEqual([]);
  });

  const stored = async (pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;

  it('shows the warning, and asks before accepting: dismissed stores nothing, confirmed stores the rewrite', async () => {
    const rewrite = 'The annual output value of Baoan’s smart wearable industry is 10 billion yuan.';
    llm.enqueue({ type: 'reply', text: rewrite });
    await page.goto(`${app.url}/articles/${articleId}#p4`);
    await page.locator('#p4.selected').waitFor();
    expect(await page.locator('.topbar .engine').textContent()).toContain('test-model');

    await page.keyboard.press('s');
    const warning = page.locator('#p4 .finding-warning');
    await warning.first().waitFor();
    expect(await warning.first().textContent()).toContain('numbers');
    expect(await page.locator('#p4 .badge-warn').textContent()).toContain('1 warning');
    expect(await page.locator('#p4 .diff ins mark.flag').first().textContent()).toContain('10 billion');
    const suggested = await stored('p4');
    expect(suggested.status).toBe('suggested');
    expect(suggested.suggestion).toMatchObject({ engine: 'openai', text: rewrite });
    expect(suggested.suggestion!.checks.some((c) => c.check === 'numbers' && c.severity === 'warning')).toBe(true);
    const revisions = (await app.services.store.history(articleId, 'p4')).length;

    const acceptCalls: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/p4/accept')) acceptCalls.push(r.url());
    });
    const dismissed = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))));
    await page.keyboard.press('a');
    expect(await dismissed).toContain('fact guard');
    await page.evaluate(() => true); // runs after the key handler that showed the dialog has returned
    expect(acceptCalls).toEqual([]);
    expect(await page.locator('#p4').getAttribute('class')).toContain('status-suggested');
    expect(await stored('p4')).toEqual(suggested);
    expect((await app.services.store.history(articleId, 'p4')).length).toBe(revisions);

    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('a');
    await page.locator('#p4.status-accepted').waitFor();
    expect(acceptCalls.length).toBe(1);
    expect(await page.locator('#p4 .badge-accepted').textContent()).toContain('Accepted');
    const accepted = await stored('p4');
    expect(accepted).toMatchObject({ status: 'accepted', text: rewrite });
    expect((await app.services.store.history(articleId, 'p4')).at(-1)).toMatchObject({ action: 'accept', author: 'editor' });
  });
});
