/**
 * No stack traces, anywhere (issue 16, item 10): what the body parsers refuse (malformed JSON or
 * form, too large, too many fields, an unknown charset or encoding), a path whose %-encoding does not
 * decode, and any other thrown error answer 4xx/5xx with a short message of our own — the error page
 * on page routes (rendered with its layout even when the request never reached the locals
 * middleware), `{error, code}` on /api. The server started as `npm start` runs with production
 * settings unless POSTEDIT_DEV=1 (`npm run dev`) asks otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { corpusDir, removeData, repoRoot, startApp, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

let app: RunningApp;
let articleId: string;

beforeAll(async () => {
  app = await startApp();
  const r = await tokenClient(app, 'admin').post('/api/articles', { text: 'First paragraph of the test.\n\nSecond paragraph of the test.', title: 'Errors' });
  articleId = r.json.id;
});
afterAll(async () => app?.close(true));

/** What must never reach a client: a stack frame, a source path, an exception's name. */
function expectNoInternals(body: string) {
  expect(body).not.toMatch(/\n\s+at [^\n]*:\d+:\d+/);
  expect(body).not.toMatch(/node_modules|\.ts:\d|\.js:\d|\.ejs/);
  expect(body).not.toMatch(/ReferenceError|TypeError|SyntaxError|URIError|RangeError/);
  expect(body).not.toContain(repoRoot);
  expect(body).not.toContain('/work/');
}

/** A request sent exactly as written (fetch would re-encode a malformed path). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const html = { accept: 'text/html' };
const json = { accept: 'application/json' };
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const manyFields = Array.from({ length: 2000 }, (_, i) => `f${i}=1`).join('&');

/** The error page's message, and proof that the whole layout rendered (the top bar, not a fallback). */
function errorPage(body: string): { message: string | undefined; layout: boolean } {
  return { message: /<p class="error-message">([^<]*)<\/p>/.exec(body)?.[1], layout: body.includes('<header class="topbar">') };
}

describe('page routes: a short error page, never a stack', () => {
  const cases: Array<[string, string, Record<string, string>, string | Buffer, number, RegExp]> = [
    ['malformed JSON', '/login', JSON_TYPE, '{"username": "admin", ', 400, /not valid JSON/],
    ['a JSON body over 2 MB', '/login', JSON_TYPE, JSON.stringify({ username: 'x'.repeat(2_200_000) }), 413, /too large/],
    ['a form over 2 MB', '/login', FORM_TYPE, `username=${'x'.repeat(2_200_000)}`, 413, /too large/],
    ['a form with 2,000 fields', '/login', FORM_TYPE, manyFields, 413, /too many fields/],
    ['a charset the parser does not know', '/login', { 'content-type': 'application/json; charset=koi8-r' }, '{}', 415, /charset/],
    ['an unknown Content-Encoding', '/login', { ...JSON_TYPE, 'content-encoding': 'bogus' }, '{}', 415, /Content-Encoding/],
  ];
  for (const [name, path, headers, body, status, message] of cases) {
    it(`${name}: ${status}`, async () => {
      const r = await raw(app.url, 'POST', path, { ...html, ...headers }, body);
      expect(r.status).toBe(status);
      expect(r.type).toMatch(/text\/html/);
      const page = errorPage(r.body);
      expect(page.message).toMatch(message);
      // Refused by the body parser, before the locals middleware: the page still has its layout.
      expect(page.layout).toBe(true);
      expectNoInternals(r.body);
    });
  }

  it('a path whose %-encoding does not decode: 400', async () => {
    const auth = { authorization: `Bearer ${app.tokens.editor}` };
    for (const path of ['/articles/%E0%A4%A', `/articles/${articleId}/paragraphs/%E0%A4%A/history`, '/articles/%FF']) {
      const r = await raw(app.url, 'GET', path, { ...html, ...auth });
      expect(r.status, path).toBe(400);
      expect(errorPage(r.body).message).toMatch(/malformed %-encoding/);
      expectNoInternals(r.body);
    }
  });

  it('a form action with a malformed path or body, from a logged-in editor: 4xx page', async () => {
    const auth = { authorization: `Bearer ${app.tokens.editor}` };
    const bad = await raw(app.url, 'POST', `/articles/${articleId}/paragraphs/%E0%A4%A/edit`, { ...html, ...auth, ...FORM_TYPE }, 'baseRevision=1&text=x');
    expect(bad.status).toBe(400);
    expectNoInternals(bad.body);
    const big = await raw(app.url, 'POST', `/articles/${articleId}/paragraphs/p1/edit`, { ...html, ...auth, ...FORM_TYPE }, `baseRevision=1&text=${'x'.repeat(2_200_000)}`);
    expect(big.status).toBe(413);
    expect(errorPage(big.body).layout).toBe(true);
    expectNoInternals(big.body);
  });
});

describe('/api: {error, code}, never a stack', () => {
  const auth = () => ({ authorization: `Bearer ${app.tokens.admin}` });
  const cases: Array<[string, string, Record<string, string>, string, number, string, RegExp]> = [
    ['malformed JSON', '/api/articles', JSON_TYPE, '{"text": ', 400, 'bad_json', /not valid JSON/],
    ['malformed JSON before login', '/api/login', JSON_TYPE, '{nope', 400, 'bad_json', /not valid JSON/],
    ['a body over 2 MB', '/api/articles', JSON_TYPE, JSON.stringify({ text: 'x'.repeat(2_200_000) }), 413, 'too_large', /too large/],
    ['a form with 2,000 fields', '/api/articles', FORM_TYPE, manyFields, 413, 'too_large', /too many fields/],
    ['an unknown charset', '/api/articles', { 'content-type': 'application/json; charset=koi8-r' }, '{}', 415, 'unsupported_charset', /charset/],
  ];
  for (const [name, path, headers, body, status, code, message] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const r = await raw(app.url, 'POST', path, { ...json, ...auth(), ...headers }, body);
      expect(r.status).toBe(status);
      expect(r.type).toMatch(/application\/json/);
      const parsed = JSON.parse(r.body);
      expect(parsed).toEqual({ error: expect.stringMatching(message), code });
      expectNoInternals(r.body);
    });
  }

  it('a path whose %-encoding does not decode: 400 bad_path', async () => {
    for (const [method, path] of [
      ['GET', '/api/articles/%E0%A4%A'],
      ['GET', `/api/articles/${articleId}/paragraphs/%E0%A4%A/history`],
      ['POST', `/api/articles/${articleId}/paragraphs/%E0%A4%A/edit`],
    ] as const) {
      const r = await raw(app.url, method, path, { ...json, ...auth(), ...JSON_TYPE }, method === 'POST' ? '{"baseRevision":1,"text":"x"}' : undefined);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body)).toEqual({ error: 'the address contains malformed %-encoding', code: 'bad_path' });
      expectNoInternals(r.body);
    }
  });
});

describe('any other thrown error', () => {
  /** Makes the article list throw an error that names a file, as a real failure would. */
  function breakListing(target: RunningApp) {
    const store = target.services.store;
    const original = store.listArticles.bind(store);
    store.listArticles = async () => {
      throw new TypeError(`cannot read /srv/postedit/data/catalog.json: secret detail`);
    };
    onTestFinished(() => {
      store.listArticles = original;
    });
  }

  it('production (the default): 500 with a short message, on pages and /api', async () => {
    breakListing(app);
    const page = await raw(app.url, 'GET', '/', { ...html, authorization: `Bearer ${app.tokens.editor}` });
    expect(page.status).toBe(500);
    expect(errorPage(page.body).message).toMatch(/something went wrong/);
    expect(page.body).not.toContain('secret detail');
    expect(page.body).not.toContain('/srv/postedit');
    expectNoInternals(page.body);
    const api = await tokenClient(app, 'editor').get('/api/articles');
    expect(api.status).toBe(500);
    expect(api.json).toEqual({ error: expect.stringMatching(/something went wrong/), code: 'internal' });
    expectNoInternals(api.text);
  });

  it('with the dev flag, a 500 page shows the stack (and /api still does not)', async () => {
    const dev = await startApp({ app: { dev: true } });
    onTestFinished(() => dev.close(true));
    breakListing(dev);
    const page = await raw(dev.url, 'GET', '/', { ...html, authorization: `Bearer ${dev.tokens.editor}` });
    expect(page.status).toBe(500);
    expect(page.body).toContain('secret detail');
    expect(page.body).toMatch(/class="error-detail"/);
    const api = await tokenClient(dev, 'editor').get('/api/articles');
    expect(api.json.error).not.toContain('secret detail');
  });
});

describe('npm start: production settings unless POSTEDIT_DEV=1', () => {
  const children = new Set<ChildProcess>();
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  async function start(extra: NodeJS.ProcessEnv): Promise<{ url: string; out: () => string }> {
    const dataDir = await tempDir();
    onTestFinished(() => removeData(dataDir));
    const child = spawn(process.execPath, entryArgs('server/main.ts'), {
      cwd: repoRoot,
      env: {
        ...(await storeEnvFor(dataDir)),
        // What vitest sets, and what an operator may have left in the environment: it must not turn on stacks.
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        CORPUS_DIR: corpusDir,
        IMPORT_CORPUS: '0',
        PORT: '0',
        HOST: '127.0.0.1',
        POSTEDIT_ADMIN_USER: 'admin',
        POSTEDIT_ADMIN_PASSWORD: 'admin-password-1',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    onTestFinished(async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      children.delete(child);
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 15 s:\n${out}`)), 15_000);
      child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
      const poll = setInterval(() => {
        const m = /Postedit is running: (http:\/\/\S+)/.exec(out);
        if (!m || !/mode: /.test(out)) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${new URL(m[1]!).port}`);
      }, 50);
    });
    return { url, out: () => out };
  }

  it('without the flag: production mode, and a malformed request gets the short page', async () => {
    const server = await start({ POSTEDIT_DEV: '' });
    expect(server.out()).toMatch(/mode: production/);
    const r = await raw(server.url, 'POST', '/login', { ...html, ...JSON_TYPE }, '{"username": ');
    expect(r.status).toBe(400);
    expect(errorPage(r.body)).toEqual({ message: 'the request body is not valid JSON', layout: true });
    expectNoInternals(r.body);
    const path = await raw(server.url, 'GET', '/api/articles/%E0%A4%A', { ...json });
    // Not logged in: refused before the route, still as JSON without internals.
    expect(path.status).toBe(401);
    expectNoInternals(path.body);
  });

  it('POSTEDIT_DEV=1: development mode', async () => {
    const server = await start({ POSTEDIT_DEV: '1' });
    expect(server.out()).toMatch(/mode: development/);
  });
});
