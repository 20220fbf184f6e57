/**
 * Accept/edit benchmark: an article with 10,000 revisions in its history; 20 concurrent API clients,
 * each on its own paragraph, cycling edit → suggest → accept and following the revision numbers in
 * the answers, for a fixed number of requests. Prints throughput, p50/p99 latency (target p99 ≤ 25 ms
 * for accept and edit) and the data files' growth per action.
 *
 *   npx tsx bench/actions.ts
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openServices, tempDataDir } from './lib/data.js';
import { generateHistoryArticle } from './lib/historyArticle.js';
import { conditions, isMain, kb, machine, median, ms, quantile, table, today, writeSection } from './lib/report.js';
import { HttpClient, startServer, type ServerHandle } from './lib/server.js';
import { NewsText } from './lib/text.js';

export const CLIENTS = 20;
/**
 * Requests that warm the server under the same load before the measured ones (by send time): all
 * clients start at once, so the first cycle queues 20 fact-guard checks behind each other, and a
 * fresh process still compiles hot code and grows its young heap. A server in use is warm.
 */
const WARMUP = Number(process.env.BENCH_ACTIONS_WARMUP ?? 1000);
const WINDOW = 2000;
export const REVISIONS = 10_000;
const TARGET_P99 = 25;
const THINK_MS = 250;
const PACED_REQUESTS = 400;

export interface ActionsResult {
  throughput: number;
  p50: number;
  p99: number;
  met: boolean;
}

export type Kind = 'edit' | 'suggest' | 'accept';
export interface Sample {
  kind: Kind;
  ms: number;
  status: number;
  /** When it was sent (performance.now() of the client). */
  at: number;
}

export interface ParagraphAnswer {
  id: string;
  revision: number;
  text: string;
  status: string;
  suggestion?: { id: string; text: string };
}

/** An edit an editor might save: two words changed, plus a doubled word and a double space the offline engine will fix. */
function editedText(gen: NewsText, original: string, round: number): string {
  const words = gen.rewrite(original, 2).split(' ');
  const lower = words.map((w, i) => (/^[a-z]{3,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  const j = lower[round % lower.length] ?? 0;
  words[j] = `${words[j]} ${words[j]}`;
  const k = Math.min(words.length - 1, j + 5);
  words[k] = `${words[k]} `;
  return words.join(' ');
}

export async function currentParagraphs(server: ServerHandle, id: string): Promise<ParagraphAnswer[]> {
  const http = new HttpClient(1);
  const a = await http.send('GET', `${server.url}/api/articles/${id}`, { authorization: `Bearer ${server.token}` });
  http.close();
  return (JSON.parse(a.body.toString()) as { paragraphs: ParagraphAnswer[] }).paragraphs;
}

async function fileSizes(dir: string, id: string) {
  const size = async (suffix: string) => (await stat(join(dir, 'articles', `${id}${suffix}`)).catch(() => ({ size: 0 }))).size;
  return { article: await size('.json'), history: await size('.history.jsonl'), suggestions: await size('.suggestions.jsonl'), journal: await size('.journal.jsonl') };
}

/** Each client owns one paragraph and cycles edit → suggest → accept until the shared budget is spent. */
export async function drive(server: ServerHandle, articleId: string, paragraphs: ParagraphAnswer[], total: number, gen: NewsText, clients: number, thinkMs = 0) {
  const samples: Sample[] = [];
  const errors: string[] = [];
  let issued = 0;
  const auth = { authorization: `Bearer ${server.token}` };
  const http = new HttpClient(clients);
  const client = async (start: ParagraphAnswer) => {
    const original = start.text;
    let p = start;
    let step = 0;
    while (issued < total) {
      issued++;
      const kind: Kind = (['edit', 'suggest', 'accept'] as const)[step % 3]!;
      const body =
        kind === 'edit' ? { baseRevision: p.revision, text: editedText(gen, original, step), seconds: 12 }
        : kind === 'suggest' ? { baseRevision: p.revision }
        : { baseRevision: p.revision, suggestionId: p.suggestion?.id ?? '', confirmWarnings: true, seconds: 4 };
      const sentAt = performance.now();
      const a = await http.send('POST', `${server.url}/api/articles/${articleId}/paragraphs/${p.id}/${kind}`, auth, body);
      samples.push({ kind, ms: a.ms, status: a.status, at: sentAt });
      if (a.status !== 200) {
        errors.push(`${kind} ${p.id}: ${a.status} ${a.body.toString().slice(0, 200)}`);
        // Resynchronise on the paragraph's current state and start a new cycle.
        const fresh = await http.send('GET', `${server.url}/api/articles/${articleId}`, auth);
        p = (JSON.parse(fresh.body.toString()) as { paragraphs: ParagraphAnswer[] }).paragraphs.find((x) => x.id === p.id)!;
        step = 0;
        continue;
      }
      p = JSON.parse(a.body.toString()) as ParagraphAnswer;
      step++;
      // Paced clients think between actions (uniformly 0.5–1.5 × thinkMs).
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + gen.random())));
    }
  };
  const t0 = performance.now();
  await Promise.all(paragraphs.map(client));
  const wall = performance.now() - t0;
  http.close();
  return { samples, errors, wall };
}

async function measureActions(size: number, total: number, warmup = WARMUP) {
  const load = conditions();
  console.log(`\n== Accept/edit: ${size}-paragraph article with ${REVISIONS.toLocaleString('en-US')} revisions; ${CLIENTS} concurrent clients, ${total} requests`);
  const { dir, remove } = await tempDataDir('actions');
  let server: ServerHandle | undefined;
  try {
    const t0 = performance.now();
    const services = await openServices(dir);
    const { id, article, gen, suggested, viaCommands } = await generateHistoryArticle(services, size, REVISIONS);
    await services.store.close();
    const before = await fileSizes(dir, id);
    console.log(`generated "${id}": ${REVISIONS} revisions, article file ${kb(before.article)}, history ${kb(before.history)}, undo stack ${article.undo.length} (${ms(performance.now() - t0, 0)})`);

    server = await startServer({ dataDir: dir });
    // Client k works on paragraph k·size/20, spread over the article; half of them start with a pending suggestion.
    const mine = Array.from({ length: CLIENTS }, (_, k) => article.paragraphs[Math.floor((k * size) / CLIENTS)]!) as unknown as ParagraphAnswer[];

    // Unloaded service time: one client, one request at a time.
    const soloCount = 60;
    const solo = await drive(server, id, [mine[0]!], soloCount, gen, 1);
    const soloTimings = (await server.ask({ type: 'timings' }, 'timings')).timings;
    const soloAE = solo.samples.filter((s) => s.kind !== 'suggest').map((s) => s.ms);
    const afterSolo = await currentParagraphs(server, id);
    const start = mine.map((p) => afterSolo.find((x) => x.id === p.id)!);
    console.log(`1 client (unloaded), ${soloCount} requests: accept/edit p50 ${ms(median(soloAE))}, p90 ${ms(quantile(soloAE, 0.9))}`);

    const sizesBeforeLoad = await fileSizes(dir, id);
    const run = await drive(server, id, start, warmup + total, gen, CLIENTS);
    // BENCH_DUMP=FILE: every sample of the loaded run as JSON lines, to look for clustered slow requests (pauses).
    if (process.env.BENCH_DUMP) await writeFile(process.env.BENCH_DUMP, run.samples.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const serverTimings = (await server.ask({ type: 'timings' }, 'timings')).timings;
    // The same 20 clients, paced: each thinks ~THINK ms between actions, so the server is not saturated.
    const latest = await currentParagraphs(server, id);
    const paced = await drive(server, id, mine.map((p) => latest.find((x) => x.id === p.id)!), Math.min(PACED_REQUESTS, Math.round(total / 5)), gen, CLIENTS, THINK_MS);
    await server.ask({ type: 'timings' }, 'timings');
    const pacedAE = paced.samples.filter((x) => x.status === 200 && x.kind !== 'suggest').map((x) => x.ms);
    const pacedRate = paced.samples.length / (paced.wall / 1000);
    const direct = await server.ask({ type: 'breakdown', articleId: id, runs: 20 }, 'breakdown');
    await server.stop();
    server = undefined;
    const after = await fileSizes(dir, id);

    // The warm-up requests (see WARMUP) are left out of the figures and reported apart.
    const ordered = [...run.samples].sort((x, y) => x.at - y.at);
    const measured = ordered.slice(warmup);
    const measuredWall = Math.max(...measured.map((x) => x.at + x.ms)) - measured[0]!.at;
    const firstCycle = ordered.slice(0, 3 * CLIENTS).filter((x) => x.status === 200 && x.kind !== 'suggest').map((x) => x.ms);
    const startAE = ordered.slice(0, warmup).filter((x) => x.status === 200 && x.kind !== 'suggest').map((x) => x.ms);
    const allAE = ordered.filter((x) => x.status === 200 && x.kind !== 'suggest').map((x) => x.ms);
    const done = measured.length;
    const actionsWritten = run.samples.length + paced.samples.length;
    const ok = measured.filter((s) => s.status === 200);
    const ae = ok.filter((s) => s.kind !== 'suggest').map((s) => s.ms);
    const all = ok.map((s) => s.ms);
    const byKind = (k: Kind) => ok.filter((s) => s.kind === k).map((s) => s.ms);
    const throughput = done / (measuredWall / 1000);
    const p50 = median(ae);
    const p99 = quantile(ae, 0.99);
    // The measured requests in consecutive windows of 2,000: how much p99 moves within one run.
    const windows: number[] = [];
    for (let i = 0; i + WINDOW <= measured.length; i += WINDOW) {
      windows.push(quantile(measured.slice(i, i + WINDOW).filter((x) => x.status === 200 && x.kind !== 'suggest').map((x) => x.ms), 0.99));
    }
    const met = p99 <= TARGET_P99 && run.errors.length === 0;
    const growth = {
      article: (after.article - sizesBeforeLoad.article) / actionsWritten,
      history: (after.history - sizesBeforeLoad.history) / actionsWritten,
      suggestions: (after.suggestions - sizesBeforeLoad.suggestions) / actionsWritten,
      journal: (after.journal - sizesBeforeLoad.journal) / actionsWritten,
    };
    // The article snapshot is rewritten once per 1,000 journal lines (compaction); the rest is appended.
    const written = growth.history + growth.suggestions + Math.max(growth.journal, 0) + after.article / 1000;
    const st = (k: string, q: number) => quantile(serverTimings[`stage:${k}`] ?? [], q);
    const d = (k: string) => median(direct.stages[k] ?? []);

    console.log(`${CLIENTS} clients: ${run.samples.length} requests in ${ms(run.wall, 0)}; after ${warmup} warm-up requests: ${done} in ${ms(measuredWall, 0)} → ${throughput.toFixed(0)} req/s, ${run.errors.length} errors`);
    console.log(`  cold: first cycle (${3 * CLIENTS} requests) accept+edit p50 ${ms(median(firstCycle))}, max ${ms(Math.max(...firstCycle))}; warm-up accept+edit p99 ${ms(quantile(startAE, 0.99))}; whole run incl. warm-up p99 ${ms(quantile(allAE, 0.99))}`);
    if (windows.length > 1) console.log(`  p99 per window of ${WINDOW} requests: ${windows.map((w) => ms(w)).join(', ')}`);
    console.log(`accept+edit latency p50 ${ms(p50)}, p99 ${ms(p99)} — target p99 ≤ ${TARGET_P99} ms: ${met ? 'MET' : 'MISSED'}`);
    for (const k of ['edit', 'suggest', 'accept'] as const) console.log(`  ${k.padEnd(7)} p50 ${ms(median(byKind(k)))}, p99 ${ms(quantile(byKind(k), 0.99))} (${byKind(k).length})`);
    console.log(`server stages p50/p99: lock wait + clone ${ms(st('lockWait+clone', 0.5))}/${ms(st('lockWait+clone', 0.99))}, change ${ms(st('change', 0.5))}/${ms(st('change', 0.99))}, persist ${ms(st('persist', 0.5))}/${ms(st('persist', 0.99))}`);
    console.log(`growth per action: article snapshot ${growth.article.toFixed(0)} B, journal ${growth.journal.toFixed(0)} B, history ${growth.history.toFixed(0)} B, suggestions ${growth.suggestions.toFixed(0)} B; bytes written per action ≈ ${kb(written)} (appends + the snapshot amortised over 1,000 actions)`);
    console.log(`paced (${THINK_MS} ms think time): ${pacedRate.toFixed(0)} req/s, accept+edit p50 ${ms(median(pacedAE))}, p99 ${ms(quantile(pacedAE, 0.99))}, ${paced.errors.length} errors`);
    if (run.errors.length) console.log(`first errors:\n  ${run.errors.slice(0, 5).join('\n  ')}`);

    const section = `Measured ${today()} on ${machine()}; ${load}. NODE_ENV ${process.env.NODE_ENV || '(unset)'}.

Article: ${size} generated paragraphs of ~80 words, history of ${REVISIONS.toLocaleString('en-US')} revisions (imported, edited in
batches through \`store.updateArticle\`, ${suggested} suggestions, then ${viaCommands} edits through the edit command so the undo stack is
full); article file ${kb(before.article)}, history ${kb(before.history)}. The server runs in its own process.
${CLIENTS} concurrent API clients (keep-alive, Bearer token), each on its own paragraph, cycling
edit → suggest (offline engine) → accept with the revision and suggestion id from each answer: ${warmup} requests to warm
the server under the same load (all clients start at once, so the first cycle queues up behind itself; a fresh process also
compiles hot code and grows its heap), then ${done} measured; the cold figures are shown below the table.

${table(['', 'requests', 'p50', 'p99'], [
        ['**accept + edit**', ae.length, `**${ms(p50)}**`, `**${ms(p99)}**`],
        ['edit', byKind('edit').length, ms(median(byKind('edit'))), ms(quantile(byKind('edit'), 0.99))],
        ['accept', byKind('accept').length, ms(median(byKind('accept'))), ms(quantile(byKind('accept'), 0.99))],
        ['suggest', byKind('suggest').length, ms(median(byKind('suggest'))), ms(quantile(byKind('suggest'), 0.99))],
        ['all', all.length, ms(median(all)), ms(quantile(all, 0.99))],
        ['1 client, unloaded (accept + edit; p90 shown)', soloAE.length, ms(median(soloAE)), `p90 ${ms(quantile(soloAE, 0.9))}`],
        [`20 clients paced, ${THINK_MS} ms think time, ${pacedRate.toFixed(0)} req/s (accept + edit)`, pacedAE.length, ms(median(pacedAE)), ms(quantile(pacedAE, 0.99))],
      ])}

Throughput: **${throughput.toFixed(0)} requests/s** (${done} in ${ms(measuredWall, 0)} after the warm-up), ${run.errors.length} errors.
${windows.length > 1 ? `p99 of accept + edit in consecutive windows of ${WINDOW.toLocaleString('en-US')} requests: ${windows.map((w) => ms(w)).join(', ')}.` : ''}
Cold: the first cycle of the 20 clients (${3 * CLIENTS} requests sent at once) accept + edit p50 ${ms(median(firstCycle))}, slowest
${ms(Math.max(...firstCycle))}; the ${warmup} warm-up requests p99 ${ms(quantile(startAE, 0.99))}; the whole run, warm-up included, p99 ${ms(quantile(allAE, 0.99))}.
Target p99 ≤ ${TARGET_P99} ms for accept and edit: **${met ? 'met' : 'missed'}**
(ratio p99 / unloaded p50: ${(p99 / median(soloAE)).toFixed(1)}×).

Server-side stages of each action (wrapping the live store; p50 / p99 under load):

${table(['stage', 'p50', 'p99'], [
        ['queue behind the article lock + structuredClone of the article', ms(st('lockWait+clone', 0.5)), ms(st('lockWait+clone', 0.99))],
        ['the command (checks, diffs, undo entry)', ms(st('change', 0.5)), ms(st('change', 0.99))],
        ['persist (append JSONL, stringify + write + rename the article file)', ms(st('persist', 0.5)), ms(st('persist', 0.99))],
      ])}

Measured directly on the article (${kb(direct.bytes)} of JSON): structuredClone ${ms(d('structuredClone'))}, JSON.stringify ${ms(d('jsonStringify'))}.
Unloaded (1 client) stages p50: lock + clone ${ms(median(soloTimings['stage:lockWait+clone'] ?? []))}, change ${ms(median(soloTimings['stage:change'] ?? []))}, persist ${ms(median(soloTimings['stage:persist'] ?? []))}.

Data files, per action (${actionsWritten} actions, loaded and paced): article snapshot ${growth.article >= 0 ? '+' : ''}${growth.article.toFixed(0)} B (${kb(after.article)}, rewritten
only at compaction), journal ${growth.journal >= 0 ? '+' : ''}${growth.journal.toFixed(0)} B, history +${growth.history.toFixed(0)} B, suggestions +${growth.suggestions.toFixed(0)} B.
Bytes written per action ≈ **${kb(written)}** (the appended lines plus the snapshot amortised over 1,000 actions).`;
    return { size, throughput, p50, p99, met, section, errors: run.errors.length + paced.errors.length, paced: { rate: pacedRate, p50: median(pacedAE), p99: quantile(pacedAE, 0.99) } };
  } finally {
    await server?.stop();
    await remove();
  }
}

export async function runActions(): Promise<ActionsResult> {
  // 6,000 measured requests (~4 s at 1,700/s): a single 2,000-request window's p99 moves by ±3 ms from run to run.
  const total = Number(process.env.BENCH_ACTIONS_REQUESTS ?? 6000);
  const size = Number(process.env.BENCH_ACTIONS_PARAGRAPHS ?? 200);
  const large = Number(process.env.BENCH_ACTIONS_LARGE_PARAGRAPHS ?? 1000);
  const main = await measureActions(size, total);
  // The same load on the editor-page benchmark's 1,000-paragraph article, fewer requests: how cost scales with article size.
  const big = large > 0 ? await measureActions(large, Math.round(total / 4), Math.round(WARMUP / 4)) : undefined;
  writeSection(
    'actions',
    `## 2. Accept/edit under load — ${main.met ? 'target met' : 'TARGET MISSED'}

${main.section}
${big ? `
### Same load on a ${big.size}-paragraph article (scaling)

${table(['article', 'throughput (saturated)', 'accept + edit p50', 'accept + edit p99', `paced (${THINK_MS} ms think) p50 / p99`, 'errors'], [
      [`${main.size} paragraphs`, `${main.throughput.toFixed(0)} req/s`, ms(main.p50), ms(main.p99), `${ms(main.paced.p50)} / ${ms(main.paced.p99)}`, main.errors],
      [`${big.size} paragraphs`, `${big.throughput.toFixed(0)} req/s`, ms(big.p50), ms(big.p99), `${ms(big.paced.p50)} / ${ms(big.paced.p99)}`, big.errors],
    ])}

<details><summary>Details of the ${big.size}-paragraph run</summary>

${big.section}

</details>` : ''}`,
  );
  return { throughput: main.throughput, p50: main.p50, p99: main.p99, met: main.met };
}

if (isMain(import.meta.url)) await runActions();
