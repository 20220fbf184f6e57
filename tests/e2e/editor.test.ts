/**
 * The editor as a user drives it, in real Chromium: every step checks what the page shows and what
 * the store holds afterwards. The tests run in order on one article and build on each other's state.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, type RunningApp } from '../support/app.js';
import type { Role } from '../../server/core/types.js';

describe.skipIf(skipBrowser)('the editor page in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let articleId: string;
  const pageErrors: Error[] = [];

  async function loggedInContext(role: Role, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
    ctx.setDefaultTimeout(8000);
    const login = await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } });
    expect(login.ok()).toBe(true);
    return ctx;
  }

  function watch(p: Page): Page {
    p.on('pageerror', (e) => pageErrors.push(e));
    return p;
  }

  beforeAll(async () => {
    app = await startApp();
    const { article } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' });
    articleId = article.id;
    browser = await launchBrowser();
    context = await loggedInContext('editor');
    page = watch(await context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close(true);
  });
  afterEach(() => {
    const errors = pageErrors.splice(0).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  const stored = async (pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;
  const history = (pid: string) => app.services.store.history(articleId, pid);
  const lastAction = async (pid: string) => (await history(pid)).at(-1)!;

  /** Loads the article afresh at a paragraph and waits until the page script has selected it. */
  async function openAt(pid: string, on: Page = page) {
    // A goto that only changes the #hash would not load the page again.
    if (on.url().startsWith(`${app.url}/articles/${articleId}`)) await on.goto('about:blank');
    await on.goto(`${app.url}/articles/${articleId}#${pid}`, { waitUntil: 'domcontentloaded' });
    await on.locator(`#${pid}.selected`).waitFor();
  }

  it('logs in through the login form, typing name and password', async () => {
    const ctx = await browser.newContext();
    try {
      const p = await ctx.newPage();
      await p.goto(`${app.url}/articles/${articleId}`);
      await p.waitForURL(/\/login\?next=/);
      await p.getByLabel('Username').pressSequentially('editor');
      await p.getByLabel('Password').pressSequentially('not-the-password');
      await p.getByRole('button', { name: 'Log in' }).click();
      await expect(p.getByRole('alert').textContent()).resolves.toContain('wrong username or password');
      expect((await ctx.cookies()).find((c) => c.name === 'postedit_session')).toBeUndefined();

      await p.getByLabel('Username').fill('');
      await p.getByLabel('Username').pressSequentially('editor');
      await p.getByLabel('Password').pressSequentially(passwordOf('editor'));
      await p.getByLabel('Password').press('Enter');
      await p.waitForURL(`${app.url}/articles/${articleId}`);
      expect(await p.locator('h1').textContent()).toContain('smart wearable');
      expect(await p.locator('.topbar .who').textContent()).toContain('editor');
      // The cookie names a session the store holds for this user.
      const cookie = (await ctx.cookies()).find((c) => c.name === 'postedit_session');
      expect(cookie?.httpOnly).toBe(true);
      const session = await app.services.users.findSessionUser(cookie!.value).then((u) => u?.session);
      expect(session).toMatchObject({ username: 'editor' });
    } finally {
      await ctx.close();
    }
  });

  it('shows the article list with the seed and its progress', async () => {
    await page.goto(app.url + '/');
    await expect(page.locator('table.articles a').first().textContent()).resolves.toContain('smart wearable');
    expect(await page.locator('.topbar .engine').textContent()).toContain('offline cleanup');
    const summary = (await app.services.store.listArticles()).find((a) => a.id === articleId)!;
    expect(await page.locator('table.articles td.num').first().textContent()).toBe(String(summary.paragraphs));
    expect(await page.locator('.progress-cell .sub').first().textContent()).toContain(`0 / ${summary.paragraphs} decided`);
  });

  it('opened from the list (no #paragraph in the address), selects the first paragraph and answers keys', async () => {
    await page.goto(app.url + '/');
    await page.locator('table.articles a', { hasText: 'smart wearable' }).click();
    await page.waitForURL(`${app.url}/articles/${articleId}`);
    await page.locator('#p1.selected').waitFor({ timeout: 3000 });
    await page.keyboard.press('j');
    await page.locator('#p2.selected').waitFor({ timeout: 3000 });
  });

  it('moves the selection with j and k', async () => {
    await openAt('p1');
    await page.keyboard.press('j');
    await page.locator('#p2.selected').waitFor();
    await page.keyboard.press('j');
    await page.locator('#p3.selected').waitFor();
    await page.keyboard.press('k');
    await page.locator('#p2.selected').waitFor();
    expect(await page.locator('.para.selected').count()).toBe(1);
    expect(new URL(page.url()).hash).toBe('#p2');
    // Moving changes nothing stored.
    const article = (await app.services.store.getArticle(articleId))!;
    expect(article.paragraphs.every((p) => p.status === 'pending' && p.revision === 1)).toBe(true);
  });

  it('shows grammar flags fetched after the page has loaded', async () => {
    await openAt('p3');
    const row = page.locator('.para:has(.badge-grammar:not([hidden]))').first();
    await row.waitFor({ timeout: 15000 });
    const badge = row.locator('.badge-grammar');
    const pid = (await row.getAttribute('data-id'))!;
    const known = app.services.grammar.get((await stored(pid)).text);
    const shown = known!.flags.filter((f) => f.kind !== 'Info').length;
    expect(shown).toBeGreaterThan(0);
    expect(await badge.textContent()).toContain(`${shown} flag`);
    expect(await row.locator('details.grammar li').count()).toBe(known!.flags.length);
  });

  it('suggests with s, accepts with a and shows the new status', async () => {
    await openAt('p4');
    const row = page.locator('#p4');
    await page.keyboard.press('s');
    await row.locator('.diff[data-kind="suggestion"] ins').first().waitFor();
    expect(await page.locator('#p4 .diff ins').first().textContent()).toBe('1 billion');
    expect(await page.locator('#p4 .diff del').first().textContent()).toBe('1000000000');
    expect((await stored('p4')).status).toBe('suggested');
    await page.keyboard.press('a');
    await page.locator('#p4.status-accepted').waitFor();
    expect(await page.locator('#p4 .badge-accepted').textContent()).toContain('Accepted');
    // After an accept the selection moves on.
    await page.locator('#p5.selected').waitFor();
    const p = await stored('p4');
    expect(p.status).toBe('accepted');
    expect(p.text).toBe('Baoan smart wearable industry annual output value of 1 billion yuan.');
    expect((await lastAction('p4')).action).toBe('accept');
  });

  it('accepts only the changes left ticked: one left out by a click, one by ] and Space', async () => {
    await openAt('p10');
    const before = (await stored('p10')).text;
    await page.keyboard.press('s');
    const changes = page.locator('#p10 .diff[data-kind="suggestion"] .chg');
    await changes.first().waitFor();
    expect(await changes.count()).toBe(3);
    expect(await changes.locator('ins').allTextContents()).toEqual(['213 million', '8.56 billion', '14,000']);

    await changes.nth(1).click();
    await page.locator('#p10 .chg[data-span="1"].left-out').waitFor();
    expect(await page.locator('#p10 .span-box input[value="1"]').isChecked()).toBe(false);

    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await page.locator('#p10 .chg[data-span="2"].span-focus').waitFor();
    await page.keyboard.press(' ');
    await page.locator('#p10 .chg[data-span="2"].left-out').waitFor();
    expect(await page.locator('#p10 .span-box input[value="2"]').isChecked()).toBe(false);
    expect(await page.locator('#p10 .span-box input[value="0"]').isChecked()).toBe(true);

    await page.keyboard.press('a');
    await page.locator('#p10.status-accepted').waitFor();
    // The row now shows its changes from the MT: only the one taken.
    expect(await page.locator('#p10 .diff[data-kind="from-mt"] ins').allTextContents()).toEqual(['213 million']);
    const p = await stored('p10');
    expect(p.status).toBe('accepted');
    expect(p.text).toBe(before.replace('213000000', '213 million'));
    expect(p.text).toContain('8560000000 yuan');
    expect(p.text).toContain('over 14000');
    expect((await lastAction('p10')).action).toBe('accept-partial');
  });

  it('gets the grammar checker ready for a paragraph as its edit box opens (e key or click) or a suggestion is asked for', async () => {
    const prepared = (pid: string) =>
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/articles/${articleId}/flags/prepare`) && r.postDataJSON()?.paragraphId === pid);
    await openAt('p6');
    const byKey = prepared('p6');
    await page.keyboard.press('e');
    expect((await (await byKey).response())?.status()).toBe(202);
    await page.keyboard.press('Escape');
    const byClick = prepared('p7');
    await page.locator('#p7 summary[data-action="edit"]').click();
    expect((await (await byClick).response())?.status()).toBe(202);
    await page.locator('#p7 .cancel').click();
    const bySuggest = prepared('p8');
    await openAt('p8');
    await page.keyboard.press('s');
    expect((await (await bySuggest).response())?.status()).toBe(202);
    await page.locator('#p8.status-suggested').waitFor();
  });

  it('cancels an edit with Esc: nothing is stored', async () => {
    await openAt('p5');
    const before = await stored('p5');
    const revisions = (await history('p5')).length;
    await page.keyboard.press('e');
    const ta = page.locator('#edit-p5');
    await expect(ta.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await ta.fill('A text that must never be saved.');
    await page.keyboard.press('Escape');
    await page.locator('#p5 details.editor:not([open])').waitFor({ state: 'attached' });
    expect(await ta.inputValue()).toBe(before.text);
    expect(await page.locator('#p5').getAttribute('class')).toContain('status-pending');
    const after = await stored('p5');
    expect(after).toEqual(before);
    expect((await history('p5')).length).toBe(revisions);
  });

  it('edits with e and Ctrl+Enter, then undoes with u', async () => {
    await openAt('p3');
    await page.keyboard.press('e');
    const ta = page.locator('#edit-p3');
    await ta.fill('On January 28, an alliance was inaugurated.');
    await page.keyboard.press('Control+Enter');
    await page.locator('#p3.status-edited').waitFor();
    expect(await page.locator('#p3 .badge-edited').textContent()).toContain('Edited');
    expect((await stored('p3')).text).toBe('On January 28, an alliance was inaugurated.');
    expect((await lastAction('p3')).action).toBe('edit');
    await page.keyboard.press('u');
    await page.locator('#p3.status-pending').waitFor();
    const p = await stored('p3');
    expect(p.status).toBe('pending');
    expect(p.text).toBe(p.mt);
    expect((await lastAction('p3')).author).toBe('editor');
  });

  it('a suggestion that changes nothing: the row and the a key say so, c keeps the text', async () => {
    await openAt('p15');
    await page.keyboard.press('s');
    await page.locator('#p15.status-suggested').waitFor();
    expect(await page.locator('#p15').getAttribute('data-suggestion')).toBeNull();
    expect(await page.locator('#p15').textContent()).toContain('the suggestion changes nothing');
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('.flash').textContent()).toContain('changes nothing here: press c');
    expect((await stored('p15')).status).toBe('suggested');
    await page.keyboard.press('c');
    await page.locator('#p15.status-kept').waitFor();
    const p = await stored('p15');
    expect(p.text).toBe(p.mt);
    expect((await lastAction('p15')).action).toBe('keep');
  });

  it('rejects with r: the text stays, the status says so', async () => {
    await openAt('p6');
    await page.keyboard.press('s');
    await page.locator('#p6.status-suggested').waitFor();
    await page.keyboard.press('r');
    await page.locator('#p6.status-rejected').waitFor();
    expect(await page.locator('#p6 .badge-rejected').textContent()).toContain('Rejected');
    expect(await page.locator('#p6 .label').nth(1).textContent()).toContain('suggestion rejected');
    const p = await stored('p6');
    expect(p.status).toBe('rejected');
    expect(p.text).toBe(p.mt);
    expect((await lastAction('p6')).action).toBe('reject');
  });

  it('splits at the cursor with Ctrl+Shift+Enter and merges back with m', async () => {
    await openAt('p14');
    const original = (await stored('p14')).text;
    const at = original.indexOf('After more than 30 years');
    expect(at).toBeGreaterThan(0);
    await page.keyboard.press('e');
    const ta = page.locator('#edit-p14');
    await ta.evaluate((el: HTMLTextAreaElement, pos) => el.setSelectionRange(pos, pos), at);
    await page.keyboard.press('Control+Shift+Enter');
    // The page reloads with the new paragraph right after the split one.
    await page.locator('#p19').waitFor();
    await page.locator('#p14.selected').waitFor();
    expect(await page.locator('#p14 + #p19').count()).toBe(1);
    expect(await page.locator('#p19 .text').first().textContent()).toBe('(new paragraph from a split)');
    let article = (await app.services.store.getArticle(articleId))!;
    const i = article.paragraphs.findIndex((p) => p.id === 'p14');
    expect(article.paragraphs[i]!.text).toBe(original.slice(0, at).trim());
    expect(article.paragraphs[i + 1]).toMatchObject({ id: 'p19', text: original.slice(at), status: 'edited' });
    expect((await lastAction('p14')).action).toBe('split');

    await page.keyboard.press('m');
    await page.locator('#p19.status-deleted').waitFor();
    await page.locator('#p14.selected').waitFor();
    article = (await app.services.store.getArticle(articleId))!;
    expect(article.paragraphs.find((p) => p.id === 'p14')!.text).toBe(original);
    expect(article.paragraphs.find((p) => p.id === 'p19')!.status).toBe('deleted');
    expect((await lastAction('p14')).action).toBe('merge');
    expect((await lastAction('p19')).action).toBe('merged-away');
  });

  it('deletes with the Delete key after a confirmation', async () => {
    await openAt('p16');
    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('Delete');
    await page.locator('#p16.status-deleted').waitFor();
    expect(await page.locator('#p16 .badge-deleted').textContent()).toContain('Deleted');
    expect((await stored('p16')).status).toBe('deleted');
    expect((await lastAction('p16')).action).toBe('delete');
  });

  it('opens the history with h, compares two revisions and reverts to the first', async () => {
    await openAt('p4');
    await page.keyboard.press('h');
    await page.waitForURL(/\/paragraphs\/p4\/history$/);
    const revisions = await history('p4');
    expect(revisions.map((r) => r.action)).toEqual(['import', 'suggest', 'accept']);
    expect(await page.locator('table.history tbody tr').count()).toBe(3);
    expect(await page.locator('h1 .badge').textContent()).toContain('Accepted');

    await page.locator('#a-1').check();
    await page.locator('#b-3').check();
    await page.getByRole('button', { name: 'Compare the ticked revisions' }).click();
    await page.waitForURL((u) => u.searchParams.get('a') === '1' && u.searchParams.get('b') === '3');
    const compare = page.locator('section.compare');
    expect(await compare.locator('h2').textContent()).toBe('Revision 1 → revision 3');
    expect(await compare.locator('.diff del').allTextContents()).toEqual(['1000000000']);
    expect(await compare.locator('.diff ins').allTextContents()).toEqual(['1 billion']);

    await page.getByRole('button', { name: 'Revert to 1' }).click();
    await page.waitForURL(new RegExp(`/articles/${articleId}#p4$`));
    const p = await stored('p4');
    expect(p.text).toBe(p.mt);
    const last = await lastAction('p4');
    expect(last).toMatchObject({ action: 'revert', revertedTo: 1, author: 'editor' });
    expect(p.status).toBe('pending');
    await page.locator(`#p4.status-pending[data-revision="${p.revision}"]`).waitFor();
    // The MT is back, so the old suggestion is open on it again.
    expect(await page.locator('#p4 .diff[data-kind="suggestion"] del').allTextContents()).toEqual(['1000000000']);
  });

  it('exports the article as .txt: the clean text of the live paragraphs', async () => {
    await openAt('p1');
    await page.waitForLoadState('load');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export a', { hasText: '.txt' }).click()]);
    expect(download.suggestedFilename()).toBe(`${articleId}.txt`);
    const text = await readFile((await download.path())!, 'utf8');
    const article = (await app.services.store.getArticle(articleId))!;
    const live = article.paragraphs.filter((p) => p.status !== 'deleted');
    expect(text).toBe(live.map((p) => p.text).join('\n\n') + '\n');
    expect(text).toContain('invested 213 million yuan');
    expect(text).not.toContain((await stored('p16')).text);
  });

  it('tells an editor who is typing that someone else changed the paragraph (live), and keeps mine on top', async () => {
    const reviewerContext = await loggedInContext('reviewer');
    try {
      const reviewer = watch(await reviewerContext.newPage());
      await openAt('p17', reviewer);
      await openAt('p17', page);
      const editorText = 'Shenzhen’s industry has always grown by innovating first.';
      const reviewerText = 'The history of Shenzhen’s industry is a history of innovation.';

      // The reviewer is typing in the row when the editor saves theirs.
      await reviewer.keyboard.press('e');
      await reviewer.locator('#edit-p17').fill(reviewerText);
      await page.keyboard.press('e');
      await page.locator('#edit-p17').fill(editorText);
      await page.keyboard.press('Control+Enter');
      await page.locator('#p17.status-edited').waitFor();

      const box = reviewer.locator('#p17 .row-error');
      await box.locator('.diff ins').first().waitFor();
      // Their change, as a word diff from what this editor saw, with their name; the editor stays open.
      expect(await box.textContent()).toMatch(/editor edited this paragraph at \d\d:\d\d(\s?[AP]M)? while you were editing it/);
      expect((await box.locator('.diff').textContent())!.replace(/\s+/g, ' ')).toContain('grown by innovating first');
      expect(await box.getByRole('button', { name: 'Take theirs' }).count()).toBe(1);
      expect(await reviewer.locator('#edit-p17').inputValue()).toBe(reviewerText);
      // Nothing was overwritten.
      expect((await stored('p17')).text).toBe(editorText);

      await box.getByRole('button', { name: 'Keep mine on top' }).click();
      await reviewer.locator('#p17 .row-error[hidden]').waitFor({ state: 'attached' });
      await reviewer.locator('#p17 .diff', { hasText: 'history of innovation' }).waitFor();
      const p = await stored('p17');
      expect(p).toMatchObject({ text: reviewerText, status: 'edited' });
      expect((await history('p17')).slice(-2).map((r) => [r.action, r.author])).toEqual([['edit', 'editor'], ['edit', 'reviewer']]);
    } finally {
      await reviewerContext.close();
    }
  });

  it('without JavaScript, a stale form post shows the conflict page and can save over it', async () => {
    const noJs = await loggedInContext('reviewer', { javaScriptEnabled: false });
    try {
      const plain = await noJs.newPage();
      await plain.goto(`${app.url}/articles/${articleId}#p18`);
      const editorText = 'In the end, who seizes the future wins.';
      const mine = 'Whoever seizes the commanding heights of future industry will win.';
      await openAt('p18');
      await page.keyboard.press('e');
      await page.locator('#edit-p18').fill(editorText);
      await page.keyboard.press('Control+Enter');
      await page.locator('#p18.status-edited').waitFor();

      await plain.locator('#p18 summary[data-action="edit"]').click();
      await plain.locator('#edit-p18').fill(mine);
      await plain.locator('#p18 .edit-form button[type="submit"]').click();
      await plain.locator('h1', { hasText: 'was changed while you were working on it' }).waitFor();
      expect(await plain.locator('.compare-grid .text').allTextContents()).toEqual([editorText, mine]);
      expect(await plain.locator('.page-head .sub').textContent()).toContain('edit by editor');
      expect((await stored('p18')).text).toBe(editorText);

      expect((await plain.locator('.compare > .text.diff').first().locator('ins').allTextContents()).join(' ')).toContain('seizes');
      await plain.getByRole('button', { name: /Keep mine on top/ }).click();
      await plain.waitForURL(new RegExp(`/articles/${articleId}#p18$`));
      expect(await plain.locator('#p18 .badge-edited').count()).toBe(1);
      expect(await stored('p18')).toMatchObject({ text: mine, status: 'edited' });
      expect((await lastAction('p18')).author).toBe('reviewer');
    } finally {
      await noJs.close();
    }
  });
});
