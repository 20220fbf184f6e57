/** The glossary an article's suggestions and checks use: desk file, uploaded corpus entries, the article's own. */
import type { GlossaryEntry } from '../core/glossary.js';
import { effectiveGlossary, type GlossaryStore } from '../store/glossaryStore.js';
import type { Services } from './services.js';

// The same array comes back until a glossary changes, so checks can be memoised by its identity.
const cache = new WeakMap<GlossaryStore, Map<string, { revision: number; desk: GlossaryEntry[]; entries: GlossaryEntry[] }>>();

export async function articleGlossary(services: Pick<Services, 'glossary' | 'glossaries'>, articleId: string): Promise<GlossaryEntry[]> {
  let perArticle = cache.get(services.glossaries);
  if (!perArticle) cache.set(services.glossaries, (perArticle = new Map()));
  // refresh(): on PostgreSQL another instance may have changed the glossaries since this one looked.
  const revision = await services.glossaries.refresh();
  const known = perArticle.get(articleId);
  if (known && known.revision === revision && known.desk === services.glossary) return known.entries;
  const entries = await effectiveGlossary(services.glossary, services.glossaries, articleId);
  perArticle.set(articleId, { revision, desk: services.glossary, entries });
  return entries;
}
