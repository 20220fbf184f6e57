/** `npm run batch -- --dry-run`: what a run (new or resumed) would send and cost; nothing is sent or stored. */
import type { RunContext } from '../../runs/activeRuns.js';
import { estimateRun } from '../../runs/estimate.js';
import { formatDuration } from '../../runs/progress.js';
import { fail } from '../fail.js';
import type { BatchRequest } from './request.js';

export async function dryRun(ctx: RunContext, req: BatchRequest): Promise<never> {
  const { services, runStore } = ctx;
  const { articles, level, mode, limits } = req;
  const existing = req.resume ? await runStore.getRun(req.resume) : undefined;
  if (req.resume && !existing) fail(`no run "${req.resume}"`);
  const engine = ctx.engineFor(existing?.engine ?? req.engine!, existing?.model ?? req.model);
  const ids = existing?.articles ?? (articles === 'all' ? (await services.store.listArticles()).map((a) => a.id) : articles);
  const skip = new Set(existing ? (await runStore.results(existing.id)).map((r) => `${r.articleId}/${r.paragraphId}`) : []);
  const est = await estimateRun(services, ids, engine, existing?.level ?? level, existing?.mode ?? mode, { ...existing?.params, ...limits }, skip);
  const missing = ids.filter((id) => !est.articles.some((a) => a.id === id));
  if (missing.length) fail(`no article ${missing.map((m) => `"${m}"`).join(', ')}`);
  console.log(`dry run: nothing is sent and nothing is stored`);
  for (const a of est.articles) console.log(`  ${a.id}  ${a.paragraphs} paragraph${a.paragraphs === 1 ? '' : 's'}  ${a.title}`);
  console.log(`${est.paragraphs} paragraphs with ${engine.id} ${engine.model} (${existing?.level ?? level}, ${existing?.mode ?? mode})`);
  if (est.tokens.prompt) console.log(`about ${est.tokens.prompt} prompt + ${est.tokens.completion} completion tokens${est.cost !== undefined ? `, about $${est.cost.toFixed(4)}` : ''}`);
  if (est.minMs !== undefined) console.log(`the rate limits allow it in no less than ${formatDuration(est.minMs)}`);
  process.exit(0);
}
