/**
 * `npm run bench`: the benchmarks in turn, each updating its section of bench/RESULTS.md.
 * Each is also runnable alone: `npx tsx bench/editorPage.ts`, `bench/actions.ts`, `bench/memory.ts`,
 * `bench/memoryWalk.ts` (`npm start` over the corpus, ~5 minutes: each server is left idle 75 s).
 * Opt-in, with `npm run bench -- --pg` or BENCH_PG=1: then also the PostgreSQL benchmarks
 * (`bench/pgActions.ts`, `bench/pgBatch.ts`; a throwaway cluster unless DATABASE_URL is set).
 */
import { runActions } from './actions.js';
import { runEditorPage } from './editorPage.js';
import { machine, ms, resultsFile } from './lib/report.js';
import { runMemory } from './memory.js';
import { MEMORY_WALK_TARGET_MB, runMemoryWalks } from './memoryWalk.js';
import { runPgActions } from './pgActions.js';
import { runPgBatch } from './pgBatch.js';

const withPg = process.argv.includes('--pg') || process.env.BENCH_PG === '1';

const t0 = performance.now();
console.log(`Postedit benchmarks on ${machine()}`);
const page = await runEditorPage();
const actions = await runActions();
const memory = await runMemory();
const walks = await runMemoryWalks();
const pgActions = withPg ? await runPgActions() : undefined;
const pgBatch = withPg ? await runPgBatch() : undefined;

console.log(`\n== Summary (${ms(performance.now() - t0, 0)})`);
console.log(`editor page   app ${ms(page.appMedian)} vs static ${ms(page.staticMedian)} = ${page.ratio.toFixed(1)}× (target ≤ 3×: ${page.met ? 'met' : 'MISSED'})`);
console.log(`accept/edit   ${actions.throughput.toFixed(0)} req/s, p50 ${ms(actions.p50)}, p99 ${ms(actions.p99)} (target p99 ≤ 25 ms: ${actions.met ? 'met' : 'MISSED'})`);
console.log(`memory        +${memory.rssMB.toFixed(1)} MB RSS for 20,000 paragraphs = ${memory.perThousandMB.toFixed(2)} MB per 1,000 paragraphs`);
const walk = walks[0]!;
console.log(`memory walk   npm start: ${(walk.afterWalk.rss / 2 ** 20).toFixed(1)} MB after every corpus article was opened (target ≤ ${MEMORY_WALK_TARGET_MB} MB: ${walk.afterWalk.rss <= MEMORY_WALK_TARGET_MB * 2 ** 20 ? 'met' : 'MISSED'})`);
if (pgActions?.two) {
  console.log(`PostgreSQL    accept/edit, 2 instances ÷ 1: throughput ${pgActions.throughputRatio!.toFixed(2)}×, p99 ${pgActions.p99Ratio!.toFixed(2)}× (${pgActions.two.throughput.toFixed(0)} vs ${pgActions.one.throughput.toFixed(0)} req/s)`);
}
if (pgBatch) {
  console.log(`PostgreSQL    batch, 2 workers ÷ 1: ${pgBatch.ratio.toFixed(2)} (ideal 2.0; ${pgBatch.two.rate.toFixed(1)} vs ${pgBatch.one.rate.toFixed(1)} paragraphs/s); exactly one result per paragraph: ${pgBatch.exactlyOnce ? 'yes' : 'NO'}`);
}
console.log(`results written to ${resultsFile}`);
