/**
 * Measures the omission and length MT checks on WMT23 zh→en MQM data (issue 14, item 6):
 *
 *   npx tsx scripts/benchmarks/mt-omission.ts [../shared/eval/wmt23-mqm-zhen-dev.jsonl]
 *
 * - corrupted: on lines whose source clauses (，；) and MT pieces (, ;) are equally many, MT piece i
 *   (i ≥ 1) is deleted; recall = an omission flag whose sourceSpans overlap source clause i.
 * - untouched: share of lines with an omission flag that overlaps no rater's omission span.
 * - agreement with raters' omission spans (side src); length flags on untouched lines.
 * - speed: every MT check on every line, start-up included.
 */
import { readFileSync } from 'node:fs';
import { runMtChecks } from '../../server/checks/mt/index.js';
import { lengthCheck } from '../../server/checks/mt/length.js';
import { omissionCheck } from '../../server/checks/mt/omission.js';
import type { MtFlag } from '../../server/core/types.js';

interface Line {
  src: string;
  mt: string;
  errors: Array<{ category: string; side: string; start: number; end: number; severity: string }>;
}

const t0 = performance.now();
const file = process.argv[2] ?? '../shared/eval/wmt23-mqm-zhen-dev.jsonl';
const lines: Line[] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
for (const l of lines) runMtChecks(l.mt, l.src, {});
const perSecond = lines.length / ((performance.now() - t0) / 1000);

const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
const omissionFlags = (mt: string, src: string): MtFlag[] => omissionCheck.run(mt, src, {});

// Untouched lines.
let flaggedLines = 0;
let falseLines = 0;
let flags = 0;
let agreeing = 0;
let raterSpans = 0;
let raterFound = 0;
let lengthLines = 0;
let lengthAgree = 0;
for (const l of lines) {
  const rater = l.errors.filter((e) => e.side === 'src' && /Omission/u.test(e.category)).map((e) => [e.start, e.end] as [number, number]);
  const found = omissionFlags(l.mt, l.src);
  flags += found.length;
  const good = found.filter((f) => f.sourceSpans!.some((s) => rater.some((r) => overlaps(s, r))));
  agreeing += good.length;
  if (found.length) flaggedLines++;
  if (found.length > good.length) falseLines++;
  raterSpans += rater.length;
  raterFound += rater.filter((r) => found.some((f) => f.sourceSpans!.some((s) => overlaps(s, r)))).length;
  if (lengthCheck.run(l.mt, l.src, {}).length) {
    lengthLines++;
    if (l.errors.some((e) => /Omission|Addition/u.test(e.category))) lengthAgree++;
  }
}

// Corrupted lines.
let cases = 0;
let caught = 0;
let caughtMajor = 0;
let placed = 0;
let lengthCaught = 0;
const clauseRe = /[^，；]+/gu;
for (const l of lines) {
  const srcClauses = [...l.src.matchAll(clauseRe)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
  const pieces = [...l.mt.matchAll(/[^,;]+[,;]?/gu)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
  if (srcClauses.length < 2 || srcClauses.length !== pieces.length) continue;
  const i = 1 + (l.mt.length % (pieces.length - 1));
  const [s, e] = pieces[i]!;
  const cut = (l.mt.slice(0, s) + l.mt.slice(e)).replace(/[,;]\s*$/u, '.');
  const target = srcClauses[i]!;
  cases++;
  const hit = omissionFlags(cut, l.src).find((f) => f.sourceSpans!.some((sp) => overlaps(sp, target)));
  if (hit) caught++;
  if (hit && Math.abs(hit.start - s) <= 3) placed++;
  if (hit?.severity === 'major') caughtMajor++;
  if (lengthCheck.run(cut, l.src, {}).length) lengthCaught++;
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
console.log(`lines ${lines.length}; all MT checks ${perSecond.toFixed(0)} segments/s incl. start-up`);
console.log(`corrupted (clause deleted): ${cases} cases, omission recall ${pct(caught, cases)} (major ${pct(caughtMajor, cases)}; point at the cut ±3 ${pct(placed, caught)} of hits), length flag ${pct(lengthCaught, cases)}`);
console.log(`untouched: lines flagged ${pct(flaggedLines, lines.length)}, lines with a flag no rater supports ${pct(falseLines, lines.length)}`);
console.log(`raters' omission spans: ${raterSpans}; flags ${flags}, agreeing ${pct(agreeing, flags)}; rater spans found ${pct(raterFound, raterSpans)}`);
console.log(`length flags on untouched lines: ${pct(lengthLines, lines.length)}, of which with a rater omission/addition ${pct(lengthAgree, lengthLines)}`);
