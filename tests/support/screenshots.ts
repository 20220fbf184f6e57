/**
 * `npm run screenshots`: pictures of the app for the README, taken in Debian's Chromium.
 *
 * Starts the real app over a temporary data directory with the corpus imported and an OpenAI-compatible
 * test server as the suggestion engine (scripted rewrites, one of which changes a number so the fact
 * guard warns), works on the seed article as an editor would, then writes PNGs to docs/screenshots/.
 * The runs and stats pages are photographed only when the app serves them.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { importCorpus } from '../../server/interchange/importFiles.js';
import type { Role } from '../../server/core/types.js';
import { OpenAIEngine } from '../../server/engines/openai.js';
import { corpusDir, passwordOf, repoRoot, startApp, tokenClient, type RunningApp } from './app.js';
import { CHROMIUM, launchBrowser } from './browser.js';
import { cleanParagraph, extractParagraph, startOpenAIServer } from './openaiServer.js';

const OUT = join(repoRoot, 'docs', 'screenshots');
const SEED = 'baoan-smart-wearables-en';
/** The article the batch runs work on: one with a reference translation, untouched by editors here. */
const RUN_ARTICLE = 'wmt23-international-times-9288-en';
const MODEL = 'scripted-demo-model';
const VIEWPORT = { width: 1440, height: 900 };
/** Whole-page pictures are cut here: a README picture, not a scroll. */
const MAX_HEIGHT = 1300;

/** What the scripted "LLM" answers, by the start of the paragraph it is given. */
const REWRITES: Array<[string, string]> = [
  ['Established the first smart wearable', 'Baoan, Shenzhen, sets up the city’s first smart wearable technology innovation alliance'],
  [
    'January 28, Shenzhen Baoan District',
    'On January 28, the Baoan District smart wearable industry technology innovation alliance was officially inaugurated at the Peach Blossom Source science and technology park, a national incubator. It is the city’s first smart wearable industry alliance, and gives smart wearable companies in Baoan and Shenzhen a platform where industry, universities, research institutes and investors can innovate together.',
  ],
  // Changes the value (1000000000 is 1 billion): the fact guard must warn.
  ['Baoan smart wearable industry annual output value', 'The annual output value of Baoan’s smart wearable industry is 10 billion yuan.'],
  ['It is reported that Baoan District', 'The Baoan District smart wearable robotics technology innovation alliance was jointly founded by Shenzhen Harper Intelligent Technology Co., Ltd., Shenzhen Ivy, Shenzhen Brilliant Brother Technology Co., Ltd. and many other companies. The alliance brings together companies up and down the smart wearable supply chain, Chinese Intellectual Property Co., Ltd., a big data platform, industrial parks and investors. It will explore an industrial technology alliance led by companies, link industry, universities, research and capital, build a WIN platform for scientific and technological innovation, and make Baoan an important national base for the smart wearable industry.'],
  ['According to reports, at present', 'China’s smart wearable industry has entered a stage of rapid growth. Most of the world’s smart wearable products are made in Shenzhen, and most of their makers are based in Baoan; the main products include smart watches and bracelets. About 200 companies work in the smart wearable supply chain, and about 100 make wearable devices directly, accounting for more than 60% of Shenzhen’s output in the industry. The industry expects output value to reach 1 billion yuan in 2014. Two to three new companies a week currently join Baoan’s smart wearable product development, application and production.'],
];

/** For batch runs on the WMT articles: every other paragraph answered with its human reference. */
const REFERENCES = new Map<string, string>();

function rewrite(paragraph: string): string {
  return REWRITES.find(([start]) => paragraph.startsWith(start))?.[1] ?? REFERENCES.get(paragraph) ?? cleanParagraph(paragraph);
}

async function main() {
  if (!CHROMIUM) {
    console.error('screenshots need Chromium at /usr/bin/chromium: apt-get install -y chromium');
    process.exit(1);
  }
  const llm = await startOpenAIServer({ models: [MODEL] });
  llm.setHandler((body) => ({ type: 'reply', text: rewrite(extractParagraph(body)) }));
  // Batch runs (when the app has them) build their engines from the environment.
  Object.assign(process.env, { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'demo-key', OPENAI_MODEL: MODEL });
  const app = await startApp({ engine: new OpenAIEngine({ baseURL: llm.url, apiKey: 'demo-key', model: MODEL, maxRetries: 0, timeoutMs: 10_000 }) });
  let browser: Browser | undefined;
  try {
    const report = await importCorpus(app.services, corpusDir, { username: 'import', role: 'admin' });
    if (report.failed.length) throw new Error(`corpus import failed: ${JSON.stringify(report.failed)}`);
    console.log(`imported ${report.imported.length} articles`);
    for (const { id } of await app.services.store.listArticles()) {
      for (const p of (await app.services.store.getArticle(id))!.paragraphs) if (p.ref && p.index % 2 === 0) REFERENCES.set(p.mt, p.ref);
    }
    await workOnTheSeed(app);
    await workOnOthers(app);

    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    browser = await launchBrowser();
    const editor = await loggedIn(browser, app, 'editor');
    const page = await editor.newPage();
    const written: string[] = [];
    /** A viewport-sized picture, or the whole page up to MAX_HEIGHT pixels. */
    const shoot = async (p: Page, name: string, options: { fullPage?: boolean } = {}) => {
      await p.evaluate(() => document.fonts.ready);
      const path = join(OUT, `${name}.png`);
      const whole = options.fullPage ? { fullPage: true, clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(MAX_HEIGHT, await p.evaluate(() => document.documentElement.scrollHeight)) } } : {};
      await p.screenshot({ path, ...whole, animations: 'disabled', caret: 'hide' });
      written.push(path);
    };

    // The article list.
    await page.goto(`${app.url}/`);
    await page.locator('table.articles').waitFor();
    await shoot(page, 'articles', { fullPage: true });

    // The editor: diffs, the fact guard's warning, grammar flags (fetched after the page loads).
    await page.goto(`${app.url}/articles/${SEED}#p3`);
    await page.locator('#p3.selected').waitFor();
    await page.locator('#p4 .finding-warning').waitFor();
    await page.locator('.para .badge-grammar:not([hidden])').first().waitFor({ timeout: 30_000 });
    await page.locator('#p3 .diff .chg').nth(2).click(); // one change left out of the suggestion
    // ¶2 (accepted) at the top, then ¶3 (a suggestion, one change left out) and ¶4 (the warning).
    await page.locator('#p2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await shoot(page, 'editor');

    // History of a paragraph with a comparison of its first and last revisions.
    const revisions = await app.services.store.history(SEED, 'p5');
    await page.goto(`${app.url}/articles/${SEED}/paragraphs/p5/history?a=1&b=${revisions.at(-1)!.n}`);
    await page.locator('section.compare').waitFor();
    await shoot(page, 'history', { fullPage: true });

    // The conflict page: a stale form post (as without JavaScript) after someone else saved.
    await shootConflict(browser, app, shoot);

    // Runs and stats, when they exist.
    const admin = tokenClient(app, 'admin');
    if ((await admin.get('/runs')).status === 200) {
      const runIds = await startRuns(app);
      const adminContext = await loggedIn(browser, app, 'admin');
      const ap = await adminContext.newPage();
      await ap.goto(`${app.url}/runs`);
      await shoot(ap, 'runs', { fullPage: true });
      if (runIds[0]) {
        await ap.goto(`${app.url}/runs/${runIds[0]}`);
        await shoot(ap, 'run');
      }
      if (runIds.length >= 2) {
        await ap.goto(`${app.url}/runs/compare?a=${runIds[0]}&b=${runIds[1]}`);
        await shoot(ap, 'runs-compare', { fullPage: true });
      }
    } else console.log('no runs page (GET /runs is not 200): runs screenshots skipped');
    if ((await admin.get('/stats')).status === 200) {
      await page.goto(`${app.url}/stats`);
      await page.waitForLoadState('load');
      await shoot(page, 'stats', { fullPage: true });
    } else console.log('no stats page (GET /stats is not 200): stats screenshot skipped');

    console.log(`wrote:\n${written.map((p) => `  ${p.slice(repoRoot.length)}`).join('\n')}`);
  } finally {
    await browser?.close();
    await app.close(true);
    await llm.close();
  }
}

async function loggedIn(browser: Browser, app: RunningApp, role: Role, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, ...options });
  ctx.setDefaultTimeout(15_000);
  const res = await ctx.request.post(`${app.url}/api/login`, { data: { username: role, password: passwordOf(role) } });
  if (!res.ok()) throw new Error(`login as ${role} answered ${res.status()}`);
  return ctx;
}

async function must(p: Promise<{ status: number; text: string; json: any }>, what: string) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** An editor's morning on the seed article: suggestions, an accept, a partial accept, an edit, a rejection. */
async function workOnTheSeed(app: RunningApp) {
  const api = tokenClient(app, 'editor');
  const reviewer = tokenClient(app, 'reviewer');
  const at = (pid: string) => `/api/articles/${SEED}/paragraphs/${pid}`;
  const rev = async (pid: string) => (await app.services.store.getArticle(SEED))!.paragraphs.find((p) => p.id === pid)!.revision;
  const suggest = (pid: string) => must(api.post(`${at(pid)}/suggest`, { level: 'fluent' }), `suggest ${pid}`);

  // ¶2: suggested and accepted.
  const p2 = await suggest('p2');
  await must(api.post(`${at('p2')}/accept`, { baseRevision: p2.revision, suggestionId: p2.suggestion.id, seconds: 6, confirmWarnings: true }), 'accept p2');
  // ¶3 and ¶4: open suggestions; ¶4's changes a number.
  await suggest('p3');
  await suggest('p4');
  // ¶5: partly accepted, then edited by hand, then touched up by the reviewer.
  const p5 = await suggest('p5');
  await must(api.post(`${at('p5')}/accept`, { baseRevision: p5.revision, suggestionId: p5.suggestion.id, spans: [0, 1], seconds: 21, confirmWarnings: true }), 'accept p5');
  await must(
    api.post(`${at('p5')}/edit`, {
      baseRevision: await rev('p5'),
      text:
        'The Baoan District smart wearable robotics technology innovation alliance was jointly founded by Shenzhen Harper Intelligent Technology Co., Ltd., Shenzhen Ivy, Shenzhen Brilliant Brother Technology Co., Ltd. and many other companies.' +
        ' The alliance brings together companies up and down the smart wearable supply chain, Chinese Intellectual Property Co., Ltd., a big data platform, industrial parks and investors. It will explore an industrial technology alliance led by companies, link industry, universities, research and capital, build a WIN platform for scientific and technological innovation, and make Baoan an important national base for the smart wearable industry.',
      seconds: 48,
    }),
    'edit p5',
  );
  await must(
    reviewer.post(`${at('p5')}/edit`, {
      baseRevision: await rev('p5'),
      text:
        'The Baoan District smart wearable robotics technology innovation alliance was founded jointly by Shenzhen Harper Intelligent Technology Co., Ltd., Shenzhen Ivy, Shenzhen Brilliant Brother Technology Co., Ltd. and many other companies.' +
        ' The alliance brings together companies up and down the smart wearable supply chain, Chinese Intellectual Property Co., Ltd., a big data platform, industrial parks and investors. It will explore an industrial technology alliance led by companies, link industry, universities, research and capital, build a WIN platform for scientific and technological innovation, and make Baoan an important national base for the smart wearable industry.',
      seconds: 12,
    }),
    'review edit p5',
  );
  // ¶6: the suggestion is rejected, the MT kept.
  await suggest('p6');
  await must(api.post(`${at('p6')}/reject`, { baseRevision: await rev('p6'), seconds: 9 }), 'reject p6');
  // ¶7: edited by hand.
  await must(
    api.post(`${at('p7')}/edit`, {
      baseRevision: await rev('p7'),
      text: 'Although Baoan’s smart wearable industry is still young, the district government saw its potential early, held several meetings with smart wearable companies and helped them solve problems.',
      seconds: 75,
    }),
    'edit p7',
  );
}

/** Some progress on two more articles, so the list shows more than one state. */
async function workOnOthers(app: RunningApp) {
  const api = tokenClient(app, 'editor');
  const others = (await app.services.store.listArticles()).filter((a) => a.id !== SEED).slice(0, 2);
  for (const [i, summary] of others.entries()) {
    const article = (await app.services.store.getArticle(summary.id))!;
    for (const p of article.paragraphs.slice(0, i === 0 ? 6 : 2)) {
      await must(api.post(`/api/articles/${article.id}/paragraphs/${p.id}/reject`, { baseRevision: p.revision, seconds: 5 }), `keep ${article.id} ${p.id}`);
    }
  }
}

async function shootConflict(browser: Browser, app: RunningApp, shoot: (p: Page, name: string, o?: { fullPage?: boolean }) => Promise<void>) {
  const ctx = await loggedIn(browser, app, 'reviewer', { javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`${app.url}/articles/${SEED}#p8`);
    const p8 = (await app.services.store.getArticle(SEED))!.paragraphs.find((p) => p.id === 'p8')!;
    await must(
      tokenClient(app, 'editor').post(`/api/articles/${SEED}/paragraphs/p8/edit`, {
        baseRevision: p8.revision,
        text: 'Wang Hongbin of Baoan District praised the companies for forming industry associations and alliances on their own, and said the government would propose specific policies to support the industry’s growth.',
      }),
      'edit p8',
    );
    await page.locator('#p8 summary[data-action="edit"]').click();
    await page.locator('#edit-p8').fill(
      'Wang Hongbin, head of Baoan District, strongly praised the companies for setting up industry associations and an alliance themselves, and said the government would put forward specific policies to support the industry.',
    );
    await page.locator('#p8 .edit-form button[type="submit"]').click();
    await page.locator('.compare-grid').waitFor();
    await shoot(page, 'conflict');
  } finally {
    await ctx.close();
  }
}

/** Two finished batch runs over one article (offline, and the scripted LLM), when the app has runs. */
async function startRuns(app: RunningApp): Promise<string[]> {
  const admin = tokenClient(app, 'admin');
  const article = RUN_ARTICLE;
  const ids: string[] = [];
  for (const engine of ['offline', 'openai']) {
    const r = await admin.post('/api/runs', { articles: [article], engine, level: 'minimal' });
    if (r.status !== 202) {
      console.log(`could not start a ${engine} run (${r.status} ${r.text.slice(0, 200)}): runs page shot as is`);
      continue;
    }
    const id = r.json.run.id as string;
    for (let i = 0; i < 120; i++) {
      const s = await admin.get(`/api/runs/${id}`);
      if (['finished', 'stopped', 'failed'].includes(s.json?.run?.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    ids.push(id);
  }
  return ids;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
