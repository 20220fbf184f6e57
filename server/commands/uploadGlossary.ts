/**
 * Uploading and removing a glossary: the corpus one (every article) or an article's own. The entries
 * come already read from their file (interchange/glossaryFiles.ts); this stores them, replacing or
 * merging into the scope's, and says which articles each language pair of them applies to — a
 * glossary is never applied to another language pair, and never silently left unused: a pair that
 * fits no article is stored all the same, with a warning naming it.
 */
import { articleLanguages } from '../core/articleFacts.js';
import { entryLanguages, glossaryForLanguages, pairLabel, primaryLanguage, type GlossaryEntry } from '../core/glossary.js';
import type { Actor } from '../core/types.js';
import { articleScope, CORPUS_SCOPE, type GlossaryMode } from '../store/glossaryStore.js';
import { NotFoundError } from './errors.js';
import type { Services } from './services.js';

type GlossaryServices = Pick<Services, 'store' | 'glossaries' | 'now'>;

export interface LanguagePair {
  sourceLang: string;
  targetLang: string;
  entries: number;
}

export interface GlossaryUpload {
  /** The article whose own glossary this is; none: the corpus glossary. */
  articleId?: string | undefined;
  entries: GlossaryEntry[];
  /** Replace the scope's entries (default), or merge into them (same term: the new entry wins). */
  mode?: GlossaryMode | undefined;
  actor: Actor;
}

export interface GlossaryUploadResult {
  scope: { articleId: string } | 'corpus';
  /** The scope's entries as stored now. */
  stored: GlossaryEntry[];
  /** The uploaded entries' language pairs, each with how many articles it applies to. */
  languages: Array<LanguagePair & { articles: number }>;
  /** Language pairs that apply to no article. */
  warnings: string[];
}

/** The language pairs of some entries, with their counts, in order of first appearance. */
export function languagePairs(entries: readonly GlossaryEntry[]): LanguagePair[] {
  const pairs = new Map<string, LanguagePair>();
  for (const e of entries) {
    const l = entryLanguages(e);
    const key = `${primaryLanguage(l.sourceLang)}\u0001${primaryLanguage(l.targetLang)}`;
    const known = pairs.get(key);
    if (known) known.entries++;
    else pairs.set(key, { ...l, entries: 1 });
  }
  return [...pairs.values()];
}

async function scopeOf(services: GlossaryServices, articleId: string | undefined): Promise<string> {
  if (!articleId) return CORPUS_SCOPE;
  if (!(await services.store.readArticle(articleId))) throw new NotFoundError(`no article "${articleId}"`);
  return articleScope(articleId);
}

/**
 * Which articles each language pair of a glossary applies to (one article, or all of them for the
 * corpus glossary), and a warning naming the languages that apply to none.
 */
export async function glossaryCoverage(services: Pick<Services, 'store'>, entries: GlossaryEntry[], articleId?: string): Promise<Pick<GlossaryUploadResult, 'languages' | 'warnings'>> {
  const ids = articleId ? [articleId] : (await services.store.listArticles()).map((a) => a.id);
  const pairs = new Map<string, { sourceLang: string; targetLang: string; articles: number }>();
  for (const id of ids) {
    const a = await services.store.readArticle(id);
    if (!a) continue;
    const l = articleLanguages(a);
    const key = `${l.sourceLang}\u0001${l.targetLang}`;
    pairs.set(key, { ...l, articles: (pairs.get(key)?.articles ?? 0) + 1 });
  }
  const languages = languagePairs(entries).map((g) => {
    const probe: GlossaryEntry[] = [{ term: 'x', preferred: 'x', sourceLang: g.sourceLang, targetLang: g.targetLang }];
    const articles = [...pairs.values()].reduce((n, a) => n + (glossaryForLanguages(probe, a).length ? a.articles : 0), 0);
    return { ...g, articles };
  });
  const unused = languages.filter((l) => l.articles === 0);
  const seen = [...pairs.values()].map((a) => (a.sourceLang === 'und' ? `${a.targetLang} (no source language)` : `${a.sourceLang}→${a.targetLang}`));
  const where = articleId ? `article "${articleId}" is ${seen[0] ?? 'unknown'}` : seen.length ? `the articles are ${[...new Set(seen)].join(', ')}` : 'there are no articles yet';
  const warnings: string[] = [];
  if (unused.length) {
    const list = unused.map((l) => `${pairLabel(l)} (${l.entries} entr${l.entries === 1 ? 'y' : 'ies'})`).join(', ');
    const target = articleId ? 'this article' : 'any article';
    warnings.push(unused.length === languages.length
      ? `this glossary is ${list}: it does not apply to ${target} (${where}); it is stored and applies only to articles of its languages`
      : `the ${list} entries do not apply to ${target} (${where}); the other entries do`);
  }
  return { languages, warnings };
}

/** Stores an uploaded glossary for the corpus or one article (NotFoundError for an unknown article). */
export async function uploadGlossary(services: GlossaryServices, props: GlossaryUpload): Promise<GlossaryUploadResult> {
  const articleId = props.articleId || undefined;
  const scope = await scopeOf(services, articleId);
  const stored = await services.glossaries.put(scope, props.entries, { at: services.now().toISOString(), username: props.actor.username }, props.mode ?? 'replace');
  const coverage = await glossaryCoverage(services, props.entries, articleId);
  return { scope: articleId ? { articleId } : 'corpus', stored, ...coverage };
}

/** Removes the uploaded glossary of an article, or the corpus one (NotFoundError when there is none). */
export async function removeGlossary(services: Pick<Services, 'glossaries'>, props: { articleId?: string | undefined; actor: Actor }): Promise<{ deleted: { articleId: string } | 'corpus' }> {
  const articleId = props.articleId || undefined;
  const removed = await services.glossaries.remove(articleId ? articleScope(articleId) : CORPUS_SCOPE);
  if (!removed) throw new NotFoundError(articleId ? `article "${articleId}" has no uploaded glossary` : 'there is no uploaded corpus glossary');
  return { deleted: articleId ? { articleId } : 'corpus' };
}
