/**
 * Crash safety (issue 5, item 7): the real server, as a child process, is SIGKILLed while a stream of
 * edit / suggest / accept requests is in flight, then started again on the same data directory.
 * Every request that was answered 2xx must be in the history, every data file must parse, history
 * must agree with the articles, and neither a leftover temporary file, a torn log line nor the dead
 * server's server.json may stop it from starting.
 *
 * With DATABASE_URL set the server runs on PostgreSQL (a database of its own): the same stream, kills
 * and checks, read through the store instead of the files; the planted file debris (half-written
 * temporary files, torn log lines) is lowdb's alone and is left out there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../server/store/open.js';
import { corpusDir, removeData, repoRoot, sessionClient, tempDir } from '../support/app.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { onPostgres, storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';
import { processAlive } from '../../server/store/processAlive.js';

const ARTICLE = 'baoan-smart-wearables-en';
const ADMIN = { user: 'admin', password: 'crash-test-password-1' };
/** The paragraphs edited, each by a chain of edit → suggest → accept; p4 gets two chains. */
const CHAINS = ['p4', 'p4', 'p6', 'p10', 'p12', 'p3'];
/** When, after the stream is under way, each round kills the server. */
const KILL_AFTER_MS = [120, 300, 550];

interface Server {
  child: ChildProcess;
  pid: number;
  url: string;
  exited: Promise<number | null>;
  output(): string;
}

/** An action answered 2xx, with the revision and text it produced. */
interface Answered {
  round: number;
  pid: string;
  action: string;
  revision: number;
  text: string;
}

interface ParagraphJson {
  id: string;
  mt: string;
  text: string;
  revision: number;
  status: string;
  suggestion?: { id: string; text: string };
}

interface RevisionLine {
  n: number;
  paragraphId: string;
  text: string;
}

const live = new Set<ChildProcess>();
const dirs: string[] = [];

/**
 * The servers' LLM: a local OpenAI-protocol server (the real SDK path) whose rewrite turns the edit's
 * "[round …]" mark into "(round …)", so every suggestion differs from its text and gets accepted. With
 * the offline engine instead, each restarted server would first start Harper (~3 s of CPU; storage
 * is what these tests are about).
 */
let llm: OpenAIServer | undefined;
async function llmUrl(): Promise<string> {
  if (!llm) {
    llm = await startOpenAIServer();
    llm.setHandler((body) => ({ type: 'reply', text: extractParagraph(body).replace(/\[(round \d+, chain \d+, step \d+)\]/, '($1)') }));
  }
  return llm.url;
}

afterAll(async () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) await removeData(dir);
  await llm?.close();
});

/** A corpus of the one article these tests edit (and the desk glossary): each restart imports and checks only it. */
let smallCorpus: Promise<string> | undefined;
function crashCorpus(): Promise<string> {
  smallCorpus ??= (async () => {
    const root = await tempDir('postedit-crash-corpus-');
    dirs.push(root);
    const dir = join(root, 'corpus');
    await mkdir(dir);
    for (const f of ['baoan-smart-wearables.en.txt', 'glossary.json']) await copyFile(join(corpusDir, f), join(dir, f));
    return dir;
  })();
  return smallCorpus;
}

async function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, entryArgs('server/main.ts'), {
    cwd: repoRoot,
    env: {
      ...(await storeEnvFor(dataDir)),
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      CORPUS_DIR: await crashCorpus(),
      IMPORT_CORPUS: '1',
      // Grammar flags are not what these tests are about: no Harper warm-up in every restarted server.
      POSTEDIT_WARM_GRAMMAR: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      POSTEDIT_ADMIN_USER: ADMIN.user,
      POSTEDIT_ADMIN_PASSWORD: ADMIN.password,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: await llmUrl(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 15 s:\n${out}`)), 15_000);
    const onData = () => {
      const m = /Postedit is running: (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      // It prints `localhost` for 127.0.0.1; ask the address it listens on.
      const u = new URL(m[1]!);
      resolve(`http://127.0.0.1:${u.port}`);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it started:\n${out}`));
    });
  });
  return { child, pid: child.pid!, url, exited, output: () => out };
}

type Api = Awaited<ReturnType<typeof sessionClient>>['api'];

/** One editor's stream on one paragraph: edit, suggest, accept, again, following the revisions answered. */
async function chain(api: Api, pid: string, c: number, round: number, first: ParagraphJson, answered: Answered[], state: { killed: boolean; inFlight: number }) {
  let revision = first.revision;
  const base = `/api/articles/${ARTICLE}/paragraphs/${pid}`;
  const call = async (action: string, body: Record<string, unknown>) => {
    state.inFlight++;
    try {
      const r = await api.post(`${base}/${action}`, body);
      if (r.status >= 200 && r.status < 300) {
        const p = r.json as ParagraphJson;
        answered.push({ round, pid, action, revision: p.revision, text: p.text });
        revision = p.revision;
        return p;
      }
      // A parallel chain got there first: carry on from the current revision.
      if (r.json?.current?.revision) revision = r.json.current.revision;
      return undefined;
    } finally {
      state.inFlight--;
    }
  };
  try {
    for (let k = 0; !state.killed; k++) {
      await call('edit', { baseRevision: revision, text: `${first.mt} [round ${round}, chain ${c}, step ${k}]` });
      if (state.killed) break;
      const s = await call('suggest', { baseRevision: revision });
      if (state.killed) break;
      if (s?.suggestion && s.suggestion.text !== s.text) await call('accept', { baseRevision: revision, suggestionId: s.suggestion.id });
    }
  } catch {
    // The server died under the request: nothing is known about it, and nothing is recorded.
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every .json file parses; with `lines`, every .jsonl line too (after a start-up has repaired torn lines). */
async function expectFilesParse(dataDir: string, lines: boolean) {
  const files = await filesUnder(dataDir);
  // On PostgreSQL the articles are rows: no article file at all.
  expect(files.some((f) => f.endsWith(`${ARTICLE}.json`))).toBe(!onPostgres);
  for (const f of files) {
    const raw = await readFile(f, 'utf8');
    if (f.endsWith('.json')) expect(() => JSON.parse(raw), f).not.toThrow();
    if (lines && f.endsWith('.jsonl')) {
      expect(raw === '' || raw.endsWith('\n'), `${f} ends with a whole line`).toBe(true);
      raw
        .split('\n')
        .filter(Boolean)
        .forEach((line, i) => expect(() => JSON.parse(line), `${f}:${i + 1}`).not.toThrow());
    }
  }
}

interface Stored {
  articles: Array<{ id: string; paragraphs: ParagraphJson[] }>;
  /** Each article's history by paragraph, in the order stored. */
  history: Map<string, Map<string, RevisionLine[]>>;
}

function byParagraph(lines: RevisionLine[]): Map<string, RevisionLine[]> {
  const out = new Map<string, RevisionLine[]>();
  for (const r of lines) out.set(r.paragraphId, [...(out.get(r.paragraphId) ?? []), r]);
  return out;
}

/**
 * Every article and its history as stored: lowdb's files read raw (not through the store, which
 * would repair what it reads), or, on PostgreSQL, the rows read through a store of its own.
 */
async function readStored(dataDir: string): Promise<Stored> {
  const stored: Stored = { articles: [], history: new Map() };
  if (onPostgres) {
    const { store } = await openStores(dataDir, await storeEnvFor(dataDir));
    try {
      for (const { id } of await store.listArticles()) {
        stored.articles.push((await store.getArticle(id)) as unknown as Stored['articles'][number]);
        stored.history.set(id, byParagraph((await store.history(id)) as RevisionLine[]));
      }
    } finally {
      await store.close();
    }
    return stored;
  }
  const articleFiles = (await readdir(join(dataDir, 'articles'))).filter((f) => /^[a-z0-9-]+\.json$/.test(f));
  for (const f of articleFiles) {
    const article = JSON.parse(await readFile(join(dataDir, 'articles', f), 'utf8')) as Stored['articles'][number];
    const raw = await readFile(join(dataDir, 'articles', `${article.id}.history.jsonl`), 'utf8');
    stored.articles.push(article);
    stored.history.set(article.id, byParagraph(raw.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RevisionLine)));
  }
  return stored;
}

/** The data after a restart: consistent files or rows, and every answered action kept. */
async function verify(dataDir: string, answered: Answered[]): Promise<Stored> {
  await expectFilesParse(dataDir, true);
  const stored = await readStored(dataDir);
  expect(stored.articles.map((a) => a.id)).toContain(ARTICLE);
  for (const article of stored.articles) {
    const history = stored.history.get(article.id)!;
    for (const p of article.paragraphs) {
      const ns = (history.get(p.id) ?? []).map((r) => r.n);
      expect(ns, `${article.id} ${p.id}: revisions 1…n in order, no duplicates`).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
      expect(ns.at(-1), `${article.id} ${p.id}: current revision is the last in history`).toBe(p.revision);
    }
    expect([...history.keys()].every((pid) => article.paragraphs.some((p) => p.id === pid)), `${article.id}: no history of unknown paragraphs`).toBe(true);
  }
  const history = stored.history.get(ARTICLE)!;
  for (const a of answered) {
    const kept = history.get(a.pid)?.find((r) => r.n === a.revision);
    expect(kept, `round ${a.round}: ${a.action} of ${a.pid} answered revision ${a.revision}`).toBeDefined();
    expect(kept!.text, `round ${a.round}: ${a.action} of ${a.pid} revision ${a.revision}`).toBe(a.text);
  }
  return stored;
}

/**
 * What a crash mid-write could leave: a half-written temporary article file, a revision appended by an
 * action whose article write never happened, and torn last log lines.
 */
async function plantDebris(dataDir: string, withOrphan: boolean) {
  const article = JSON.parse(await readFile(join(dataDir, 'articles', `${ARTICLE}.json`), 'utf8')) as { paragraphs: ParagraphJson[] };
  const p6 = article.paragraphs.find((p) => p.id === 'p6')!;
  const orphan = { n: p6.revision + 1, paragraphId: 'p6', action: 'edit', author: 'admin', at: new Date().toISOString(), text: 'never confirmed', status: 'edited', diff: { added: 2, removed: 0 }, op: 'orphan' };
  const history = join(dataDir, 'articles', `${ARTICLE}.history.jsonl`);
  // A line torn by the kill itself would be completed by this newline; the repair must cope either way.
  const raw = await readFile(history, 'utf8');
  if (withOrphan) await appendFile(history, `${raw.endsWith('\n') ? '' : '\n'}${JSON.stringify(orphan)}\n`);
  await writeFile(join(dataDir, 'articles', `.${ARTICLE}.json.tmp`), '{"id":"baoan-smart-wearables-en","title":"Established the fir');
  await writeFile(join(dataDir, `.catalog.json.tmp`), '{"version":1,"articles":[{"id":"baoan');
  await appendFile(history, '{"n":999,"paragraphId":"p4","action":"edit","author":"admin","text":"torn wri');
  await appendFile(join(dataDir, 'articles', `${ARTICLE}.suggestions.jsonl`), '{"id":"s-torn","paragraphId":"p4","te');
}

describe('crash safety of the real server', () => {
  it('keeps every answered action through SIGKILLs in mid-stream and starts again every time', async () => {
    const dataDir = await tempDir('postedit-crash-');
    dirs.push(dataDir);
    const answered: Answered[] = [];
    let interrupted = 0;
    let server = await startServer(dataDir);

    for (const [round, killAfter] of KILL_AFTER_MS.entries()) {
      const { api } = await sessionClient(server.url, ADMIN.user, ADMIN.password);
      const article = (await api.get(`/api/articles/${ARTICLE}`)).json as { paragraphs: ParagraphJson[] };
      const state = { killed: false, inFlight: 0 };
      const before = answered.length;
      const chains = CHAINS.map((pid, c) => chain(api, pid, c, round, article.paragraphs.find((p) => p.id === pid)!, answered, state));

      // Once the stream is under way (the first round runs on a cold server), let it run a while.
      // A busy machine (a PostgreSQL pass beside other work) can take a while for the first six.
      const deadline = Date.now() + 30_000;
      while (answered.length - before < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      state.killed = true;
      interrupted += state.inFlight;
      server.child.kill('SIGKILL');
      expect(await server.exited).toBeNull();
      await Promise.all(chains);
      expect(answered.length - before, `round ${round}: actions answered before the kill`).toBeGreaterThan(5);

      // The dead server's mark is left behind, naming a process that no longer exists.
      const mark = JSON.parse(await readFile(join(dataDir, 'server.json'), 'utf8')) as { pid: number };
      expect(mark.pid).toBe(server.pid);
      expect(processAlive(server.pid)).toBe(false);
      // JSON files are replaced atomically, so they parse even straight after the kill.
      await expectFilesParse(dataDir, false);
      // The orphan only once: dropping it rewrites the log, which would also hide a torn line left in place.
      // (lowdb's files only: on PostgreSQL a transaction cut off by the kill is rolled back by the server.)
      if (!onPostgres) await plantDebris(dataDir, round === 0);

      server = await startServer(dataDir);
      expect(server.output()).toMatch(/corpus .*: 0 imported, [1-9]\d* already there, 0 failed/);
      expect(JSON.parse(await readFile(join(dataDir, 'server.json'), 'utf8')).pid).toBe(server.pid);
      if (!onPostgres) await expect(stat(join(dataDir, 'articles', `.${ARTICLE}.json.tmp`))).rejects.toThrow(/ENOENT/);
      const stored = await verify(dataDir, answered);

      // The restarted server serves what is stored.
      const history = stored.history.get(ARTICLE)!;
      const served = (await (await sessionClient(server.url, ADMIN.user, ADMIN.password)).api.get(`/api/articles/${ARTICLE}`)).json as { paragraphs: ParagraphJson[] };
      for (const p of served.paragraphs) {
        const last = history.get(p.id)!.at(-1)!;
        expect(p.revision, p.id).toBe(last.n);
        expect(p.text, p.id).toBe(last.text);
      }
    }
    // The kills really landed on requests in flight, and the streams had every kind of action answered.
    expect(interrupted).toBeGreaterThan(0);
    console.log(`crash safety: ${['edit', 'suggest', 'accept'].map((k) => `${answered.filter((a) => a.action === k).length} ${k}`).join(', ')} answered; ${interrupted} in flight at the kills`);
    for (const action of ['edit', 'suggest', 'accept']) expect(answered.some((a) => a.action === action), action).toBe(true);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);
});
