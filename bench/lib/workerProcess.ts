/**
 * `npm run worker` (server/cli/worker.ts) as a child process of a benchmark: started with
 * `node --import tsx` like `tsx server/cli/worker.ts`, plus a preload that stops it if the benchmark
 * dies (exitWithParent.ts). Its output is kept (and echoed with BENCH_VERBOSE=1).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Cleanup } from './pg.js';
import { repoRoot } from './text.js';

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Every line the worker printed. */
  lines: string[];
  /** Resolves once the worker printed `text` (already printed: at once). */
  waitFor(text: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (the worker's polite stop: claims given back), SIGKILL after `timeoutMs`; the paragraphs it reported done. */
  stop(timeoutMs?: number): Promise<{ done?: number; code: number | null }>;
}

export async function startWorker(cleanup: Cleanup, label: string, args: string[], env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = fork(join(repoRoot, 'server', 'cli', 'worker.ts'), args, {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--import', pathToFileURL(join(repoRoot, 'bench', 'lib', 'exitWithParent.ts')).href],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const waiters: Array<{ text: RegExp; resolve: (line: string) => void }> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const onData = (prefix: string) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (process.env.BENCH_VERBOSE === '1' || prefix === 'stderr') console.log(`  [${label}${prefix === 'stderr' ? ' stderr' : ''}] ${line}`);
        for (const w of waiters.filter((x) => x.text.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    };
  };
  child.stdout!.on('data', onData('stdout'));
  child.stderr!.on('data', onData('stderr'));
  const stop = async (timeoutMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    const m = lines.map((l) => /stopped after (\d+) paragraph/.exec(l)).find(Boolean);
    return { ...(m ? { done: Number(m[1]) } : {}), code: child.exitCode };
  };
  cleanup.child(child, `stop ${label}`, async () => void (await stop(5000)));
  return {
    pid: child.pid!,
    child,
    lines,
    waitFor(text, timeoutMs = 30_000) {
      const seen = lines.find((l) => text.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label} did not print ${text} within ${timeoutMs} ms:\n${lines.slice(-10).join('\n')}`)), timeoutMs);
        timer.unref();
        void exited.then((code) => reject(new Error(`${label} exited (code ${code}) before printing ${text}:\n${lines.slice(-10).join('\n')}`)));
        waiters.push({ text, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
    stop,
  };
}
