import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { rejectSuggestion } from '../../server/commands/rejectSuggestion.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { prepareResume } from '../../server/runs/resumeRun.js';
import { prepareRun, startRun } from '../../server/runs/startRun.js';
import { stopRun } from '../../server/runs/stopRun.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { PROMPT_VERSION, promptHash } from '../../server/engines/prompt.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { runBatch } from '../../server/runs/runBatch.js';
import type { PgStore } from '../../server/store/pg/pgStore.js';
import type { Run } from '../../server/store/runStore.js';
import { onPostgres } from '../support/postgres.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { ADMIN, eachTestWithServer, expectOneResultPerLiveParagraph, importSeed, importWmt, reopen, runProps, runSuggestRevisions, testEngines, type Setup } from './helpers.js';
import { ownParagraph } from '../../server/core/draft.js';

let server: OpenAIServer;
let s: Setup;
eachTestWithServer((started, set) => {
  server = started;
  s = set;
});


async function execute(runId: string, engineId = 'openai', extra: Partial<Parameters<typeof runBatch>[0]> = {}): Promise<Run> {
  const run = (await s.runStore.getRun(runId))!;
  return runBatch({ services: s.services, runStore: s.runStore, runId, engine: s.ctx.engineFor(engineId, run.model), retry: { baseMs: 10, maxMs: 50 }, ...extra });
}

describe('runBatch', () => {
  it('suggests every live paragraph once, logs each, and keeps the record on disk', async () => {
    const id = await importSeed(s.services);
    const p2 = (await s.services.store.getArticle(id))!.paragraphs[1]!;
    await s.services.store.updateArticle(id, (a) => {
      ownParagraph(a, 1).status = 'deleted';
      return { result: undefined, revisions: [] };
    });
    const { run } = await prepareRun(s.ctx, runProps());
    expect(run).toMatchObject({ status: 'queued', engine: 'openai', model: 'gpt-4o-mini', promptVersion: PROMPT_VERSION, promptHash: promptHash('minimal', 'json'), counts: { total: 17 } });
    const final = await execute(run.id);
    expect(final).toMatchObject({ status: 'finished', counts: { total: 17, done: 17, failed: 0, skipped: 0 } });
    expect(final.tokens.prompt).toBeGreaterThan(1000);
    expect(final.estimatedCost).toBeGreaterThan(0);
    expect(final.finishedAt).toBeTruthy();
    expect(final.owner).toBeUndefined();
    const results = await s.runStore.results(run.id);
    expect(await expectOneResultPerLiveParagraph(s.services, results, [id])).toEqual([]);
    expect(results.some((r) => r.paragraphId === p2.id)).toBe(false);
    const article = (await s.services.store.getArticle(id))!;
    expect(article.paragraphs.filter((p) => p.status === 'suggested').every((p) => p.suggestion?.runId === run.id)).toBe(true);
    expect(server.chatRequests()).toHaveLength(17);

    // What is stored, read back by a fresh store (lowdb: also the record file itself).
    if (!onPostgres) {
      const onDisk = JSON.parse(await readFile(join(s.dataDir, 'runs', `${run.id}.json`), 'utf8')) as Run;
      expect(onDisk.counts).toEqual(final.counts);
    }
    const fresh = await reopen(s.dataDir);
    try {
      expect((await fresh.runStore.listRuns()).map((r) => r.id)).toEqual([run.id]);
      expect((await fresh.runStore.getRun(run.id))!.counts).toEqual(final.counts);
      expect(await fresh.runStore.results(run.id)).toHaveLength(17);
    } finally {
      await fresh.close();
    }
  });

  it('stops cleanly and resumes without doing a paragraph twice or losing one', async () => {
    await server.close();
    server = await startOpenAIServer({ latencyMs: 40 });
    onTestFinished(() => server.close());
    s.ctx.engineFor = testEngines(server);
    const id = await importSeed(s.services);
    const { run } = await prepareRun(s.ctx, runProps({ concurrency: 3 }));
    const controller = new AbortController();
    const stopped = await execute(run.id, 'openai', {
      signal: controller.signal,
      onProgress: (r) => {
        if (r.counts.done >= 5) controller.abort();
      },
    });
    expect(stopped.status).toBe('stopped');
    const partial = await s.runStore.results(run.id);
    expect(partial.length).toBeGreaterThanOrEqual(5);
    expect(partial.length).toBeLessThan(18);
    expect(stopped.counts.done).toBe(partial.length);

    const { engine } = await prepareResume(s.ctx, run.id);
    const final = await runBatch({ services: s.services, runStore: s.runStore, runId: run.id, engine });
    expect(final).toMatchObject({ status: 'finished', counts: { total: 18, done: 18 } });
    expect(await expectOneResultPerLiveParagraph(s.services, await s.runStore.results(run.id), [id])).toEqual([]);
    const revisions = await runSuggestRevisions(s.services, id, run.id);
    expect([...revisions.values()].every((n) => n === 1)).toBe(true);
    expect(revisions.size).toBe(18);
  });

  it('logs a suggestion the store holds but the log lost, instead of asking again', async () => {
    const id = await importSeed(s.services);
    const { run } = await prepareRun(s.ctx, runProps({ concurrency: 2 }));
    await execute(run.id);
    // As if the process died after storing three suggestions but before logging them (lowdb: with
    // the last line of the log torn; PostgreSQL: the last three result rows never inserted).
    if (onPostgres) {
      await (s.services.store as PgStore).pool.query('DELETE FROM run_results WHERE run_id = $1 AND seq > (SELECT seq FROM run_results WHERE run_id = $1 ORDER BY seq OFFSET 14 LIMIT 1)', [run.id]);
    } else {
      const file = join(s.dataDir, 'runs', `${run.id}.results.jsonl`);
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      await writeFile(file, `${lines.slice(0, 15).join('\n')}\n{"articleId":"${id}","paragr`);
    }
    await s.runStore.updateRun(run.id, (r) => {
      r.status = 'running';
      r.owner = { pid: 999_999_999, instance: 'a-process-long-gone' };
    });
    const fresh = await reopen(s.dataDir);
    onTestFinished(() => fresh.close());
    const reopened = fresh.runStore;
    expect(await reopened.results(run.id)).toHaveLength(15);
    const asked = server.chatRequests().length;
    s.ctx.runStore = reopened;
    const { engine } = await prepareResume(s.ctx, run.id);
    const final = await runBatch({ services: s.services, runStore: reopened, runId: run.id, engine });
    expect(server.chatRequests().length).toBe(asked);
    expect(final).toMatchObject({ status: 'finished', counts: { total: 18, done: 18 } });
    const results = await reopened.results(run.id);
    expect(results.filter((r) => r.recovered)).toHaveLength(3);
    expect(await expectOneResultPerLiveParagraph(s.services, results, [id])).toEqual([]);
  });

  it('records a failed paragraph with its reason and goes on', async () => {
    const id = await importWmt(s.services);
    server.setHandler((body) =>
      extractParagraph(body).includes('56 financing securities') ? { type: 'reply', content: null, finishReason: 'content_filter' } : { type: 'reply' },
    );
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 2 }));
    const final = await execute(run.id);
    expect(final).toMatchObject({ status: 'finished', counts: { total: 9, done: 8, failed: 1, skipped: 0 } });
    expect(final.errors).toEqual([{ articleId: id, paragraphId: 'p3', message: expect.stringMatching(/content filter/) }]);
    const failed = (await s.runStore.results(run.id)).find((r) => r.status === 'failed');
    expect(failed).toMatchObject({ paragraphId: 'p3', error: expect.stringMatching(/content filter/) });
  });

  it('retries server errors and fails the paragraph when they do not stop', async () => {
    const id = await importWmt(s.services);
    server.enqueue({ type: 'error', status: 503 }, { type: 'error', status: 500 });
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 1 }));
    const final = await execute(run.id, 'openai', { retry: { retries: 1, baseMs: 5, maxMs: 10 } });
    expect(final.counts).toEqual({ total: 9, done: 8, failed: 1, skipped: 0 });
    expect(final.errors[0]!.message).toMatch(/failed \(500\)/);
  });

  it('ends the run as failed on a refused API key, without marking paragraphs failed', async () => {
    await server.close();
    server = await startOpenAIServer({ apiKey: 'sk-other' });
    onTestFinished(() => server.close());
    s.ctx.engineFor = testEngines(server);
    const id = await importWmt(s.services);
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 2 }));
    const final = await execute(run.id);
    expect(final.status).toBe('failed');
    expect(final.errors[0]!.message).toMatch(/the run stopped: .*API key/);
    expect(final.counts.failed).toBe(0);
    expect(server.chatRequests().length).toBeLessThanOrEqual(2);
  });

  it('leaves decided paragraphs alone (accepted, edited, rejected, kept) and reports them skipped', async () => {
    const id = await importSeed(s.services);
    const offline = new OfflineEngine();
    const suggested = await suggestParagraph(s.services, { articleId: id, paragraphId: 'p4', actor: ADMIN, engine: offline });
    const accepted = await acceptSuggestion(s.services, { articleId: id, paragraphId: 'p4', baseRevision: suggested.revision, suggestionId: suggested.suggestion!.id, actor: ADMIN });
    const edited = await editParagraph(s.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, text: 'An editor wrote this.', actor: ADMIN });
    const rejected = await rejectSuggestion(s.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, actor: ADMIN });
    const kept = await keepParagraph(s.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, actor: ADMIN });
    const run = await startRun(s.ctx, runProps({ articles: [id] }));
    await waitFor(async () => (await s.runStore.getRun(run.id))!.status === 'finished');
    const article = (await s.services.store.getArticle(id))!;
    const para = (pid: string) => article.paragraphs.find((p) => p.id === pid)!;
    expect(para('p4')).toMatchObject({ status: 'accepted', text: accepted.text, revision: accepted.revision });
    expect(para('p3')).toMatchObject({ status: 'edited', text: edited.text, revision: edited.revision });
    expect(para('p5')).toMatchObject({ status: 'rejected', text: rejected.text, revision: rejected.revision });
    expect(para('p6')).toMatchObject({ status: 'kept', text: kept.text, revision: kept.revision });
    for (const pid of ['p3', 'p4', 'p5', 'p6']) expect(para(pid).suggestion?.runId).toBeUndefined();
    expect(article.paragraphs.filter((p) => p.status === 'suggested')).toHaveLength(14);
    const record = (await s.runStore.getRun(run.id))!;
    expect(record.counts).toMatchObject({ total: 18, done: 14, skipped: 4, failed: 0 });
    const history = await s.services.store.history(id);
    expect(history.filter((r) => ['p3', 'p4', 'p5', 'p6'].includes(r.paragraphId) && r.action === 'suggest' && r.author !== ADMIN.username)).toHaveLength(0);
  });

  it('stops a background run through stopRun', async () => {
    await server.close();
    server = await startOpenAIServer({ latencyMs: 100 });
    s.ctx.engineFor = testEngines(server);
    await importSeed(s.services);
    const run = await startRun(s.ctx, runProps({ concurrency: 2 }));
    await waitFor(async () => (await s.runStore.getRun(run.id))!.counts.done >= 2);
    const stopped = await stopRun(s.ctx, run.id);
    expect(stopped.status).toBe('stopped');
    expect(s.ctx.active.has(run.id)).toBe(false);
    await expect(stopRun(s.ctx, run.id)).rejects.toThrow(/stopped, not running/);
  });

  it('retranslates from the source where there is one, and refuses retranslation with the offline engine', async () => {
    const id = await importWmt(s.services);
    await expect(prepareRun(s.ctx, runProps({ engine: 'offline', mode: 'retranslate' }))).rejects.toThrow(/cannot translate from the source/);
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], mode: 'retranslate' }));
    expect(run.promptHash).toBe(promptHash('minimal', 'json', 'retranslate'));
    expect(run.promptHash).not.toBe(promptHash('minimal', 'json'));
    const final = await execute(run.id);
    expect(final.counts.done).toBe(9);
    const first = server.chatRequests()[0]!.body as { messages: Array<{ content: string }> };
    expect(first.messages[0]!.content).toMatch(/Task: retranslate/);
    expect(first.messages[1]!.content).toMatch(/Translate the paragraph in the <source_paragraph> block/);
    expect(first.messages[1]!.content).toContain('<source_paragraph>');
    const article = (await s.services.store.getArticle(id))!;
    expect(article.paragraphs[0]!.suggestion?.promptHash).toBe(promptHash('minimal', 'json', 'retranslate'));
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
