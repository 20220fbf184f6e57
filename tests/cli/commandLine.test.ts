/**
 * Every command-line tool reads its options the same way (server/cli/args.ts): an unknown option is a
 * one-line reason with the usage and exit code 2, never a Node stack trace; `--help` prints the usage.
 * `npm run users -- --bogus` and `npm run import -- --bogus` used to end in parseArgs' stack trace.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeData, repoRoot, tempDir } from '../support/app.js';
import { entryArgs } from '../support/entry.js';

const TOOLS = ['users', 'import', 'batch', 'eval', 'qe', 'migrate', 'worker'];

/** An empty data directory: the tools run away from any data. */
let dataDir: string;
beforeAll(async () => {
  dataDir = await tempDir();
});
afterAll(() => removeData(dataDir));

/** The tool with `args`, DATA_DIR the empty directory and no DATABASE_URL. */
function run(tool: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [...entryArgs(`server/cli/${tool}.ts`), ...args], { cwd: repoRoot, encoding: 'utf8', env, input: '', timeout: 30_000 });
}

describe('the command-line tools', () => {
  it('refuse an unknown option with a one-line reason, the usage and exit code 2 (no stack trace)', () => {
    for (const tool of TOOLS) {
      const r = run(tool, ['--bogus']);
      expect(r.status, tool).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0], tool).toMatch(/^error: Unknown option '--bogus'/);
      expect(lines.some((l) => l.startsWith('usage: npm run ')), tool).toBe(true);
      expect(r.stderr, tool).not.toMatch(/^\s+at |node:internal|ERR_PARSE_ARGS/m);
      expect(r.stdout, tool).toBe('');
    }
  }, 120_000);

  it('name a misspelt batch engine before anything about the data (here: none)', () => {
    const r = run('batch', ['--engine', 'opneai', '--all']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: unknown engine "opneai": use offline or openai');
  }, 60_000);

  it('print their usage for --help and -h, and exit 0 without touching the data', () => {
    for (const [tool, flag] of [['users', '--help'], ['import', '-h'], ['eval', '--help']] as const) {
      const r = run(tool, [flag]);
      expect(r.status, tool).toBe(0);
      expect(r.stdout, tool).toMatch(new RegExp(`^usage: npm run ${tool} `));
      expect(r.stderr, tool).toBe('');
    }
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);
});
