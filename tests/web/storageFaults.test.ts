/**
 * Faults with a clear message (issue 16, item 14): a read-only or full data directory (lowdb) and
 * PostgreSQL going down. While the fault lasts, `GET /healthz` (no login) answers 503 and names the
 * part that is down, writes are refused with 503 "storage unavailable: …" (page and /api, no paths
 * or stacks) and leave nothing half-written, reads of what is stored go on; when the fault clears the
 * same server recovers by itself, and what was stored before, during and after is whole on disk.
 *
 * The faults are real ones: a tiny tmpfs mounted over the data directory, remounted read-only
 * (EROFS) or filled up (ENOSPC), when the test may mount (root with CAP_SYS_ADMIN); otherwise, as a
 * user other than root, the data directory made read-only with chmod (EACCES). As root without mount
 * rights neither is possible (root writes through chmod) and the lowdb cases skip, saying so.
 * PostgreSQL: a throwaway cluster of the test's own, stopped (pg_ctl stop -m fast) and started again;
 * it runs where the PostgreSQL suites run (DATABASE_URL or POSTEDIT_PG_TESTS=1) and the server
 * binaries are installed.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../server/store/open.js';
import { passwordOf, sessionClient, startApp, tokenClient, type RunningApp } from '../support/app.js';
import { findPgBin, pgSkipReason, startPostgres, type RunningPostgres } from '../support/postgres.js';

const isRoot = process.getuid?.() === 0;
const ARTICLE = 'First paragraph of the storage test.\n\nSecond paragraph of the storage test.\n\nThird paragraph of the storage test.';

interface Fault {
  kind: 'tmpfs' | 'chmod';
  dir: string;
  readOnly(): void;
  writable(): void;
  /** Fills the file system (tmpfs only); `free()` undoes it. */
  fill?(): void;
  free?(): void;
  cleanup(): Promise<void>;
}

/** How this process can make real faults: a tmpfs it mounts, chmod (not as root), or why neither works. */
function faultKind(): 'tmpfs' | 'chmod' | string {
  const dir = mkdtempSync(join(tmpdir(), 'postedit-fault-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'postedit-test', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return 'tmpfs';
  } catch {
    // No mount rights.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return isRoot
    ? 'running as root without the right to mount a tmpfs: root writes through chmod, so no honest read-only or full data directory can be made here'
    : 'chmod';
}

/** A data directory whose faults the test controls. */
async function faultyDataDir(kind: 'tmpfs' | 'chmod'): Promise<Fault> {
  const dir = await mkdtemp(join(tmpdir(), 'postedit-fault-'));
  if (kind === 'tmpfs') {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0755', 'postedit-test', dir], { stdio: 'ignore' });
    // A test run that dies before afterAll must not leave the mount behind.
    const unmount = () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    };
    process.once('exit', unmount);
    const filler = join(dir, 'filler.bin');
    return {
      kind: 'tmpfs',
      dir,
      readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
      writable: () => execFileSync('mount', ['-o', 'remount,rw', dir]),
      fill() {
        const fd = openSync(filler, 'w');
        const chunk = Buffer.alloc(64 * 1024, 120);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        } finally {
          closeSync(fd);
        }
        // The last partial chunk too, byte by byte to the last page.
        const fd2 = openSync(filler, 'a');
        try {
          for (;;) writeSync(fd2, Buffer.alloc(512, 120));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        } finally {
          closeSync(fd2);
        }
      },
      free: () => rmSync(filler, { force: true }),
      async cleanup() {
        unmount();
        process.removeListener('exit', unmount);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  return {
    kind: 'chmod',
    dir,
    readOnly: () => execFileSync('chmod', ['-R', 'a-w', dir]),
    writable: () => execFileSync('chmod', ['-R', 'u+w', dir]),
    async cleanup() {
      execFileSync('chmod', ['-R', 'u+w', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function health(app: RunningApp) {
  const r = await fetch(`${app.url}/healthz`);
  return { status: r.status, json: (await r.json()) as { ok: boolean; storage: string }, cacheControl: r.headers.get('cache-control') };
}

/** A form post from the page (token auth: no CSRF), as a browser without JavaScript sends it. */
async function pageEdit(app: RunningApp, id: string, pid: string, baseRevision: number, text: string) {
  const r = await fetch(`${app.url}/articles/${id}/paragraphs/${pid}/edit`, {
    method: 'POST',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${app.tokens.editor}` },
    body: new URLSearchParams({ baseRevision: String(baseRevision), text }).toString(),
    redirect: 'manual',
  });
  return { status: r.status, html: await r.text() };
}

function expectClean(body: string, ...secrets: string[]) {
  expect(body).not.toMatch(/\n\s+at [^\n]*:\d+:\d+|node_modules|\.ts:\d|ENOSPC|EROFS|EACCES|ECONNREFUSED/);
  for (const s of secrets) expect(body).not.toContain(s);
}

/** Every line of every JSON Lines file under `dir` parses: nothing torn or half-written. */
async function expectWholeFiles(dir: string) {
  for (const f of await readdir(join(dir, 'articles'))) {
    if (!f.endsWith('.jsonl')) continue;
    const text = await readFile(join(dir, 'articles', f), 'utf8');
    expect(text === '' || text.endsWith('\n'), f).toBe(true);
    for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line), `${f}: ${line.slice(0, 80)}`).not.toThrow();
  }
}

describe('lowdb: a read-only or full data directory', () => {
  const kind = faultKind();
  const reason = kind === 'tmpfs' || kind === 'chmod' ? undefined : kind;
  if (reason) console.warn(`storageFaults: lowdb cases skipped: ${reason}`);
  let fault: Fault | undefined;
  let app: RunningApp;
  let id: string;

  beforeAll(async () => {
    if (reason) return;
    fault = await faultyDataDir(kind as 'tmpfs' | 'chmod');
    // lowdb whatever the pass: this is about the data directory.
    app = await startApp({ dataDir: fault.dir, env: { ...process.env, DATABASE_URL: '' } });
    const r = await tokenClient(app, 'admin').post('/api/articles', { text: ARTICLE, title: 'Storage faults' });
    expect(r.status).toBe(201);
    id = r.json.id;
  });
  afterAll(async () => {
    if (!fault) return;
    try {
      fault.writable();
    } catch {
      // already
    }
    await app?.close(false);
    await fault.cleanup();
  });

  it.skipIf(!!reason)('read-only: 503 with a clear message, reads go on, nothing half-written, recovery without a restart', async () => {
    const f = fault as Fault;
    const editor = tokenClient(app, 'editor');
    const admin = tokenClient(app, 'admin');
    const first = await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 1, text: 'Before the fault.' });
    expect(first.status).toBe(200);
    expect(first.json.revision).toBe(2);
    expect(await health(app)).toMatchObject({ status: 200, json: { ok: true, storage: 'ok' } });

    f.readOnly();
    try {
      const h = await health(app);
      expect(h.status).toBe(503);
      expect(h.json.ok).toBe(false);
      expect(h.json.storage).toMatch(/^down: the data directory is (read-only|not writable)/);
      expect(h.cacheControl).toMatch(/no-store/);
      expectClean(JSON.stringify(h.json), f.dir);

      const refused = await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 2, text: 'During the fault.' });
      expect(refused.status).toBe(503);
      expect(refused.json).toEqual({ error: expect.stringMatching(/^storage unavailable: the data directory is (read-only|not writable)/), code: 'storage_unavailable' });
      expectClean(refused.text, f.dir);

      const page = await pageEdit(app, id, 'p2', 1, 'During the fault, from the page.');
      expect(page.status).toBe(503);
      expect(page.html).toContain('Storage unavailable');
      expect(page.html).toMatch(/<p class="error-message">storage unavailable: the data directory is/);
      expectClean(page.html, f.dir);

      // Logging in stores a session: refused the same way.
      const login = await fetch(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'editor', password: passwordOf('editor') }) });
      expect(login.status).toBe(503);
      expect(((await login.json()) as { code: string }).code).toBe('storage_unavailable');

      const imported = await admin.post('/api/articles', { text: 'An article imported during the fault.\n\nIt must not be half there.' });
      expect(imported.status).toBe(503);
      expect(imported.json.code).toBe('storage_unavailable');

      // Reads of what is stored go on; the refused edits are nowhere.
      const read = await editor.get(`/api/articles/${id}`);
      expect(read.status).toBe(200);
      const p1 = read.json.paragraphs.find((p: { id: string }) => p.id === 'p1');
      expect(p1).toMatchObject({ text: 'Before the fault.', revision: 2 });
      expect((await editor.get(`/api/articles/${id}/paragraphs/p1/history`)).json.map((r: { n: number }) => r.n)).toEqual([1, 2]);
      expect((await editor.get('/api/articles')).json.map((a: { id: string }) => a.id)).toEqual([id]);
    } finally {
      f.writable();
    }

    // The same server, no restart: healthy again, and the next write follows the last stored one.
    expect(await health(app)).toMatchObject({ status: 200, json: { ok: true, storage: 'ok' } });
    const after = await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 2, text: 'After the fault.' });
    expect(after.status).toBe(200);
    expect(after.json.revision).toBe(3);
    expect((await pageEdit(app, id, 'p2', 1, 'After the fault, from the page.')).status).toBe(303);
    await sessionClient(app.url, 'editor', passwordOf('editor'));
    const again = await admin.post('/api/articles', { text: 'An article imported during the fault.\n\nIt must not be half there.' });
    expect(again.status).toBe(201);
    expect((await editor.get(`/api/articles/${id}/paragraphs/p1/history`)).json.map((r: { n: number; text: string }) => [r.n, r.text])).toEqual([
      [1, 'First paragraph of the storage test.'],
      [2, 'Before the fault.'],
      [3, 'After the fault.'],
    ]);
  });

  it.skipIf(!!reason || kind !== 'tmpfs')('disk full: 503 "the disk is full", no torn lines, recovery when space is freed; the files agree after a restart', async () => {
    const f = fault as Fault;
    const editor = tokenClient(app, 'editor');
    const before = (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === 'p3');
    // Long enough that its history and journal lines need new pages of the full file system.
    const long = (n: number) => `${n}: ${'A sentence long enough to need disk space of its own. '.repeat(400)}`.trim();
    f.fill!();
    try {
      const h = await health(app);
      expect(h.status).toBe(503);
      expect(h.json).toEqual({ ok: false, storage: 'down: the disk is full' });
      for (let i = 0; i < 3; i++) {
        const refused = await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: before.revision, text: long(i) });
        expect(refused.status).toBe(503);
        expect(refused.json).toEqual({ error: 'storage unavailable: the disk is full', code: 'storage_unavailable' });
      }
      const read = (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === 'p3');
      expect(read).toMatchObject({ text: before.text, revision: before.revision });
    } finally {
      f.free!();
    }
    expect(await health(app)).toMatchObject({ status: 200, json: { ok: true } });
    const saved = await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: before.revision, text: long(9) });
    expect(saved.status).toBe(200);
    expect(saved.json.revision).toBe(before.revision + 1);
    await expectWholeFiles(f.dir);

    // What a restart reads from disk: every stored action, none of the refused ones, history and article agreeing.
    await app.close(false);
    const reopened = await openStores(f.dir, {});
    try {
      const article = (await reopened.store.getArticle(id))!;
      const byId = new Map(article.paragraphs.map((p) => [p.id, p]));
      expect(byId.get('p1')).toMatchObject({ text: 'After the fault.', revision: 3 });
      expect(byId.get('p2')).toMatchObject({ text: 'After the fault, from the page.', revision: 2 });
      expect(byId.get('p3')).toMatchObject({ text: long(9), revision: before.revision + 1 });
      const history = await reopened.store.history(id);
      for (const p of article.paragraphs) {
        const ns = history.filter((r) => r.paragraphId === p.id).map((r) => r.n);
        expect(ns, p.id).toEqual(Array.from({ length: p.revision }, (_, i) => i + 1));
        expect(history.filter((r) => r.paragraphId === p.id).at(-1)!.text).toBe(p.text);
      }
      expect((await reopened.store.listArticles()).length).toBe(2);
    } finally {
      await reopened.store.close();
    }
    app = await startApp({ dataDir: f.dir, env: { ...process.env, DATABASE_URL: '' } });
  });
});

describe('PostgreSQL down', () => {
  const reason = pgSkipReason() ?? (findPgBin() ? undefined : 'no PostgreSQL server binaries (initdb, pg_ctl) for a cluster of its own');
  if (reason) console.warn(`storageFaults: PostgreSQL case skipped: ${reason}`);
  let cluster: RunningPostgres | undefined;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    if (reason) return;
    // A cluster of its own: stopping the suite's shared one would break the files running beside this one.
    cluster = await startPostgres();
    app = await startApp({ env: { ...process.env, DATABASE_URL: cluster.url } });
  }, 60_000);
  afterAll(async () => {
    await cluster?.resume?.().catch(() => undefined);
    await app?.close(true).catch(() => undefined);
    await cluster?.stop();
  }, 60_000);

  it.skipIf(!!reason)('503 "storage unavailable" and /healthz down while it is stopped; back by itself when it starts again, nothing lost', async () => {
    const a = app!;
    const port = new URL(cluster!.url).port;
    const editor = tokenClient(a, 'editor');
    const imported = await tokenClient(a, 'admin').post('/api/articles', { text: ARTICLE, title: 'Storage faults on PostgreSQL' });
    expect(imported.status).toBe(201);
    const id = imported.json.id as string;
    expect((await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 1, text: 'Before the outage.' })).status).toBe(200);
    expect(await health(a)).toMatchObject({ status: 200, json: { ok: true, storage: 'ok' } });

    await cluster!.halt!();
    try {
      const h = await health(a);
      expect(h.status).toBe(503);
      expect(h.json.ok).toBe(false);
      expect(h.json.storage).toMatch(/^down: the (database is not reachable|connection to the database)/);
      expectClean(JSON.stringify(h.json), port, '127.0.0.1', 'postgres://');

      const refused = await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 2, text: 'During the outage.' });
      expect(refused.status).toBe(503);
      expect(refused.json).toEqual({ error: expect.stringMatching(/^storage unavailable: the (database|connection to the database)/), code: 'storage_unavailable' });
      expectClean(refused.text, port, '127.0.0.1');

      const page = await fetch(`${a.url}/articles/${id}`, { headers: { accept: 'text/html', authorization: `Bearer ${a.tokens.editor}` } });
      const html = await page.text();
      expect(page.status).toBe(503);
      expect(html).toMatch(/<p class="error-message">storage unavailable: /);
      expectClean(html, port, '127.0.0.1');
    } finally {
      await cluster!.resume!();
    }

    // The same server, no restart: the pool reconnects.
    let h = await health(a);
    for (let i = 0; i < 50 && h.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      h = await health(a);
    }
    expect(h).toMatchObject({ status: 200, json: { ok: true, storage: 'ok' } });
    const after = await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 2, text: 'After the outage.' });
    expect(after.status).toBe(200);
    expect(after.json.revision).toBe(3);
    const history = (await editor.get(`/api/articles/${id}/paragraphs/p1/history`)).json.map((r: { n: number; text: string }) => [r.n, r.text]);
    expect(history).toEqual([
      [1, 'First paragraph of the storage test.'],
      [2, 'Before the outage.'],
      [3, 'After the outage.'],
    ]);
  }, 60_000);
});
