/** What a run would cost before it starts: paragraphs, tokens, money, and the least time its limits allow. */
import { articleGlossary } from '../commands/articleGlossary.js';
import type { Services } from '../commands/services.js';
import { buildRequest } from '../commands/suggestParagraph.js';
import type { TokenUsage } from '../core/types.js';
import type { EditLevel, Engine } from '../engines/types.js';
import type { RunMode, RunParams } from '../store/runStore.js';
import { estimateCost } from './cost.js';
import { canRetranslate } from './engines.js';
import { estimateTokens } from './runEngine.js';

export interface RunEstimate {
  articles: Array<{ id: string; title: string; paragraphs: number }>;
  paragraphs: number;
  /** Zero for engines that call no LLM. */
  tokens: TokenUsage;
  cost?: number;
  /** Lower bound set by --rpm / --tpm, in ms; undefined without limits. */
  minMs?: number;
}

export async function estimateRun(services: Services, articleIds: string[], engine: Engine, level: EditLevel, mode: RunMode, params: Partial<RunParams>, skip: Set<string> = new Set()): Promise<RunEstimate> {
  const llm = engine.id !== 'offline';
  const task = mode === 'retranslate' && canRetranslate(engine) ? 'retranslate' : 'rewrite';
  const out: RunEstimate = { articles: [], paragraphs: 0, tokens: { prompt: 0, completion: 0 } };
  for (const id of articleIds) {
    const article = await services.store.readArticle(id);
    if (!article) continue;
    const live = article.paragraphs.filter((p) => p.status !== 'deleted' && !skip.has(`${id}/${p.id}`));
    out.articles.push({ id, title: article.title, paragraphs: live.length });
    out.paragraphs += live.length;
    if (!llm) continue;
    const glossary = await articleGlossary(services, id, article);
    for (const p of live) {
      const request = buildRequest(article, p, level, glossary);
      const all = estimateTokens(request, task);
      const completion = Math.ceil((request.text.length * 1.2 + 16) / 4);
      out.tokens.completion += completion;
      out.tokens.prompt += all - completion;
    }
  }
  const cost = estimateCost(engine.id, engine.model, out.tokens);
  if (cost !== undefined) out.cost = cost;
  const bounds = [
    params.rpm ? (out.paragraphs / params.rpm) * 60_000 : 0,
    params.tpm && llm ? ((out.tokens.prompt + out.tokens.completion) / params.tpm) * 60_000 : 0,
  ];
  if (params.rpm || params.tpm) out.minMs = Math.max(...bounds);
  return out;
}
