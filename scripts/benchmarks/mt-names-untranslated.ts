/**
 * Measures the names and untranslated MT checks on WMT23 zh→en MQM data (issue 14, item 6):
 *
 *   npx tsx scripts/benchmarks/mt-names-untranslated.ts [../shared/eval/wmt23-mqm-zhen-dev.jsonl]
 *
 * - names, corrupted: a country or city the MT names is swapped for one the source does not name;
 *   recall = a major name flag on the new span.
 * - names, untouched: the MT's own names (`extractNames`) that no rater marked; false alarms =
 *   those under a major name flag.
 * - untranslated, corrupted: a Chinese word of the source inserted into the MT; recall = a major
 *   flag covering it. Untouched: lines with an untranslated flag where no rater marked anything there.
 * - speed: both checks on every line, start-up (dictionary, jieba) included.
 */
import { readFileSync } from 'node:fs';
import { mtNamesCheck } from '../../server/checks/mt/names.js';
import { untranslatedCheck } from '../../server/checks/mt/untranslated.js';
import { extractNames, findPhrase } from '../../server/core/facts.js';
import type { MtFlag } from '../../server/core/types.js';
import { headwordsForName } from '../../server/core/zh/dict.js';
import { segmentZh } from '../../server/core/zh/segment.js';

interface Line {
  doc: string;
  seg: number;
  system: string;
  src: string;
  mt: string;
  errors: Array<{ side?: string; start: number; end: number; category: string; severity: string }>;
}

const file = process.argv[2] ?? '../shared/eval/wmt23-mqm-zhen-dev.jsonl';
const lines: Line[] = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

/**
 * Places swapped in and out (measurement only; the check has no such list). Spelt as CC-CEDICT
 * glosses them, as an MT would write them.
 */
const PLACES = `China|United States|US|Japan|Taiwan|Hong Kong|Macao|Beijing|Shanghai|Guangdong|Shenzhen|Russia|Ukraine|
Germany|France|Italy|Spain|India|Brazil|Canada|Australia|Mexico|Egypt|Kenya|Nigeria|Norway|Sweden|Finland|Poland|Turkey|
Iran|Iraq|Israel|Vietnam|Thailand|Indonesia|Malaysia|Singapore|Philippines|South Korea|North Korea|Pakistan|Argentina|Chile|
Peru|Fiji|New Zealand|Portugal|Greece|Denmark|Ireland|Switzerland|Austria|Belgium|Netherlands|Cuba|Mongolia|Nepal|
Cambodia|Laos|Myanmar|Saudi Arabia|Qatar|Morocco|Ethiopia|Chongqing|Wuhan|Tianjin|Nanjing|Hangzhou|Xinjiang|Tibet|Tokyo|
Seoul|Paris|London|Moscow|Berlin|Washington|New York|Sydney|Toronto|Madrid|Rome`
  .split('|')
  .map((s) => s.trim());

let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
const majorNames = (flags: MtFlag[]) => flags.filter((f) => f.severity === 'major');

// --- speed, start-up included ---
const t0 = performance.now();
const namesOut: MtFlag[][] = [];
for (const l of lines) {
  namesOut.push(mtNamesCheck.run(l.mt, l.src, {}));
  untranslatedCheck.run(l.mt, l.src, {});
}
const totalMs = performance.now() - t0;
const t1 = performance.now();
for (const l of lines) {
  mtNamesCheck.run(l.mt + ' ', l.src, {});
  untranslatedCheck.run(l.mt + ' ', l.src, {});
}
const warmMs = performance.now() - t1;

// --- names on untouched MT ---
let names = 0;
let namesFlagged = 0;
let flagsTotal = 0;
let flagsAgree = 0;
let minorTotal = 0;
let minorAgree = 0;
const examples: string[] = [];
lines.forEach((l, i) => {
  const marked = l.errors.filter((e) => (e.side ?? 'mt') === 'mt').map((e) => [e.start, e.end] as [number, number]);
  const flags = namesOut[i]!;
  const major = majorNames(flags);
  minorTotal += flags.length - major.length;
  const srcMarked = l.errors.filter((e) => e.side === 'src').map((e) => [e.start, e.end] as [number, number]);
  for (const f of flags) if (f.severity === 'minor' && f.sourceSpans?.some((s) => srcMarked.some((m) => overlaps(m, s)))) minorAgree++;
  for (const f of major) {
    flagsTotal++;
    if (marked.some((m) => overlaps(m, [f.start, f.end]))) flagsAgree++;
    else if (examples.length < 25) examples.push(`${l.mt.slice(f.start, f.end)} | ${f.message} | ${l.src.slice(0, 60)}`);
  }
  for (const n of extractNames(l.mt)) {
    if (marked.some((m) => overlaps(m, n.span))) continue;
    names++;
    if (major.some((f) => overlaps([f.start, f.end], n.span))) namesFlagged++;
  }
});

// --- names, corrupted ---
let swaps = 0;
let caught = 0;
const missed: string[] = [];
for (const l of lines) {
  const present = PLACES.map((p) => ({ p, span: findPhrase(l.mt, p, false) })).filter((x) => x.span);
  if (!present.length) continue;
  const target = present[Math.floor(random() * present.length)]!;
  const candidates = PLACES.filter(
    (p) => !findPhrase(l.mt, p) && !headwordsForName(p).some((w) => l.src.includes(w)) && !l.src.includes(p),
  );
  const swap = candidates[Math.floor(random() * candidates.length)]!;
  const [s, e] = target.span!;
  const mt = l.mt.slice(0, s) + swap + l.mt.slice(e);
  const span: [number, number] = [s, s + swap.length];
  swaps++;
  const hit = majorNames(mtNamesCheck.run(mt, l.src, {})).some((f) => overlaps([f.start, f.end], span));
  if (hit) caught++;
  else if (missed.length < 15) missed.push(`${target.p} → ${swap} | ${mt.slice(0, 100)} | ${l.src.slice(0, 50)}`);
}

// --- untranslated ---
let inserted = 0;
let insertCaught = 0;
let untouchedFlagged = 0;
let untouchedAgree = 0;
for (const l of lines) {
  const flags = untranslatedCheck.run(l.mt, l.src, {});
  if (flags.some((f) => f.severity === 'major')) {
    untouchedFlagged++;
    if (l.errors.some((e) => (e.side ?? 'mt') === 'mt' && flags.some((f) => overlaps([f.start, f.end], [e.start, e.end])))) untouchedAgree++;
  }
  const words = segmentZh(l.src).filter((t) => /^\p{Script=Han}{2,}$/u.test(t.word));
  if (!words.length) continue;
  const phrase = words[Math.floor(random() * words.length)]!.word;
  const spaces = [...l.mt.matchAll(/ /g)].map((m) => m.index);
  const at = spaces.length ? spaces[Math.floor(random() * spaces.length)]! + 1 : 0;
  const mt = `${l.mt.slice(0, at)}${phrase} ${l.mt.slice(at)}`;
  inserted++;
  const span: [number, number] = [at, at + phrase.length];
  if (untranslatedCheck.run(mt, l.src, {}).some((f) => f.severity === 'major' && f.start <= span[0] && f.end >= span[1])) insertCaught++;
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
console.log(`lines: ${lines.length} (${file})`);
console.log(`speed: ${(lines.length / (totalMs / 1000)).toFixed(0)} segments/s with start-up (${totalMs.toFixed(0)} ms), ${(warmMs / lines.length).toFixed(2)} ms/segment warm`);
console.log(`names, swapped place: recall ${pct(caught, swaps)} (${caught}/${swaps})`);
console.log(`names, untouched: ${pct(namesFlagged, names)} of ${names} unmarked MT names flagged major`);
console.log(`names, untouched: ${flagsTotal} major flags, ${pct(flagsAgree, flagsTotal)} on a span a rater marked`);
console.log(`names, untouched: ${minorTotal} minor (source name not in the MT), ${pct(minorAgree, minorTotal)} on a source span a rater marked`);
console.log(`untranslated, inserted: recall ${pct(insertCaught, inserted)} (${insertCaught}/${inserted})`);
console.log(`untranslated, untouched: ${untouchedFlagged} lines flagged (${pct(untouchedFlagged, lines.length)}), ${untouchedAgree} on a span a rater marked`);
if (process.env.VERBOSE) {
  console.log('\nmajor name flags no rater marked:\n' + examples.join('\n'));
  console.log('\nmissed swaps:\n' + missed.join('\n'));
}
if (process.env.VERBOSE) {
  const minors: string[] = [];
  lines.forEach((l, i) => {
    for (const f of namesOut[i]!) if (f.severity === 'minor' && minors.length < 60 && i % 7 === 0) minors.push(`${f.message} | ${l.mt.slice(0, 110)}`);
  });
  console.log('\nminor flags (sample):\n' + minors.join('\n'));
}
