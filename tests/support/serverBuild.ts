/**
 * Vitest global setup of the `server` project: compiles server/ to JavaScript once per run (as
 * `npm run build` does, into a directory of this run's own beside server/, so `../..` still reaches
 * the repository and its node_modules), for the tests that start the server or a CLI as a child
 * process. Each such process then skips tsx's load and transform of the whole server (0.5–1.2 s of
 * CPU per start, measured here, on a few dozen starts per run). See tests/support/entry.ts.
 * POSTEDIT_TEST_BUILD=0 skips it: those tests then run the TypeScript through tsx.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { processAlive } from '../../server/store/processAlive.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The compiled server of this run (tests/support/serverBuild.ts), or '' to run through tsx. */
    serverBuild: string;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_PREFIX = '.test-build-';

export default function setup(project: TestProject): () => void {
  // Builds left by runs that were killed before their teardown.
  for (const name of readdirSync(repoRoot)) {
    const pid = name.startsWith(BUILD_PREFIX) ? Number(name.slice(BUILD_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(repoRoot, name), { recursive: true, force: true });
  }
  // `npm run test:quick` (core, checks, commands: none starts a child process) skips the ~1.5–2 s this costs before any test runs.
  if (process.env.POSTEDIT_TEST_BUILD === '0') {
    project.provide('serverBuild', '');
    return () => undefined;
  }
  const outDir = join(repoRoot, `${BUILD_PREFIX}${process.pid}`);
  const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: repoRoot, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`compiling server/ for the tests failed:\n${tsc.stdout}${tsc.stderr}`);
  // The data files next to the code (dictionaries, migrations), as package.json's build copies them.
  cpSync(join(repoRoot, 'server'), outDir, { recursive: true, filter: (f) => !f.endsWith('.ts') });
  project.provide('serverBuild', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}
