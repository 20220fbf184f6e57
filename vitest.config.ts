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
    testTimeout: 20000,
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. The HTTP, CLI and
    // browser tests spend much of their time waiting on sockets, child processes and Chromium, so three
    // workers keep both cores busy (npm test: 196 s with the default, 139 s with three, measured here).
    maxWorkers: 3,
    hookTimeout: 30000,
    projects: [
      {
        extends: true,
        // `npm run test:quick`: pure functions, checks and commands on a temporary store — the edit-test loop.
        test: { name: 'quick', include: ['tests/{core,checks,commands}/**/*.test.ts', 'tests/*.test.ts'], exclude: ISOLATED, isolate: false },
      },
      {
        extends: true,
        test: { name: 'server', include: ['tests/{web,store,runs,engines,interchange,cli}/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // A page with grammar flags waits for Harper's first start; with the other workers busy that
        // has taken over 20 s on this 2-core machine.
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], isolate: false, testTimeout: 60000, hookTimeout: 60000 },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
