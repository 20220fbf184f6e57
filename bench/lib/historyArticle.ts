/**
 * The accept/edit benchmark's article, on any store: `size` generated paragraphs and a history of
 * `revisions` revisions — imported, edited in batches through `store.updateArticle`, a suggestion on
 * every other paragraph, then 100 edits through the edit command so the undo stack is full. The same
 * steps, seed and text as bench/actions.ts, so the lowdb and PostgreSQL figures are on the same data.
 */
import type { Services } from '../../server/commands/services.js';
import type { Article } from '../../server/core/types.js';
import { attachSuggestions, commandEdits, fastEdits, importGenerated } from './data.js';
import { NewsText } from './text.js';

export interface HistoryArticle {
  id: string;
  article: Article;
  /** The generator after generating: the benchmark's clients continue with it. */
  gen: NewsText;
  suggested: number;
  viaCommands: number;
}

export async function generateHistoryArticle(services: Services, size: number, revisions: number, seed = 2000): Promise<HistoryArticle> {
  const gen = new NewsText(seed);
  const id = await importGenerated(services, gen, { title: `Generated wire copy, ${size} paragraphs`, paragraphs: size });
  const suggested = Math.ceil(size / 2);
  const viaCommands = 100;
  await fastEdits(services, gen, id, revisions - size - suggested - viaCommands);
  await attachSuggestions(services, gen, id, 2);
  // The last 100 through the edit command, on paragraphs without a suggestion: the undo stack is full, as in use.
  await commandEdits(services, gen, id, viaCommands, (i) => `p${2 * (i % Math.floor(size / 2)) + 2}`);
  const history = await services.store.history(id);
  if (history.length !== revisions) throw new Error(`the history has ${history.length} revisions, expected ${revisions}`);
  return { id, article: (await services.store.getArticle(id))!, gen, suggested, viaCommands };
}
