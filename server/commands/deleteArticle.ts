import { NotFoundError } from './errors.js';
import { articleScope } from '../store/glossaryStore.js';
import type { Services } from './services.js';

/** Removes an article with its history (admins only; paragraphs are deleted one by one otherwise). */
export async function deleteArticle(services: Services, articleId: string): Promise<void> {
  if (!(await services.store.deleteArticle(articleId))) throw new NotFoundError(`no article "${articleId}"`);
  await services.glossaries.remove(articleScope(articleId));
}
