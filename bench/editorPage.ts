/**
 * Editor page benchmark: GET /articles/:id for a generated 1,000-paragraph article (about 80 words
 * each, half with a pending suggestion) against the same HTML bytes served as a static file by a plain
 * node:http server. Same client, same loopback, same number of requests, interleaved. Target: ≤ 3×.
 *
 *   npx tsx bench/editorPage.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { attachSuggestions, importGenerated, openServices, tempDataDir } from './lib/data.js';
import { conditions, isMain, kb, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { HttpClient, startServer, type ServerHandle } from './lib/server.js';
import { NewsText } from './lib/text.js';

const PARAGRAPHS = 1000;
const WORDS = 80;
const TARGET = 3;

export interface EditorPageResult {
  appMedian: number;
  staticMedian: number;
  ratio: number;
  met: boolean;
}

async function measure(client: HttpClient, server: ServerHandle, pageUrl: string, staticUrl: string, requests: number) {
  const auth = { authorization: `Bearer ${server.token}` };
  const page: number[] = [];
  const stat: number[] = [];
  for (let i = 0; i < requests; i++) {
    // Interleaved, so drift (page cache, CPU frequency, GC) hits both sides alike.
    const a = await client.send('GET', pageUrl, auth);
    if (a.status !== 200) throw new Error(`GET ${pageUrl} answered ${a.status}`);
    page.push(a.ms);
    const b = await client.send('GET', staticUrl);
    if (b.status !== 200) throw new Error(`static GET answered ${b.status}`);
    stat.push(b.ms);
  }
  const { timings } = await server.ask({ type: 'timings' }, 'timings');
  return {
    page,
    stat,
    serverPage: timings.page ?? [],
    serverStatic: timings.static ?? [],
    ...articleRead(timings),
    render: median(timings['stage:render'] ?? []),
  };
}

/**
 * How the page's route got the article and what that took per request: `store.readArticle` (the stored
 * frozen article, no copy) since the page reads it that way, `store.getArticle` (a copy) before. Both
 * stages are summed per request when a route calls both; 0 when it calls neither.
 */
function articleRead(timings: Record<string, number[]>): { read: number; readBy: string } {
  const reads = timings['stage:readArticle'] ?? [];
  const gets = timings['stage:getArticle'] ?? [];
  const pages = (timings.page ?? []).length || 1;
  const readBy = [reads.length ? '`store.readArticle` (the stored frozen article, no copy)' : '', gets.length ? '`store.getArticle` (a copy of the article)' : '']
    .filter(Boolean)
    .join(' + ');
  if (!readBy) return { read: 0, readBy: 'the store (not called by the route)' };
  // One call per page or fewer: the median of each; more (a route reading twice): the sum spread over the pages.
  const per = (xs: number[]) => (xs.length <= pages ? (xs.length ? median(xs) : 0) : xs.reduce((a, b) => a + b, 0) / pages);
  return { read: per(reads) + per(gets), readBy };
}

export async function runEditorPage(): Promise<EditorPageResult> {
  const load = conditions();
  const requests = Number(process.env.BENCH_PAGE_REQUESTS ?? 30);
  const warmup = 5;
  console.log(`\n== Editor page: ${PARAGRAPHS} paragraphs × ~${WORDS} words, half with a suggestion; ${requests} requests after ${warmup} warm-up`);
  const { dir, remove } = await tempDataDir('page');
  let server: ServerHandle | undefined;
  const client = new HttpClient(1);
  try {
    const t0 = performance.now();
    const services = await openServices(dir);
    const gen = new NewsText(1000);
    const id = await importGenerated(services, gen, { title: 'Generated wire copy, 1,000 paragraphs', paragraphs: PARAGRAPHS, words: WORDS });
    const suggested = await attachSuggestions(services, gen, id, 2);
    await services.store.close();
    console.log(`generated article "${id}" with ${suggested} suggestions in ${ms(performance.now() - t0, 0)}`);

    const staticFile = join(dir, 'static', 'article.html');
    await mkdir(join(dir, 'static'), { recursive: true });
    server = await startServer({ dataDir: dir, staticFile });
    const pageUrl = `${server.url}/articles/${id}`;
    const auth = { authorization: `Bearer ${server.token}` };

    const first = await client.send('GET', pageUrl, auth);
    if (first.status !== 200) throw new Error(`GET ${pageUrl} answered ${first.status}: ${first.body.toString().slice(0, 300)}`);
    const html = first.body.toString();
    const rows = (html.match(/<article[^>]*class="para[\s"]/g) ?? []).length;
    const diffs = (html.match(/data-kind="suggestion"/g) ?? []).length;
    if (rows !== PARAGRAPHS || diffs !== suggested) throw new Error(`the page shows ${rows} paragraphs and ${diffs} suggestion diffs, expected ${PARAGRAPHS} and ${suggested}`);
    await writeFile(staticFile, first.body);
    console.log(`page: ${kb(first.body.length)} of HTML, ${rows} paragraphs, ${diffs} suggestion diffs`);

    for (let i = 0; i < warmup; i++) {
      await client.send('GET', pageUrl, auth);
      await client.send('GET', server.staticUrl!);
    }
    await server.ask({ type: 'timings' }, 'timings');

    const m = await measure(client, server, pageUrl, server.staticUrl!, requests);
    const appMedian = median(m.page);
    const staticMedian = median(m.stat);
    const ratio = appMedian / staticMedian;
    const serverRatio = median(m.serverPage) / median(m.serverStatic);
    const met = ratio <= TARGET;
    console.log(`app    GET /articles/:id  median ${ms(appMedian)} (p90 ${ms(quantile(m.page, 0.9))}), server time ${ms(median(m.serverPage))}`);
    console.log(`static same bytes         median ${ms(staticMedian)} (p90 ${ms(quantile(m.stat, 0.9))}), server time ${ms(median(m.serverStatic))}`);
    console.log(`ratio app / static: ${ratio.toFixed(1)}× client-observed, ${serverRatio.toFixed(1)}× server time — target ≤ ${TARGET}×: ${met ? 'MET' : 'MISSED'}`);

    // Where the time goes: stages timed inside the same requests, plus direct costs on the stored article.
    const runs = Math.max(3, Math.round(requests / 3));
    const b = await server.ask({ type: 'breakdown', articleId: id, runs }, 'breakdown');
    const direct = (k: string) => median(b.stages[k] ?? []);
    const rest = median(m.serverPage) - m.read - m.render;
    console.log(`stages (median): reading the article ${ms(m.read)} (${m.readBy.replace(/`/g, '')}), EJS render ${ms(m.render)}, rest of the route ${ms(rest)}; direct: structuredClone ${ms(direct('structuredClone'))}, paragraphView ×${PARAGRAPHS} ${ms(direct('paragraphViews'))}`);

    // What-if: the same app with Express's view cache on (what NODE_ENV=production turns on).
    await server.ask({ type: 'viewCache', on: true }, 'ok');
    for (let i = 0; i < warmup; i++) await client.send('GET', pageUrl, auth);
    await server.ask({ type: 'timings' }, 'timings');
    const cached = await measure(client, server, pageUrl, server.staticUrl!, requests);
    const cachedMedian = median(cached.page);
    const cachedRatio = cachedMedian / median(cached.stat);
    const restC = median(cached.serverPage) - cached.read - cached.render;
    console.log(`with view cache on: app median ${ms(cachedMedian)} vs static ${ms(median(cached.stat))} → ${cachedRatio.toFixed(1)}×; render ${ms(cached.render)}`);

    const nodeEnv = process.env.NODE_ENV || '(unset, as `npm start` runs)';
    writeSection(
      'editorPage',
      `## 1. Editor page — ${met ? 'target met' : 'TARGET MISSED'}

Measured ${today()} on ${machine()}; ${load}. NODE_ENV ${nodeEnv}.

Article: ${PARAGRAPHS} generated paragraphs of ~${WORDS} words (order-2 Markov chain over the news corpus), ${suggested} with a
pending suggestion differing in 3 words; page ${kb(first.body.length)} of HTML. ${requests} authenticated requests
(\`Authorization: Bearer\`) after ${warmup} warm-up, one at a time over loopback, interleaved with the same number of requests
for the same bytes from a plain \`node:http\` server reading the file. The server runs in its own process; the client
times request → last byte.

${table(['', 'median', 'p90', 'server time (median)'], [
        ['GET /articles/:id', ms(appMedian), ms(quantile(m.page, 0.9)), ms(median(m.serverPage))],
        ['static file, same bytes', ms(staticMedian), ms(quantile(m.stat, 0.9)), ms(median(m.serverStatic))],
        ['**ratio**', `**${ratio.toFixed(1)}×**`, '', `${serverRatio.toFixed(1)}×`],
      ])}

Target ≤ ${TARGET}×: **${met ? 'met' : 'missed'}**.

Where the page's server time goes (median per request, timed inside the same requests by wrapping the live store and
\`app.render\`; the rest is auth, \`paragraphView\` diffs, Express, and \`res.send\` encoding the page and hashing its ETag):

${table(['stage', 'view cache off (as run)', 'view cache on'], [
        [m.readBy, ms(m.read), ms(cached.read)],
        ['EJS render of \`article\` + partials', ms(m.render), ms(cached.render)],
        ['rest of the route', ms(rest), ms(restC)],
        ['server time', ms(median(m.serverPage)), ms(median(cached.serverPage))],
      ])}

Measured directly on the stored article (${kb(b.bytes)} of JSON): structuredClone ${ms(direct('structuredClone'))},
\`paragraphView\` of all ${PARAGRAPHS} paragraphs ${ms(direct('paragraphViews'))}, JSON.stringify ${ms(direct('jsonStringify'))}.

What-if, same run: with Express's \`view cache\` on (as \`NODE_ENV=production\` would set it) the page takes
${ms(cachedMedian)} median against ${ms(median(cached.stat))} static: **${cachedRatio.toFixed(1)}×**.`,
    );
    return { appMedian, staticMedian, ratio, met };
  } finally {
    client.close();
    await server?.stop();
    await remove();
  }
}

if (isMain(import.meta.url)) await runEditorPage();
