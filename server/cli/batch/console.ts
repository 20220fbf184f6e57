/** What `npm run batch` shows while a run goes on, and how it ends: progress line, summary, exit code, Ctrl-C. */
import { formatProgress, ProgressLine } from '../../runs/progress.js';
import { formatSummary, type RunSummary } from '../../runs/summary.js';
import type { Run } from '../../store/runStore.js';

export class RunConsole {
  readonly progress = new ProgressLine();
  readonly began = Date.now();
  private before = -1;

  /** `server`: the --server URL, repeated in the hint to continue a stopped run. */
  constructor(private readonly server: string | undefined) {}

  show(run: Run, force = false): void {
    const finished = run.counts.done + run.counts.failed + run.counts.skipped;
    if (this.before < 0) this.before = finished;
    this.progress.update(formatProgress({ ...run.counts, before: this.before, elapsedMs: Date.now() - this.began }), force);
  }

  finish(summary: RunSummary): never {
    this.show(summary.run, true);
    this.progress.end();
    console.log(formatSummary(summary, Date.now() - this.began));
    if (summary.run.status === 'stopped' || summary.run.status === 'failed') {
      console.log(`continue with: npm run batch -- --resume ${summary.run.id}${this.server ? ` --server ${this.server}` : ''}`);
    }
    process.exit(exitCode(summary.run));
  }

  /** Ctrl-C once stops the run cleanly; twice quits at once (the run resumes all the same). */
  onInterrupt(stop: () => void): void {
    let asked = false;
    process.on('SIGINT', () => {
      if (asked) process.exit(130);
      asked = true;
      this.progress.end();
      console.error('stopping: waiting for requests in flight (Ctrl-C again to quit at once)…');
      stop();
    });
  }
}

function exitCode(run: Run): number {
  if (run.status === 'stopped') return 130;
  return run.status === 'failed' || run.counts.failed > 0 ? 1 : 0;
}
