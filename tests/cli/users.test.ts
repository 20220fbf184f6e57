/**
 * `npm run users`: the password asked twice without echo on a terminal (a real pseudo-terminal via
 * util-linux `script`), `--password` / POSTEDIT_PASSWORD for scripts, and `passwd` ending the user's
 * sessions and API tokens (issue 16, items 7 and 11). lowdb, or PostgreSQL with DATABASE_URL set.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkLogin } from '../../server/commands/users.js';
import { openStores } from '../../server/store/open.js';
import { client, removeData, repoRoot, sessionClient, startApp, tempDir } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
if (!SCRIPT) console.warn('cli/users: the terminal tests are skipped: no `script` (util-linux) to make a pseudo-terminal');

async function newDataDir(): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
  const dataDir = await tempDir();
  onTestFinished(() => removeData(dataDir));
  return { dataDir, env: await storeEnvFor(dataDir) };
}

/** The CLI with stdin and stdout pipes (as a script runs it). */
function users(env: NodeJS.ProcessEnv, dataDir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...entryArgs('server/cli/users.ts'), ...args, '--data', dataDir], { cwd: repoRoot, encoding: 'utf8', env: { ...env, ...extraEnv }, input: '' });
}

/**
 * The CLI on a pseudo-terminal: `answers` are typed one by one, each after the prompt before it
 * appears. Answers everything the terminal showed (prompts, echo if any, messages) and the exit code.
 */
async function onTerminal(env: NodeJS.ProcessEnv, dataDir: string, args: string[], answers: string[]): Promise<{ code: number | null; out: string }> {
  const command = [process.execPath, ...entryArgs('server/cli/users.ts'), ...args, '--data', dataDir].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(SCRIPT!, ['-qec', command, '/dev/null'], { cwd: repoRoot, env: { ...env, POSTEDIT_PASSWORD: '' } });
  let out = '';
  let asked = 0;
  const prompts = /(new password for \S+: |again: )/g;
  child.stdout.on('data', (d) => {
    out += d;
    const seen = out.match(prompts)?.length ?? 0;
    while (asked < seen && asked < answers.length) child.stdin.write(answers[asked++]!);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, out: out.replace(/\r/g, '') };
}

describe.skipIf(!SCRIPT)('npm run users on a terminal', () => {
  it('asks for the password twice without echo, then adds the user', async () => {
    const { dataDir, env } = await newDataDir();
    const r = await onTerminal(env, dataDir, ['add', 'zoe', '--role', 'reviewer'], ['zoes secret pw\r', 'zoes secret pw\r']);
    expect(r.out).toContain('new password for zoe: ');
    expect(r.out).toContain('again: ');
    expect(r.out).not.toContain('zoes secret');
    expect(r.out).toContain('added zoe (reviewer)');
    expect(r.code).toBe(0);
    const { store, users: accounts } = await openStores(dataDir, env);
    try {
      expect((await checkLogin(accounts, 'zoe', 'zoes secret pw'))?.role).toBe('reviewer');
    } finally {
      await store.close();
    }
  });

  it('refuses two different answers with a one-line error and changes nothing', async () => {
    const { dataDir, env } = await newDataDir();
    expect(users(env, dataDir, ['add', 'zoe', '--password', 'first password']).status).toBe(0);
    // Backspace is honoured: "second pw" typed with a slip still counts as typed.
    const r = await onTerminal(env, dataDir, ['passwd', 'zoe'], ['second pwX\u007f\r', 'second pw, not\r']);
    expect(r.code).toBe(1);
    const errors = r.out.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual(['error: the two passwords differ: nothing changed']);
    expect(r.out).not.toContain('second pw');
    const { store, users: accounts } = await openStores(dataDir, env);
    try {
      expect(await checkLogin(accounts, 'zoe', 'first password')).toBeTruthy();
    } finally {
      await store.close();
    }
  });
});

describe('npm run users for scripts', () => {
  it('reads --password and POSTEDIT_PASSWORD, and says in one line when there is neither and no terminal', async () => {
    const { dataDir, env } = await newDataDir();
    expect(users(env, dataDir, ['add', 'amy', '--password', 'amys password']).status).toBe(0);
    expect(users(env, dataDir, ['add', 'bea'], { POSTEDIT_PASSWORD: 'beas password' }).status).toBe(0);
    const none = users(env, dataDir, ['add', 'cid'], { POSTEDIT_PASSWORD: '' });
    expect(none.status).toBe(1);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/^error: give the password with --password or POSTEDIT_PASSWORD/);
    const exists = users(env, dataDir, ['add', ' AMY '], { POSTEDIT_PASSWORD: 'whatever pw' });
    expect(exists.stderr).toMatch(/the user "amy" exists already/);
    const missing = users(env, dataDir, ['passwd', 'nobody', '--password', 'whatever pw']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('error: no user "nobody"');
    const { store, users: accounts } = await openStores(dataDir, env);
    try {
      expect(await checkLogin(accounts, 'amy', 'amys password')).toBeTruthy();
      expect(await checkLogin(accounts, 'bea', 'beas password')).toBeTruthy();
      expect(await accounts.getUser('cid')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('passwd ends the user\'s sessions and API tokens: the old cookie gets 401 on /api and the login page on pages', async () => {
    const { dataDir, env } = await newDataDir();
    expect(users(env, dataDir, ['add', 'dan', '--role', 'editor', '--password', 'dans password']).status).toBe(0);
    expect(users(env, dataDir, ['add', 'eve', '--role', 'editor', '--password', 'eves password']).status).toBe(0);
    const token = users(env, dataDir, ['token', 'dan', '--name', 'nightly']).stdout.trim();
    expect(token).toMatch(/^pe_/);
    const listed = users(env, dataDir, ['tokens', 'dan']).stdout;
    expect(listed).toMatch(/^\S+\tnightly\tcreated \d{4}-\d\d-\d\d \d\d:\d\d$/m);

    let served = await startApp({ dataDir, users: false });
    let dan: Awaited<ReturnType<typeof sessionClient>>;
    let eve: Awaited<ReturnType<typeof sessionClient>>;
    try {
      dan = await sessionClient(served.url, 'dan', 'dans password');
      eve = await sessionClient(served.url, 'eve', 'eves password');
      expect((await dan.bare.get('/api/articles')).status).toBe(200);
    } finally {
      await served.close();
    }

    const changed = users(env, dataDir, ['passwd', 'dan', '--password', 'dans new password']);
    expect(changed.status).toBe(0);
    expect(changed.stdout.trim()).toBe('password of dan changed; 1 session(s) ended, 1 API token(s) revoked');

    served = await startApp({ dataDir, users: false });
    try {
      // The cookies from before, sent to the restarted server.
      expect((await client(served.url, { cookie: dan!.cookie }).get('/api/articles')).status).toBe(401);
      const pageAnswer = await fetch(`${served.url}/`, { redirect: 'manual', headers: { cookie: dan!.cookie } });
      expect(pageAnswer.status).toBe(303);
      expect(pageAnswer.headers.get('location')).toBe('/login?next=%2F');
      expect((await client(served.url, { authorization: `Bearer ${token}` }).get('/api/articles')).status).toBe(401);
      // Somebody else's session is not touched; the new password works.
      expect((await client(served.url, { cookie: eve!.cookie }).get('/api/articles')).status).toBe(200);
      expect((await client(served.url).post('/api/login', { username: 'dan', password: 'dans new password' })).status).toBe(200);
    } finally {
      await served.close();
    }

    // A token can also be revoked on its own.
    const second = users(env, dataDir, ['token', 'dan']).stdout.trim();
    const id = users(env, dataDir, ['tokens', 'dan']).stdout.split('\t')[0]!;
    expect(users(env, dataDir, ['revoke', 'dan', id]).status).toBe(0);
    expect(users(env, dataDir, ['tokens', 'dan']).stdout).toBe('');
    served = await startApp({ dataDir, users: false });
    try {
      expect((await client(served.url, { authorization: `Bearer ${second}` }).get('/api/articles')).status).toBe(401);
    } finally {
      await served.close();
    }
  });
});
