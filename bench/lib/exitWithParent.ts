/**
 * Preloaded (`node --import tsx --import …/exitWithParent.ts`) into processes a benchmark forks that
 * have no IPC handling of their own, e.g. `server/cli/worker.ts`: when the benchmark goes away (its IPC
 * channel closes, even if it was killed), the process gets SIGTERM — the worker's own polite stop —
 * and is ended outright 5 s later if it has not exited by then. Nothing else changes in the process.
 */
if (process.send) {
  process.on('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
export {};
