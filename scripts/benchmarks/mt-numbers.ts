/**
 * Measures the numbers MT check on WMT23 zh→en MQM data (issue 14):
 *
 *   npx tsx scripts/benchmarks/mt-numbers.ts [../shared/eval/wmt23-mqm-zhen-dev.jsonl]
 *
 * - untouched MT: share of major number flags overlapping a rater's MT-side span (precision proxy);
 *   the flags that do not are printed for reading.
 * - corrupted MT: one digit-written MT number the check accepted is multiplied by 10 or 1000;
 *   recall = a major number flag covering it.
 * - speed: per sentence after warm-up.
 */
import { readFileSync } from 'node:fs';
import { mtNumbersCheck } from '../../server/checks/mt/numbers.js';
import { extractNumbers } from '../../server/core/facts.js';

interface Line {
  src: string;
  mt: string;
  errors: Array<{ side?: string; start: number; end: number }>;
}

const file = process.argv[2] ?? '../shared/eval/wmt23-mqm-zhen-dev.jsonl';
const lines: Line[] = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const run = (mt: string, src: string) => mtNumbersCheck.run(mt, src, {});

let majors = 0;
let confirmed = 0;
let minors = 0;
const unconfirmed: string[] = [];
for (const line of lines) {
  for (const f of run(line.mt, line.src)) {
    if (f.severity !== 'major') {
      minors++;
      continue;
    }
    majors++;
    const hit = line.errors.some((e) => e.side !== 'src' && e.start < f.end && f.start < e.end);
    if (hit) confirmed++;
    else unconfirmed.push(`${line.mt.slice(f.start, f.end)}  | ${f.message}  | ${line.src.slice(0, 80)}`);
  }
}

let corrupted = 0;
let caught = 0;
for (const line of lines) {
  const flagged = new Set(run(line.mt, line.src).map((f) => f.start));
  const fact = extractNumbers(line.mt).find((n) => /^\d+(\.\d+)?$/.test(n.text) && !flagged.has(n.span[0]) && n.kind !== 'year');
  if (!fact) continue;
  for (const factor of [10, 1000]) {
    const changed = String(Number((fact.value * factor).toPrecision(12)));
    const mt = line.mt.slice(0, fact.span[0]) + changed + line.mt.slice(fact.span[1]);
    corrupted++;
    const end = fact.span[0] + changed.length;
    if (run(mt, line.src).some((f) => f.severity === 'major' && f.start <= fact.span[0] && f.end >= end)) caught++;
  }
}

const t0 = performance.now();
for (const line of lines) run(line.mt, line.src);
const perLine = (performance.now() - t0) / lines.length;

console.log(`untouched: ${majors} major flags, ${confirmed} on a rater's span (${((100 * confirmed) / Math.max(1, majors)).toFixed(1)}%); ${minors} minor (missing) flags`);
console.log(`corrupted: ${caught}/${corrupted} caught (${((100 * caught) / Math.max(1, corrupted)).toFixed(1)}%)`);
console.log(`speed: ${perLine.toFixed(3)} ms per line`);
if (process.argv.includes('--show')) for (const u of unconfirmed) console.log(u);
