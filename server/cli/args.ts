/** Reading the command line: options, their numbers, help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fail } from './fail.js';

/**
 * The tool's command line as `config` describes it. `-h` / `--help` (before any `--`) prints `usage`
 * and exits 0; an unknown, missing or malformed option ends the tool with parseArgs' one-line reason
 * and `usage`, exit code 2 — never a stack trace.
 */
export function readCommandLine<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (e) {
    return fail(`${(e as Error).message}\n${usage}`, 2);
  }
}

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a whole number ≥ 1, not "${value}"`, 2);
  return n;
}
