/**
 * `npm run qe -- IN.jsonl --out OUT.jsonl [--engine offline] [--glossary FILE]`: flags the MT's own
 * errors line by line; each line `{src?|source?, mt, …}` is written back unchanged plus `flags` and `risk`.
 * `npm run qe -- --score FILE`: runs the offline checks on MQM-annotated lines and prints span
 * precision / recall per flag kind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runMtChecks } from '../checks/mt/index.js';
import { formatScores, raterSpans, scoreLine, type MqmError, type Scores } from '../checks/mt/score.js';
import type { MtCheckContext } from '../checks/mt/types.js';
import { parseGlossary, type GlossaryEntry } from '../core/glossary.js';
import { medianLengthRatio } from '../core/lengthRatio.js';
import { paragraphRisk } from '../core/risk.js';
import type { MtFlag } from '../core/types.js';
import { ENGINE_IDS, isEngineId } from '../engines/ids.js';
import { readCommandLine } from './args.js';
import { fail } from './fail.js';

const USAGE = 'usage: npm run qe -- IN.jsonl --out OUT.jsonl [--engine offline|openai] [--glossary FILE]  |  npm run qe -- --score FILE';

interface QeLine {
  record: Record<string, unknown>;
  mt: string;
  src: string | undefined;
}

function readLines(file: string): QeLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: QeLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch {
      fail(`${file}:${i + 1}: not a JSON line`);
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) fail(`${file}:${i + 1}: a line must be a JSON object {src?, mt, …}`);
    const r = record as Record<string, unknown>;
    if (typeof r.mt !== 'string') fail(`${file}:${i + 1}: "mt" must be a string`);
    const src = r.src ?? r.source;
    if (src !== undefined && src !== null && typeof src !== 'string') fail(`${file}:${i + 1}: "src" must be a string`);
    out.push({ record: r, mt: r.mt, src: typeof src === 'string' && src ? src : undefined });
  });
  return out;
}

/** The article's own MT/source length ratio, per `doc` when lines carry one, else over the file. */
function lengthRatios(lines: QeLine[]): (line: QeLine) => number | undefined {
  const groups = new Map<unknown, Array<{ mt: string; source?: string | undefined }>>();
  for (const l of lines) {
    const key = l.record.doc ?? null;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ mt: l.mt, source: l.src });
  }
  const medians = new Map([...groups].map(([k, v]) => [k, medianLengthRatio(v)]));
  return (l) => medians.get(l.record.doc ?? null);
}

function flagLines(lines: QeLine[], glossary: GlossaryEntry[] | undefined) {
  const ratioOf = lengthRatios(lines);
  return lines.map((l) => {
    const ctx: MtCheckContext = { glossary, articleLengthRatio: ratioOf(l) };
    const flags = runMtChecks(l.mt, l.src, ctx);
    return { line: l, flags };
  });
}

const parsed = readCommandLine({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    engine: { type: 'string', default: 'offline' },
    glossary: { type: 'string' },
    score: { type: 'string' },
    'by-kind': { type: 'boolean', default: true },
  },
}, USAGE);
const { values, positionals } = parsed;

if (values.score !== undefined) {
  if (positionals.length) fail(USAGE, 2);
  const lines = readLines(values.score);
  const scores: Scores = new Map();
  lines.forEach((l, i) => {
    if (!Array.isArray(l.record.errors)) fail(`${values.score}:${i + 1}: a scored line needs an "errors" array`);
  });
  for (const { line, flags } of flagLines(lines, undefined)) {
    scoreLine(scores, line.mt, flags, raterSpans(line.mt, line.src ?? '', line.record.errors as MqmError[]));
  }
  console.log(`${lines.length} lines, offline MT checks vs MQM rater spans\n`);
  console.log(formatScores(scores));
} else {
  if (positionals.length !== 1) fail(USAGE, 2);
  const started = performance.now();
  const outFile = values.out ?? '-';
  if (!isEngineId(values.engine)) fail(`--engine must be ${ENGINE_IDS.join(' or ')}, not "${values.engine}"`, 2);
  let glossary: GlossaryEntry[] | undefined;
  if (values.glossary) {
    try {
      glossary = parseGlossary(JSON.parse(readFileSync(values.glossary, 'utf8')));
    } catch (e) {
      fail(`${values.glossary}: ${(e as Error).message}`);
    }
  }
  const lines = readLines(positionals[0]!);
  const flagged = flagLines(lines, glossary);
  if (values.engine === 'openai') await addLlmFlags(flagged);
  const out = flagged.map(({ line, flags }) => JSON.stringify({ ...line.record, flags, risk: paragraphRisk(flags) }));
  const text = out.length ? `${out.join('\n')}\n` : '';
  if (outFile === '-') process.stdout.write(text);
  else writeFileSync(outFile, text);
  const seconds = (performance.now() - started) / 1000;
  const flaggedCount = flagged.filter((f) => f.flags.length).length;
  console.error(`qe: ${lines.length} lines, ${flaggedCount} flagged, ${seconds.toFixed(1)} s, ${Math.round(lines.length / Math.max(seconds, 1e-3))} segments/s → ${outFile === '-' ? 'stdout' : outFile}`);
}

/** LLM annotation merged with the offline flags; loaded only when asked, so offline starts fast. */
async function addLlmFlags(flagged: Array<{ line: QeLine; flags: MtFlag[] }>): Promise<void> {
  const { loadDotEnv } = await import('../config.js');
  const { engineConfigFromEnv } = await import('../engines/openai.js');
  const { createMtAnnotator, mergeMtFlags } = await import('../engines/mtAnnotator.js');
  loadDotEnv();
  let config;
  try {
    config = engineConfigFromEnv();
  } catch (e) {
    fail((e as Error).message, 2);
  }
  if (!config) fail('--engine openai needs OPENAI_API_KEY or OPENAI_BASE_URL in the environment', 2);
  const annotator = createMtAnnotator(config);
  for (const [i, item] of flagged.entries()) {
    try {
      const annotation = await annotator.annotate(item.line.mt, item.line.src, { hints: item.flags });
      item.flags = mergeMtFlags(item.flags, annotation.flags);
    } catch (e) {
      fail(`line ${i + 1}: the LLM annotator failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
