/**
 * Inline codes in real Chromium: the rows show each code as a chip with its content on hover (the
 * hostile label stays text), an edit that drops a code is refused with a message naming it and the
 * editor stays open with the text, and moving a code is saved.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, startApp, type RunningApp } from '../support/app.js';
import { CODED, createCodedArticle, HOSTILE_LABEL } from '../support/codedArticle.js';

describe.skipIf(skipBrowser)('inline codes in the editor, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let articleId: string;
  const pageErrors: Error[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    articleId = (await createCodedArticle(app.services)).id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(8000);
    const login = await context.request.post(`${app.url}/api/login`, { data: { username: 'editor', password: passwordOf('editor') } });
    expect(login.ok()).toBe(true);
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });
  afterEach(() => {
    expect(pageErrors.splice(0).map((e) => e.message)).toEqual([]);
    expect(dialogs.splice(0)).toEqual([]);
  });

  const stored = async (pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;

  async function openAt(pid: string) {
    await page.goto(`${app.url}/articles/${articleId}#${pid}`, { waitUntil: 'domcontentloaded' });
    await page.locator(`#${pid}.selected`).waitFor();
  }

  it('shows the codes as chips with their content as the tooltip', async () => {
    await openAt('p2');
    const current = page.locator('#p2 [data-role="current"] .code-chip');
    expect(await current.count()).toBe(3);
    expect(await current.allTextContents()).toEqual(['⟦1⟧', '⟦2⟧', '⟦/2⟧']);
    expect(await current.nth(0).getAttribute('title')).toBe('Inline code 1: 1.0.1');
    // The label is an attribute's text, never markup.
    expect(await current.nth(1).getAttribute('title')).toBe(`Inline code 2: ${HOSTILE_LABEL}`);
    expect(await page.locator('#p2 a[onclick]').count()).toBe(0);
    // The MT column shows them too, and a chip looks like one (a box, not running text).
    expect(await page.locator('#p2 .col-mt .code-chip').count()).toBe(3);
    // Found and measured in one step: a live update can replace the row between two steps, and a
    // detached chip has no computed style (seen once on a loaded CI run).
    const box = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('#p2 [data-role="current"] .code-chip')!);
      return { display: s.display, border: s.borderTopStyle };
    });
    expect(box).toEqual({ display: 'inline-block', border: 'solid' });
  });

  it('refuses an edit that deletes a code, says which, and keeps the editor open with the text', async () => {
    await openAt('p2');
    await page.keyboard.press('e');
    const ta = page.locator('#edit-p2');
    expect(await ta.inputValue()).toBe(CODED[1]!.text);
    const typed = 'See section and click ⟦2⟧here⟦/2⟧ to open the file.';
    await ta.fill(typed);
    await page.keyboard.press('Control+Enter');
    const error = page.locator('#p2 .row-error:not([hidden])');
    await error.waitFor();
    expect(await error.textContent()).toContain('code ⟦1⟧ (1.0.1) was lost');
    expect(await ta.inputValue()).toBe(typed);
    expect(await stored('p2')).toMatchObject({ text: CODED[1]!.text, revision: 1, status: 'pending' });
  });

  it('saves an edit that moves a code, and shows it as a chip in its new place', async () => {
    await openAt('p2');
    await page.keyboard.press('e');
    const moved = 'Click ⟦2⟧here⟦/2⟧ to open the file (section ⟦1⟧).';
    await page.locator('#edit-p2').fill(moved);
    await page.keyboard.press('Control+Enter');
    await page.locator('#p2.status-edited').waitFor();
    expect(await stored('p2')).toMatchObject({ text: moved, status: 'edited' });
    const chips = page.locator('#p2 .col-work .diff ins .code-chip, #p2 .col-work .diff del .code-chip');
    expect((await chips.allTextContents()).sort()).toEqual(['⟦1⟧', '⟦1⟧'].sort());
  });
});
