import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { LoginLimiter } from '../../server/auth/loginLimiter.js';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.js';
import { storeEnvFor } from '../support/postgres.js';
import { client, passwordOf, removeData, repoRoot, seedPath, sessionClient, startApp, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { entryArgs } from '../support/entry.js';

let app: RunningApp;
let id: string;

beforeAll(async () => {
  app = await startApp();
  ({ article: { id } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
});
afterAll(async () => app.close(true));

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('wrong horse', a)).toBe(false);
  });
});

describe('login and sessions', () => {
  it('answers {user, role, csrfToken} and sets an httpOnly SameSite=Lax cookie', async () => {
    const r = await fetch(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'editor', password: passwordOf('editor') }) });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ user: 'editor', role: 'editor', csrfToken: expect.any(String) });
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/postedit_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('refuses a wrong password with 401 and the same message as an unknown user', async () => {
    const a = await client(app.url).post('/api/login', { username: 'editor', password: 'not-the-password' });
    const b = await client(app.url).post('/api/login', { username: 'nobody', password: 'not-the-password' });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.json.error).toBe(b.json.error);
  });

  it('requires the CSRF token on cookie-authenticated changes, not on token-authenticated ones', async () => {
    const s = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const without = await s.bare.post(`/api/articles/${id}/paragraphs/p2/suggest`, {});
    expect(without.status).toBe(403);
    expect(without.json.error).toMatch(/CSRF/);
    const wrong = await client(app.url, { cookie: s.cookie, 'x-csrf-token': 'forged' }).post(`/api/articles/${id}/paragraphs/p2/suggest`, {});
    expect(wrong.status).toBe(403);
    expect((await s.api.post(`/api/articles/${id}/paragraphs/p2/suggest`, {})).status).toBe(200);
    expect((await tokenClient(app, 'editor').post(`/api/articles/${id}/paragraphs/p2/suggest`, {})).status).toBe(200);
    // Reading needs no token.
    expect((await s.bare.get(`/api/articles/${id}`)).status).toBe(200);
  });

  it('checks the CSRF field of plain HTML forms', async () => {
    const s = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const form = (fields: Record<string, string>) =>
      fetch(`${app.url}/articles/${id}/paragraphs/p6/suggest`, { method: 'POST', redirect: 'manual', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    expect((await form({})).status).toBe(403);
    const ok = await form({ _csrf: s.csrfToken });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/articles/${id}#p6`);
  });

  it('puts the CSRF token in every page form and records the acting user on revisions', async () => {
    const s = await sessionClient(app.url, 'reviewer', passwordOf('reviewer'));
    const page = await s.bare.get(`/articles/${id}`);
    expect(page.text).toContain(`<meta name="csrf-token" content="${s.csrfToken}">`);
    const forms = page.text.match(/<form method="post"/g)!.length;
    expect(page.text.split(`name="_csrf" value="${s.csrfToken}"`).length - 1).toBeGreaterThanOrEqual(forms);
    const p = (await s.api.get(`/api/articles/${id}`)).json.paragraphs[6];
    await s.api.post(`/api/articles/${id}/paragraphs/${p.id}/edit`, { baseRevision: p.revision, text: 'Reviewer wording.' });
    const history = (await s.api.get(`/api/articles/${id}/paragraphs/${p.id}/history`)).json;
    expect(history.at(-1)).toMatchObject({ action: 'edit', author: 'reviewer' });
  });

  it('logs out: the old cookie no longer works', async () => {
    const s = await sessionClient(app.url, 'editor', passwordOf('editor'));
    expect((await s.api.post('/api/logout', {})).status).toBe(200);
    expect((await s.bare.get('/api/articles')).status).toBe(401);
  });

  it('marks the cookie Secure behind an https reverse proxy', async () => {
    const proxied = await startApp({ app: { trustProxy: 'loopback' } });
    try {
      const r = await fetch(`${proxied.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ username: 'admin', password: passwordOf('admin') }) });
      expect(r.headers.get('set-cookie')).toMatch(/Secure/);
    } finally {
      await proxied.close(true);
    }
  });

  it('rejects an unknown API token with 401', async () => {
    const r = await client(app.url, { authorization: 'Bearer pe_forged' }).get('/api/articles');
    expect(r.status).toBe(401);
  });
});

describe('login rate limiting', () => {
  it('answers 429 with Retry-After after ten failures from one address', async () => {
    const a = await startApp();
    try {
      const c = client(a.url);
      for (let i = 0; i < 10; i++) expect((await c.post('/api/login', { username: 'admin', password: `guess-${i}` })).status).toBe(401);
      const limited = await c.post('/api/login', { username: 'admin', password: passwordOf('admin') });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await a.close(true);
    }
  });

  it('forgets failures after the window', () => {
    let now = 0;
    const limiter = new LoginLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) limiter.fail('k');
    expect(limiter.retryAfter('k')).toBe(1000);
    now = 1001;
    expect(limiter.retryAfter('k')).toBe(0);
  });
});

describe('first run', () => {
  it('creates the first admin through the one-time set-up link, then closes it', async () => {
    const fresh = await startApp({ users: false, app: { setup: { token: 'one-time-secret' } } });
    try {
      const login = await fetch(`${fresh.url}/login`);
      expect(await login.text()).toContain('No account exists yet');
      expect((await fetch(`${fresh.url}/setup?token=wrong`)).status).toBe(403);
      expect((await fetch(`${fresh.url}/setup?token=one-time-secret`)).status).toBe(200);
      const made = await fetch(`${fresh.url}/setup`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: 'one-time-secret', username: 'chief', password: 'long enough secret' }),
      });
      expect(made.status).toBe(303);
      const cookie = made.headers.get('set-cookie')!.split(';')[0]!;
      const me = await fetch(`${fresh.url}/`, { headers: { cookie } });
      expect(await me.text()).toContain('chief');
      expect((await fresh.services.users.getUser('chief'))!.role).toBe('admin');
      expect((await fetch(`${fresh.url}/setup?token=one-time-secret`)).status).toBe(404);
    } finally {
      await fresh.close(true);
    }
  });

  it('prints the set-up link on the console when no admin is configured', async () => {
    const dataDir = await tempDir();
    const child = spawn(process.execPath, entryArgs('server/main.ts'), {
      cwd: repoRoot,
      env: { ...(await storeEnvFor(dataDir)), DATA_DIR: dataDir, PORT: '0', IMPORT_CORPUS: '0', POSTEDIT_ADMIN_USER: '', POSTEDIT_ADMIN_PASSWORD: '' },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no set-up link printed:\n${out}`)), 15000);
        child.stdout.on('data', (d) => {
          out += d;
          if (/setup\?token=\S+/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(out).toMatch(/http:\/\/localhost:\d+\/setup\?token=[\w-]{20,}/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await removeData(dataDir);
    }
  });
});

describe('headers and error pages', () => {
  it('sends a Content-Security-Policy that allows only the app\'s own scripts and styles', async () => {
    const r = await fetch(`${app.url}/login`);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-powered-by')).toBeNull();
    const page = await r.text();
    expect(page).not.toMatch(/<script>(?!<\/script>)/);
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).not.toMatch(/\son[a-z]+="/);
  });

  it('shows a 404 page and a 500 page without stack traces', async () => {
    const c = tokenClient(app, 'editor');
    const missing = await fetch(`${app.url}/articles/nope`, { headers: { authorization: `Bearer ${app.tokens.editor}` } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no article');
    const original = app.services.store.listArticles.bind(app.services.store);
    app.services.store.listArticles = async () => {
      throw new Error('secret internal detail');
    };
    try {
      const page = await fetch(`${app.url}/`, { headers: { authorization: `Bearer ${app.tokens.editor}` } });
      const html = await page.text();
      expect(page.status).toBe(500);
      expect(html).toContain('something went wrong');
      expect(html).not.toContain('secret internal detail');
      expect(html).not.toMatch(/at .*\.ts:\d+/);
      const api = await c.get('/api/articles');
      expect(api.status).toBe(500);
      expect(JSON.stringify(api.json)).not.toContain('secret');
    } finally {
      app.services.store.listArticles = original;
    }
  });

  it('refuses a JSON body over 2 MB with 413', async () => {
    const r = await tokenClient(app, 'admin').post('/api/articles', { text: 'x'.repeat(2_200_000) });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatch(/too large/);
  });
});

describe('npm run users', () => {
  let env: NodeJS.ProcessEnv = process.env;
  const users = (dataDir: string, ...args: string[]) =>
    spawnSync(process.execPath, [...entryArgs('server/cli/users.ts'), ...args, '--data', dataDir], { cwd: repoRoot, encoding: 'utf8', env });

  it('adds, lists, changes and removes users, and prints tokens that work', async () => {
    const dataDir = await tempDir();
    onTestFinished(() => removeData(dataDir));
    env = await storeEnvFor(dataDir);
    expect(users(dataDir, 'add', 'bob', '--role', 'editor', '--password', 'bobs password').status).toBe(0);
    const list = users(dataDir, 'list');
    expect(list.stdout).toMatch(/^bob\teditor/m);
    const bad = users(dataDir, 'add', 'eve', '--role', 'boss', '--password', 'whatever123');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/role must be editor, reviewer or admin/);
    expect(users(dataDir, 'add', 'short', '--password', 'x').stderr).toMatch(/at least 8 characters/);
    expect(users(dataDir, 'role', 'bob', 'reviewer').status).toBe(0);
    const token = users(dataDir, 'token', 'bob').stdout.trim();
    expect(token).toMatch(/^pe_/);

    const served = await startApp({ dataDir, users: false });
    try {
      const r = await client(served.url, { authorization: `Bearer ${token}` }).get('/api/articles');
      expect(r.status).toBe(200);
    } finally {
      await served.close();
    }
    expect(users(dataDir, 'remove', 'bob').status).toBe(0);
    expect(users(dataDir, 'remove', 'bob').status).toBe(1);
  });
});

describe('two editors on one paragraph', () => {
  it('shows the second one a conflict page with both texts and the diff, and overwrites nothing', async () => {
    const a = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const b = await sessionClient(app.url, 'reviewer', passwordOf('reviewer'));
    const p = (await a.api.get(`/api/articles/${id}`)).json.paragraphs[9];
    const first = await a.api.post(`/api/articles/${id}/paragraphs/${p.id}/edit`, { baseRevision: p.revision, text: 'Text by the first editor.' });
    expect(first.status).toBe(200);
    const second = await fetch(`${app.url}/articles/${id}/paragraphs/${p.id}/edit`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: b.csrfToken, baseRevision: String(p.revision), text: 'Text by the <second> editor.' }),
    });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('was changed while you were working on it');
    expect(html).toContain('Text by the first editor.');
    expect(html).toContain('Text by the &lt;second&gt; editor.');
    expect(html).toContain('by <strong>editor</strong>');
    expect(html).toMatch(/<del>first<\/del><ins>&lt;second&gt;<\/ins>/);
    expect(html).toContain(`name="baseRevision" value="${first.json.revision}"`);
    expect((await a.api.get(`/api/articles/${id}`)).json.paragraphs[9].text).toBe('Text by the first editor.');
  });
});
