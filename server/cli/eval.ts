/**
 * `npm run eval -- FILE.jsonl --engine offline|openai [--model M] [--level minimal|fluent] [--limit N]
 * [--concurrency N] [--rpm N] [--tpm N] [--report FILE]`: scores an engine on human post-edits.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { runChecks } from '../checks/index.js';
import { loadDotEnv } from '../config.js';
import { evalReport, formatEval, parseEvalSet, scoreEval, type EvalItem, type EvalOutcome } from '../core/evalSet.js';
import type { EditLevel } from '../engines/types.js';
import { envEngines } from '../runs/engines.js';
import { formatProgress, ProgressLine } from '../runs/progress.js';
import { RateLimiter } from '../runs/rateLimiter.js';
import { runEngine } from '../runs/runEngine.js';
import { fail } from './fail.js';
import { positiveInt, readCommandLine } from './args.js';

const USAGE = 'usage: npm run eval -- FILE.jsonl --engine offline|openai [--model M] [--level minimal|fluent] [--limit N] [--concurrency N] [--rpm N] [--tpm N] [--report FILE]';

loadDotEnv();
const parsed = readCommandLine({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: 'offline' },
    model: { type: 'string' },
    level: { type: 'string', default: 'minimal' },
    limit: { type: 'string' },
    concurrency: { type: 'string' },
    rpm: { type: 'string' },
    tpm: { type: 'string' },
    report: { type: 'string' },
  },
}, USAGE);
const { values, positionals } = parsed;
if (positionals.length !== 1) fail(USAGE, 2);
const file = resolve(positionals[0]!);
const level = values.level as EditLevel;
if (level !== 'minimal' && level !== 'fluent') fail(`--level must be minimal or fluent, not "${values.level}"`, 2);
const limit = positiveInt(values.limit, '--limit');
const concurrency = positiveInt(values.concurrency, '--concurrency') ?? 4;
const rpm = positiveInt(values.rpm, '--rpm');
const tpm = positiveInt(values.tpm, '--tpm');

let items: EvalItem[];
try {
  items = parseEvalSet(await readFile(file, 'utf8'));
} catch (e) {
  fail(`${file}: ${(e as Error).message}`);
}
if (limit !== undefined) items = items.slice(0, limit);
if (items.length === 0) fail(`${file} holds no sentences`);

let base;
try {
  base = envEngines()(values.engine!, values.model);
} catch (e) {
  fail((e as Error).message, 2);
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
const engine = runEngine(base, {
  mode: 'rewrite',
  signal: controller.signal,
  limiter: rpm || tpm ? new RateLimiter({ rpm, tpm }) : undefined,
});

const outcomes: Array<EvalOutcome | undefined> = [];
const failures: string[] = [];
const progress = new ProgressLine();
const began = Date.now();
let next = 0;
const show = (force = false) =>
  progress.update(formatProgress({ total: items.length, done: outcomes.filter(Boolean).length, failed: failures.length, skipped: 0, before: 0, elapsedMs: Date.now() - began }), force);
async function worker(): Promise<void> {
  while (!controller.signal.aborted && next < items.length) {
    const i = next++;
    const item = items[i]!;
    try {
      const result = await engine.suggest({
        paragraphId: item.id,
        text: item.mt,
        kind: 'body',
        ...(item.src ? { source: item.src } : {}),
        level,
        context: { title: '', glossary: [] },
      });
      const warnings = runChecks(item.mt, result.text, item.src ? { source: item.src } : {}).filter((f) => f.severity === 'warning').length;
      outcomes[i] = { item, output: result.text, warnings };
    } catch (e) {
      if (!controller.signal.aborted) failures.push(`${item.id}: ${(e as Error).message}`);
    }
    show();
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
show(true);
progress.end();
if (controller.signal.aborted) fail('interrupted: nothing was scored', 130);

const scored = outcomes.filter((o): o is EvalOutcome => !!o);
const figures = scoreEval(scored);
const meta = { set: basename(file), engine: base.id, model: base.model, level, failed: failures.length };
console.log(formatEval(meta, figures));
for (const f of failures.slice(0, 10)) console.error(`failed: ${f}`);
if (failures.length > 10) console.error(`… and ${failures.length - 10} more failures`);
if (values.report) {
  await writeFile(resolve(values.report), `${JSON.stringify(evalReport(meta, figures), null, 2)}\n`);
  console.log(`report: ${values.report}`);
}
process.exit(failures.length ? 1 : 0);
