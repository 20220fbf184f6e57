/** Starts `serverChild.ts` in its own process, and a small keep-alive HTTP client for the benchmarks. */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from './text.js';

export type ParentMessage =
  | { type: 'timings' }
  | { type: 'viewCache'; on: boolean }
  | { type: 'breakdown'; articleId: string; runs: number }
  | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; url: string; staticUrl?: string; token: string; pid: number }
  | { type: 'timings'; timings: Record<string, number[]> }
  | { type: 'breakdown'; stages: Record<string, number[]>; bytes: number }
  | { type: 'ok' }
  | { type: 'stopped' };

export interface ServerHandle {
  url: string;
  staticUrl?: string;
  token: string;
  pid: number;
  ask<T extends ChildMessage['type']>(m: ParentMessage, reply: T): Promise<Extract<ChildMessage, { type: T }>>;
  stop(): Promise<void>;
}

/**
 * Extra node flags for the server process come from BENCH_SERVER_NODE_ARGS, e.g.
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/actions.ts`.
 */
export async function startServer(options: { dataDir: string; staticFile?: string; env?: NodeJS.ProcessEnv }): Promise<ServerHandle> {
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = fork(join(repoRoot, 'bench', 'lib', 'serverChild.ts'), [], {
    cwd: repoRoot,
    execArgv: [...extra, '--import', 'tsx'],
    env: {
      ...process.env,
      // Extra variables for this server only, e.g. DATABASE_URL (bench/pgActions.ts).
      ...options.env,
      BENCH_DATA_DIR: options.dataDir,
      ...(options.staticFile ? { BENCH_STATIC_FILE: options.staticFile } : {}),
      // The app as `npm start` runs it unless the caller chose otherwise.
      NODE_ENV: process.env.NODE_ENV ?? '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  function next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<ChildMessage, { type: T }>);
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`the server process exited (code ${code}) before answering "${type}"`)));
    });
  }
  const ready = await next('ready');
  return {
    url: ready.url,
    ...(ready.staticUrl ? { staticUrl: ready.staticUrl } : {}),
    token: ready.token,
    pid: ready.pid,
    ask(m, reply) {
      const answer = next(reply);
      child.send(m);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
  /** Client-observed time: request written → last byte of the body read. */
  ms: number;
}

/** One client: keep-alive connections, like a browser or a script would hold. */
export class HttpClient {
  readonly agent: Agent;

  constructor(sockets = 1) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - start }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
