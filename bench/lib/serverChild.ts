/**
 * The server under test, in its own process (so the benchmark's client does not share its event
 * loop): the real app from `createApp` over BENCH_DATA_DIR, opened from disk, plus — when
 * BENCH_STATIC_FILE is set — a plain node:http server answering every request with that file's bytes.
 * Both record their server time per request (request in → last byte handed to the socket).
 * Run by `startServer()` with `node --import tsx`; talks to the parent over IPC.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setWorkerBatch, setWorkerNice } from '../../server/checks/offThread.js';
import { parseWorkerBatch, parseWorkerNice } from '../../server/config.js';
import { createApp } from '../../server/web/app.js';
import { paragraphView } from '../../server/web/presenters.js';
import { editorToken, openServices } from './data.js';
import type { ChildMessage, ParentMessage } from './server.js';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is not set');
const staticFile = process.env.BENCH_STATIC_FILE;

const send = (m: ChildMessage) => process.send!(m);
// As `npm start` does (the defaults unless POSTEDIT_WORKER_NICE or POSTEDIT_WORKER_BATCH say otherwise: A/B runs).
setWorkerNice(parseWorkerNice(process.env.POSTEDIT_WORKER_NICE));
setWorkerBatch(parseWorkerBatch(process.env.POSTEDIT_WORKER_BATCH));

const services = await openServices(dataDir);
const token = await editorToken(services);
const app = createApp(services);

/** Server time per request, by a key (`page`, `static`, or the action name). */
let timings: Record<string, number[]> = {};
let cpuMark = process.cpuUsage();
let loopMark = performance.eventLoopUtilization();

/**
 * CPU time of the main thread alone (Linux: /proc/self/task/PID/stat, in clock ticks of 10 ms), so a
 * benchmark can tell the request thread's cost from the check workers'; NaN elsewhere.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
let mainCpuMark = mainThreadCpuMs();
/** Time spent in garbage collection (all kinds) on the main thread since the last `timings`. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

function timed(handler: RequestListener, keyOf: (req: IncomingMessage) => string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const key = keyOf(req);
      (timings[key] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
    });
    handler(req, res);
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

const appServer = createServer(
  timed(app as unknown as RequestListener, (req) => {
    const m = /\/paragraphs\/[^/]+\/([a-z]+)$/.exec(req.url ?? '');
    return m ? m[1]! : req.method === 'GET' ? 'page' : 'other';
  }),
);
const servers: Server[] = [appServer];
const url = await listen(appServer);

let staticUrl: string | undefined;
if (staticFile) {
  const staticServer = createServer(
    timed(async (_req, res) => {
      const body = await readFile(staticFile);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
    }, () => 'static'),
  );
  servers.push(staticServer);
  staticUrl = await listen(staticServer);
}

/**
 * Stage timings inside real requests, without touching server code: the store's getArticle,
 * readArticle and updateArticle, and Express's app.render, are wrapped on the live objects.
 *   stage:getArticle     — getArticle (a copy of the article)
 *   stage:readArticle    — readArticle (the stored, frozen article itself: what the editor page reads)
 *   stage:render         — EJS render of the page (view + partials)
 *   stage:lockWait+clone — updateArticle called → change function starts (queue behind the article's lock, then structuredClone)
 *   stage:change         — the command's change function (checks, diffs, undo entry, answer clone)
 *   stage:persist        — change returned → updateArticle resolves (append JSONL, stringify + write + rename article file)
 */
function stage(key: string, msTaken: number): void {
  (timings[`stage:${key}`] ??= []).push(msTaken);
}
const store = services.store;
const getArticle = store.getArticle.bind(store);
store.getArticle = async (id) => {
  const t = performance.now();
  const a = await getArticle(id);
  stage('getArticle', performance.now() - t);
  return a;
};
const readArticle = store.readArticle.bind(store);
store.readArticle = async (id) => {
  const t = performance.now();
  const a = await readArticle(id);
  stage('readArticle', performance.now() - t);
  return a;
};
const updateArticle = store.updateArticle.bind(store);
store.updateArticle = async (id, change) => {
  const t0 = performance.now();
  let t1 = t0;
  let t2 = t0;
  const result = await updateArticle(id, async (draft) => {
    t1 = performance.now();
    try {
      return await change(draft);
    } finally {
      t2 = performance.now();
    }
  });
  const t3 = performance.now();
  stage('lockWait+clone', t1 - t0);
  stage('change', t2 - t1);
  stage('persist', t3 - t2);
  return result;
};
const render = app.render.bind(app);
(app as { render: typeof app.render }).render = ((name: string, options: object, callback: (err: Error | null, html?: string) => void) => {
  const t = performance.now();
  render(name, options, (err: Error | null, html?: string) => {
    stage('render', performance.now() - t);
    callback(err, html);
  });
}) as typeof app.render;

/** Costs measured directly on the stored article: a structuredClone, and paragraphView of every paragraph. */
async function breakdown(articleId: string, runs: number) {
  const stages: Record<string, number[]> = { structuredClone: [], paragraphViews: [], jsonStringify: [] };
  const article = (await getArticle(articleId))!;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    structuredClone(article);
    stages.structuredClone!.push(performance.now() - t);
    t = performance.now();
    article.paragraphs.map((p) => paragraphView(p));
    stages.paragraphViews!.push(performance.now() - t);
    t = performance.now();
    JSON.stringify(article);
    stages.jsonStringify!.push(performance.now() - t);
  }
  return { stages, bytes: Buffer.byteLength(JSON.stringify(article)) };
}

process.on('message', (m: ParentMessage) => {
  void (async () => {
    switch (m.type) {
      case 'timings': {
        // CPU of the whole process (its worker threads too) and time the main thread's event loop was
        // busy, since the last `timings`: per request, figures that other load on the machine moves
        // far less than latency.
        const cpu = process.cpuUsage(cpuMark);
        const loop = performance.eventLoopUtilization(loopMark);
        const mainCpu = mainThreadCpuMs();
        timings['cpu'] = [(cpu.user + cpu.system) / 1000];
        timings['mainCpu'] = [mainCpu - mainCpuMark];
        timings['loopActive'] = [loop.active];
        timings['gc'] = [gcMs];
        send({ type: 'timings', timings });
        timings = {};
        cpuMark = process.cpuUsage();
        mainCpuMark = mainCpu;
        loopMark = performance.eventLoopUtilization();
        gcMs = 0;
        break;
      }
      case 'viewCache':
        app.set('view cache', m.on);
        send({ type: 'ok' });
        break;
      case 'breakdown':
        send({ type: 'breakdown', ...(await breakdown(m.articleId, m.runs)) });
        break;
      case 'stop':
        for (const s of servers) s.closeAllConnections();
        await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
        await services.store.close();
        send({ type: 'stopped' });
        process.disconnect();
        // A normal exit, so --cpu-prof can write its profile.
        process.exit(0);
    }
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});

// If the benchmark dies, do not linger as an orphan.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', url, token, pid: process.pid, ...(staticUrl ? { staticUrl } : {}) });
