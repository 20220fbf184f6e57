/** Starts `batchServerChild.ts` (the OpenAI test server with a fixed latency) in its own process. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './text.js';

export type BatchServerRequest = { type: 'mark' } | { type: 'stats' } | { type: 'stop' };

export interface ServerStats {
  /** Chat completion requests received since the mark. */
  chatRequests: number;
  answered: number;
  statuses: Record<string, number>;
  /** Per answered request: request in full → answer sent (the configured latency plus the server's own delay). */
  serverMs: number[];
  inFlightMax: number;
  /** Mean number of requests being held by the server, first arrival → last answer. */
  inFlightMean: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Event loop utilization of the server process since the mark (0–1). */
  elu: number;
  requestBytes: number;
}

export type BatchServerReply =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'marked' }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'stopped' };

export interface BatchServerHandle {
  /** Base URL ending in /v1. */
  url: string;
  pid: number;
  /** Resets the server's counters (CPU, requests) so that only what follows is measured. */
  mark(): Promise<void>;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export async function startBatchServer(latencyMs: number): Promise<BatchServerHandle> {
  const child: ChildProcess = fork(join(repoRoot, 'bench', 'lib', 'batchServerChild.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_OPENAI_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  function next<T extends BatchServerReply['type']>(type: T): Promise<Extract<BatchServerReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: BatchServerReply) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<BatchServerReply, { type: T }>);
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`the OpenAI test server process exited (code ${code}) before answering "${type}"`)));
    });
  }
  const ask = <T extends BatchServerReply['type']>(m: BatchServerRequest, reply: T) => {
    const answer = next(reply);
    child.send(m);
    return answer;
  };
  const ready = await next('ready');
  return {
    url: ready.url,
    pid: ready.pid,
    mark: async () => void (await ask({ type: 'mark' }, 'marked')),
    stats: async () => (await ask({ type: 'stats' }, 'stats')).stats,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' } satisfies BatchServerRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
