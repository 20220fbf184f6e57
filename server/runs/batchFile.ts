/**
 * Batch-file runs for large corpora: the run's requests are written as an OpenAI Batch API JSON Lines
 * file (the format vLLM's offline batch runner reads too), uploaded, run by the provider within its
 * completion window, and the results file is ingested into the run as if each request had been live.
 *
 * A custom_id is `ARTICLE:PARAGRAPH:HASH`, HASH a hash of the text the request was made for: a reply
 * for a paragraph an editor has changed since is skipped, never attached to the new text.
 */
import { articleGlossary } from '../commands/articleGlossary.js';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { pickDeskExamples } from '../commands/deskExamples.js';
import { EngineFailedError, InvalidStateError, NotFoundError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { buildRequest, suggestParagraph } from '../commands/suggestParagraph.js';
import type { OpenAIEngine } from '../engines/openai.js';
import { loadOpenAI } from '../engines/openaiSdk.js';
import type { Engine } from '../engines/types.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { claim, release, type Run, type RunResult, type RunStore } from '../store/runStore.js';
import { realClock, type Clock } from './clock.js';
import { estimateCost } from './cost.js';
import { isUndecided } from '../core/paragraphState.js';
import { keyOf, pendingParagraphs, pushError, summarizeResults } from './runBatch.js';

export const BATCH_ENDPOINT = '/v1/chat/completions';
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

const textHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

export function customId(articleId: string, paragraphId: string, text: string): string {
  return `${articleId}:${paragraphId}:${textHash(text)}`;
}

export function parseCustomId(id: unknown): { articleId: string; paragraphId: string; hash: string } | undefined {
  const m = typeof id === 'string' ? /^([a-z0-9][a-z0-9-]*):([a-z0-9-]+):([0-9a-f]{12})$/.exec(id) : null;
  return m ? { articleId: m[1]!, paragraphId: m[2]!, hash: m[3]! } : undefined;
}

/** Writes one request per live paragraph without a result yet; records the file in the run. */
export async function writeBatchFile(services: Services, runStore: RunStore, runId: string, engine: OpenAIEngine, file: string): Promise<{ run: Run; lines: number }> {
  const run = await runStore.getRun(runId);
  if (!run) throw new NotFoundError(`no run "${runId}"`);
  const finished = new Set((await runStore.results(runId)).map(keyOf));
  const { tasks } = await pendingParagraphs(services, run, finished);
  const lines: string[] = [];
  let skipped = 0;
  for (const t of tasks) {
    const article = (await services.store.readArticle(t.articleId))!;
    const p = article.paragraphs.find((x) => x.id === t.paragraphId)!;
    if (!isUndecided(p.status)) {
      // Decided paragraphs are left as the editor decided: logged as skipped, never paid for.
      await runStore.appendResult(runId, { ...t, status: 'skipped', error: `already ${p.status}: left as the editor decided`, ms: 0 });
      skipped++;
      continue;
    }
    const examples = await pickDeskExamples(services.store, article, p.id, { trusted: services.trustedEditors ?? new Set() });
    const body = engine.requestBody(buildRequest(article, p, run.level, await articleGlossary(services, article.id, article), examples), run.mode);
    lines.push(JSON.stringify({ custom_id: customId(t.articleId, t.paragraphId, p.text), method: 'POST', url: BATCH_ENDPOINT, body }));
  }
  await writeFile(file, lines.map((l) => `${l}\n`).join(''), 'utf8');
  const updated = await runStore.updateRun(runId, (r) => {
    r.batch = { file, lines: lines.length, replyMode: engine.responseMode === 'json_schema' ? 'json' : 'text' };
    r.counts.total = finished.size + tasks.length;
    r.counts.skipped += skipped;
  });
  return { run: updated, lines: lines.length };
}

/** Uploads the run's file (Files endpoint) and creates the batch; the run is then waiting for it. */
export async function submitBatchFile(runStore: RunStore, runId: string, engine: OpenAIEngine): Promise<Run> {
  const run = await runStore.getRun(runId);
  if (!run?.batch) throw new InvalidStateError(`run ${runId} has no batch file to submit`);
  const [{ toFile }, sdk] = await Promise.all([loadOpenAI(), engine.sdk()]);
  const upload = await sdk.files.create({ file: await toFile(await readFile(run.batch.file), basename(run.batch.file)), purpose: 'batch' });
  const batch = await sdk.batches.create({ input_file_id: upload.id, endpoint: BATCH_ENDPOINT, completion_window: '24h', metadata: { postedit_run: runId } });
  return runStore.updateRun(runId, (r) => {
    r.batch = { ...r.batch!, id: batch.id, status: batch.status };
    r.status = 'running';
    delete r.finishedAt;
    claim(r);
  });
}

/** Polls the batch until it ends; aborting stops the polling, not the batch. */
export async function waitForBatch(engine: OpenAIEngine, batchId: string, options: { signal?: AbortSignal; pollMs?: number; clock?: Clock; onPoll?: (b: Batch) => void } = {}): Promise<Batch> {
  const clock = options.clock ?? realClock;
  const sdk = await engine.sdk();
  for (;;) {
    const batch = await sdk.batches.retrieve(batchId, options.signal ? { signal: options.signal } : {});
    options.onPoll?.(batch);
    if (TERMINAL.has(batch.status)) return batch;
    await clock.sleep(options.pollMs ?? 10_000, options.signal);
  }
}

/** The output and error files of an ended batch, as one JSON Lines text. */
export async function downloadBatchResults(engine: OpenAIEngine, batch: Batch): Promise<string> {
  const parts: string[] = [];
  const sdk = await engine.sdk();
  for (const id of [batch.output_file_id, batch.error_file_id]) {
    if (id) parts.push(await (await sdk.files.content(id)).text());
  }
  return parts.join('\n');
}

interface ResultLine {
  custom_id?: unknown;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { message?: string; code?: string } | null;
}

function failureOf(line: ResultLine): string | undefined {
  if (line.error) return `the batch reported an error: ${line.error.message ?? line.error.code ?? 'unknown'}`;
  const status = line.response?.status_code;
  if (status === 200) return undefined;
  const says = (line.response?.body as { error?: { message?: string } } | undefined)?.error?.message;
  return `the LLM server answered ${status ?? 'nothing'}${says ? `: "${says}"` : ''}`;
}

/**
 * Attaches each reply in a Batch API results file (output and error lines alike) as the paragraph's
 * suggestion, through the same command as a live request. Lines for paragraphs with a result already
 * are ignored, so ingesting twice does nothing twice. The run ends `finished`, or `stopped` when some
 * paragraphs got no reply (resume writes a new file for them).
 */
export async function ingestBatchResults(services: Services, runStore: RunStore, runId: string, engine: OpenAIEngine, text: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const run = await runStore.getRun(runId);
  if (!run) throw new NotFoundError(`no run "${runId}"`);
  const replyMode = run.batch?.replyMode ?? 'json';
  const finished = new Set((await runStore.results(runId)).map(keyOf));
  const actor = { username: run.startedBy, role: 'editor' as const };
  const errors: Run['errors'] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: ResultLine;
    try {
      line = JSON.parse(raw) as ResultLine;
    } catch {
      continue;
    }
    const ids = parseCustomId(line.custom_id);
    if (!ids || !run.articles.includes(ids.articleId)) continue;
    const task = { articleId: ids.articleId, paragraphId: ids.paragraphId };
    if (finished.has(keyOf(task))) continue;
    const result = await ingestOne(task, ids.hash, line);
    await runStore.appendResult(runId, result);
    finished.add(keyOf(result));
    if (result.status === 'failed') errors.push({ ...task, message: result.error ?? 'failed' });
  }

  async function ingestOne(task: { articleId: string; paragraphId: string }, hash: string, line: ResultLine): Promise<RunResult> {
    const failure = failureOf(line);
    if (failure) return { ...task, status: 'failed', error: failure, ms: 0 };
    const p = (await services.store.readArticle(task.articleId))?.paragraphs.find((x) => x.id === task.paragraphId);
    if (!p || p.status === 'deleted') return { ...task, status: 'skipped', error: 'the paragraph was deleted after the batch file was written', ms: 0 };
    if (textHash(p.text) !== hash) return { ...task, status: 'skipped', error: 'the paragraph changed after the batch file was written', ms: 0 };
    const completion = line.response!.body as ChatCompletion;
    // The reply is already here: the "engine" only reads it, so checks, status rules and history are a live request's.
    const replay: Engine = { id: engine.id, model: engine.model, describe: () => engine.describe(), suggest: async (request) => engine.resultOf(completion, request, run!.mode, replyMode) };
    try {
      const after = await suggestParagraph(services, { ...task, actor, level: run!.level, engine: replay, runId, force: true, onlyUndecided: true });
      const s = after.suggestion!;
      return { ...task, status: 'done', suggestionId: s.id, ...(s.usage ? { usage: s.usage } : {}), ms: 0 };
    } catch (e) {
      if (e instanceof ParagraphRefusal || e instanceof StaleRevisionError || e instanceof NotFoundError || e instanceof StoreNotFound) {
        return { ...task, status: 'skipped', error: (e as Error).message, ms: 0 };
      }
      if (e instanceof EngineFailedError) return { ...task, status: 'failed', error: e.message, ms: 0 };
      throw e;
    }
  }

  const results = await runStore.results(runId);
  const { tasks } = await pendingParagraphs(services, run, new Set(results.map(keyOf)));
  const { counts, tokens } = summarizeResults(results);
  return runStore.updateRun(runId, (r) => {
    r.counts = { total: results.length + tasks.length, ...counts };
    r.tokens = tokens;
    const cost = estimateCost(r.engine, r.model, tokens, env);
    if (cost === undefined) delete r.estimatedCost;
    else r.estimatedCost = cost;
    for (const e of errors) pushError(r, e);
    if (r.batch) r.batch.status = 'ingested';
    r.status = tasks.length ? 'stopped' : 'finished';
    r.finishedAt = services.now().toISOString();
    release(r);
  });
}
