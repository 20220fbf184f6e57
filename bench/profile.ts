/**
 * Summarises a V8 CPU profile (from `node --cpu-prof`): self time by module and by function, and
 * inclusive (total) time by function, so a benchmark's miss can be pinned on code.
 *
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/editorPage.ts
 *   npx tsx bench/profile.ts /tmp/prof/CPU.*.cpuprofile [--top 25] [--match render] [--exclude 'breakdown|module_job']
 *
 * --exclude leaves out the samples whose stack has a matching frame (set-up, instrumentation);
 * --callers REGEX splits the self time of the matching functions by their nearest callers.
 */
import { readFileSync } from 'node:fs';
import { isMain } from './lib/report.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:')) return url;
  const local = /\/(server|bench|views|tests)\/(.*)$/.exec(url);
  if (local) return `${local[1]}/${local[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** tsx hands V8 one-line modules: the column then tells two anonymous functions of a file apart. */
function keyOf(f: CallFrame): string {
  const at = f.lineNumber === 0 && f.columnNumber ? `1:${f.columnNumber + 1}` : `${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}  ${moduleOf(f.url)}:${at}`;
}

export function summarize(file: string, top = 20, match?: RegExp, exclude?: RegExp, callers?: RegExp): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  /** Self time of the functions matching `callers`, by the chain of their three nearest callers. */
  const byCaller = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(p.samples[i]!)!;
    if (exclude && stackMatches(node.id, parent, byId, exclude)) continue;
    all += dt;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      idle += name === '(idle)' ? dt : 0;
    }
    const k = keyOf(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + dt);
    if (callers?.test(k)) {
      const chain = [k];
      for (let id = parent.get(node.id); id !== undefined && chain.length < 4; id = parent.get(id)) chain.push(keyOf(byId.get(id)!.callFrame));
      const c = chain.join('\n             ← ');
      byCaller.set(c, (byCaller.get(c) ?? 0) + dt);
    }
    const m = moduleOf(node.callFrame.url) + (name.startsWith('(') ? ` ${name}` : '');
    selfModule.set(m, (selfModule.get(m) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const key = keyOf(byId.get(id)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  }
  const busy = all - idle;
  const pct = (v: number) => `${((v / busy) * 100).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>, n: number, filter?: RegExp) =>
    [...m]
      .filter(([k]) => !filter || filter.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${pct(v)}  ${k}`)
      .join('\n');
  return [
    `${file}: ${all.toFixed(0)} ms sampled, ${idle.toFixed(0)} ms idle, ${busy.toFixed(0)} ms busy (percentages of busy)`,
    `self time by module:`,
    rows(selfModule, top),
    `self time by function:`,
    rows(self, top),
    `total (inclusive) time by function${match ? ` matching ${match}` : ''}:`,
    rows(total, top, match ?? /^(?!\((root|program|idle|garbage collector)\)).*/),
    ...(callers ? [`self time of functions matching ${callers}, by caller:`, rows(byCaller, top)] : []),
  ].join('\n');
}

/** Whether a frame of the sample's stack matches, so samples of set-up or instrumentation code can be left out. */
function stackMatches(id: number, parent: Map<number, number>, byId: Map<number, ProfileNode>, re: RegExp): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (re.test(keyOf(byId.get(at)!.callFrame))) return true;
  return false;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const top = Number(opt('--top') ?? 20);
  const match = opt('--match');
  const exclude = opt('--exclude');
  const callers = opt('--callers');
  if (!args.length) {
    console.error('usage: npx tsx bench/profile.ts FILE.cpuprofile [--top N] [--match REGEX] [--exclude REGEX] [--callers REGEX]');
    process.exit(2);
  }
  for (const f of args) console.log(summarize(f, top, match ? new RegExp(match) : undefined, exclude ? new RegExp(exclude) : undefined, callers ? new RegExp(callers) : undefined) + '\n');
}
