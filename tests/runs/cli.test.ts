import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { openRunStore } from '../../server/store/open.js';
import { removeData, seedPath, tempDir } from '../support/app.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { onPostgres } from '../support/postgres.js';
import { ADMIN, expectOneResultPerLiveParagraph, reopen, runSuggestRevisions, servicesFor, type Fresh } from './helpers.js';
import { cli } from './spawnCli.js';

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ latencyMs: 80 });
});
afterAll(async () => server.close());

async function seededDir(): Promise<{ dir: string; articleId: string; lastMt: string }> {
  const dir = await tempDir('postedit-cli-');
  const services = await servicesFor(dir);
  const { article } = await importFile(services, seedPath, ADMIN);
  await services.store.close();
  return { dir, articleId: article.id, lastMt: article.paragraphs.at(-1)!.mt };
}

/**
 * The run's logged results so far, as the CLI leaves them: lowdb's results file read raw, or on
 * PostgreSQL the rows, through `db` (a store of the test's own on the CLI's database).
 */
async function resultLines(dir: string, db?: Fresh): Promise<{ runId?: string; lines: number }> {
  if (onPostgres) {
    const [run] = await db!.runStore.listRuns();
    return run ? { runId: run.id, lines: (await db!.runStore.results(run.id)).length } : { lines: 0 };
  }
  const files = (await readdir(join(dir, 'runs')).catch(() => [] as string[])).filter((f) => f.endsWith('.results.jsonl'));
  if (!files[0]) return { lines: 0 };
  const text = await readFile(join(dir, 'runs', files[0]), 'utf8');
  return { runId: files[0].replace('.results.jsonl', ''), lines: text.split('\n').filter(Boolean).length };
}

describe('npm run batch', () => {
  it('stops on Ctrl-C, survives SIGKILL: --resume does no paragraph twice, loses none, and exits 1 for a failed paragraph', async () => {
    const { dir, articleId, lastMt } = await seededDir();
    onTestFinished(() => removeData(dir));
    const db = onPostgres ? await reopen(dir) : undefined;
    onTestFinished(() => db?.close());
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-4o-mini' };
    const untilLines = async (n: number) => {
      let state = await resultLines(dir, db);
      for (let i = 0; state.lines < n && i < 500; i++) {
        await new Promise((r) => setTimeout(r, 15));
        state = await resultLines(dir, db);
      }
      return state;
    };

    // Ctrl-C: the run is marked stopped and the command says how to go on.
    const first = await cli('batch', ['--all', '--engine', 'openai', '--concurrency', '2', '--data', dir], env);
    const { runId } = await untilLines(2);
    first.kill('SIGINT');
    expect(await first.exit).toBe(130);
    expect(first.stdout()).toMatch(new RegExp(`run ${runId}: stopped[\\s\\S]*continue with: npm run batch -- --resume ${runId}`));
    const stoppedAt = (await resultLines(dir, db)).lines;
    expect(stoppedAt).toBeLessThan(18);

    // SIGKILL: nothing gets to mark anything.
    const second = await cli('batch', ['--resume', runId!, '--concurrency', '2', '--data', dir], env);
    await untilLines(stoppedAt + 3);
    second.kill('SIGKILL');
    expect(await second.exit).toBe(null);
    const killedAt = (await resultLines(dir, db)).lines;
    expect(killedAt).toBeLessThan(18);

    // The last paragraph will fail on resume, with a reason.
    server.setHandler((body) => (extractParagraph(body) === lastMt ? { type: 'reply', content: null, finishReason: 'content_filter' } : { type: 'reply' }));
    const resumed = await cli('batch', ['--resume', runId!, '--concurrency', '4', '--data', dir], env);
    const code = await resumed.exit;
    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body) }));
    expect(resumed.stderr()).not.toMatch(/Error:|at .*\.ts:\d+/);
    expect(code).toBe(1);
    const out = resumed.stdout();
    expect(out).toMatch(new RegExp(`run ${runId}: finished`));
    expect(out).toMatch(new RegExp(`${articleId}\\s+17\\s+1\\s+0`));
    expect(out).toMatch(/failures:\n\s+\S+\/p18 failed: .*content filter/);

    const services = await servicesFor(dir);
    const runStore = await openRunStore(dir, services.store);
    const results = await runStore.results(runId!);
    expect(await expectOneResultPerLiveParagraph(services, results, [articleId])).toEqual([]);
    const revisions = await runSuggestRevisions(services, articleId, runId!);
    expect(revisions.size).toBe(17);
    expect([...revisions.values()].every((n) => n === 1)).toBe(true);
    expect(await runStore.getRun(runId!)).toMatchObject({ status: 'finished', counts: { total: 18, done: 17, failed: 1 } });
    await runStore.close();
    await services.store.close();
  });
});
