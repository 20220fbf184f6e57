import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../server/boot.js';
import { importFile } from '../../server/commands/importFiles.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { LowdbRunStore } from '../../server/store/runStore.js';
import { corpusDir, seedPath, tempDir } from '../support/app.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { ADMIN, expectOneResultPerLiveParagraph, runSuggestRevisions } from './helpers.js';
import { cli } from './spawnCli.js';

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ latencyMs: 80 });
});
afterAll(async () => server.close());

async function seededDir(): Promise<{ dir: string; articleId: string; lastMt: string }> {
  const dir = await tempDir('postedit-cli-');
  const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine() });
  const { article } = await importFile(services, seedPath, ADMIN);
  await services.store.close();
  return { dir, articleId: article.id, lastMt: article.paragraphs.at(-1)!.mt };
}

async function resultLines(dir: string): Promise<{ runId?: string; lines: number }> {
  const files = (await readdir(join(dir, 'runs')).catch(() => [] as string[])).filter((f) => f.endsWith('.results.jsonl'));
  if (!files[0]) return { lines: 0 };
  const text = await readFile(join(dir, 'runs', files[0]), 'utf8');
  return { runId: files[0].replace('.results.jsonl', ''), lines: text.split('\n').filter(Boolean).length };
}

describe('npm run batch', () => {
  it('stops on Ctrl-C, survives SIGKILL: --resume does no paragraph twice, loses none, and exits 1 for a failed paragraph', async () => {
    const { dir, articleId, lastMt } = await seededDir();
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-4o-mini' };
    const untilLines = async (n: number) => {
      let state = await resultLines(dir);
      for (let i = 0; state.lines < n && i < 500; i++) {
        await new Promise((r) => setTimeout(r, 15));
        state = await resultLines(dir);
      }
      return state;
    };

    // Ctrl-C: the run is marked stopped and the command says how to go on.
    const first = cli('batch', ['--all', '--engine', 'openai', '--concurrency', '2', '--data', dir], env);
    const { runId } = await untilLines(2);
    first.kill('SIGINT');
    expect(await first.exit).toBe(130);
    expect(first.stdout()).toMatch(new RegExp(`run ${runId}: stopped[\\s\\S]*continue with: npm run batch -- --resume ${runId}`));
    const stoppedAt = (await resultLines(dir)).lines;
    expect(stoppedAt).toBeLessThan(18);

    // SIGKILL: nothing gets to mark anything.
    const second = cli('batch', ['--resume', runId!, '--concurrency', '2', '--data', dir], env);
    await untilLines(stoppedAt + 3);
    second.kill('SIGKILL');
    expect(await second.exit).toBe(null);
    const killedAt = (await resultLines(dir)).lines;
    expect(killedAt).toBeLessThan(18);

    // The last paragraph will fail on resume, with a reason.
    server.setHandler((body) => (extractParagraph(body) === lastMt ? { type: 'reply', content: null, finishReason: 'content_filter' } : { type: 'reply' }));
    const resumed = cli('batch', ['--resume', runId!, '--concurrency', '4', '--data', dir], env);
    const code = await resumed.exit;
    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body) }));
    expect(resumed.stderr()).not.toMatch(/Error:|at .*\.ts:\d+/);
    expect(code).toBe(1);
    const out = resumed.stdout();
    expect(out).toMatch(new RegExp(`run ${runId}: finished`));
    expect(out).toMatch(new RegExp(`${articleId}\\s+17\\s+1\\s+0`));
    expect(out).toMatch(/failures:\n\s+\S+\/p18 failed: .*content filter/);

    const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine() });
    const runStore = await LowdbRunStore.open(dir);
    const results = await runStore.results(runId!);
    expect(await expectOneResultPerLiveParagraph(services, results, [articleId])).toEqual([]);
    const revisions = await runSuggestRevisions(services, articleId, runId!);
    expect(revisions.size).toBe(17);
    expect([...revisions.values()].every((n) => n === 1)).toBe(true);
    expect(await runStore.getRun(runId!)).toMatchObject({ status: 'finished', counts: { total: 18, done: 17, failed: 1 } });
    await runStore.close();
    await services.store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
