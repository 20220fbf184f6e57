/**
 * Accessibility in real Chromium: an axe-core scan of the login, article list, editor (suggestions,
 * a fact-guard warning and grammar flags visible), history (with a comparison) and conflict pages
 * finds no serious or critical violation; every button has an accessible name; keyboard focus is
 * visible; no status is shown by colour alone.
 */
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import type { Role } from '../../server/core/types.js';
import { OpenAIEngine } from '../../server/engines/openai.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';

const axePath = createRequire(import.meta.url).resolve('axe-core');

interface AxeGlobal {
  run(context: Document, options: object): Promise<AxeResults>;
  setup(node: Document): void;
  teardown(): void;
  commons: { text: { accessibleText(el: Element): string } };
}
declare const axe: AxeGlobal;

/** Injects axe-core, runs every rule, prints whatever it finds and returns the violations. */
async function scan(page: Page, name: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
  }));
  if (violations.length) console.log(`axe on the ${name} page:\n${JSON.stringify(violations, null, 1)}`);
  return violations;
}

const seriousOrWorse = (vs: Awaited<ReturnType<typeof scan>>) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** The accessible name (as axe computes it) of every control that acts as a button. */
async function buttonNames(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(() => {
    // Controls inside closed <details> count too: open them all. Those still not rendered (hidden) are skipped.
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    axe.setup(document);
    try {
      const controls = [...document.querySelectorAll('button, [role="button"], summary, a.button, input[type="submit"], input[type="button"]')];
      return controls
        .filter((el) => (el as HTMLElement).getClientRects().length > 0)
        .map((el) => ({ html: el.outerHTML.slice(0, 120), name: axe.commons.text.accessibleText(el).trim() }));
    } finally {
      axe.teardown();
    }
  });
}

describe.skipIf(skipBrowser)('accessibility', () => {
  let llm: OpenAIServer;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let articleId: string;
  const pageErrors: Error[] = [];

  async function loggedIn(role: Role) {
    // bypassCSP: axe is injected as an inline script, which the app's CSP rightly forbids.
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    ctx.setDefaultTimeout(8000);
    expect((await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } })).ok()).toBe(true);
    return ctx;
  }

  beforeAll(async () => {
    llm = await startOpenAIServer();
    app = await startApp({ engine: new OpenAIEngine({ baseURL: llm.url, apiKey: 'test-key', model: 'test-model', maxRetries: 0, timeoutMs: 5000 }) });
    ({ article: { id: articleId } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
    // Content on every page: suggestions (one with several changes, one with a warning), an edit, a rejection.
    const api = tokenClient(app, 'editor');
    const base = `/api/articles/${articleId}/paragraphs`;
    llm.enqueue(
      { type: 'reply', text: 'On January 28, the Shenzhen Baoan District smart wearable industry technology innovation alliance was inaugurated at the Peach Blossom Source science and technology park, a national incubator. It is the city’s first smart wearable industry alliance.' },
      { type: 'reply', text: 'The annual output value of Baoan’s smart wearable industry is 10 billion yuan.' },
      { type: 'reply', text: 'Baoan District Wang Hongbin highly affirmed the industry associations that enterprises formed on their own.' },
    );
    for (const pid of ['p3', 'p4', 'p8']) expect((await api.post(`${base}/${pid}/suggest`, {})).status).toBe(200);
    expect((await api.post(`${base}/p8/reject`, { baseRevision: 2 })).status).toBe(200);
    expect((await api.post(`${base}/p6/edit`, { baseRevision: 1, text: 'Most of the world’s smart wearable products are made in Shenzhen.' })).status).toBe(200);
    browser = await launchBrowser();
    page = await (await loggedIn('editor')).newPage();
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

  it('the login page has no serious or critical axe violation', async () => {
    const ctx = await browser.newContext({ bypassCSP: true });
    try {
      const login = await ctx.newPage();
      await login.goto(`${app.url}/login`);
      await login.getByLabel('Username').waitFor();
      expect(seriousOrWorse(await scan(login, 'login'))).toEqual([]);
      // And with an error message shown.
      await login.getByLabel('Username').fill('editor');
      await login.getByLabel('Password').fill('wrong');
      await login.getByRole('button', { name: 'Log in' }).click();
      await login.getByRole('alert').waitFor();
      expect(seriousOrWorse(await scan(login, 'login (failed)'))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the article list has no serious or critical axe violation', async () => {
    await page.goto(`${app.url}/`);
    await page.locator('table.articles').waitFor();
    expect(seriousOrWorse(await scan(page, 'article list'))).toEqual([]);
  });

  it('the editor, with suggestions, a warning, grammar flags and the key list shown, has no serious or critical axe violation', async () => {
    await page.goto(`${app.url}/articles/${articleId}#p3`);
    await page.locator('#p3.selected').waitFor();
    await page.locator('#p4 .finding-warning').waitFor();
    await page.locator('.para .badge-grammar:not([hidden])').first().waitFor({ timeout: 15000 });
    await page.keyboard.press('?');
    await page.locator('#keys').waitFor();
    await page.locator('#p3 .diff .chg').nth(1).click(); // one change left out
    await page.locator('#p3 .chg.left-out').waitFor();
    expect(seriousOrWorse(await scan(page, 'editor'))).toEqual([]);
    // The menus and the editor open too.
    await page.locator('#p4 details.more > summary').click();
    await page.keyboard.press('e');
    await page.locator('#edit-p4').waitFor();
    expect(seriousOrWorse(await scan(page, 'editor (menus open)'))).toEqual([]);
  });

  it('the history page with a comparison has no serious or critical axe violation', async () => {
    await page.goto(`${app.url}/articles/${articleId}/paragraphs/p8/history?a=1&b=3`);
    await page.locator('section.compare').waitFor();
    expect(seriousOrWorse(await scan(page, 'history'))).toEqual([]);
  });

  it('the conflict page has no serious or critical axe violation', async () => {
    await page.goto('about:blank');
    await page.goto(`${app.url}/articles/${articleId}#p11`);
    await page.locator('#p11.selected').waitFor();
    const api = tokenClient(app, 'reviewer');
    expect((await api.post(`/api/articles/${articleId}/paragraphs/p11/edit`, { baseRevision: 1, text: 'The person in charge said Baoan will build a smart wearable park in April.' })).status).toBe(200);
    // The live desk shows the reviewer's change in the row first (a form detached mid-refresh would not submit).
    await page.locator('#p11.status-edited').waitFor();
    // Post the row's form as a browser without JavaScript would (form.submit() skips the page script).
    await page.locator('#p11 .edit-form').evaluate((form: HTMLFormElement) => {
      form.querySelector('textarea')!.value = 'Baoan will build a technology park for smart wearables in April, the official said.';
      // The revision this page was loaded at (the live desk may have refreshed the row since).
      (form.querySelector('input[name="baseRevision"]') as HTMLInputElement).value = '1';
      form.submit();
    });
    await page.locator('.compare-grid').waitFor();
    expect(seriousOrWorse(await scan(page, 'conflict'))).toEqual([]);
  });

  it('every button, summary and button-styled link has an accessible name', async () => {
    const pages = [`/`, `/articles/${articleId}#p3`, `/articles/${articleId}/paragraphs/p8/history?a=1&b=3`];
    for (const path of pages) {
      await page.goto('about:blank');
      await page.goto(app.url + path);
      const controls = await buttonNames(page);
      expect(controls.length).toBeGreaterThan(0);
      expect(controls.filter((c) => !c.name), path).toEqual([]);
    }
  });

  it('shows where the keyboard focus is: a focused button gets the :focus-visible outline', async () => {
    await page.goto('about:blank');
    await page.goto(`${app.url}/articles/${articleId}#p3`);
    await page.locator('#p3.selected').waitFor();
    let focused: { tag: string; visible: boolean; outline: string; width: number } | undefined;
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return { tag: el.tagName, visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      if (focused.tag === 'BUTTON') break;
    }
    expect(focused).toMatchObject({ tag: 'BUTTON', visible: true, outline: 'solid' });
    expect(focused!.width).toBeGreaterThanOrEqual(2);
    // The selected paragraph is marked by more than its colour: it has focus and a ring.
    await page.goto('about:blank');
    await page.goto(`${app.url}/articles/${articleId}#p4`);
    const ring = await page.locator('#p4.selected').evaluate((el) => getComputedStyle(el).boxShadow);
    expect(ring).not.toBe('none');
  });

  it('never shows status by colour alone: badges carry words, changes are struck through or underlined', async () => {
    await page.goto('about:blank');
    await page.goto(`${app.url}/articles/${articleId}#p3`);
    await page.locator('#p3.selected').waitFor();
    await page.locator('.para .badge-grammar:not([hidden])').first().waitFor({ timeout: 15000 });
    const facts = await page.evaluate(() => {
      const visibleText = (el: Element) => {
        const copy = el.cloneNode(true) as Element;
        copy.querySelectorAll('[aria-hidden="true"]').forEach((x) => x.remove());
        return copy.textContent!.replace(/\s+/g, ' ').trim();
      };
      const badges = [...document.querySelectorAll('.badge')].filter((b) => (b as HTMLElement).offsetParent !== null);
      const rows = [...document.querySelectorAll('.para')].map((row) => {
        const status = [...row.classList].find((c) => c.startsWith('status-'))!.slice('status-'.length);
        return { id: row.id, status, badge: visibleText(row.querySelector(`.meta .badge-${status}`) ?? row), label: row.getAttribute('aria-label') };
      });
      const decoration = (sel: string) => [...new Set([...document.querySelectorAll(sel)].map((el) => getComputedStyle(el).textDecorationLine))];
      return {
        badges: badges.map((b) => ({ cls: b.className, text: visibleText(b) })),
        rows,
        del: decoration('.diff del'),
        ins: decoration('.diff .chg:not(.left-out) ins'),
      };
    });
    expect(facts.badges.length).toBeGreaterThan(10);
    expect(facts.badges.filter((b) => !/[a-z]/i.test(b.text))).toEqual([]);
    const words: Record<string, string> = { pending: 'Pending', suggested: 'Suggested', accepted: 'Accepted', edited: 'Edited', rejected: 'Rejected', deleted: 'Deleted' };
    for (const row of facts.rows) {
      expect(row.badge, row.id).toBe(words[row.status]);
      expect(row.label, row.id).toContain(words[row.status]);
    }
    expect(new Set(facts.rows.map((r) => r.status))).toEqual(new Set(['pending', 'suggested', 'edited', 'rejected']));
    expect(facts.del).toEqual(['line-through']);
    expect(facts.ins).toEqual(['underline']);
    // A change left out of a partial accept is struck through, not only greyed.
    await page.locator('#p3 .diff .chg').first().click();
    expect(await page.locator('#p3 .chg.left-out ins').first().evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
    // The warning says "warning" in words, and the grammar badge counts its flags in words.
    expect(await page.locator('#p4 .badge-warn').textContent()).toMatch(/1 warning/);
    expect(await page.locator('.badge-grammar:not([hidden])').first().textContent()).toMatch(/\d+ flags?/);
  });
});
