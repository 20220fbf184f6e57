/**
 * The desk's day in real Chromium (issue 16): keep as is and next-undecided keys, Space on the first
 * change, a locked row that says why, suggest-all with progress, and every page at phone width.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { holdRequest, within } from '../support/heldRequest.js';
import { corpusDir, passwordOf, seedPath, startApp, type RunningApp } from '../support/app.js';
import type { Role } from '../../server/core/types.js';
import { join } from 'node:path';

/** Refreshes a row as the page's own scripts do (the MT flags arriving, an action's answer). */
const refreshRowOn = (page: Page, pid: string) =>
  within(
    page.evaluate((id) => (window as unknown as { postedit: { refreshRow(r: Element): Promise<unknown> } }).postedit.refreshRow(document.getElementById(id)!).then(() => undefined), pid),
    15_000,
    `the page did not refresh row ${pid}`,
  );

describe.skipIf(skipBrowser)('the desk in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let articleId: string;
  let wmtId: string;
  const pageErrors: Error[] = [];
  const contexts: BrowserContext[] = [];

  async function pageAs(role: Role, viewport = { width: 1400, height: 900 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport });
    contexts.push(ctx);
    ctx.setDefaultTimeout(8000);
    const login = await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } });
    expect(login.ok()).toBe(true);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
    page.on('dialog', (d) => void d.accept());
    return page;
  }

  beforeAll(async () => {
    app = await startApp();
    const admin = { username: 'import', role: 'admin' as const };
    articleId = (await importFile(app.services, seedPath, admin)).article.id;
    wmtId = (await importFile(app.services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19792.en.txt'), admin)).article.id;
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

  const stored = async (pid: string, id = articleId) => (await app.services.store.getArticle(id))!.paragraphs.find((p) => p.id === pid)!;

  it('keeps with c and moves on; n jumps to the next undecided paragraph', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p2`);
    await page.locator('#p2.selected').waitFor();
    await page.keyboard.press('c');
    await page.locator('#p2.status-kept').waitFor();
    expect(await page.locator('#p2 .badge-kept').textContent()).toContain('Kept as is');
    await page.locator('#p3.selected').waitFor();
    expect(await stored('p2')).toMatchObject({ status: 'kept' });
    // p3 and p4 decided meanwhile by someone else: n skips them.
    for (const pid of ['p3', 'p4']) await keepParagraph(app.services, { articleId, paragraphId: pid, baseRevision: (await stored(pid)).revision, actor: { username: 'editor2', role: 'editor' } });
    await page.goto('about:blank'); // a goto that only changes the #hash would not load the page again
    await page.goto(`${app.url}/articles/${articleId}#p2`);
    await page.locator('#p2.selected').waitFor();
    await page.keyboard.press('n');
    await page.locator('#p5.selected').waitFor();
  });

  // A row is refreshed by the MT flags, by the editor's own action and by colleagues' changes, and
  // these overlap: the page must end up showing the newest state whichever answer comes last.
  it('overlapping refreshes of a row end on its newest state, whichever answer arrives last', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p6`);
    await page.locator('#p6.selected').waitFor();
    const rowsOf = (pid: string) => (url: URL) => url.pathname.endsWith(`/rows/${pid}`);
    const refreshOf = (pid: string) => refreshRowOn(page, pid);

    // The older answer arrives first, then the keep's own refresh: the row shows "kept".
    let releaseOld!: () => void;
    const oldHeld = new Promise<void>((r) => (releaseOld = r));
    let seen = 0;
    await page.route(rowsOf('p6'), async (route) => {
      seen += 1;
      if (seen === 1) {
        const res = await route.fetch();
        await oldHeld;
        return route.fulfill({ response: res });
      }
      releaseOld();
      await page.waitForFunction(() => !document.getElementById('p6')!.hasAttribute('data-first'));
      return route.continue();
    });
    await page.evaluate(() => document.getElementById('p6')!.setAttribute('data-first', ''));
    const old = refreshOf('p6');
    await page.keyboard.press('c');
    await page.locator('#p6.status-kept').waitFor();
    await old;
    expect(await stored('p6')).toMatchObject({ status: 'kept' });

    // The older answer arrives last: it does not put the row back to "pending".
    await page.locator('#p7.selected').waitFor();
    const held = await holdRequest(page, rowsOf('p7'), { answered: true });
    const stale = refreshOf('p7');
    await held.arrived;
    await page.keyboard.press('c');
    await page.locator('#p7.status-kept').waitFor();
    held.release();
    await stale;
    expect(await page.locator('#p7').getAttribute('class')).toContain('status-kept');
    expect(await page.locator('.para.selected').getAttribute('id')).toBe('p8');
  });

  it("shows a refused action's conflict on the row the page shows, even when that row was refreshed meanwhile", async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p9`);
    await page.locator('#p9.selected').waitFor();
    // The keep (on the revision this page shows) is held while a colleague edits the paragraph and a
    // refresh (the live desk's, or the MT flags') replaces the row.
    const keep = await holdRequest(page, (url) => url.pathname.endsWith('/paragraphs/p9/keep'));
    await page.keyboard.press('c');
    await keep.arrived;
    const before = await stored('p9');
    await editParagraph(app.services, { articleId, paragraphId: 'p9', baseRevision: before.revision, text: `${before.text} Colleague addition.`, actor: { username: 'editor2', role: 'editor' } });
    await refreshRowOn(page, 'p9');
    keep.release();
    const box = page.locator('#p9 .row-error.conflict');
    await box.waitFor();
    expect(await box.textContent()).toContain('editor2');
    expect(await box.locator('ins').allTextContents()).toEqual([expect.stringContaining('Colleague addition.')]);
  });

  it('says why a key does nothing while the paragraph\'s last action is unanswered, and sends it once', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p17`);
    await page.locator('#p17.selected').waitFor();
    let keeps = 0;
    page.on('request', (r) => r.url().endsWith('/paragraphs/p17/keep') && keeps++);
    const keep = await holdRequest(page, (url) => url.pathname.endsWith('/paragraphs/p17/keep'));
    await page.keyboard.press('c');
    await keep.arrived;
    await page.locator('#p17.busy').waitFor();
    await page.keyboard.press('c');
    await page.locator('.flash', { hasText: /¶17 is still being saved/ }).waitFor();
    keep.release();
    await page.locator('#p17.status-kept').waitFor();
    expect(keeps).toBe(1);
    expect((await stored('p17')).status).toBe('kept');
  });

  it('keeps the changes left out of a suggestion when the row is refreshed (the MT flags arriving): accept takes only the others', async () => {
    // Two slips the offline engine fixes as two separate changes: a doubled word, then a double space.
    const p = await stored('p14');
    const text = p.text.replace('As everyone knows', 'As everyone everyone knows').replace('rapid development', 'rapid  development');
    await editParagraph(app.services, { articleId, paragraphId: 'p14', baseRevision: p.revision, text, actor: { username: 'editor2', role: 'editor' } });
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p14`);
    await page.locator('#p14.selected').waitFor();
    await page.keyboard.press('s');
    await page.locator('#p14 .diff[data-kind="suggestion"] .chg').first().waitFor();
    expect(await page.locator('#p14 .span-box input').count()).toBe(2);
    await page.keyboard.press(' ');
    const first = page.locator('#p14 .span-box input').first();
    expect(await first.isChecked()).toBe(false);
    await refreshRowOn(page, 'p14');
    expect(await first.isChecked()).toBe(false);
    expect(await page.locator('#p14 .diff .chg').first().getAttribute('class')).toContain('left-out');
    await page.keyboard.press('a');
    await page.locator('#p15.selected').waitFor();
    const after = await stored('p14');
    expect(after.text).toContain('As everyone everyone knows');
    expect(after.text).toContain('rapid development');
  });

  it('keeps a comment being written through a refresh of its row, and clears it once sent', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p16`);
    await page.locator('#p16.selected').waitFor();
    await page.locator('#p16 details.more > summary').click();
    await page.locator('#c-p16').fill('Check the figure against the source');
    await refreshRowOn(page, 'p16');
    expect(await page.locator('#c-p16').inputValue()).toBe('Check the figure against the source');
    expect(await page.locator('#p16 details.more').getAttribute('open')).not.toBeNull();
    await page.locator('#p16 [data-action="comment"]').click();
    await page.locator('.flash', { hasText: 'Comment added' }).waitFor();
    expect(await page.locator('#c-p16').inputValue()).toBe('');
  });

  it('Space takes or leaves the first change without ] first; r rejects and moves on', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p10`);
    await page.locator('#p10.selected').waitFor();
    await page.keyboard.press('s');
    await page.locator('#p10 .diff[data-kind="suggestion"] .chg').first().waitFor();
    const spans = await page.locator('#p10 .span-box input').count();
    if (spans > 1) {
      await page.keyboard.press(' ');
      expect(await page.locator('#p10 .span-box input').first().isChecked()).toBe(false);
      expect(await page.locator('#p10 .diff .chg').first().getAttribute('class')).toContain('left-out');
    }
    await page.keyboard.press('r');
    await page.locator('#p10.status-rejected').waitFor();
    await page.locator('#p11.selected').waitFor();
  });

  it('s on an approved row does nothing and says who approved it', async () => {
    const p = await stored('p12');
    const kept = await keepParagraph(app.services, { articleId, paragraphId: 'p12', baseRevision: p.revision, actor: { username: 'editor', role: 'editor' } });
    await reviewParagraph(app.services, { articleId, paragraphId: 'p12', baseRevision: kept.revision, action: 'approve', actor: { username: 'reviewer', role: 'reviewer' } });
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}#p12`);
    await page.locator('#p12.selected').waitFor();
    const revision = (await stored('p12')).revision;
    await page.keyboard.press('s');
    await expect(page.locator('.flash').textContent()).resolves.toMatch(/Approved by reviewer on \d{4}-\d\d-\d\d and locked/);
    expect((await stored('p12')).revision).toBe(revision);
    expect(await page.locator('#p12 .locked-note').textContent()).toContain('Approved by reviewer');
  });

  it('suggests for every undecided paragraph from one button, with progress, leaving decided ones alone', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${wmtId}`);
    const p1 = await stored('p1', wmtId);
    await keepParagraph(app.services, { articleId: wmtId, paragraphId: 'p1', baseRevision: p1.revision, actor: { username: 'editor', role: 'editor' } });
    await page.getByRole('button', { name: /Suggest all undecided/ }).click();
    await page.locator('.flash', { hasText: /Suggestions for \d+ undecided paragraphs?; 1 decided left alone/ }).waitFor();
    await page.waitForLoadState('load');
    const article = (await app.services.store.getArticle(wmtId))!;
    expect(article.paragraphs.find((p) => p.id === 'p1')!.status).toBe('kept');
    expect(article.paragraphs.filter((p) => p.status === 'pending')).toEqual([]);
  });

  it('shows a compare point\'s time field only while "At a time" is chosen', async () => {
    const page = await pageAs('editor');
    await page.goto(`${app.url}/articles/${articleId}/compare`);
    const time = page.locator('input[name="fromTime"]');
    expect(await time.isVisible()).toBe(false);
    expect(await page.locator('input[name="toTime"]').isVisible()).toBe(false);
    await page.selectOption('#from-point', 'at');
    expect(await time.isVisible()).toBe(true);
    await page.selectOption('#from-point', 'mt');
    expect(await time.isVisible()).toBe(false);
  });

  describe('at phone width (390 × 844)', () => {
    const phone = { width: 390, height: 844 };

    it('every page fits without sideways scrolling, and the top bar links are on screen', async () => {
      const page = await pageAs('admin', phone);
      const paths = ['/', `/articles/${articleId}`, `/articles/${wmtId}?risk=fine`, `/articles/${articleId}/compare`, `/articles/${articleId}/timeline`,
        `/articles/${articleId}/paragraphs/p2/history`, '/stats', '/runs', '/users'];
      for (const path of paths) {
        const res = await page.goto(`${app.url}${path}`);
        expect(res?.status(), path).toBe(200);
        const m = await page.evaluate(() => ({
          sw: document.documentElement.scrollWidth,
          cw: document.documentElement.clientWidth,
          over: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map((e) => `${e.tagName}.${e.className}`),
        }));
        expect(m.sw, `${path} is ${m.sw}px wide: ${m.over.join(', ')}`).toBeLessThanOrEqual(m.cw);
        for (const link of await page.locator('.topbar a').all()) {
          const box = await link.boundingBox();
          expect(box && box.x >= 0 && box.x + box.width <= phone.width, `${path}: ${await link.textContent()}`).toBe(true);
        }
      }
    });

    it('lists articles, a timeline, a paragraph history and the per-article figures as cards: every cell on screen, under its column\'s name', async () => {
      const page = await pageAs('editor', phone);
      // A paragraph with two revisions of its own (edited, then edited again).
      for (const n of [1, 2]) {
        const p = (await app.services.store.getArticle(articleId))!.paragraphs.find((x) => x.id === 'p11')!;
        await editParagraph(app.services, { articleId, paragraphId: 'p11', baseRevision: p.revision, text: `${p.text} Phone edit ${n}.`, actor: { username: 'editor', role: 'editor' } });
      }
      const lists: Array<[string, string[], string]> = [
        ['/', ['td:first-child a', 'td.counts .badge', 'td.progress-cell progress', '.review-label'], 'Status'],
        [`/articles/${articleId}/timeline`, ['td[data-label="When"] time', 'td[data-label="What"] .action', 'td[data-label="Change"]'], 'Change'],
        [`/articles/${articleId}/paragraphs/p11/history`, ['input[type="radio"]', 'td[data-label="Action"] .action', 'td.wide .diff'], 'Change from the previous revision'],
        ['/stats', ['td:first-child a', 'td[data-label="Decided"]', 'td[data-label="s / word"]', '.report-links a'], 'Decided'],
      ];
      for (const [path, cells, label] of lists) {
        await page.goto(`${app.url}${path}`);
        const table = page.locator('table.cards');
        const rows = table.locator('tbody tr');
        expect(await rows.count(), path).toBeGreaterThan(1);
        // The list does not scroll sideways inside itself: nothing to find off screen.
        expect(await table.evaluate((t) => t.scrollWidth <= t.clientWidth), path).toBe(true);
        // Every row's cells, measured in one go: [row, selector, left, right] of each, or null if missing.
        const boxes = await table.evaluate((t, selectors) => [...t.querySelectorAll('tbody tr')].flatMap((row, i) => selectors.map((sel) => {
          const r = row.querySelector(sel)?.getBoundingClientRect();
          return r ? [i, sel, r.left, r.right] : [i, sel, null, null];
        })), cells);
        for (const [i, sel, left, right] of boxes) {
          expect(left, `${path} row ${i} ${sel}`).not.toBeNull();
          expect(left as number, `${path} row ${i} ${sel}`).toBeGreaterThanOrEqual(0);
          expect(right as number, `${path} row ${i} ${sel}`).toBeLessThanOrEqual(phone.width);
        }
        const labelled = table.locator(`tbody tr td[data-label="${label}"]`).first();
        expect(await labelled.evaluate((td) => getComputedStyle(td, '::before').content), path).toBe(`"${label}"`);
      }
    });

    it('opens the editor at the top, with the row text and its actions within the screen, and no missing glyphs', async () => {
      const page = await pageAs('editor', phone);
      await page.goto(`${app.url}/articles/${wmtId}`);
      await page.locator('.para.selected').waitFor();
      expect(await page.evaluate(() => scrollY)).toBe(0);
      const row = page.locator('.para').nth(1);
      for (const el of [row.locator('.col-mt .text'), row.locator('.actions button').first()]) {
        await el.scrollIntoViewIfNeeded();
        const box = (await el.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
      }
      const text = await page.locator('body').textContent();
      expect(text).not.toMatch(/[⧗🔒]/u);
    });
  });
});
