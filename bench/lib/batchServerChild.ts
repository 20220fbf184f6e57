/**
 * The OpenAI test server (tests/support/openaiServer.ts) in its own process for `bench/batch.ts`, so
 * the benchmark's CPU time counts only Postedit, and the server's timers and HTTP parsing do not
 * share Postedit's event loop. Latency from BENCH_OPENAI_LATENCY_MS. Talks to the parent over IPC;
 * see `batchServer.ts`.
 */
import { performance } from 'node:perf_hooks';
import { startOpenAIServer } from '../../tests/support/openaiServer.js';
import type { BatchServerReply, BatchServerRequest, ServerStats } from './batchServer.js';

const latencyMs = Number(process.env.BENCH_OPENAI_LATENCY_MS ?? 200);
const server = await startOpenAIServer({ latencyMs });
const send = (m: BatchServerReply) => process.send!(m);

let cpu = process.cpuUsage();
let elu = performance.eventLoopUtilization();
let since = 0;

function stats(): ServerStats {
  const chat = server.chatRequests().filter((r) => r.at >= since);
  const answered = chat.filter((r) => r.answeredAt !== undefined);
  // Requests in flight at the server (arrived in full → answer sent), by a sweep over the events.
  const events = answered.flatMap((r) => [[r.at, 1], [r.answeredAt!, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let level = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (level += d));
  const first = Math.min(...answered.map((r) => r.at));
  const last = Math.max(...answered.map((r) => r.answeredAt!));
  const busy = answered.reduce((n, r) => n + (r.answeredAt! - r.at), 0);
  const used = process.cpuUsage(cpu);
  return {
    chatRequests: chat.length,
    answered: answered.length,
    statuses: answered.reduce<Record<string, number>>((m, r) => ((m[String(r.status)] = (m[String(r.status)] ?? 0) + 1), m), {}),
    serverMs: answered.map((r) => r.answeredAt! - r.at),
    inFlightMax: max,
    inFlightMean: answered.length && last > first ? busy / (last - first) : 0,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
    elu: performance.eventLoopUtilization(elu).utilization,
    requestBytes: chat.reduce((n, r) => n + Buffer.byteLength(r.raw), 0),
  };
}

process.on('message', (m: BatchServerRequest) => {
  switch (m.type) {
    case 'mark':
      // Counting starts here: what came before (start-up, warm-up) is not the measured run.
      since = Date.now();
      cpu = process.cpuUsage();
      elu = performance.eventLoopUtilization();
      server.requests.length = 0;
      send({ type: 'marked' });
      break;
    case 'stats':
      send({ type: 'stats', stats: stats() });
      break;
    case 'stop':
      void server.close().then(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
      break;
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));

send({ type: 'ready', url: server.url, pid: process.pid });
