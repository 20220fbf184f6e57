/**
 * Memory of the running server, as `npm start` runs it: the server is started as a child process
 * group (`npm start`, over a temp data directory; the corpus is imported on start), and the resident
 * memory of every process in its tree is read from /proc (worker threads live inside the server
 * process, so they are counted with it). Measured after start-up has settled, then after an editor
 * has opened every corpus article page and fetched what the page fetches — its grammar flags
 * (`/api/articles/:id/flags` until none is pending, as public/editor/grammar.js does) and its MT
 * flags (`/api/articles/:id/mt-flags`, as public/mtflags.js does) — and again after the server has
 * been left idle.
 *
 *   npm run bench:memory-walk      # `npm start`, then the same server through tsx; section memoryWalk in RESULTS.md
 *   POSTEDIT_WORKER_IDLE_SECONDS=0 npx tsx bench/memoryWalk.ts --cmd "npm start" --label "no idle release" --no-write
 *
 * By default it measures `npm start` (the compiled server), the same with grammar flags left to first
 * view (`POSTEDIT_WARM_GRAMMAR=0`), and the same start command with the server transpiled on the fly by tsx. `--cmd` (repeatable, run through `sh -c`) measures other
 * start commands instead; `--at-once` walks as soon as the server listens (not waiting for its
 * background checks, nor for memory to settle); `--idle S` sets the idle wait (default 75 s, past the 60 s after which the
 * server ends idle worker threads); `--no-write` leaves RESULTS.md alone. The environment is passed
 * on to the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { conditions, isMain, machine, mb, table, today, writeSection } from './lib/report.js';
import { placeSectionAfter } from './lib/sections.js';
import { repoRoot } from './lib/text.js';

const PASSWORD = 'bench-memory-walk-password';

interface ProcMemory {
  pid: number;
  command: string;
  rss: number;
  pss: number;
  threads: number;
}

export interface Snapshot {
  processes: ProcMemory[];
  rss: number;
  pss: number;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The pids of `root` and all its descendants, from /proc/<pid>/stat. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`);
    // pid (comm) state ppid …; comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function field(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** RSS (VmRSS) and PSS of every process in the tree, in bytes. */
export function measureTree(root: number): Snapshot {
  const processes: ProcMemory[] = [];
  for (const pid of processTree(root)) {
    const status = readOr(`/proc/${pid}/status`);
    if (!status) continue;
    const cmdline = readOr(`/proc/${pid}/cmdline`).split('\0').filter(Boolean);
    const command = cmdline.map((a) => a.replace(`${repoRoot}`, '').replace(/^.*\/(node|npm|npx|sh|tsx)$/, '$1')).join(' ').slice(0, 80);
    processes.push({
      pid,
      command,
      rss: field(status, 'VmRSS') * 1024,
      pss: field(readOr(`/proc/${pid}/smaps_rollup`), 'Pss') * 1024,
      threads: field(status, 'Threads'),
    });
  }
  return { processes, rss: processes.reduce((n, p) => n + p.rss, 0), pss: processes.reduce((n, p) => n + p.pss, 0) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Samples until the tree's RSS moved less than 2 MB over 3 s (at most `maxMs`), returns the last sample. */
async function settle(root: number, maxMs: number): Promise<Snapshot> {
  const until = Date.now() + maxMs;
  const window: number[] = [];
  let last = measureTree(root);
  while (Date.now() < until) {
    await sleep(500);
    last = measureTree(root);
    window.push(last.rss);
    if (window.length > 6) window.shift();
    if (window.length === 6 && Math.max(...window) - Math.min(...window) < 2 * 1024 * 1024) break;
  }
  return last;
}

class Client {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (this.csrf) headers.set('x-csrf-token', this.csrf);
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie();
    if (set.length) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await this.fetch(path, init)).json() as Promise<T>;
  }
}

export interface WalkResult {
  label: string;
  command: string;
  afterStart: Snapshot;
  afterWalk: Snapshot;
  peak: number;
  afterIdle: Snapshot;
  idleSeconds: number;
  articles: number;
  paragraphs: number;
  grammarFlags: number;
  mtFlags: number;
  walkMs: number;
  startMs: number;
  /** The highest RSS from launch until start-up settled (the background checks included). */
  startPeak: number;
  /** RSS sampled at the walk's last answer, before memory settled. */
  atWalkEnd: number;
  /** The server's "flags ready" time (background MT and grammar checks), if it said so within 3 minutes. */
  warmMs: number | undefined;
}

function startGroup(command: string, dataDir: string): { child: ChildProcess; url: Promise<string>; warmed: Promise<number> } {
  const child = spawn('sh', ['-c', command], {
    cwd: repoRoot,
    detached: true, // its own process group, so that it can be stopped as a whole
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CORPUS_DIR: join(repoRoot, 'corpus'),
      PORT: '0',
      HOST: '127.0.0.1',
      POSTEDIT_ADMIN_USER: 'walker',
      POSTEDIT_ADMIN_PASSWORD: PASSWORD,
      POSTEDIT_DEV: '',
      NODE_ENV: process.env.NODE_ENV ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let flagsReady: (ms: number) => void = () => {};
  const warmed = new Promise<number>((resolve) => (flagsReady = resolve));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Postedit is running: http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
      const f = /flags ready: .* in ([\d.]+) s/.exec(out);
      if (f) flagsReady(Number(f[1]) * 1000);
    });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`\`${command}\` exited (code ${code}) before listening:\n${out.slice(-2000)}`)));
  });
  return { child, url, warmed };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

export async function runMemoryWalk(options: { command: string; label: string; idleSeconds: number; atOnce?: boolean }): Promise<WalkResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'postedit-bench-memwalk-'));
  const t0 = performance.now();
  const { child, url, warmed } = startGroup(options.command, dataDir);
  const root = child.pid!;
  try {
    const base = await url;
    const startMs = performance.now() - t0;
    const client = new Client(base);
    const login = await client.json<{ csrfToken: string }>('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'walker', password: PASSWORD }),
    });
    client.csrf = login.csrfToken;
    const list = await client.json<Array<{ id: string }> | { articles: Array<{ id: string }> }>('/api/articles');
    const articles = Array.isArray(list) ? list : list.articles;
    // Start-up work (the MT checks and grammar flags of every article) runs in the background until
    // the server logs "flags ready" (a server that does not say so is given the settle time only).
    let startPeak = 0;
    const startSampler = setInterval(() => (startPeak = Math.max(startPeak, measureTree(root).rss)), 250);
    const warmMs = options.atOnce ? undefined : await Promise.race([warmed, sleep(180_000).then(() => undefined)]);
    const afterStart = options.atOnce ? measureTree(root) : await settle(root, 60_000);
    clearInterval(startSampler);
    startPeak = Math.max(startPeak, afterStart.rss);
    console.log(`[${options.label}] after start: ${mb(afterStart.rss)} RSS (${articles.length} articles)`);

    let peak = afterStart.rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, measureTree(root).rss);
    }, 250);
    const w0 = performance.now();
    let paragraphs = 0;
    let grammarFlags = 0;
    let mtFlags = 0;
    try {
      for (const { id } of articles) {
        const page = await client.fetch(`/articles/${encodeURIComponent(id)}`);
        await page.arrayBuffer();
        for (let i = 0; ; i++) {
          const flags = await client.json<{ paragraphs: Array<{ count: number | null }>; pending: number }>(`/api/articles/${encodeURIComponent(id)}/flags`);
          if (!flags.pending) {
            paragraphs += flags.paragraphs.length;
            grammarFlags += flags.paragraphs.reduce((n, p) => n + (p.count ?? 0), 0);
            break;
          }
          if (i > 60) throw new Error(`grammar flags of ${id} still pending after ${i} requests`);
        }
        const mt = await client.json<{ paragraphs: Array<{ mtFlags: unknown[] | null }>; pending: number }>(`/api/articles/${encodeURIComponent(id)}/mt-flags?budget=20000`);
        mtFlags += mt.paragraphs.reduce((n, p) => n + (p.mtFlags?.length ?? 0), 0);
      }
    } finally {
      clearInterval(sampler);
    }
    const walkMs = performance.now() - w0;
    const atWalkEnd = measureTree(root).rss;
    const afterWalk = await settle(root, 20_000);
    peak = Math.max(peak, afterWalk.rss);
    console.log(`[${options.label}] after the walk: ${mb(afterWalk.rss)} RSS (at its last answer ${mb(atWalkEnd)}, peak ${mb(peak)}); ${paragraphs} paragraphs, ${grammarFlags} grammar flags, ${mtFlags} MT flags in ${(walkMs / 1000).toFixed(1)} s`);
    await sleep(options.idleSeconds * 1000);
    const afterIdle = measureTree(root);
    console.log(`[${options.label}] after ${options.idleSeconds} s idle: ${mb(afterIdle.rss)} RSS`);
    for (const [name, s] of [['start', afterStart], ['walk', afterWalk], ['idle', afterIdle]] as const) {
      console.log(`  ${name}: ${s.processes.map((p) => `${p.command} ${mb(p.rss)} (${p.threads} threads)`).join(' · ')}`);
    }
    return { label: options.label, command: options.command, afterStart, afterWalk, peak, afterIdle, idleSeconds: options.idleSeconds, articles: articles.length, paragraphs, grammarFlags, mtFlags, walkMs, startMs, startPeak, warmMs, atWalkEnd };
  } finally {
    await stopGroup(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

function processRows(s: Snapshot): string {
  return s.processes.map((p) => `\`${p.command}\` ${mb(p.rss, 0)}`).join(' + ');
}

/** The processes that are the server itself (not the npm and shell wrappers around it). */
function serverRss(s: Snapshot): number {
  return s.processes.filter((p) => !/^(npm|sh)\b/.test(p.command)).reduce((n, p) => n + p.rss, 0);
}

/** Issue 18, item 6: the process group after the walk. */
const TARGET_MB = 350;

export function writeMemoryWalk(results: WalkResult[], load: string): void {
  const r = results[0]!;
  const MB = 1024 * 1024;
  const walkMet = r.afterWalk.rss <= TARGET_MB * MB;
  const idleMet = r.afterIdle.rss <= TARGET_MB * MB;
  const verdict = walkMet ? 'target met' : idleMet ? 'target met once idle, missed right after the walk' : 'TARGET MISSED';
  const rows = results.map((x) => [
    x.label === x.command ? `\`${x.command}\`` : `${x.label} (\`${x.command}\`)`,
    `${mb(x.startPeak)}${x.warmMs !== undefined ? ` (${(x.warmMs / 1000).toFixed(1)} s)` : ''}`,
    mb(x.afterStart.rss),
    mb(x.atWalkEnd),
    `**${mb(x.afterWalk.rss)}**`,
    mb(x.peak),
    `**${mb(x.afterIdle.rss)}**`,
    `${mb(serverRss(x.afterStart), 0)} / ${mb(serverRss(x.afterWalk), 0)} / ${mb(serverRss(x.afterIdle), 0)}`,
  ]);
  placeSectionAfter('memoryWalk', ['memory']);
  writeSection(
    'memoryWalk',
    `## 3b. Memory of the running server, every corpus article opened — ${verdict}

Measured ${today()} on ${machine()}; ${load}. \`npm run bench:memory-walk\`.

The server started as a process group by its start command over a temp data directory (the corpus
imported on start); the resident memory (VmRSS from /proc) summed over every process of the group's
tree — worker threads run inside the server process and count with it. *Start-up peak*: the highest
sample from launch until start-up settled, with the time the server took to log "flags ready" (the MT
checks and, unless \`POSTEDIT_WARM_GRAMMAR=0\`, the grammar flags of every article, in the background;
then it ends its check workers). *After start*: once that was done and memory settled. *After the walk*: once
memory settled (at most 20 s; the sample at the walk's last answer is shown too) after an editor
logged in and opened each of the ${r.articles} corpus articles (${r.paragraphs} paragraphs), fetched its
grammar flags until none was pending (${r.grammarFlags} flags) and its MT flags (${r.mtFlags} flags), as the
editor page does; ${(r.walkMs / 1000).toFixed(1)} s. *Idle*: ${r.idleSeconds} s later with no request (the server ends worker
threads idle for \`POSTEDIT_WORKER_IDLE_SECONDS\`, 60 by default: Harper's and the MT checks').

${table(['start command', 'start-up peak (flags ready)', 'after start', 'at the walk\'s last answer', '**after the walk**', 'peak during the walk', `**after ${r.idleSeconds} s idle**`, 'server processes only (start / walk / idle)'], rows)}

Target (issue 18): ≤ ${TARGET_MB} MB for the process group after the walk, \`${r.command}\`: right after the walk
**${walkMet ? 'met' : 'missed'}** (${mb(r.afterWalk.rss)}), ${r.idleSeconds} s later **${idleMet ? 'met' : 'missed'}** (${mb(r.afterIdle.rss)}).

${results.map((x) => `Processes after the walk, ${x.label}: ${processRows(x.afterWalk)}.`).join('\n')}`,
  );
}

/** The start command `npm start` runs, with the server transpiled on the fly by tsx instead of compiled. */
function tsxVariant(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const start = pkg.scripts.start!;
  if (!start.includes('node dist/main.js')) throw new Error(`npm start is "${start}": no compiled server to compare with`);
  return `npm exec -c ${JSON.stringify(start.replace('node dist/main.js', 'tsx server/main.ts'))}`;
}

/** The start commands compared by default: `npm start`, the same with grammar left to first view, and tsx. */
function defaultVariants(): Array<{ command: string; label: string }> {
  return [
    { command: 'npm start', label: 'npm start' },
    { command: 'POSTEDIT_WARM_GRAMMAR=0 npm start', label: 'grammar linted on first view' },
    { command: tsxVariant(), label: 'tsx, transpiled on the fly' },
  ];
}

/** Walks each variant in turn, and writes the section unless `write` is false. */
async function walkAll(variants: Array<{ command: string; label: string }>, options: { idleSeconds: number; atOnce?: boolean; write?: boolean }): Promise<WalkResult[]> {
  const load = conditions();
  const results: WalkResult[] = [];
  for (const v of variants) results.push(await runMemoryWalk({ ...v, idleSeconds: options.idleSeconds, atOnce: options.atOnce ?? false }));
  if (options.write !== false) writeMemoryWalk(results, load);
  return results;
}

/** The default comparison, written to RESULTS.md; for `npm run bench`. */
export function runMemoryWalks(idleSeconds = 75): Promise<WalkResult[]> {
  return walkAll(defaultVariants(), { idleSeconds });
}

export const MEMORY_WALK_TARGET_MB = TARGET_MB;

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      cmd: { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
      idle: { type: 'string' },
      'no-write': { type: 'boolean' },
      'at-once': { type: 'boolean' },
    },
  });
  const given = values.cmd?.length ? values.cmd.map((command) => ({ command, label: command })) : defaultVariants();
  const variants = given.map((v, i) => ({ ...v, label: values.label?.[i] ?? v.label }));
  await walkAll(variants, { idleSeconds: Number(values.idle ?? 75), atOnce: values['at-once'] ?? false, write: !values['no-write'] });
}
