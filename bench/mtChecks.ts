/**
 * `npm run bench:mt`: MT checks against corruptions of the WMT23 dev set's MT lines (a number's value or
 * scale changed, a place swapped for one the source does not name, a clause dropped, a Chinese phrase
 * left in), each with the corrupted span known; recall per kind and false alarms on the untouched MT;
 * then throughput. Seeded: the same corruptions every run. Writes the "MT checks (issue 14)" section.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMtChecks } from '../server/checks/mt/index.js';
import { overlaps, raterSpans, type MqmError } from '../server/checks/mt/score.js';
import type { MtFlag, MtFlagKind } from '../server/core/types.js';
import { conditions, machine, table, today, writeSection } from './lib/report.js';
import { repoRoot } from './lib/text.js';

interface Line { doc: string; src: string; mt: string; errors: MqmError[] }
const devFile = join(repoRoot, '..', 'shared', 'eval', 'wmt23-mqm-zhen-dev.jsonl');
const lines: Line[] = readFileSync(devFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(14);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const ratios = new Map<string, number>();
const byDoc = new Map<string, number[]>();
for (const l of lines) (byDoc.get(l.doc) ?? byDoc.set(l.doc, []).get(l.doc)!).push(l.mt.length / l.src.length);
for (const [doc, rs] of byDoc) {
  const r = rs.sort((a, b) => a - b);
  ratios.set(doc, r[r.length >> 1]!);
}
const flagsOf = (l: Line, mt = l.mt) => runMtChecks(mt, l.src, { articleLengthRatio: ratios.get(l.doc) });

interface Corruption { mt: string; span: [number, number] }
type Corrupt = (l: Line) => Corruption | undefined;

const numberCorrupt: Corrupt = (l) => {
  const nums = [...l.mt.matchAll(/\d[\d,.]*\d|\d/g)];
  if (!nums.length) return;
  const m = pick(nums);
  const text = m[0];
  const scaled = / (million|billion)/.exec(l.mt.slice(m.index + text.length, m.index + text.length + 9));
  const how = pick(['x10', 'x1000', 'digit', 'scale']);
  let next: string;
  let end = m.index + text.length;
  if (how === 'scale' && scaled) {
    next = `${text} ${scaled[1] === 'million' ? 'billion' : 'million'}`;
    end += scaled[0].length;
  } else if (how === 'x10') next = times10(text);
  else if (how === 'x1000') next = `${text},000`;
  else {
    const digits = [...text].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0);
    const i = pick(digits);
    next = text.slice(0, i) + String((Number(text[i]) + 1 + Math.floor(rand() * 8)) % 10) + text.slice(i + 1);
  }
  return { mt: l.mt.slice(0, m.index) + next + l.mt.slice(end), span: [m.index, m.index + next.length] };
};

/**
 * The figure ten times larger: a 0 appended to an integer ("30" → "300"), the point moved one place for
 * a decimal ("3.4" → "34", "1.27" → "12.7"). Appending a 0 to a decimal ("3.4" → "3.40") would leave the
 * value as it was — a change no number check can see.
 */
function times10(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0) return `${text}0`;
  const moved = text.slice(0, dot) + text[dot + 1] + (dot + 2 < text.length ? `.${text.slice(dot + 2)}` : '');
  return moved.replace(/^0+(?=\d)/, '');
}

const PLACES: Array<[string, string]> = [
  ['France', '法国'], ['Germany', '德国'], ['Japan', '日本'], ['Brazil', '巴西'], ['Canada', '加拿大'], ['India', '印度'],
  ['Egypt', '埃及'], ['Mexico', '墨西哥'], ['Kenya', '肯尼亚'], ['Norway', '挪威'], ['Italy', '意大利'], ['Spain', '西班牙'],
  ['Australia', '澳大利亚'], ['Russia', '俄罗斯'], ['Vietnam', '越南'], ['Thailand', '泰国'], ['Poland', '波兰'], ['Argentina', '阿根廷'],
  ['China', '中国'], ['the United States', '美国'], ['Britain', '英国'], ['Taiwan', '台湾'], ['Beijing', '北京'], ['Shanghai', '上海'],
  ['Hong Kong', '香港'], ['Tokyo', '东京'], ['Paris', '巴黎'], ['London', '伦敦'], ['Moscow', '莫斯科'], ['Ukraine', '乌克兰'],
];
const nameCorrupt: Corrupt = (l) => {
  const present = PLACES.filter(([en, zh]) => l.src.includes(zh) && l.mt.includes(en));
  const absent = PLACES.filter(([en, zh]) => !l.src.includes(zh) && !l.mt.includes(en));
  if (!present.length) return;
  const [en] = pick(present);
  const [other] = pick(absent);
  const at = l.mt.indexOf(en);
  return { mt: l.mt.slice(0, at) + other + l.mt.slice(at + en.length), span: [at, at + other.length] };
};

const clauseCorrupt: Corrupt = (l) => {
  const parts = [...l.mt.matchAll(/[^,;]+[,;]/g)].filter((m) => m.index > 0 && m[0].trim().split(/\s+/).length >= 4);
  if (!parts.length || !/[，；]/.test(l.src)) return;
  const m = pick(parts);
  return { mt: l.mt.slice(0, m.index) + l.mt.slice(m.index + m[0].length), span: [m.index, m.index] };
};

const untranslatedCorrupt: Corrupt = (l) => {
  const han = [...l.src.matchAll(/\p{Script=Han}{2,6}/gu)];
  const words = [...l.mt.matchAll(/[A-Za-z]{4,}/g)];
  if (!han.length || !words.length) return;
  const phrase = pick(han)[0];
  const w = pick(words);
  return { mt: l.mt.slice(0, w.index) + phrase + l.mt.slice(w.index + w[0].length), span: [w.index, w.index + phrase.length] };
};

interface Row { kind: MtFlagKind; label: string; corrupt: Corrupt; recallTarget: number; faTarget: number }
const rows: Row[] = [
  { kind: 'number', label: 'number (value/scale changed)', corrupt: numberCorrupt, recallTarget: 0.95, faTarget: 0.03 },
  { kind: 'name', label: 'name (place swapped)', corrupt: nameCorrupt, recallTarget: 0.9, faTarget: 0.05 },
  { kind: 'omission', label: 'omission (clause dropped)', corrupt: clauseCorrupt, recallTarget: 0.7, faTarget: 0.1 },
  { kind: 'untranslated', label: 'untranslated (Chinese left in)', corrupt: untranslatedCorrupt, recallTarget: 0.99, faTarget: 0.01 },
];

const original = lines.map((l) => flagsOf(l));
/** A flag on untouched MT that no rater's span supports: a false alarm. */
const unsupported = (l: Line, f: MtFlag) => !raterSpans(l.mt, l.src, l.errors).some((r) => (r.side === 'mt' ? overlaps([f.start, f.end], [r.start, r.end]) : f.kind === 'omission'));

const results = rows.map((row) => {
  let cases = 0;
  let found = 0;
  lines.forEach((l) => {
    const c = row.corrupt(l);
    if (!c) return;
    cases++;
    const flags = flagsOf(l, c.mt).filter((f) => f.kind === row.kind);
    if (row.kind === 'omission' ? flags.length > 0 : flags.some((f) => overlaps([f.start, f.end], c.span))) found++;
  });
  const falseAlarms = lines.filter((l, i) => original[i]!.some((f) => f.kind === row.kind && unsupported(l, f))).length;
  return { row, cases, recall: cases ? found / cases : NaN, fa: falseAlarms / lines.length };
});

const t0 = performance.now();
for (const l of lines) flagsOf(l);
const warm = lines.length / ((performance.now() - t0) / 1000);
const c0 = performance.now();
spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/qe.ts', devFile, '--out', '/dev/null'], { cwd: repoRoot });
const cold = lines.length / ((performance.now() - c0) / 1000);

const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);
const md = [
  '## 7. MT checks (issue 14)',
  '',
  `${today()} · ${machine()} · ${conditions()} · \`npm run bench:mt\`, seed 14, ${lines.length} dev lines (\`wmt23-mqm-zhen-dev.jsonl\`).`,
  'Recall: the corrupted span is flagged by the kind (omission: any omission flag on the line). False alarms: share of untouched lines with a flag of the kind that no rater span supports.',
  '',
  table(['kind', 'cases', 'recall', 'false alarms', 'target', 'met'], results.map((r) => [
    r.row.label, r.cases, pct(r.recall), pct(r.fa), `≥ ${pct(r.row.recallTarget)} / ≤ ${pct(r.row.faTarget)}`,
    r.recall >= r.row.recallTarget && r.fa <= r.row.faTarget ? 'met' : 'not met',
  ])),
  '',
  `Throughput: ${warm.toFixed(0)} segments/s warm (checks only); ${cold.toFixed(0)} segments/s for \`qe\` on the 1,600 lines including tsx start-up (target ≥ 100).`,
].join('\n');
console.log(md);
writeSection('mtChecks', md);
