/**
 * Live desk load (issue 17): 20 editors edit one 1,000-paragraph article (each its own paragraph)
 * while 200 listeners follow its event stream. Checks that every listener gets every edit's event
 * exactly once and in order per paragraph; compares edit p99 with and without the listeners (target:
 * at most 2×); measures the server's memory per idle listener. Server in its own process (lowdb).
 *
 *   npm run bench:live
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { openServices, tempDataDir } from './lib/data.js';
import { generateHistoryArticle } from './lib/historyArticle.js';
import { conditions, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { HttpClient, startServer, type ServerHandle } from './lib/server.js';

const SIZE = 1000;
const REVISIONS = 5000;
const EDITORS = 20;
const LISTENERS = 200;
const EDITS_PER_EDITOR = Number(process.env.BENCH_LIVE_EDITS ?? 60);
const TARGET_RATIO = 2;

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

interface Listener {
  events: Array<{ id: string; paragraphId: string; revision: number }>;
  close(): void;
}

function listen(server: ServerHandle, articleId: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const events: Listener['events'] = [];
    const req = request(`${server.url}/api/articles/${articleId}/events`, { headers: { authorization: `Bearer ${server.token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!block.includes('event: change')) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { id: string; paragraphId: string; revision: number };
          events.push({ id: data.id, paragraphId: data.paragraphId, revision: data.revision });
        }
      });
      res.on('error', () => undefined);
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (e) => (events.length ? undefined : reject(e)));
    req.end();
  });
}

/** Each editor edits its own paragraph `count` times, one request at a time; returns the latencies. */
async function edits(server: ServerHandle, articleId: string, paragraphs: Array<{ id: string; revision: number; text: string }>, count: number) {
  const http = new HttpClient(EDITORS);
  const auth = { authorization: `Bearer ${server.token}` };
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(paragraphs.map(async (p) => {
    let revision = p.revision;
    for (let i = 0; i < count; i++) {
      const a = await http.send('POST', `${server.url}/api/articles/${articleId}/paragraphs/${p.id}/edit`, auth, { baseRevision: revision, text: `${p.text} (take ${i})` });
      if (a.status !== 200) {
        errors++;
        continue;
      }
      latencies.push(a.ms);
      revision = (JSON.parse(a.body.toString()) as { revision: number }).revision;
    }
    p.revision = revision;
  }));
  http.close();
  return { latencies, errors };
}

async function main() {
  const load = conditions();
  const { dir, remove } = await tempDataDir('live');
  let server: ServerHandle | undefined;
  try {
    const services = await openServices(dir);
    const { id, article } = await generateHistoryArticle(services, SIZE, REVISIONS);
    await services.store.close();
    server = await startServer({ dataDir: dir });
    const mine = Array.from({ length: EDITORS }, (_, k) => article.paragraphs[Math.floor(((k + 0.5) * SIZE) / EDITORS)]!).map((p) => ({ id: p.id, revision: p.revision, text: p.text }));

    await edits(server, id, mine, 10); // warm-up
    const quiet = await edits(server, id, mine, EDITS_PER_EDITOR);

    const rssBefore = rssOf(server.pid);
    const listeners = await Promise.all(Array.from({ length: LISTENERS }, () => listen(server!, id)));
    await new Promise((r) => setTimeout(r, 1000));
    const rssIdle = rssOf(server.pid);

    const loud = await edits(server, id, mine, EDITS_PER_EDITOR);
    await new Promise((r) => setTimeout(r, 1500));
    const expected = loud.latencies.length;
    let complete = 0;
    let inOrder = 0;
    let duplicates = 0;
    for (const l of listeners) {
      const ids = new Set(l.events.map((e) => e.id));
      duplicates += l.events.length - ids.size;
      if (l.events.length === expected) complete++;
      const last = new Map<string, number>();
      let ok = true;
      for (const e of l.events) {
        if ((last.get(e.paragraphId) ?? 0) >= e.revision) ok = false;
        last.set(e.paragraphId, e.revision);
      }
      if (ok) inOrder++;
      l.close();
    }

    const p99q = quantile(quiet.latencies, 0.99);
    const p99l = quantile(loud.latencies, 0.99);
    const ratio = p99l / p99q;
    const perListener = (rssIdle - rssBefore) / LISTENERS;
    const md = [
      '## 9. Live desk (issue 17)',
      '',
      `${today()} · ${machine()} · ${load} · \`npm run bench:live\` (lowdb, server in its own process): a ${SIZE}-paragraph article with ${REVISIONS.toLocaleString('en-US')} revisions; ${EDITORS} editors each editing their own paragraph ${EDITS_PER_EDITOR} times, one request at a time; then the same with ${LISTENERS} listeners on the article's event stream.`,
      '',
      table(['', 'edits', 'p50', 'p99', 'errors'], [
        ['without listeners', quiet.latencies.length, ms(median(quiet.latencies)), ms(p99q), quiet.errors],
        [`with ${LISTENERS} listeners`, loud.latencies.length, ms(median(loud.latencies)), ms(p99l), loud.errors],
      ]),
      '',
      `- Edit p99 with listeners ÷ without: **${ratio.toFixed(2)}×** (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'not met'}).`,
      `- Every listener got every event once: ${complete} of ${LISTENERS} listeners got all ${expected} events; ${duplicates} duplicates; ${inOrder} of ${LISTENERS} saw each paragraph's revisions in increasing order.`,
      `- Memory per idle listener (server RSS after opening ${LISTENERS} streams, minus before, ÷ ${LISTENERS}): ${(perListener / 1024).toFixed(1)} KB.`,
    ].join('\n');
    console.log(md);
    writeSection('liveDesk', md);
  } finally {
    await server?.stop();
    await remove();
  }
}

await main();
