/**
 * After the server starts: every stored article's MT flags and grammar flags, computed in the
 * background so that pages find them ready (an article opens with its flags at once instead of
 * waiting ~1.5 s for Harper to start, plus seconds for its first unfamiliar name). Then the check
 * workers are ended at once rather than after their idle time: their memory (Harper's few hundred
 * MB, the MT checks' dictionaries ~100 MB) goes back while editors only read; the first edit starts
 * Harper again for its new text.
 */
import { warmMtFlags } from './mtFlags.js';
import type { Services } from './services.js';

type Needs = Pick<Services, 'store' | 'glossary' | 'glossaries' | 'mtFlags' | 'grammar' | 'releaseWorkers'>;

/** At most this many paragraphs are linted ahead (half the grammar cache): the rest on first view. */
export const GRAMMAR_WARM_PARAGRAPHS = 10_000;

/** Lints the live paragraphs of stored articles, in the store's order, up to `limit` paragraphs. */
export async function warmGrammarFlags(services: Pick<Services, 'store' | 'grammar'>, limit = GRAMMAR_WARM_PARAGRAPHS): Promise<number> {
  let linted = 0;
  for (const summary of await services.store.listArticles()) {
    if (linted >= limit) break;
    try {
      const article = await services.store.readArticle(summary.id);
      if (!article) continue;
      const texts = article.paragraphs.filter((p) => p.status !== 'deleted').map((p) => p.text).slice(0, limit - linted);
      await services.grammar.fill(texts, Infinity);
      linted += texts.length;
    } catch {
      // An article deleted meanwhile, or Harper failing: the page lints on demand.
    }
  }
  return linted;
}

export interface WarmReport {
  articles: number;
  /** Paragraphs whose grammar flags were made ready (0 when grammar was left to first view). */
  linted: number;
  ms: number;
}

/** MT flags of every article, then grammar flags (unless `grammar` is false), then the workers ended. */
export async function warmFlags(services: Needs, options: { grammar: boolean } = { grammar: true }): Promise<WarmReport> {
  const t0 = performance.now();
  const articles = await warmMtFlags(services);
  const linted = options.grammar ? await warmGrammarFlags(services) : 0;
  services.releaseWorkers?.();
  return { articles, linted, ms: performance.now() - t0 };
}
