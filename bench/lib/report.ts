/** Statistics, the machine description, and `bench/RESULTS.md` sections each benchmark rewrites. */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './text.js';

export const resultsFile = join(repoRoot, 'bench', 'RESULTS.md');

export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: p99 of 2,000 samples is the 1,980th smallest.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (values: number[]) => quantile(values, 0.5);

export function ms(n: number, digits = 2): string {
  return `${n.toFixed(digits)} ms`;
}

export function mb(bytes: number, digits = 1): string {
  return `${(bytes / 1024 / 1024).toFixed(digits)} MB`;
}

export function kb(bytes: number, digits = 1): string {
  return `${(bytes / 1024).toFixed(digits)} KB`;
}

export function machine(): string {
  const c = cpus();
  const model = c[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${c.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, ${platform()} ${release()}`;
}

/**
 * A fixed single-thread workload of the kind the server does (JSON of a paragraph-like array, a Unicode
 * word regex, sorting), in ms: median of 5. The same machine kind has served the same code at twice the
 * CPU per request on different days; this says which kind of day a run had.
 */
export function speedProbe(): number {
  const text = 'Baoan District smart wearable output reached 29.27 billion yuan in 2014, officials said. ';
  const items = Array.from({ length: 4000 }, (_, i) => ({ id: `p${i}`, n: i, text: text.repeat(1 + (i % 5)), tags: ['a', 'b', String(i)] }));
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    const copy = JSON.parse(JSON.stringify(items)) as typeof items;
    let words = 0;
    for (const it of copy) words += it.text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
    copy.sort((a, b) => (a.text.length - b.text.length) || b.n - a.n);
    if (words === 0) throw new Error('speed probe: no words');
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/** The 1-minute load average and the speed probe, taken as a benchmark starts: other work on the machine skews figures. */
export function conditions(): string {
  const load = loadavg()[0] ?? 0;
  return `load average ${load.toFixed(1)} at start${load > cpus().length * 0.5 ? ' (other processes were busy: figures are noisier)' : ''}; speed probe ${speedProbe().toFixed(0)} ms (bench/lib/report.ts: a fixed single-thread workload, lower is faster — compares days and machines)`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const SKELETON = `# Benchmarks

\`npm run bench\` runs all three; each also runs alone (\`npx tsx bench/editorPage.ts\`, \`npx tsx bench/actions.ts\`,
\`npx tsx bench/memory.ts\`). The sections between the \`bench:\` markers are rewritten by the benchmarks on
every run; the analysis below them is written by hand.

<!-- bench:editorPage:start -->
<!-- bench:editorPage:end -->

<!-- bench:actions:start -->
<!-- bench:actions:end -->

<!-- bench:memory:start -->
<!-- bench:memory:end -->
`;

/** Replaces the section of `name` in RESULTS.md (creating the file or the section if missing). */
export function writeSection(name: string, markdown: string): void {
  let doc = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : SKELETON;
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length);
  else doc = doc.trimEnd() + `\n\n${block}\n`;
  writeFileSync(resultsFile, doc);
}

/** A markdown table. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** True when the module is the script node was asked to run (works under tsx and `node --import tsx`). */
export function isMain(metaUrl: string): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(fileURLToPath(metaUrl)) === realpathSync(resolve(arg));
  } catch {
    return false;
  }
}
