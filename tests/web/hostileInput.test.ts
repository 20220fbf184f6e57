/**
 * Hostile input (issue 5, item 5): markup, entities, bidi and zero-width characters, bad bytes, NUL,
 * huge paragraphs and articles, empty files, an LLM reply carrying HTML, and paths that try to leave
 * their directories. Everything runs against the real app over HTTP and checks what a user would see.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { OpenAIEngine } from '../../server/engines/openai.js';
import { openStores } from '../../server/store/open.js';
import { removeData, repoRoot, startApp, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { onPostgres, storeEnvFor } from '../support/postgres.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { entryArgs } from '../support/entry.js';

const actor = { username: 'admin', role: 'admin' as const };

/** A GET of a page as a browser would ask for it (HTML), acting with the admin's token. */
async function page(app: RunningApp, path: string) {
  const res = await fetch(app.url + path, { headers: { accept: 'text/html', authorization: `Bearer ${app.tokens.admin}` } });
  return { status: res.status, html: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** A GET that sends the path exactly as written: fetch would resolve `%2e%2e` segments before sending. */
function rawGet(app: RunningApp, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${app.tokens.admin}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The text content of every `class="text…"` element of a page (the paragraph text blocks). */
function textElements(html: string): string[] {
  return [...html.matchAll(/<p class="text[^"]*"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
}

/** Every file below `dir`, as paths relative to it. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entryArgs('server/cli/import.ts'), ...args], {
      cwd: repoRoot,
      env: { ...env, NODE_ENV: 'development', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hostile input, against the real app', () => {
  let parent: string;
  let app: RunningApp;
  let api: ReturnType<typeof tokenClient>;

  beforeAll(async () => {
    // The data directory sits alone in its own parent, so writes outside it would show.
    parent = await tempDir('postedit-hostile-');
    app = await startApp({ dataDir: join(parent, 'data') });
    api = tokenClient(app, 'admin');
  });
  afterAll(async () => app.close(true));

  async function articleCount() {
    return (await app.services.store.listArticles()).length;
  }

  it('renders <script>, <img onerror> and HTML entities inert, and keeps them verbatim in the API and the export', async () => {
    const input = [
      '<script>alert(1)</script> in the headline',
      'Breaking: a wire story carried <img src=x onerror=alert(1)> inside its second paragraph.',
      'Entities stay literal: &lt;b&gt;bold&lt;/b&gt; &amp; more, even &amp;amp; and &#60;i&#62;.',
      'Quotes " and \' and a closing </p></textarea></article> must not end anything early.',
    ].join('\n\n') + '\n';
    const r = await api.post('/api/articles', { text: input, filename: 'hostile-markup.txt' });
    expect(r.status).toBe(201);
    const id = r.json.id as string;

    const art = await api.get(`/api/articles/${id}`);
    expect(art.json.paragraphs.map((p: { text: string }) => p.text).join('\n\n') + '\n').toBe(input);
    expect(art.json.paragraphs.map((p: { mt: string }) => p.mt).join('\n\n') + '\n').toBe(input);
    expect(art.json.title).toBe('<script>alert(1)</script> in the headline');

    const { status, html } = await page(app, `/articles/${id}`);
    expect(status).toBe(200);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</textarea></article>');
    // Shown as the text it is: escaped once, entities escaped so they read as typed.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; in the headline');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp; more, even &amp;amp;amp; and &amp;#60;i&amp;#62;.');
    expect(html).not.toContain('&lt;b&gt;');
    expect(html).toMatch(/<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; in the headline/);

    const list = await page(app, '/');
    expect(list.status).toBe(200);
    expect(list.html).not.toContain('<script>alert');
    expect(list.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; in the headline');

    const exp = await fetch(`${app.url}/api/articles/${id}/export?format=txt`, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await exp.text()).toBe(input);
  });

  it('shows markup typed in an edit escaped in the diff and in the history page', async () => {
    const r = await api.post('/api/articles', { text: 'The council met on Monday to discuss the budget for next year.\n', filename: 'markup-edit.txt' });
    expect(r.status).toBe(201);
    const id = r.json.id as string;
    const hostile = 'The council met on <b onmouseover=alert(2)>Monday</b> to discuss <script>alert(3)</script> the budget.';
    const e = await api.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 1, text: hostile });
    expect(e.status).toBe(200);
    expect(e.json.text).toBe(hostile);

    const editor = await page(app, `/articles/${id}`);
    expect(editor.status).toBe(200);
    expect(editor.html).toContain('data-kind="from-mt"');
    for (const html of [editor.html, (await page(app, `/articles/${id}/paragraphs/p1/history?a=1&b=2`)).html]) {
      expect(html).not.toContain('<b onmouseover');
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    }
  });

  it('keeps right-to-left text, the RLO override and zero-width characters verbatim, inside their paragraph', async () => {
    const input = [
      'Breaking news from the region',
      'The minister said مرحبا بالعالم in Arabic and שלום עולם in Hebrew at the meeting.',
      'A file named invoice\u202Etxt.exe was attached to the message, police said.',
      'Zero\u200Bwidth space, a family 👨\u200D👩\u200D👧 emoji and a stray\uFEFFBOM inside the sentence.',
    ].join('\n\n') + '\n';
    const r = await api.post('/api/articles', { text: input, filename: 'bidi.txt' });
    expect(r.status).toBe(201);
    const id = r.json.id as string;

    const art = await api.get(`/api/articles/${id}`);
    const texts = art.json.paragraphs.map((p: { text: string }) => p.text) as string[];
    expect(texts.join('\n\n') + '\n').toBe(input);
    expect(texts[2]).toContain('invoice\u202Etxt.exe');
    expect(texts[3]).toContain('Zero\u200Bwidth');
    expect(texts[3]).toContain('\uFEFFBOM');

    const exp = await fetch(`${app.url}/api/articles/${id}/export?format=txt`, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
    expect(exp.status).toBe(200);
    expect(Buffer.from(await exp.arrayBuffer()).equals(Buffer.from(input, 'utf8'))).toBe(true);

    const { status, html } = await page(app, `/articles/${id}`);
    expect(status).toBe(200);
    const blocks = textElements(html);
    // The override is isolated in its own `.text` block (unicode-bidi: plaintext), not loose in the page.
    expect(blocks.some((b) => b.includes('invoice\u202Etxt.exe'))).toBe(true);
    expect(blocks.some((b) => b.includes('مرحبا بالعالم') && b.includes('שלום עולם'))).toBe(true);
    expect(blocks.some((b) => b.includes('Zero\u200Bwidth') && b.includes('\uFEFFBOM'))).toBe(true);
    const css = await (await fetch(`${app.url}/static/app.css`)).text();
    expect(css).toMatch(/\.text\s*\{[^}]*unicode-bidi:\s*plaintext/);
  });

  it('refuses a corpus file with invalid UTF-8, naming the file, and stores nothing', async () => {
    const dir = await tempDir('postedit-badutf8-');
    const file = join(dir, 'bad-bytes.txt');
    await writeFile(file, Buffer.concat([Buffer.from('A valid first line of the article.\n\nThen broken bytes: '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(' here.\n')]));
    const before = await app.services.store.listArticles();
    await expect(importFile(app.services, file, actor)).rejects.toThrow(/bad-bytes\.txt.*UTF-8/);
    expect(await app.services.store.listArticles()).toEqual(before);
  });

  it('refuses invalid UTF-8 in the import CLI with exit code 1 and a one-line reason', async () => {
    const dir = await tempDir('postedit-badutf8-cli-');
    const file = join(dir, 'latin1-story.txt');
    // "Café" in Latin-1: 0xE9 followed by a newline is not UTF-8.
    await writeFile(file, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x2e, 0x0a]));
    const data = join(dir, 'data');
    onTestFinished(() => removeData(data));
    const env = await storeEnvFor(data);
    const out = await runCli([file, '--data', data], env);
    expect(out.code).toBe(1);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/latin1-story\.txt.*UTF-8/);
    expect(out.stdout).not.toMatch(/imported/);
    // Nothing stored, read through the store the CLI used (lowdb files in `data`, or its database).
    const { store } = await openStores(data, env);
    try {
      expect(await store.listArticles()).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('refuses NUL bytes in posted text with 400 and stores nothing', async () => {
    const before = await articleCount();
    const r = await api.post('/api/articles', { text: 'A headline here\n\nA body with a NUL \u0000 byte in the middle.\n', filename: 'nul.txt' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/NUL/);
    expect(await articleCount()).toBe(before);
    expect(await app.services.store.getArticle('nul')).toBeUndefined();
  });

  it('refuses a corpus file with NUL bytes, naming the file', async () => {
    const dir = await tempDir('postedit-nul-');
    const file = join(dir, 'binary.txt');
    await writeFile(file, Buffer.from('Looks like text\n\x00\x00\x00\x01binary tail\n', 'latin1'));
    const before = await articleCount();
    await expect(importFile(app.services, file, actor)).rejects.toThrow(/binary\.txt.*NUL/);
    expect(await articleCount()).toBe(before);
  });

  it('accepts a 200,000-character paragraph and still serves its editor page quickly', async () => {
    const para = ('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ').repeat(4000).slice(0, 199_999) + '.';
    expect(para.length).toBe(200_000);
    const r = await api.post('/api/articles', { text: `${para}\n`, filename: 'huge-paragraph.txt' });
    expect(r.status).toBe(201);
    expect(r.json.paragraphs).toHaveLength(1);
    expect(r.json.paragraphs[0].text).toBe(para);
    const started = Date.now();
    const { status, html } = await page(app, `/articles/${r.json.id}`);
    expect(status).toBe(200);
    expect(html).toContain(para);
  });

  it('refuses a 200,001-character paragraph with 400 naming the limit', async () => {
    const before = await articleCount();
    const para = 'x'.repeat(200_000) + '.';
    const r = await api.post('/api/articles', { text: para, filename: 'too-long.txt' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/200[,_ ]?000/);
    expect(await articleCount()).toBe(before);
  });

  it('imports 10,000 paragraphs (one per line) and lists the article', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Paragraph number ${i + 1} of the very long article.`);
    const r = await api.post('/api/articles', { text: lines.join('\n'), title: 'Ten thousand paragraphs', filename: 'ten-thousand.txt' });
    expect(r.status).toBe(201);
    expect(r.json.paragraphs).toHaveLength(10_000);
    const list = await api.get('/api/articles');
    expect(list.json).toContainEqual(expect.objectContaining({ id: r.json.id, title: 'Ten thousand paragraphs', paragraphs: 10_000 }));
    const home = await page(app, '/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Ten thousand paragraphs');
  });

  it('refuses 10,001 paragraphs with 400 naming the limit', async () => {
    const before = await articleCount();
    const lines = Array.from({ length: 10_001 }, (_, i) => `Line ${i + 1} of an article that is one too long.`);
    const r = await api.post('/api/articles', { text: lines.join('\n'), filename: 'ten-thousand-one.txt' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/10,?000/);
    expect(await articleCount()).toBe(before);
  });

  it('refuses empty and blank text with 400 "empty"', async () => {
    const before = await articleCount();
    for (const text of ['', '   \n\n\t  \n', '\uFEFF', '\r\n\r\n', '\u200B\n\u200B\u200D\n\uFEFF\u2060\n']) {
      const r = await api.post('/api/articles', { text, filename: 'blank.txt' });
      expect(r.status, JSON.stringify(text)).toBe(400);
      expect(r.json.error).toMatch(/empty/);
    }
    expect(await articleCount()).toBe(before);
  });

  it('refuses an empty corpus file, naming it', async () => {
    const dir = await tempDir('postedit-empty-');
    const file = join(dir, 'nothing.txt');
    await writeFile(file, '');
    await expect(importFile(app.services, file, actor)).rejects.toThrow(/nothing\.txt.*empty/);
  });

  it('keeps import file names from leaving the data directory', async () => {
    const before = await walk(parent);
    const names = ['../../etc/passwd', '..\\..\\windows\\system.ini', '/etc/shadow', '..', '../.hidden.json', 'x/../../../escape.txt'];
    const ids: string[] = [];
    for (const [i, filename] of names.entries()) {
      const r = await api.post('/api/articles', { text: `Path probe number ${i + 1} arrives.\n`, filename });
      expect(r.status, filename).toBe(201);
      ids.push(r.json.id);
    }
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    for (const id of ids) expect((await app.services.store.getArticle(id))?.id).toBe(id);
    const after = await walk(parent);
    // Only files inside data/ are new, and each belongs to one of the new ids (on PostgreSQL the
    // articles are rows, and no file may appear at all).
    const added = after.filter((f) => !before.includes(f));
    for (const f of added) {
      expect(f.startsWith(`data/`), f).toBe(true);
      expect(f.includes('..'), f).toBe(false);
    }
    if (onPostgres) expect(added).toEqual([]);
    else for (const id of ids) expect(added).toContain(`data/articles/${id}.json`);
    expect(after.some((f) => /passwd|shadow|system\.ini|escape/.test(f) && !f.startsWith('data/articles/'))).toBe(false);
  });

  it('answers 404, never file content, for ids that try to climb out', async () => {
    const probes = [
      '/api/articles/..%2F..%2Fetc%2Fpasswd',
      '/api/articles/%2e%2e/export?format=txt',
      '/api/articles/..%2F..%2Fpackage.json/export?format=txt',
      '/api/articles/..%2fcatalog/export?format=json',
      '/api/articles/%2e%2e%2f%2e%2e%2fusers/paragraphs/p1/history',
      '/articles/..%2F..%2Fetc%2Fpasswd',
    ];
    for (const path of probes) {
      const r = await rawGet(app, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toMatch(/root:|"name": ?"postedit"|"articles":|passwordHash|"users":/);
    }
    // Static files cannot be climbed out of either.
    const s = await rawGet(app, '/static/..%2f..%2fpackage.json');
    expect(s.status).not.toBe(200);
    expect(s.body).not.toContain('"name": "postedit"');
  });

  it('answers an article id holding <script> with a 404 page that shows the id escaped', async () => {
    const { status, html } = await page(app, `/articles/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(status).toBe(404);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('an LLM reply containing HTML', () => {
  let llm: OpenAIServer;
  let app: RunningApp;
  let api: ReturnType<typeof tokenClient>;

  beforeAll(async () => {
    llm = await startOpenAIServer();
    app = await startApp({ engine: new OpenAIEngine({ baseURL: llm.url, apiKey: 'k', model: 'm', maxRetries: 0 }) });
    api = tokenClient(app, 'admin');
  });
  afterAll(async () => {
    await app.close(true);
    await llm.close();
  });

  it('shows the reply escaped in the editor and flags it as not a rewrite', async () => {
    const text = 'The city council approved the new transport budget on Monday after a long debate about bus lanes.';
    const r = await api.post('/api/articles', { text: `${text}\n`, filename: 'llm-html.txt' });
    expect(r.status).toBe(201);
    const id = r.json.id as string;
    llm.setHandler((body) => ({
      type: 'reply',
      text: extractParagraph(body).replace('on Monday', 'on Monday <script>alert("x")</script><img src=x onerror=alert(2)>'),
    }));

    const s = await api.post(`/api/articles/${id}/paragraphs/p1/suggest`, { baseRevision: 1 });
    expect(s.status).toBe(200);
    expect(s.json.suggestion.text).toContain('<script>alert("x")</script>');
    expect(s.json.suggestion.checks).toContainEqual(expect.objectContaining({ check: 'not-a-rewrite', severity: 'warning' }));
    expect(llm.chatRequests()).toHaveLength(1);

    const { status, html } = await page(app, `/articles/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('data-kind="suggestion"');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    // The warning is shown too, with the markup it quotes escaped.
    expect(html).toMatch(/<strong>not-a-rewrite<\/strong>/);
  });
});
