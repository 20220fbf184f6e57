/** Runs a command-line tool of the app in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/app.js';

export interface CliRun {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

export function cli(script: 'batch' | 'eval', args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join('server', 'cli', `${script}.ts`), ...args], {
    cwd: repoRoot,
    env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}
