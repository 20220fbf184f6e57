/** The MT flags of an article: the MT checked against its source, per paragraph, with its risk. */
import type { ParagraphMtFlags } from '../checks/mt/flagCache.js';
import type { Article } from '../core/types.js';
import { articleGlossary } from './articleGlossary.js';
import { NotFoundError } from './errors.js';
import type { Services } from './services.js';

type Needs = Pick<Services, 'store' | 'glossary' | 'glossaries' | 'mtFlags'>;

/**
 * Flags by paragraph id. `budgetMs` bounds the wait for paragraphs not checked yet (0: what is known
 * now, and starts checking the rest; Infinity: all of them).
 */
export async function articleMtFlags(services: Needs, article: Article, budgetMs = Infinity): Promise<Map<string, ParagraphMtFlags>> {
  const glossary = await articleGlossary(services, article.id, article);
  return services.mtFlags.fill(article, glossary, budgetMs);
}

/** Asks the configured LLM to annotate the article's MT; its flags are merged with the offline ones. */
export async function annotateArticle(services: Needs, articleId: string): Promise<{ annotated: number; failed: number }> {
  const article = await services.store.readArticle(articleId);
  if (!article) throw new NotFoundError(`no article "${articleId}"`);
  return services.mtFlags.annotate(article, await articleGlossary(services, article.id, article));
}
