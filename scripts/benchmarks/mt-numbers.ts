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

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '../shared/eval/wmt23-mqm-zhen-dev.jsonl';
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

// False alarms: untouched MT numbers no rater marked, share with a major number flag on them.
let unmarked = 0;
let falseAlarms = 0;
for (const line of lines) {
  const flags = run(line.mt, line.src).filter((f) => f.severity === 'major');
  for (const n of extractNumbers(line.mt)) {
    if (line.errors.some((e) => e.side !== 'src' && e.start < n.span[1] && n.span[0] < e.end)) continue;
    unmarked++;
    if (flags.some((f) => f.start < n.span[1] && n.span[0] < f.end)) falseAlarms++;
  }
}

// Corruption: every digit-written MT number the check accepted, changed in value or scale.
const CORRUPTIONS: Array<[string, (text: string) => string | undefined]> = [
  ['x10', (t) => scaleDigits(t, 10)],
  ['x1000', (t) => scaleDigits(t, 1000)],
  ['million<->billion', (t) => (/million/i.test(t) ? t.replace(/million/i, 'billion') : /billion/i.test(t) ? t.replace(/billion/i, 'million') : undefined)],
  ['+1 digit', (t) => { const m = /\d(?!.*\d)/.exec(t); return m ? t.slice(0, m.index + 1) + (m[0] === '7' ? '3' : '7') + t.slice(m.index + 1) : undefined; }],
];
function scaleDigits(text: string, factor: number): string | undefined {
  const m = /\d[\d,]*(?:\.\d+)?/.exec(text);
  if (!m) return undefined;
  const v = Number(m[0].replace(/,/g, '')) * factor;
  return text.slice(0, m.index) + String(Number(v.toPrecision(12))) + text.slice(m.index + m[0].length);
}
const byKind = new Map<string, [number, number]>();
const missed: string[] = [];
let corrupted = 0;
let caught = 0;
for (const line of lines) {
  const flagged = run(line.mt, line.src).filter((f) => f.severity === 'major');
  for (const fact of extractNumbers(line.mt)) {
    if (!/\d/.test(fact.text) || fact.weak || fact.kind === 'year' || fact.kind === 'ordinal') continue;
    if (flagged.some((f) => f.start < fact.span[1] && fact.span[0] < f.end)) continue;
    for (const [name, change] of CORRUPTIONS) {
      const changed = change(fact.text);
      if (!changed || changed === fact.text) continue;
      const mt = line.mt.slice(0, fact.span[0]) + changed + line.mt.slice(fact.span[1]);
      const end = fact.span[0] + changed.length;
      corrupted++;
      const k = byKind.get(name) ?? [0, 0];
      k[1]++;
      if (run(mt, line.src).some((f) => f.severity === 'major' && f.start < end && fact.span[0] < f.end)) {
        caught++;
        k[0]++;
      } else missed.push(`${name}: ${changed} | ${line.src.slice(0, 70)}`);
      byKind.set(name, k);
    }
  }
}

const t0 = performance.now();
for (const line of lines) run(line.mt, line.src);
const perLine = (performance.now() - t0) / lines.length;

console.log(`untouched: ${majors} major flags, ${confirmed} on a rater's span (${((100 * confirmed) / Math.max(1, majors)).toFixed(1)}%); ${minors} minor (missing) flags`);
console.log(`corrupted: ${caught}/${corrupted} caught (${((100 * caught) / Math.max(1, corrupted)).toFixed(1)}%)`);
console.log(`  by kind: ${[...byKind].map(([k, [c, n]]) => `${k} ${c}/${n}`).join(', ')}`);
console.log(`false alarms: ${falseAlarms}/${unmarked} untouched unmarked MT numbers flagged (${((100 * falseAlarms) / Math.max(1, unmarked)).toFixed(1)}%)`);
console.log(`speed: ${perLine.toFixed(3)} ms per line`);
if (process.argv.includes('--show')) for (const u of [...unconfirmed, ...missed]) console.log(u);
