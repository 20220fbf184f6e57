import { defineConfig } from 'vitest/config';

/**
 * Test files that start, break or kill the process-wide worker threads on purpose: they get a fresh
 * module graph each. Every other file shares its worker's modules with the files run before it
 * (`isolate: false`), so the app, Harper and the dictionaries load once per worker, not once per file.
 */
const ISOLATED = ['tests/checks/grammarWorker.test.ts', 'tests/checks/offThreadChecks.test.ts'];

export default defineConfig({
  test: {
    // lowdb's presets keep data in memory under NODE_ENV=test; the store must really write files.
    env: { NODE_ENV: 'development' },
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. The HTTP, CLI and
    // browser tests spend much of their time waiting on sockets, child processes and Chromium, so more
    // workers keep both cores busy (npm test: 196 s with the default, 139 s with three, measured here;
    // with one project for all but the isolated files, vitest run took 114 s with three, 106 s with four).
    // Since then the CPU is the limit throughout a run (both cores ~99% busy), and each worker pays its
    // own module loads, Harper start and Chromium: vitest run took 85 s with three against 91–107 s with
    // four (141 s of CPU against 151 s), measured here on 2026-12-04.
    maxWorkers: 3,
    // A page with grammar flags waits for Harper's first start; with the other workers busy that has
    // taken over 20 s on this 2-core machine.
    testTimeout: 60000,
    hookTimeout: 60000,
    // Transformed modules stay on disk between runs (node_modules/.experimental-vitest-cache, keyed by
    // content): a run after the first spends ~2 s instead of ~9 s transforming (tests/web and
    // tests/commands: 52–56 s of CPU against 60–62 s without, measured here).
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        // Unit, command, HTTP, CLI and browser tests in one project: a worker serves files of every
        // kind, so its modules (the app, Harper's worker thread, the dictionaries) load once, not once
        // per kind (vitest run: 197 s of CPU against 214 s with quick/server/browser projects, measured here).
        // `npm run test:quick` picks the unit, check and command files out of it.
        // Its global setup compiles server/ once per run, for the tests that start the server or a CLI
        // as a child process.
        test: { name: 'main', include: ['tests/**/*.test.ts'], exclude: ISOLATED, isolate: false, globalSetup: ['tests/support/serverBuild.ts'] },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
