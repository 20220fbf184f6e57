/**
 * Accounts on the web (issue 16, items 7, 9, 11, 12): the admin page /users, a user's own password
 * change, sessions and tokens ended by a password change, the login limiter keyed on the normalised
 * username, Cache-Control and TRUST_PROXY. Real servers on 127.0.0.1 (lowdb, or PostgreSQL with
 * DATABASE_URL set).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseUsername } from '../../server/auth/username.js';
import { addUser, checkLogin, createToken } from '../../server/commands/users.js';
import { parseTrustProxy } from '../../server/config.js';
import { client, passwordOf, removeData, repoRoot, sessionClient, startApp, tempDir, tokenClient, type RunningApp } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app.close(true));

let seq = 0;
/** A fresh user of the shared app (tests do not disturb each other's sessions). */
async function newUser(role: 'editor' | 'reviewer' | 'admin' = 'editor', password = 'first password') {
  const username = `${role.slice(0, 3)}${++seq}x`;
  await addUser(app.services.users, { username, role, password });
  return { username, password };
}

/** Posts an HTML form with a session's cookie (and its CSRF token unless `csrf` is false). */
function form(s: { cookie: string; csrfToken: string }, path: string, fields: Record<string, string>, csrf = true) {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(csrf ? { _csrf: s.csrfToken, ...fields } : fields),
  });
}

const page = (cookie: string, path: string) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie } });

describe('GET /users', () => {
  it('sends a logged-out browser to the login page, and refuses editors and reviewers with 403', async () => {
    const anon = await fetch(`${app.url}/users`, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login?next=%2Fusers');
    const editor = await sessionClient(app.url, 'editor', passwordOf('editor'));
    expect((await page(editor.cookie, '/users')).status).toBe(403);
    expect((await fetch(`${app.url}/users`, { headers: { authorization: `Bearer ${app.tokens.reviewer}` } })).status).toBe(403);
    // A refused write changes nothing.
    const sneaky = await form(editor, '/users', { username: 'sneaky', role: 'admin', password: 'sneaky password', password2: 'sneaky password' });
    expect(sneaky.status).toBe(403);
    expect(await app.services.users.getUser('sneaky')).toBeUndefined();
    // Only admins see the link in the top bar; everyone gets a link to their account.
    const editorHome = await (await page(editor.cookie, '/')).text();
    expect(editorHome).not.toContain('href="/users"');
    expect(editorHome).toContain('href="/account"');
  });

  it('lists every user with role and tokens, with a CSRF token in every form and a top-bar link', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const r = await page(admin.cookie, '/users');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<a href="/users">Users</a>');
    for (const role of ['editor', 'reviewer', 'admin']) expect(html).toContain(`id="user-${role}"`);
    const forms = html.match(/<form method="post"/g)!.length;
    expect(forms).toBeGreaterThan(10);
    expect(html.split(`name="_csrf" value="${admin.csrfToken}"`).length - 1).toBe(forms);
  });
});

describe('managing users on /users', () => {
  it('adds a user (who can then log in), changes the role, and refuses bad input with the reason', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const added = await form(admin, '/users', { username: 'maria', role: 'editor', password: 'marias password', password2: 'marias password' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/users?done=added&user=maria');
    expect((await (await page(admin.cookie, added.headers.get('location')!)).text())).toContain('Added maria.');
    expect((await client(app.url).post('/api/login', { username: 'maria', password: 'marias password' })).json).toMatchObject({ user: 'maria', role: 'editor' });

    const again = await form(admin, '/users', { username: 'maria', role: 'editor', password: 'other password', password2: 'other password' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('exists already');
    const differ = await form(admin, '/users', { username: 'li', role: 'reviewer', password: 'lis password', password2: 'lis passwort' });
    expect(differ.status).toBe(400);
    const differHtml = await differ.text();
    expect(differHtml).toContain('the two passwords differ');
    expect(differHtml).toContain('value="li"');
    expect(await app.services.users.getUser('li')).toBeUndefined();
    const short = await form(admin, '/users', { username: 'li', role: 'reviewer', password: 'short', password2: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 8 characters');

    const role = await form(admin, '/users/maria/role', { role: 'reviewer' });
    expect(role.status).toBe(303);
    expect((await app.services.users.getUser('maria'))!.role).toBe('reviewer');
    expect((await form(admin, '/users/maria/role', { role: 'boss' })).status).toBe(400);
    expect((await form(admin, '/users/nobody/role', { role: 'editor' })).status).toBe(404);
  });

  it('refuses every change without the CSRF token', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const victim = await newUser();
    const before = (await app.services.users.getUser(victim.username))!;
    for (const [path, fields] of [
      ['/users', { username: 'forged', role: 'admin', password: 'forged password', password2: 'forged password' }],
      [`/users/${victim.username}/role`, { role: 'admin' }],
      [`/users/${victim.username}/password`, { password: 'forged password', password2: 'forged password' }],
      [`/users/${victim.username}/tokens`, { name: 'forged' }],
      [`/users/${victim.username}/remove`, {}],
    ] as const) {
      expect((await form(admin, path, fields, false)).status, path).toBe(403);
    }
    expect(await app.services.users.getUser('forged')).toBeUndefined();
    expect(await app.services.users.getUser(victim.username)).toEqual(before);
  });

  it('mints an API token shown once (escaped name), lists it, and revokes it', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const u = await newUser();
    const minted = await form(admin, `/users/${u.username}/tokens`, { name: '<img src=x onerror=alert(1)> "script"' });
    expect(minted.status).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const html = await minted.text();
    const secret = /<code class="secret" id="minted-token">(pe_[\w-]+)<\/code>/.exec(html)?.[1];
    expect(secret).toBeTruthy();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &#34;script&#34;');
    expect((await client(app.url, { authorization: `Bearer ${secret}` }).get('/api/articles')).status).toBe(200);
    // The list shows the token by name, never its secret again.
    const list = await (await page(admin.cookie, '/users')).text();
    expect(list).not.toContain(secret);
    const token = (await app.services.users.getUser(u.username))!.tokens[0]!;
    expect(list).toContain(`/users/${u.username}/tokens/${token.id}/revoke`);
    const revoked = await form(admin, `/users/${u.username}/tokens/${token.id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await client(app.url, { authorization: `Bearer ${secret}` }).get('/api/articles')).status).toBe(401);
    expect((await form(admin, `/users/${u.username}/tokens/${token.id}/revoke`, {})).status).toBe(404);
  });

  it('escapes what the query string says', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const html = await (await page(admin.cookie, '/users?done=added&user=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('Added &lt;script&gt;alert(1)&lt;/script&gt;.');
    // Unknown cases say nothing at all.
    expect(await (await page(admin.cookie, '/users?done=pwned&user=x')).text()).not.toContain('role="status"');
  });

  it('removes a user (their sessions and tokens end), but never the admin acting nor the last admin', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const u = await newUser();
    const theirs = await sessionClient(app.url, u.username, u.password);
    const token = await createToken(app.services.users, u.username, 'script');
    const removed = await form(admin, `/users/${u.username}/remove`, {});
    expect(removed.status).toBe(303);
    expect(await app.services.users.getUser(u.username)).toBeUndefined();
    expect((await theirs.bare.get('/api/articles')).status).toBe(401);
    expect((await client(app.url, { authorization: `Bearer ${token}` }).get('/api/articles')).status).toBe(401);

    const self = await form(admin, '/users/admin/remove', {});
    expect(self.status).toBe(400);
    expect(await self.text()).toContain('you cannot remove yourself');
    // "admin" is the only admin: it cannot be demoted (by itself or anyone).
    const demote = await form(admin, '/users/admin/role', { role: 'editor' });
    expect(demote.status).toBe(400);
    expect(await demote.text()).toContain('admin is the only admin');
    expect((await app.services.users.getUser('admin'))!.role).toBe('admin');
  });
});

describe('a password change ends the other sessions and the API tokens', () => {
  it('after a reset on /users, the user\'s old cookie gets 401 on /api and the login page on pages, and their tokens stop working', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const u = await newUser();
    const s1 = await sessionClient(app.url, u.username, u.password);
    const s2 = await sessionClient(app.url, u.username, u.password);
    const token = await createToken(app.services.users, u.username, 'script');
    expect((await s1.bare.get('/api/articles')).status).toBe(200);

    const reset = await form(admin, `/users/${u.username}/password`, { password: 'second password', password2: 'second password' });
    expect(reset.status).toBe(303);
    for (const s of [s1, s2]) {
      expect((await s.bare.get('/api/articles')).status).toBe(401);
      const home = await page(s.cookie, '/');
      expect(home.status).toBe(303);
      expect(home.headers.get('location')).toBe('/login?next=%2F');
    }
    expect((await client(app.url, { authorization: `Bearer ${token}` }).get('/api/articles')).status).toBe(401);
    expect((await app.services.users.getUser(u.username))!.tokens).toEqual([]);
    // The old password is gone, the new one works; the admin's own session is untouched.
    expect((await client(app.url).post('/api/login', { username: u.username, password: u.password })).status).toBe(401);
    expect((await client(app.url).post('/api/login', { username: u.username, password: 'second password' })).status).toBe(200);
    expect((await admin.bare.get('/api/articles')).status).toBe(200);
    // Two different passwords: nothing changes.
    expect((await form(admin, `/users/${u.username}/password`, { password: 'third password', password2: 'third passwort' })).status).toBe(400);
    expect(await checkLogin(app.services.users, u.username, 'second password')).toBeTruthy();
  });

  it('an admin resetting their own password on /users keeps this session and ends their others', async () => {
    const me = await newUser('admin');
    const here = await sessionClient(app.url, me.username, me.password);
    const elsewhere = await sessionClient(app.url, me.username, me.password);
    const r = await form(here, `/users/${me.username}/password`, { password: 'my new password', password2: 'my new password' });
    expect(r.status).toBe(303);
    expect((await page(here.cookie, '/users')).status).toBe(200);
    expect((await elsewhere.bare.get('/api/articles')).status).toBe(401);
  });

  it('a user changing their own password on /account stays logged in here; their other sessions and tokens end', async () => {
    const u = await newUser();
    const here = await sessionClient(app.url, u.username, u.password);
    const phone = await sessionClient(app.url, u.username, u.password);
    const token = await createToken(app.services.users, u.username, 'script');
    const accountPage = await (await page(here.cookie, '/account')).text();
    expect(accountPage).toContain('Change your password');
    expect(accountPage.split(`name="_csrf" value="${here.csrfToken}"`).length - 1).toBe(accountPage.match(/<form method="post"/g)!.length);

    const wrong = await form(here, '/account/password', { current: 'not my password', password: 'second password', password2: 'second password' });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('the current password is wrong');
    expect((await phone.bare.get('/api/articles')).status).toBe(200);
    expect((await form(here, '/account/password', { current: u.password, password: 'second password', password2: 'second password' }, false)).status).toBe(403);

    const ok = await form(here, '/account/password', { current: u.password, password: 'second password', password2: 'second password' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account?done=password');
    expect((await page(here.cookie, '/account?done=password')).status).toBe(200);
    expect((await here.bare.get('/api/articles')).status).toBe(200);
    expect((await phone.bare.get('/api/articles')).status).toBe(401);
    expect((await page(phone.cookie, '/')).headers.get('location')).toBe('/login?next=%2F');
    expect((await client(app.url, { authorization: `Bearer ${token}` }).get('/api/articles')).status).toBe(401);
  });

  it('the same through POST /api/account/password (CSRF header required)', async () => {
    const u = await newUser('reviewer');
    const here = await sessionClient(app.url, u.username, u.password);
    const other = await sessionClient(app.url, u.username, u.password);
    expect((await here.bare.post('/api/account/password', { currentPassword: u.password, newPassword: 'second password' })).status).toBe(403);
    expect((await here.api.post('/api/account/password', { currentPassword: 'wrong one', newPassword: 'second password' })).status).toBe(403);
    const r = await here.api.post('/api/account/password', { currentPassword: u.password, newPassword: 'second password' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, sessionsEnded: 1, tokensRevoked: 0 });
    expect((await here.bare.get('/api/articles')).status).toBe(200);
    expect((await other.bare.get('/api/articles')).status).toBe(401);
  });
});

describe('Cache-Control', () => {
  it('is no-store on logged-in pages, /api answers and the login page; static files stay cacheable', async () => {
    const admin = await sessionClient(app.url, 'admin', passwordOf('admin'));
    for (const path of ['/', '/users', '/account', '/stats']) {
      const r = await page(admin.cookie, path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('cache-control'), path).toBe('no-store');
    }
    const api = await tokenClient(app, 'editor').get('/api/articles');
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect((await client(app.url).get('/api/articles')).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${app.url}/login`)).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${app.url}/static/app.css`)).headers.get('cache-control')).toMatch(/max-age=3600/);
  });
});

describe('login limiter keyed on the normalised username', () => {
  it('normalises: trim, NFKC, case-fold, zero-width and BOM stripped, NBSP as space', () => {
    for (const v of [' admin', 'admin ', 'ADMIN', 'Admin\u00A0', '\u00A0admin', '\uFEFFadmin', 'ad\u200Bmin', 'admin\u200D', '\uFF21\uFF24\uFF2D\uFF29\uFF2E', '\u3000admin\t', '\u2060admin\uFEFF']) {
      expect(normaliseUsername(v), JSON.stringify(v)).toBe('admin');
    }
    expect(normaliseUsername('Straße')).toBe('strasse');
    expect(normaliseUsername('ad min')).toBe('ad min');
  });

  it('padding or changing the case of the name buys no fresh failure budget', async () => {
    const a = await startApp();
    try {
      const c = client(a.url);
      const spellings = ['admin', ' admin', 'admin\u00A0', '\uFEFFadmin', 'ADMIN', 'Admin ', 'ad\u200Bmin', '\uFF41\uFF44\uFF4D\uFF49\uFF4E', '\u00A0\u00A0admin', 'admin\u3000'];
      for (const username of spellings) expect((await c.post('/api/login', { username, password: 'a wrong guess' })).status, JSON.stringify(username)).toBe(401);
      for (const username of ['admin', '  admin\uFEFF', 'AdMiN\u00A0']) {
        const r = await c.post('/api/login', { username, password: passwordOf('admin') });
        expect(r.status, JSON.stringify(username)).toBe(429);
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Another account keeps its own budget.
      expect((await c.post('/api/login', { username: 'editor', password: passwordOf('editor') })).status).toBe(200);
    } finally {
      await a.close(true);
    }
  });

  it('logs in with the padded spelling of a name as that user', async () => {
    for (const username of ['\uFEFF Reviewer\u00A0', 're\u200Bviewer', '\uFF32\uFF25\uFF36\uFF29\uFF25\uFF37\uFF25\uFF32']) {
      const r = await client(app.url).post('/api/login', { username, password: passwordOf('reviewer') });
      expect(r.status, JSON.stringify(username)).toBe(200);
      expect(r.json.user).toBe('reviewer');
    }
  });
});

describe('TRUST_PROXY and the per-address login limit', () => {
  it('accepts hop counts, addresses, subnets and names, and refuses "true" and garbage', () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy('')).toBeUndefined();
    expect(parseTrustProxy('false')).toBeUndefined();
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy('loopback, 10.0.0.0/8, 192.168.1.5, ::1, fd00::/8')).toEqual(['loopback', '10.0.0.0/8', '192.168.1.5', '::1', 'fd00::/8']);
    expect(() => parseTrustProxy('true')).toThrow(/any client can write/);
    expect(() => parseTrustProxy('*')).toThrow(/any client can write/);
    expect(() => parseTrustProxy('loopback, proxy.example')).toThrow(/"proxy.example" is not an address/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/not an address/);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a new forged address per guess buys nothing', async () => {
    const a = await startApp();
    try {
      for (let i = 0; i < 10; i++) {
        const r = await client(a.url, { 'x-forwarded-for': `198.51.100.${i}` }).post('/api/login', { username: 'admin', password: 'a wrong guess' });
        expect(r.status).toBe(401);
      }
      expect((await client(a.url, { 'x-forwarded-for': '198.51.100.99' }).post('/api/login', { username: 'admin', password: passwordOf('admin') })).status).toBe(429);
    } finally {
      await a.close(true);
    }
  });

  it('behind nginx (TRUST_PROXY=loopback, X-Forwarded-For appended by the proxy): forged entries are ignored and others are not locked out', async () => {
    const a = await startApp({ app: { trustProxy: parseTrustProxy('loopback')! } });
    try {
      // nginx's $proxy_add_x_forwarded_for appends the real client address to whatever the client sent.
      const via = (client_: string, forged?: string) => client(a.url, { 'x-forwarded-for': forged ? `${forged}, ${client_}` : client_, 'x-forwarded-proto': 'https' });
      for (let i = 0; i < 10; i++) expect((await via('203.0.113.7', `198.51.100.${i}`).post('/api/login', { username: 'admin', password: 'a wrong guess' })).status).toBe(401);
      expect((await via('203.0.113.7', '198.51.100.200').post('/api/login', { username: 'admin', password: passwordOf('admin') })).status).toBe(429);
      expect((await via('203.0.113.7').post('/api/login', { username: 'admin', password: passwordOf('admin') })).status).toBe(429);
      // The attacker's failures do not lock the admin out from their own address…
      const ok = await via('192.0.2.44').post('/api/login', { username: 'admin', password: passwordOf('admin') });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toMatch(/Secure/);
      // …not even when the attacker forges the admin's address: it is not the one nginx appended.
      for (let i = 0; i < 10; i++) await via('203.0.113.7', '192.0.2.45').post('/api/login', { username: 'admin', password: 'a wrong guess' });
      expect((await via('192.0.2.45').post('/api/login', { username: 'admin', password: passwordOf('admin') })).status).toBe(200);
    } finally {
      await a.close(true);
    }
  });

  /** `npm start` with these settings over a fresh data directory: its exit code and output. */
  async function startRefused(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string; users: string }> {
    const dataDir = await tempDir();
    try {
      const child = spawn(process.execPath, entryArgs('server/main.ts'), {
        cwd: repoRoot,
        env: { ...(await storeEnvFor(dataDir)), DATA_DIR: dataDir, PORT: '0', IMPORT_CORPUS: '0', ...env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const timer = setTimeout(() => child.kill('SIGTERM'), 15_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
      const users = await readFile(join(dataDir, 'users.json'), 'utf8').catch(() => '');
      return { code, out, err, users };
    } finally {
      await removeData(dataDir);
    }
  }

  it('npm start refuses TRUST_PROXY=true with a one-line reason', async () => {
    const { code, out, err } = await startRefused({ TRUST_PROXY: 'true', POSTEDIT_ADMIN_USER: 'boss', POSTEDIT_ADMIN_PASSWORD: 'boss password' });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^error: TRUST_PROXY=true would believe an X-Forwarded-For any client can write/);
    expect(out).not.toContain('Postedit is running');
  });

  it('npm start refuses an admin name or password from the environment that the account rules refuse, in one line, with no stack', async () => {
    for (const [user, password, reason] of [
      ['Chief Editor', 'long enough secret', /a username has 2–40 characters/],
      ['chief', 'short', /password/i],
    ] as const) {
      const { code, out, err, users } = await startRefused({ POSTEDIT_ADMIN_USER: user, POSTEDIT_ADMIN_PASSWORD: password });
      expect(code, err).toBe(1);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/^error: could not create the admin of POSTEDIT_ADMIN_USER \/ POSTEDIT_ADMIN_PASSWORD: /);
      expect(err).toMatch(reason);
      expect(err).not.toMatch(/\.[jt]s:\d|\/work\/|node:internal/);
      expect(out).not.toContain('Postedit is running');
      expect(users).not.toContain(user);
    }
  });
});
