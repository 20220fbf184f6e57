import { appendFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim, interrupted, LowdbRunStore, newRunId, type Run } from '../../server/store/runStore.js';
import { tempDir } from '../support/app.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('postedit-runstore-');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function run(id: string, startedAt: string): Run {
  return {
    id, engine: 'offline', model: 'offline-cleanup-1', promptVersion: 'offline-cleanup-1', promptHash: '', level: 'minimal',
    params: { concurrency: 2 }, articles: ['a'], mode: 'rewrite', startedAt, status: 'queued',
    counts: { total: 3, done: 0, failed: 0, skipped: 0 }, tokens: { prompt: 0, completion: 0 }, errors: [], startedBy: 'admin',
  };
}

describe('LowdbRunStore', () => {
  it('stores records and results on disk, lists newest first, and repairs a torn last line', async () => {
    const store = await LowdbRunStore.open(dir);
    await store.createRun(run('run-1', '2025-01-01T10:00:00.000Z'));
    await store.createRun(run('run-2', '2025-01-02T10:00:00.000Z'));
    await expect(store.createRun(run('run-1', '2025-01-01T10:00:00.000Z'))).rejects.toThrow(/exists/);
    await store.appendResult('run-1', { articleId: 'a', paragraphId: 'p1', status: 'done', suggestionId: 's-1', ms: 5 });
    await store.appendResult('run-1', { articleId: 'a', paragraphId: 'p2', status: 'failed', error: 'boom', ms: 6 });
    await appendFile(join(dir, 'runs', 'run-1.results.jsonl'), '{"articleId":"a","parag');

    const again = await LowdbRunStore.open(dir);
    expect((await again.listRuns()).map((r) => r.id)).toEqual(['run-2', 'run-1']);
    expect((await again.results('run-1')).map((r) => r.paragraphId)).toEqual(['p1', 'p2']);
    expect(await readFile(join(dir, 'runs', 'run-1.results.jsonl'), 'utf8')).not.toContain('"parag\n');
    expect(await again.getRun('run-nope')).toBeUndefined();
    await expect(again.results('../../etc')).rejects.toThrow(/no run/);
  });

  it('applies concurrent updates one at a time, and a copy changes nothing stored', async () => {
    const store = await LowdbRunStore.open(dir);
    await store.createRun(run('run-1', '2025-01-01T10:00:00.000Z'));
    await Promise.all(Array.from({ length: 20 }, () => store.updateRun('run-1', (r) => void r.counts.done++)));
    const copy = (await store.getRun('run-1'))!;
    copy.counts.done = 999;
    expect((await store.getRun('run-1'))!.counts.done).toBe(20);
    const onDisk = JSON.parse(await readFile(join(dir, 'runs', 'run-1.json'), 'utf8')) as Run;
    expect(onDisk.counts.done).toBe(20);
  });

  it('knows a run whose process is gone from one still executing', () => {
    const r = { ...run('run-1', '2025-01-01T10:00:00.000Z'), status: 'running' as const };
    expect(interrupted(r)).toBe(true);
    claim(r);
    expect(interrupted(r)).toBe(false);
    expect(interrupted({ ...r, owner: { pid: process.pid, instance: 'an-earlier-process-with-this-pid' } })).toBe(true);
    expect(interrupted({ ...r, owner: { pid: 999_999_999, instance: 'x' } })).toBe(true);
    expect(interrupted({ ...r, owner: { pid: process.ppid, instance: 'the-parent' } })).toBe(false);
    expect(interrupted({ ...r, status: 'stopped', owner: undefined })).toBe(false);
  });

  it('makes sortable ids', () => {
    expect(newRunId(new Date('2025-03-04T05:06:07.890Z'), () => 0.5)).toMatch(/^run-20250304-050607-[a-z0-9]{4}$/);
  });
});
