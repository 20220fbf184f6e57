/**
 * `npm start` runs the server compiled to JavaScript (`npm run build` → dist/, then `node dist/main.js`):
 * the worker threads must load the compiled `.js` workers (no tsx in the process), the data files the
 * checks read must be next to the compiled code, and the answers must be those of the TypeScript.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../server/checks/index.js';
import { lintParagraph } from '../../server/checks/grammar.js';
import { runMtChecks } from '../../server/checks/mt/index.js';
import { corpusDir, removeData, repoRoot, tempDir } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';

const GRAMMAR = 'We was there in Baoan with 200 enterprises. It was a important the the step.';
const BEFORE = 'In 2014 output reached 2927 billion yuan.';
const AFTER = 'In 2014 output reached 292.7 billion yuan.';
const MT = 'Mayor Wang Hongbin said the output value reached 1.2 billion yuan.';
const SOURCE = '王宏彬市长说，产值达到12亿元。';

beforeAll(() => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, encoding: 'utf8' });
  expect(build.status, build.stderr + build.stdout).toBe(0);
}, 120_000);

describe('the compiled server (dist/)', () => {
  it('runs Harper, the fact guard and the MT checks on their worker threads from .js, with the same answers', async () => {
    const script = `(async () => {
      const grammar = await import('./dist/checks/grammar.js');
      const checks = await import('./dist/checks/offThreadChecks.js');
      const mt = await import('./dist/checks/mt/offThread.js');
      const [flags, findings, mtFlags] = await Promise.all([
        grammar.lintParagraph(${JSON.stringify(GRAMMAR)}, { timeBudgetMs: 60000 }),
        checks.runChecksOffThread(${JSON.stringify(BEFORE)}, ${JSON.stringify(AFTER)}, {}, 'later'),
        mt.runMtChecksOffThread(${JSON.stringify(MT)}, ${JSON.stringify(SOURCE)}),
      ]);
      console.log(JSON.stringify({ flags, findings, mtFlags, offThread: [grammar.grammarRunsOffThread(), checks.checksRunOffThread(), mt.mtChecksRunOffThread()] }));
    })();`;
    // Plain node, no tsx anywhere in the process; with a V8 flag, which the workers inherit.
    const run = spawnSync(process.execPath, ['--max-old-space-size=1024', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 });
    expect(run.status, run.stderr).toBe(0);
    const got = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(got.offThread).toEqual([true, true, true]);
    expect(got.flags).toEqual(await lintParagraph(GRAMMAR, { timeBudgetMs: 60_000 }));
    expect(got.flags.some((f: { kind: string }) => f.kind === 'Repetition')).toBe(true);
    expect(got.findings).toEqual(runChecks(BEFORE, AFTER, {}));
    expect(got.mtFlags).toEqual(runMtChecks(MT, SOURCE, {}));
  }, 120_000);

  it('serves an imported article with its grammar and MT flags, computed ahead after start (`node dist/main.js`, as `npm start` runs it)', async () => {
    const dataDir = await tempDir();
    const corpus = join(await tempDir(), 'corpus');
    await mkdir(corpus, { recursive: true });
    for (const f of ['wmt23-rfi-19800.en.txt', 'wmt23-rfi-19800.en.src.txt']) await copyFile(join(corpusDir, 'wmt-zhen', f), join(corpus, f));
    const server = await startCompiled({ ...(await storeEnvFor(dataDir)), DATA_DIR: dataDir, CORPUS_DIR: corpus, PORT: '0', HOST: '127.0.0.1', POSTEDIT_ADMIN_USER: 'chief', POSTEDIT_ADMIN_PASSWORD: 'long enough secret' });
    try {
      const { base } = server;
      const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chief', password: 'long enough secret' }) });
      expect(login.status).toBe(200);
      const headers = { cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
      const page = await fetch(`${base}/articles/wmt23-rfi-19800-en`, { headers });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<main');
      // The server lints every stored paragraph in the background after start and says when it is
      // done: from then on the page's first request for flags finds them all, without waiting.
      await server.waitFor(/flags ready: MT checks of 1 article, grammar of 10 paragraphs/, 60_000, 'no "flags ready" line');
      const flags: { pending: number; paragraphs: Array<{ count: number | null }> } = await (await fetch(`${base}/api/articles/wmt23-rfi-19800-en/flags?budget=0`, { headers })).json();
      expect(flags.pending).toBe(0);
      expect(flags.paragraphs).toHaveLength(10);
      const mt = await (await fetch(`${base}/api/articles/wmt23-rfi-19800-en/mt-flags?budget=30000`, { headers })).json();
      expect(mt.pending).toBe(0);
    } finally {
      await server.stop();
      await removeData(dataDir);
    }
  }, 120_000);

  it('on lowdb loads neither pg nor the Word libraries: they load when PostgreSQL or a .docx is used (~12 MB less resident)', async () => {
    const dataDir = await tempDir();
    const env = { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, IMPORT_CORPUS: '0', PORT: '0', HOST: '127.0.0.1', POSTEDIT_ADMIN_USER: 'chief', POSTEDIT_ADMIN_PASSWORD: 'long enough secret' };
    const server = await startCompiled(env, ['--import', './tests/support/packageRecorder.mjs']);
    try {
      const loaded = [...server.printed.err.matchAll(/^package loaded: (\S+)$/gm)].map((m) => m[1]);
      // The recorder sees the packages the server does load…
      expect(loaded).toEqual(expect.arrayContaining(['express', 'lowdb', 'diff']));
      // …and not these.
      expect(loaded.filter((name) => ['pg', 'docx', 'mammoth'].includes(name!))).toEqual([]);
    } finally {
      await server.stop();
      await removeData(dataDir);
    }
  }, 60_000);
});

/**
 * `node [nodeArgs] dist/main.js` with `env`, once it says it is running: its address, what it has
 * printed (stdout and stderr apart), a wait for a stdout line, and a stop.
 */
async function startCompiled(env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], { cwd: repoRoot, env });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const printed = { out: '', err: '' };
  child.stdout.on('data', (d) => (printed.out += d));
  child.stderr.on('data', (d) => (printed.err += d));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  /** Resolves with the match once stdout matches `re`; rejects after `ms` with `what` and the output so far. */
  const waitFor = (re: RegExp, ms: number, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(printed.out);
        if (!m) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(m);
      };
      const timer = setTimeout(() => {
        child.stdout.off('data', check);
        reject(new Error(`${what}:\n${printed.out}${printed.err}`));
      }, ms);
      child.stdout.on('data', check);
      check();
    });
  try {
    const port = (await waitFor(/Postedit is running: http:\/\/[^:]+:(\d+)\//, 30_000, 'the server did not start'))[1]!;
    return { base: `http://127.0.0.1:${port}`, printed, waitFor, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
