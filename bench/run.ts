/**
 * `npm run bench`: the three benchmarks in turn, each updating its section of bench/RESULTS.md.
 * Each is also runnable alone: `npx tsx bench/editorPage.ts`, `bench/actions.ts`, `bench/memory.ts`.
 */
import { runActions } from './actions.js';
import { runEditorPage } from './editorPage.js';
import { machine, ms, resultsFile } from './lib/report.js';
import { runMemory } from './memory.js';

const t0 = performance.now();
console.log(`Postedit benchmarks on ${machine()}`);
const page = await runEditorPage();
const actions = await runActions();
const memory = await runMemory();

console.log(`\n== Summary (${ms(performance.now() - t0, 0)})`);
console.log(`editor page   app ${ms(page.appMedian)} vs static ${ms(page.staticMedian)} = ${page.ratio.toFixed(1)}× (target ≤ 3×: ${page.met ? 'met' : 'MISSED'})`);
console.log(`accept/edit   ${actions.throughput.toFixed(0)} req/s, p50 ${ms(actions.p50)}, p99 ${ms(actions.p99)} (target p99 ≤ 25 ms: ${actions.met ? 'met' : 'MISSED'})`);
console.log(`memory        +${memory.rssMB.toFixed(1)} MB RSS for 20,000 paragraphs = ${memory.perThousandMB.toFixed(2)} MB per 1,000 paragraphs`);
console.log(`results written to ${resultsFile}`);
