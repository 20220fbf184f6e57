/**
 * After the server starts: every stored article's MT flags and grammar flags, computed in the
 * background so that pages find them ready (an article opens with its flags at once instead of
 * waiting ~1.5 s for Harper to start, plus seconds for its first unfamiliar name). Then the check
 * workers are ended at once rather than after their idle time: their memory (Harper's few hundred
 * MB, the MT checks' dictionaries ~100 MB) goes back while editors only read; the first edit starts
 * Harper again for its new text.
 */
import { articleMtFlags } from './mtFlags.js';
import type { Services } from './services.js';

type Needs = Pick<Services, 'store' | 'glossary' | 'glossaries' | 'mtFlags' | 'grammar' | 'releaseWorkers'>;

/** At most this many paragraphs are linted ahead (half the grammar cache): the rest on first view. */
export const GRAMMAR_WARM_PARAGRAPHS = 10_000;

export interface WarmOptions {
  /** Lint for grammar too (false: left to the first view, POSTEDIT_WARM_GRAMMAR=0). */
  grammar?: boolean;
  /** At most this many paragraphs linted, in the store's order. */
  limit?: number;
}

export interface WarmReport {
  /** Articles whose MT flags were made ready. */
  articles: number;
  /** Paragraphs whose grammar flags were made ready (0 when grammar was left to first view). */
  linted: number;
  ms: number;
}

/**
 * One pass over the stored articles: each one's MT flags, then (unless `grammar` is false) its live
 * paragraphs' grammar flags up to `limit`; then the workers are ended. A failure (an article deleted
 * meanwhile, a check failing) only costs the warm-up: the page computes on demand.
 */
export async function warmFlags(services: Needs, options: WarmOptions = {}): Promise<WarmReport> {
  const { grammar = true, limit = GRAMMAR_WARM_PARAGRAPHS } = options;
  const t0 = performance.now();
  let articles = 0;
  let linted = 0;
  for (const summary of await services.store.listArticles()) {
    const article = await services.store.readArticle(summary.id).catch(() => undefined);
    if (!article) continue;
    if (await articleMtFlags(services, article).then(() => true, () => false)) articles++;
    if (!grammar || linted >= limit) continue;
    const texts = article.paragraphs.filter((p) => p.status !== 'deleted').map((p) => p.text).slice(0, limit - linted);
    if (await services.grammar.fill(texts, Infinity).then(() => true, () => false)) linted += texts.length;
  }
  services.releaseWorkers?.();
  return { articles, linted, ms: performance.now() - t0 };
}
