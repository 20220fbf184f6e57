/**
 * "Learning from the desk": recent editor corrections (MT → final text) given to an LLM as examples,
 * so it follows the desk's choices. This article first, then the most recently worked articles.
 */
import type { Article, Paragraph } from '../core/types.js';
import type { DeskExample } from '../engines/types.js';
import type { Store } from '../store/types.js';

export const MAX_EXAMPLES = 3;
/** Corrections longer than this make the prompt expensive for little gain. */
const MAX_EXAMPLE_CHARS = 1200;
/** How many other articles are searched. */
const OTHER_ARTICLES = 5;

export interface PickedExample extends DeskExample {
  articleId: string;
  paragraphId: string;
}

function corrections(article: Article, except?: string): PickedExample[] {
  return article.paragraphs
    .filter((p: Paragraph) => p.id !== except && (p.status === 'edited' || p.status === 'accepted') && p.mt && p.text !== p.mt)
    .filter((p) => p.mt.length + p.text.length <= MAX_EXAMPLE_CHARS)
    .map((p) => ({ articleId: article.id, paragraphId: p.id, mt: p.mt, final: p.text }));
}

export async function pickDeskExamples(store: Store, article: Article, paragraphId: string, max = MAX_EXAMPLES): Promise<PickedExample[]> {
  const picked = corrections(article, paragraphId).slice(-max);
  if (picked.length >= max) return picked;
  const others = (await store.listArticles())
    .filter((a) => a.id !== article.id && (a.counts.edited > 0 || a.counts.accepted > 0))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, OTHER_ARTICLES);
  for (const summary of others) {
    const other = await store.getArticle(summary.id);
    if (!other) continue;
    picked.push(...corrections(other).slice(-(max - picked.length)));
    if (picked.length >= max) break;
  }
  return picked;
}
