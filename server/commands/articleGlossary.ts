/**
 * The glossary an article's suggestions and checks use: desk file, uploaded corpus entries, the
 * article's own — only the entries of the article's language pair (core/glossary.ts
 * `glossaryForLanguages`: monolingual ones in its target language, bilingual ones from its source
 * language; an article without a source language gets monolingual ones only).
 */
import { articleLanguages } from '../core/articleFacts.js';
import { glossaryForLanguages, type GlossaryEntry } from '../core/glossary.js';
import type { Article } from '../core/types.js';
import { effectiveGlossary, type GlossaryStore } from '../store/glossaryStore.js';
import type { Services } from './services.js';

// The same array comes back until a glossary changes, so checks can be memoised by its identity.
const cache = new WeakMap<GlossaryStore, Map<string, { revision: number; desk: GlossaryEntry[]; entries: GlossaryEntry[] }>>();
const byLanguages = new WeakMap<GlossaryEntry[], Map<string, GlossaryEntry[]>>();

type LanguageSource = Pick<Article, 'paragraphs' | 'hasSource' | 'origin' | 'sourceLang' | 'targetLang'>;

/** Every entry that could apply to the article, whatever its languages (desk, corpus, the article's own). */
export async function uploadedGlossary(services: Pick<Services, 'glossary' | 'glossaries'>, articleId: string): Promise<GlossaryEntry[]> {
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

/** The entries of `entries` for the article's language pair; the same array for the same input. */
export function glossaryForArticle(entries: GlossaryEntry[], article: LanguageSource | undefined): GlossaryEntry[] {
  const langs = article ? articleLanguages(article) : { sourceLang: undefined, targetLang: undefined };
  const key = `${langs.sourceLang ?? ''}\u0001${langs.targetLang ?? ''}`;
  let memo = byLanguages.get(entries);
  if (!memo) byLanguages.set(entries, (memo = new Map()));
  let out = memo.get(key);
  if (!out) memo.set(key, (out = glossaryForLanguages(entries, langs)));
  return out;
}

/** The article's glossary (its language pair only); `article` saves reading it when the caller has it. */
export async function articleGlossary(services: Pick<Services, 'glossary' | 'glossaries' | 'store'>, articleId: string, article?: LanguageSource): Promise<GlossaryEntry[]> {
  const entries = await uploadedGlossary(services, articleId);
  return glossaryForArticle(entries, article ?? (await services.store.readArticle(articleId)));
}
