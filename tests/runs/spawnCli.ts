/** Runs a command-line tool of the app in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

export interface CliRun {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

/**
 * With `--data DIR` the tool works on DIR's store: on PostgreSQL (DATABASE_URL set) the database
 * storeEnvFor gives DIR, the one the test's own stores for DIR open. Without it (eval, --server) the
 * tool gets no DATABASE_URL at all, so it cannot touch the server's default database.
 */
export async function cli(script: 'batch' | 'eval', args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const i = args.indexOf('--data');
  const base = i >= 0 && args[i + 1] ? await storeEnvFor(args[i + 1]!) : { ...process.env, DATABASE_URL: '' };
  const child = spawn(process.execPath, [...entryArgs(join('server', 'cli', `${script}.ts`)), ...args], {
    cwd: repoRoot,
    env: { ...base, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
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
