/**
 * The live desk in two real browsers (issue 17): one edits, the other sees it in place without a
 * reload (focus and scroll kept); presence on the rows; suggestions made elsewhere appear.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { holdRequest } from '../support/heldRequest.js';
import { passwordOf, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';
import type { Role } from '../../server/core/types.js';

describe.skipIf(skipBrowser)('the live desk in two browsers', () => {
  let app: RunningApp;
  let browser: Browser;
  let articleId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];

  /** A logged-in page that has not opened anything yet. */
  async function pageAs(role: Role): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(ctx);
    ctx.setDefaultTimeout(8000);
    expect((await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } })).ok()).toBe(true);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
    return page;
  }

  async function open(role: Role, hash = ''): Promise<Page> {
    const page = await pageAs(role);
    await page.goto(`${app.url}/articles/${articleId}${hash}`);
    await page.locator('.para.selected').waitFor();
    return page;
  }

  const stored = async (pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;
  const colleagueEdits = async (pid: string, words: string) => {
    const p = await stored(pid);
    await editParagraph(app.services, { articleId, paragraphId: pid, baseRevision: p.revision, text: `${p.text} ${words}`, actor: { username: 'editor2', role: 'editor' } });
  };

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
    // The smooth scroll to #p12 has ended: the page has not moved for 200 ms.
    await watcher.waitForFunction(() => new Promise<boolean>((resolve) => {
      const y = window.scrollY;
      setTimeout(() => resolve(window.scrollY === y), 200);
    }));
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

  it('keeps a page opened at its top there when a colleague arrives and the presence bar appears above the rows', async () => {
    const editor = await open('editor');
    expect(await editor.evaluate(() => scrollY)).toBe(0);
    await open('reviewer', '#p5');
    await editor.locator('.presence-bar', { hasText: 'reviewer (¶5)' }).waitFor();
    expect(await editor.evaluate(() => scrollY)).toBe(0);
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
  it('shows what was committed while the page loaded: its stream starts where the page was rendered', async () => {
    const page = await pageAs('reviewer');
    // The page's stream is held, unopened, until a colleague has committed an edit.
    const stream = await holdRequest(page, (url) => url.pathname.endsWith('/events'));
    await page.goto(`${app.url}/articles/${articleId}#p15`);
    await page.locator('#p15.selected').waitFor();
    await stream.arrived;
    // Rows whose MT flags were still pending are refreshed once they are ready: done before the edit,
    // so only the stream can bring it.
    await page.waitForFunction(() => (document.querySelector('.mt-pending') as HTMLElement | null)?.hidden !== false);
    await colleagueEdits('p15', 'Added while the page loaded.');
    stream.release();
    await page.locator('#p15.status-edited').waitFor();
    expect(await page.locator('#p15 .diff').textContent()).toContain('Added while the page loaded.');
  });

  it("catches a row up with a colleague's change that came while this page's own action on it was being answered", async () => {
    const page = await open('editor', '#p17');
    // The keep's own refresh of the row is answered (at the keep's revision) but held back.
    const refresh = await holdRequest(page, (url) => url.pathname.endsWith('/rows/p17'), { answered: true });
    await page.keyboard.press('c');
    await refresh.arrived;
    // The colleague's change reaches the page while the row is still busy (its counts are then refreshed).
    const counted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/articles');
    await colleagueEdits('p17', 'A colleague line.');
    await counted;
    await page.waitForTimeout(300);
    refresh.release();
    await page.locator('#p17.status-edited').waitFor();
    expect(await page.locator('#p17 .diff').textContent()).toContain('A colleague line.');
  });
});
