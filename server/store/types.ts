/**
 * The storage interface. Everything outside `server/store/` reads and writes through it, so another
 * backend (PostgreSQL) can be added without touching commands or routes.
 */
import type { Article, ArticleSummary, Revision, Suggestion } from '../core/types.js';
import type { StoreHealth } from './faults.js';
import type { ChangeFeed } from './changeFeed.js';

/** What a change made under an article's lock asks the store to persist besides the article itself. */
export interface ArticleChange<T> {
  result: T;
  revisions: Revision[];
  suggestions?: Suggestion[];
}

export interface Store {
  listArticles(): Promise<ArticleSummary[]>;
  /** A copy of the article: changing it changes nothing stored. */
  getArticle(id: string): Promise<Article | undefined>;
  /**
   * The article for reading only, without the copy: both stores hand out the (frozen) object they
   * keep in memory, up to date with what is stored. Never change what it returns.
   */
  readArticle(id: string): Promise<Article | undefined>;
  /**
   * The article as this process last saw it, without asking the database whether it is still current
   * (it may be stale on PostgreSQL, where another instance may have written since), or undefined when
   * none is at hand. For hints only (what to prepare before `updateArticle`, where to start), never for a
   * decision: what is decided on it is decided again on the stored article.
   */
  peekArticle?(id: string): Article | undefined;
  findArticleByHash(contentHash: string): Promise<string | undefined>;
  /** Stores a new article with its first revisions. Fails if the id is taken. */
  createArticle(article: Article, revisions: Revision[]): Promise<void>;
  deleteArticle(id: string): Promise<boolean>;
  /**
   * Runs `change` on a copy of the article while holding the article's write lock, then persists the
   * copy and what `change` returned, atomically from a reader's point of view. If `change` throws,
   * nothing is stored. Changes to one article run one at a time. `change` may be run more than once
   * (on PostgreSQL, again on the newer article when another instance wrote it meanwhile), only the
   * last run counting: it must change nothing but the article it is given.
   */
  updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T>;
  /** Revisions of an article (or of one paragraph), oldest first. */
  history(articleId: string, paragraphId?: string): Promise<Revision[]>;
  /** Every suggestion ever stored for an article, oldest first. */
  suggestions(articleId: string): Promise<Suggestion[]>;
  /**
   * Whether the store can read and write right now (a small real write on lowdb, a query on
   * PostgreSQL); when not, why, in words without paths (`GET /healthz`).
   */
  health(): Promise<StoreHealth>;
  /** Committed actions, one event per action in commit order: the live desk's feed. */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

export class NotFoundError extends Error {
  readonly status = 404;
}
