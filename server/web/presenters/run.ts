/** Batch runs as clients see them, and what the run pages show and offer. */
import type { CompareRow } from '../../runs/compare.js';
import { interrupted, type Run } from '../../store/runStore.js';
import type { Role } from '../../core/types.js';
import { markDiff } from '../diffView.js';
import { viewerCan } from './can.js';

/** The record as clients see it: a run whose process died shows as stopped (and resumable). */
export function presentRun(run: Run) {
  const { owner: _owner, ...rest } = run;
  const lost = interrupted(run);
  return { ...rest, ...(lost ? { status: 'stopped' as const, interrupted: true } : {}) };
}

/** A run still at work (the page follows it). */
export function isLive(run: Pick<Run, 'status'>): boolean {
  return run.status === 'running' || run.status === 'queued';
}

/** What the viewer may do with a run (as presented: an interrupted run shows as stopped). */
export function runCan(role: Role, run: Pick<Run, 'status'>) {
  const may = viewerCan(role).runs;
  return { stop: may && isLive(run), resume: may && (run.status === 'stopped' || run.status === 'failed') };
}

/** The run page's head: the presented run, whether it is live, the paragraphs finished, what may be done. */
export function runHead(run: ReturnType<typeof presentRun>, role: Role) {
  return {
    live: isLive(run),
    finished: run.counts.done + run.counts.failed + run.counts.skipped,
    runErrors: run.errors.filter((e) => !e.paragraphId),
    can: runCan(role, run),
  };
}

/** Each side against the text its engine was given, guard findings marked; A → B plain. */
export function runCompareRows(rows: CompareRow[]) {
  return rows.map((r) => ({
    ...r,
    aSegments: r.a ? markDiff(r.a.diff, r.a.checks) : [],
    bSegments: r.b ? markDiff(r.b.diff, r.b.checks) : [],
    abSegments: r.diff ? markDiff(r.diff) : [],
  }));
}
