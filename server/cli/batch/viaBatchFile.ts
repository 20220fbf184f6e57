/** `npm run batch -- --mode batch-file`: the run as an OpenAI Batch API job — write the file, submit, wait, ingest (or only some of that). */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OpenAIEngine } from '../../engines/openai.js';
import type { RunContext } from '../../runs/activeRuns.js';
import { downloadBatchResults, ingestBatchResults, submitBatchFile, waitForBatch, writeBatchFile } from '../../runs/batchFile.js';
import { formatDuration } from '../../runs/progress.js';
import { prepareResume } from '../../runs/resumeRun.js';
import { prepareRun } from '../../runs/startRun.js';
import { summarizeRun } from '../../runs/summary.js';
import { release, type Run } from '../../store/runStore.js';
import { fail } from '../fail.js';
import type { RunConsole } from './console.js';
import type { BatchRequest } from './request.js';

export async function viaBatchFile(ctx: RunContext, req: BatchRequest, out: RunConsole): Promise<never> {
  const { services, runStore } = ctx;
  const { articles, level, mode, limits } = req;
  if (!req.resume && req.engine !== 'openai') fail('--mode batch-file needs --engine openai', 2);
  const { run: start, engine } = req.resume
    ? await prepareResume(ctx, req.resume, limits, { pendingBatch: true })
    : await prepareRun(ctx, { articles, engine: req.engine!, model: req.model, level, mode, ...limits, actor: { username: req.user, role: 'admin' } });
  if (!(engine instanceof OpenAIEngine)) fail(`run ${start.id} uses the ${engine.id} engine: batch files are for the openai engine`, 2);
  const end = async (run: Run): Promise<never> => {
    const summary = summarizeRun(run, await runStore.results(run.id));
    await runStore.close();
    await services.store.close();
    out.finish(summary);
  };
  if (req.ingest) {
    const text = await readFile(resolve(req.ingest), 'utf8').catch((e: Error) => fail(`cannot read ${req.ingest}: ${e.message}`));
    return end(await ingestBatchResults(services, runStore, start.id, engine, text));
  }
  let run = start;
  if (!run.batch?.id || run.batch.status === 'ingested') {
    const file = resolve(req.out ?? join(req.dataDir, 'runs', `${run.id}.batch-input.jsonl`));
    await mkdir(dirname(file), { recursive: true });
    const written = await writeBatchFile(services, runStore, run.id, engine, file);
    console.error(`run ${run.id}: wrote ${written.lines} request${written.lines === 1 ? '' : 's'} to ${file}`);
    if (written.lines === 0) return end(await ingestBatchResults(services, runStore, run.id, engine, ''));
    if (req.noSubmit) {
      await runStore.updateRun(run.id, (r) => {
        r.status = 'stopped';
        release(r);
      });
      console.log(`not submitted. Submit it with:  npm run batch -- --resume ${run.id} --mode batch-file`);
      console.log(`or run it elsewhere (vLLM: python -m vllm.entrypoints.openai.run_batch -i ${file} -o RESULTS.jsonl --model ${run.model})`);
      console.log(`and read the results with:     npm run batch -- --resume ${run.id} --ingest RESULTS.jsonl`);
      process.exit(0);
    }
    run = await submitBatchFile(runStore, run.id, engine);
    console.error(`submitted batch ${run.batch!.id} (Ctrl-C stops waiting; the batch goes on, and --resume ${run.id} waits again)`);
  }
  const batchId = run.batch!.id!;
  const controller = new AbortController();
  out.onInterrupt(() => controller.abort(new Error('interrupted')));
  let batch;
  try {
    batch = await waitForBatch(engine, batchId, {
      signal: controller.signal,
      pollMs: req.pollMs,
      onPoll: (b) => {
        const c = b.request_counts;
        out.progress.update(`batch ${b.id}: ${b.status}${c ? ` · ${c.completed + c.failed}/${c.total}${c.failed ? ` · ${c.failed} failed` : ''}` : ''} · ${formatDuration(Date.now() - out.began)}`);
      },
    });
  } catch (e) {
    if (!controller.signal.aborted) throw e;
    const stopped = await runStore.updateRun(run.id, (r) => {
      r.status = 'stopped';
      release(r);
    });
    return end(stopped);
  }
  out.progress.end();
  if (!batch.output_file_id && !batch.error_file_id) {
    return end(await runStore.updateRun(run.id, (r) => {
      r.batch = { ...r.batch!, status: batch.status };
      r.status = 'failed';
      r.errors.unshift({ articleId: '', paragraphId: '', message: `batch ${batchId} ended ${batch.status} without results` });
      r.finishedAt = services.now().toISOString();
      release(r);
    }));
  }
  return end(await ingestBatchResults(services, runStore, run.id, engine, await downloadBatchResults(engine, batch)));
}
