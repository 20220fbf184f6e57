/**
 * The node arguments that run one of the app's entry points (`server/main.ts`, `server/cli/*.ts`) in a
 * child process, as a user would: the run's compiled copy (tests/support/serverBuild.ts) when there is
 * one, else the TypeScript through tsx (as `npm run users` & co. do).
 */
import { join, relative, resolve } from 'node:path';
import { inject } from 'vitest';
import { repoRoot } from './app.js';

export function entryArgs(entry: string): string[] {
  const build = inject('serverBuild');
  if (!build) return ['--import', 'tsx', entry];
  const inServer = relative(join(repoRoot, 'server'), resolve(repoRoot, entry));
  return [join(build, inServer.replace(/\.ts$/, '.js'))];
}
