/**
 * A soak run of the desk, not part of `npm test` (it takes ~35 s): two editors and a reviewer (one at
 * phone width) press random editor keys on one article at once — moves, accept, edit and save, reject,
 * keep, suggest, undo, spans, split, merge, delete, reloads. Afterwards no page threw, the server answered no
 * 5xx, every answered action is in the history at the revision and with the text it answered (nobody's
 * work silently overwritten), and every page shows every paragraph at its stored revision (the live
 * desk kept up), except a row whose editor is open or a page that says paragraphs were added or removed.
 *
 *   npm run test:soak                     (POSTEDIT_SOAK=1; SOAK_SEED, SOAK_STEPS to vary it)
 *   DATABASE_URL=… SOAK_INSTANCES=2 npm run test:soak   (PostgreSQL: the pages spread over two app instances)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { launchBrowser, skipBrowser } from '../support/browser.js';
import { passwordOf, seedPath, startApp, type RunningApp } from '../support/app.js';
import { startAppOnDatabase } from '../support/pgApp.js';
import { postgresForFile } from '../support/postgres.js';
import type { Role } from '../../server/core/types.js';

const soak = !skipBrowser && !!process.env.POSTEDIT_SOAK;
const instances = soak && process.env.SOAK_INSTANCES === '2' ? 2 : 1;
const postgres = instances === 2 ? postgresForFile('deskSoak') : undefined;

describe.skipIf(!soak || !!postgres?.reason)('the desk under random keys from three people', () => {
  let apps: RunningApp[];
  let browser: Browser;
  let articleId: string;
  const problems: string[] = [];
  const answers: Array<Promise<{ who: string; action: string; id: string; revision: number; text: string } | undefined>> = [];

  beforeAll(async () => {
    const start = async () => {
      if (!postgres) return [await startApp()];
      const url = (await postgres.database()).url;
      return [await startAppOnDatabase(url), await startAppOnDatabase(url)];
    };
    [apps, browser] = await Promise.all([start(), launchBrowser()]);
    articleId = (await importFile(apps[0]!.services, seedPath, { username: 'import', role: 'admin' })).article.id;
  }, 60_000);
  afterAll(() => Promise.all([browser?.close(), ...(apps ?? []).map((a) => a.close(true))]));

  async function pageAs(app: RunningApp, role: Role, width: number, rnd: () => number): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    ctx.setDefaultTimeout(8000);
    await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`${role}: page error ${e.message}`));
    // Refusals (409 stale, 423 locked, 400) are answers the page shows; anything else is a problem.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`${role}: console ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 500) problems.push(`${role}: ${r.status()} ${r.url()}`);
      // An answered action: its revision must be in the history, with the text it answered.
      const action = /\/paragraphs\/([^/]+)\/(edit|accept|reject|keep|suggest|approve|send-back|submit|reopen|comment)$/.exec(new URL(r.url()).pathname);
      if (action && r.request().method() === 'POST' && r.ok()) {
        answers.push(r.json().then((p: { id: string; revision: number; text: string }) => ({ who: role, action: action[2]!, id: p.id, revision: p.revision, text: p.text })).catch(() => undefined));
      }
    });
    page.on('dialog', (d) => void (rnd() < 0.7 ? d.accept() : d.dismiss()));
    return page;
  }

  it('throws nothing, answers no 5xx, loses no answered action, and every page ends showing what is stored', async () => {
    let seed = Number(process.env.SOAK_SEED ?? 1);
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const keys = ['j', 'k', 'n', 'a', 'e', 'r', 'c', 's', 'u', 'm', 'v', ']', '[', ' ', '?', 'Escape', 'type', 'save', 'split', 'Delete', 'reload'];
    const on = (i: number) => apps[i % apps.length]!;
    const pages = await Promise.all([pageAs(on(0), 'editor', 1400, rnd), pageAs(on(1), 'admin', 390, rnd), pageAs(on(2), 'reviewer', 1400, rnd)]);
    for (const [i, p] of pages.entries()) await p.goto(`${on(i).url}/articles/${articleId}`);
    for (let step = 0; step < Number(process.env.SOAK_STEPS ?? 300); step++) {
      await Promise.all(
        pages.map(async (p, i) => {
          const k = keys[Math.floor(rnd() * keys.length)]!;
          try {
            if (k === 'type') await p.keyboard.type(' plus', { delay: 5 });
            else if (k === 'save') await p.keyboard.press('Control+Enter');
            else if (k === 'split') {
              if (rnd() < 0.3) {
                // The editor opens with the cursor at the end: a split a few words before it.
                await p.keyboard.press('e');
                for (let i = 0; i < 25; i++) await p.keyboard.press('ArrowLeft');
                await p.keyboard.press('Control+Shift+Enter');
              }
            }
            else if (k === 'reload') { if (rnd() < 0.2) await p.reload().catch(() => undefined); }
            else if (k === 'Delete' || k === 'm') { if (rnd() < 0.1) await p.keyboard.press(k); }
            else await p.keyboard.press(k);
          } catch (e) {
            // A key pressed while the page reloads itself (undo, merge) has nowhere to go.
            if (!/navigat|Target closed|not attached/i.test((e as Error).message)) problems.push(`page ${i} ${k}: ${(e as Error).message.split('\n')[0]}`);
          }
          await p.waitForTimeout(rnd() * 80);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 2500));
    const stored = new Map((await apps[0]!.services.store.getArticle(articleId))!.paragraphs.map((p) => [p.id, p.revision]));
    for (const [i, p] of pages.entries()) {
      const shown = await p.evaluate(() => ({
        banner: (document.querySelector('.live-banner') as HTMLElement | null)?.hidden === false,
        rows: [...document.querySelectorAll<HTMLElement>('.para')].map((r) => ({
          id: r.id,
          revision: Number(r.dataset.revision),
          editing: !!r.querySelector('details.editor[open]'),
          box: r.querySelector<HTMLElement>('.row-error.conflict')?.hidden === false,
        })),
      }));
      if (shown.banner) continue;
      for (const r of shown.rows) {
        if (!r.editing && !r.box && stored.get(r.id) !== r.revision) problems.push(`page ${i} shows ${r.id} at revision ${r.revision}, stored ${stored.get(r.id)}`);
      }
    }
    const history = await apps[0]!.services.store.history(articleId);
    const kept = new Map(history.map((r) => [`${r.paragraphId}:${r.n}`, r.text]));
    let checked = 0;
    for (const a of await Promise.all(answers)) {
      if (!a) continue;
      checked++;
      if (kept.get(`${a.id}:${a.revision}`) !== a.text) problems.push(`${a.who}'s ${a.action} of ${a.id} was answered at revision ${a.revision}, which the history does not hold with that text`);
    }
    console.log(`${checked} answered actions checked against the history; ${stored.size} paragraphs (18 at the start)`);
    expect(checked).toBeGreaterThan(20);
    for (const p of pages) await p.context().close();
    expect(problems).toEqual([]);
  }, 300_000);
});
