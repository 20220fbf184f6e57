import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { importFile } from '../../server/interchange/importFiles.js';
import { prepareRun } from '../../server/runs/startRun.js';
import type { OpenAIEngine } from '../../server/engines/openai.js';
import { customId, downloadBatchResults, ingestBatchResults, parseCustomId, submitBatchFile, waitForBatch, writeBatchFile } from '../../server/runs/batchFile.js';
import { cleanParagraph, extractParagraph, type ChatRequestBody, type OpenAIServer } from '../support/openaiServer.js';
import { ADMIN, eachTestWithServer, importWmt, reopen, servicesFor, type Setup, WMT_PATH } from './helpers.js';
import { cli } from './spawnCli.js';

let server: OpenAIServer;
let s: Setup;
eachTestWithServer((started, set) => {
  server = started;
  s = set;
});

describe('batch-file runs', () => {
  it('round-trips through the Files and Batches endpoints and ingests the results as suggestions', async () => {
    const id = await importWmt(s.services);
    const { run, engine } = await prepareRun(s.ctx, { articles: [id], engine: 'openai', level: 'minimal', actor: ADMIN });
    const file = join(s.dataDir, 'requests.jsonl');
    const written = await writeBatchFile(s.services, s.runStore, run.id, engine as OpenAIEngine, file);
    expect(written.lines).toBe(9);
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: ChatRequestBody });
    const article = (await s.services.store.getArticle(id))!;
    expect(lines[0]).toMatchObject({ custom_id: customId(id, 'p1', article.paragraphs[0]!.text), method: 'POST', url: '/v1/chat/completions' });
    expect(lines[0]!.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, response_format: { type: 'json_schema' } });
    expect(extractParagraph(lines[1]!.body)).toBe(article.paragraphs[1]!.text);
    expect(parseCustomId(lines[2]!.custom_id)).toMatchObject({ articleId: id, paragraphId: 'p3' });

    const submitted = await submitBatchFile(s.runStore, run.id, engine as OpenAIEngine);
    expect(submitted.status).toBe('running');
    const batch = server.batches.get(submitted.batch!.id!)!;
    expect(server.files.get(batch.input_file_id)).toMatchObject({ purpose: 'batch', content: await readFile(file, 'utf8') });

    // The first line fails at the provider; p2 is edited while the batch runs.
    server.enqueue({ type: 'error', status: 500, message: 'overloaded' });
    await editParagraph(s.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'An editor got there first.', actor: ADMIN });
    const polled: string[] = [];
    const ended = await waitForBatch(engine as OpenAIEngine, batch.id, { pollMs: 5, onPoll: (b) => polled.push(b.status) });
    expect(ended.status).toBe('completed');
    expect(polled[0]).toBe('in_progress');
    const text = await downloadBatchResults(engine as OpenAIEngine, ended);
    const final = await ingestBatchResults(s.services, s.runStore, run.id, engine as OpenAIEngine, text);
    expect(final).toMatchObject({ status: 'finished', counts: { total: 9, done: 7, failed: 1, skipped: 1 }, batch: { status: 'ingested' } });
    expect(final.tokens.prompt).toBeGreaterThan(0);
    const results = await s.runStore.results(run.id);
    expect(results.find((r) => r.paragraphId === 'p1')).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered 500: "overloaded"/) });
    expect(results.find((r) => r.paragraphId === 'p2')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/changed after the batch file was written/) });
    const after = (await s.services.store.getArticle(id))!;
    const p3 = after.paragraphs[2]!;
    expect(p3).toMatchObject({ status: 'suggested', suggestion: { runId: run.id, text: cleanParagraph(p3.text) } });
    expect(after.paragraphs[1]).toMatchObject({ status: 'edited', text: 'An editor got there first.' });

    // Ingesting the same results again changes nothing.
    await ingestBatchResults(s.services, s.runStore, run.id, engine as OpenAIEngine, text);
    expect(await s.runStore.results(run.id)).toHaveLength(9);
  });

  it('ingests a results file made elsewhere (vLLM run_batch format) and leaves the rest for a resume', async () => {
    const id = await importWmt(s.services);
    const { run, engine } = await prepareRun(s.ctx, { articles: [id], engine: 'openai', level: 'minimal', actor: ADMIN });
    const file = join(s.dataDir, 'requests.jsonl');
    await writeBatchFile(s.services, s.runStore, run.id, engine as OpenAIEngine, file);
    const requests = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; body: ChatRequestBody });
    const out = requests.slice(0, 3).map((r, i) => JSON.stringify({
      id: `vllm-${i}`, custom_id: r.custom_id,
      response: { status_code: 200, request_id: `vllm-batch-${i}`, body: { id: `cmpl-${i}`, object: 'chat.completion', created: 0, model: 'Qwen/Qwen2.5-7B-Instruct', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ text: `Rewritten ${i}.` }) }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } } },
      error: null,
    }));
    const final = await ingestBatchResults(s.services, s.runStore, run.id, engine as OpenAIEngine, [...out, 'not json', '{"custom_id":"someone-else"}'].join('\n'));
    expect(final).toMatchObject({ status: 'stopped', counts: { total: 9, done: 3 }, tokens: { prompt: 300, completion: 30 } });
    expect((await s.services.store.getArticle(id))!.paragraphs[1]!.suggestion).toMatchObject({ text: 'Rewritten 1.', runId: run.id });
    // A resume writes a file with only what is left.
    const again = await writeBatchFile(s.services, s.runStore, run.id, engine as OpenAIEngine, join(s.dataDir, 'rest.jsonl'));
    expect(again.lines).toBe(6);
  });
});

describe('npm run batch -- --mode batch-file', () => {
  it('writes the file without submitting, then --resume submits it, waits and ingests', async () => {
    // The CLI needs the directory to itself: close this process's stores (afterEach removes it).
    const dir = s.dataDir;
    await s.runStore.close();
    await s.services.store.close();
    const services = await servicesFor(dir);
    const { article } = await importFile(services, WMT_PATH, ADMIN);
    await services.store.close();
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test' };

    const write = await cli('batch', [article.id, '--engine', 'openai', '--mode', 'batch-file', '--no-submit', '--data', dir], env);
    expect(await write.exit).toBe(0);
    expect(write.stdout()).toMatch(/not submitted[\s\S]*vllm\.entrypoints\.openai\.run_batch[\s\S]*--ingest RESULTS\.jsonl/);
    const runId = /--resume (run-[a-z0-9-]+)/.exec(write.stdout())![1]!;
    expect((await readFile(join(dir, 'runs', `${runId}.batch-input.jsonl`), 'utf8')).trim().split('\n')).toHaveLength(9);
    expect(server.requests).toHaveLength(0);

    const resume = await cli('batch', ['--resume', runId, '--poll-ms', '20', '--data', dir], env);
    expect(await resume.exit).toBe(0);
    expect(resume.stderr()).toMatch(/submitted batch batch-/);
    expect(resume.stdout()).toMatch(new RegExp(`run ${runId}: finished`));
    expect(server.batches.size).toBe(1);
    const fresh = await reopen(dir);
    expect(await fresh.runStore.getRun(runId)).toMatchObject({ status: 'finished', counts: { total: 9, done: 9 }, batch: { status: 'ingested' } });
    await fresh.close();
  });
});
