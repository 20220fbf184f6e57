/**
 * The article store on PostgreSQL, for a desk that runs several app instances on one database.
 *
 *   articles            one row per article: its metadata as JSON in `meta` (the article without
 *                       paragraphs, undo stack and original file), `brief` for the list (paragraph
 *                       counts by status and review, migration 007), `version`, and the file it was
 *                       imported from in `original` (written once, migration 006)
 *   article_paragraphs  one row per paragraph, ordered by `position`
 *   article_undo        one row per undo entry, oldest first
 *   revisions           every revision, append-only, unique per (article, paragraph, n)
 *   suggestions         every suggestion, append-only
 *
 * The files of this folder, by idea: articleRows.ts maps rows to articles and back (and builds an
 * article from the rows written since a cached copy); articleQueries.ts reads and inserts whole
 * articles; articleWrite.ts is the statement writing a change; articleUpdate.ts applies changes
 * (on the cached copy, or under the article row's lock); articleCache.ts holds the copies an instance
 * keeps; sqlLiterals.ts quotes values into SQL text.
 *
 * Concurrency lives in the database: an update runs the change on a draft of the article and writes
 * only the rows the change touched, with its revisions and suggestions, in one statement that applies
 * only while the article row is at the version the draft was made from — on this instance's cached
 * copy when it wrote the article last, else under the row's lock (articleUpdate.ts). Within one
 * process, changes to one article queue in memory first, and the changes that queued while one was
 * written are applied together in the next write: a burst of actions waits without holding a pool
 * connection each, and costs one write.
 *
 * Each instance keeps the articles it works on in memory (articleCache.ts), valid while the row's
 * version is unchanged; after another instance's write only the rows written since are read.
 * Versions come from one sequence, so a version is never seen twice, not even across a delete and a
 * new import under the same id. A change that throws leaves the copy as it was (it only ever changed
 * a draft); a write that fails drops it.
 */
import type { Pool, PoolClient } from 'pg';
import type { Article, ArticleSummary, Revision, Suggestion } from '../../core/types.js';
import { KeyedLock } from '../keyedLock.js';
import { cloneArticle } from '../lowdbStore.js';
import type { ArticleChange, Store } from '../types.js';
import { NotFoundError } from '../types.js';
import { checkWithin, type StoreHealth } from '../faults.js';
import { transaction } from './database.js';
import { ArticleCache, type PgReadStats } from './articleCache.js';
import { ID_PATTERN, insertArticle } from './articleQueries.js';
import { summaryOf, type Brief, type CachedArticle } from './articleRows.js';
import { applyChanges, type Change } from './articleUpdate.js';
import { PgChangeFeed } from './pgChangeFeed.js';
import { PgListener } from './pgListener.js';
import type { PgSignals } from './pgSignals.js';

export { readArticle } from './articleQueries.js';
export type { CachedArticle } from './articleRows.js';
export type { PgReadStats } from './articleCache.js';

/** Articles an instance keeps in memory by default (least recently used ones go first). */
const CACHED_ARTICLES = 64;

/** Most queued changes applied in one transaction. */
const MAX_BATCH = 50;

export interface PgStoreOptions {
  /**
   * A directory for what is not in PostgreSQL yet (uploaded glossaries, see glossaryStoreFor):
   * the instance's DATA_DIR.
   */
  dir?: string;
  /** Close the pool with the store (default true). */
  ownsPool?: boolean;
  /** How many articles to keep in memory (default 64; 0 keeps none). */
  cachedArticles?: number;
  /** The instance's invalidation signals (pgSignals.ts, shared with its user and glossary stores), on `listener`. */
  signals?: PgSignals;
  /**
   * The instance's one listening connection (pgListener.ts), not started yet: the change feed adds its
   * channels to it. Closed with the store. Default: one of the store's own, started by the first subscriber.
   */
  listener?: PgListener;
}

export interface PgCounts {
  articles: number;
  revisions: number;
  suggestions: number;
}

/** A change waiting for its article's turn. */
interface Queued {
  change: Change;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export class PgStore implements Store {
  readonly pool: Pool;
  /** Read by glossaryStoreFor: glossaries stay in this directory until they move into PostgreSQL. */
  readonly dir: string | undefined;
  #ownsPool: boolean;
  #lock = new KeyedLock();
  #pending = new Set<Promise<unknown>>();
  #closed = false;
  #cache: ArticleCache;
  /** Per article, the changes waiting for the next transaction on it (see updateArticle). */
  #waiting = new Map<string, Queued[]>();
  #signals: PgSignals | undefined;
  #listener: PgListener;
  /** Committed actions of every instance, through LISTEN/NOTIFY (the live desk). */
  readonly changes: PgChangeFeed;

  constructor(pool: Pool, options: PgStoreOptions = {}) {
    this.pool = pool;
    this.dir = options.dir;
    this.#ownsPool = options.ownsPool ?? true;
    this.#cache = new ArticleCache(options.cachedArticles ?? CACHED_ARTICLES);
    this.#listener = options.listener ?? new PgListener(pool);
    this.changes = new PgChangeFeed(pool, this.#listener);
    this.#signals = options.signals;
  }

  /** The invalidation signals the store was opened with (pgSignals.ts), if any. */
  get signals(): PgSignals | undefined {
    return this.#signals;
  }

  /** What this instance read to bring articles up to date; tests reset it. */
  get readStats(): PgReadStats {
    return this.#cache.stats;
  }

  set readStats(stats: PgReadStats) {
    this.#cache.stats = stats;
  }

  async listArticles(): Promise<ArticleSummary[]> {
    const { rows } = await this.pool.query<{ id: string; brief: Brief }>('SELECT id, brief FROM articles ORDER BY seq');
    return rows.map(({ id, brief }) => summaryOf(id, brief));
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    // One statement: the row's version, and what was written since the cached copy (nothing when it is current).
    const cached = await this.#cache.read(this.pool, id);
    // The cached article is frozen and shared: the caller gets a copy it may change.
    return cached ? cloneArticle(cached.article) : undefined;
  }

  /** Store.readArticle: the cached (frozen) article, brought up to date in the same one statement, without the copy. */
  async readArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return (await this.#cache.read(this.pool, id))?.article;
  }

  /** Store.peekArticle: the cached (frozen) copy, not checked against the article row (no round trip). */
  peekArticle(id: string): Article | undefined {
    return this.#cache.get(id)?.article;
  }

  /** The copy of the article this instance holds, if any (frozen; for tests and diagnostics). */
  cached(id: string): CachedArticle | undefined {
    return this.#cache.get(id);
  }

  async findArticleByHash(contentHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1', [contentHash]);
    return rows[0]?.id;
  }

  async createArticle(article: Article, revisions: Revision[]): Promise<void> {
    await this.restoreArticle(article, revisions, []);
  }

  /**
   * Stores an article with its whole history and suggestions, as `npm run migrate` copies it.
   * Fails, storing nothing, if the id or the content hash is taken.
   */
  async restoreArticle(article: Article, revisions: Revision[], suggestions: Suggestion[], client?: PoolClient): Promise<void> {
    if (!ID_PATTERN.test(article.id)) throw new Error(`"${article.id}" is not a valid article id`);
    const work = (c: PoolClient) => insertArticle(c, article, revisions, suggestions);
    this.#endQueue(article.id);
    await this.#serial(article.id, () => (client ? work(client) : transaction(this.pool, work)));
  }

  async deleteArticle(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    this.#endQueue(id);
    return this.#serial(id, async () => {
      // Waits for an update holding the row; its paragraphs, undo entries, revisions and suggestions go with it.
      const r = await this.pool.query('DELETE FROM articles WHERE id = $1', [id]);
      this.#cache.delete(id);
      return (r.rowCount ?? 0) > 0;
    });
  }

  /**
   * Queues `change` for the article's next transaction (articleUpdate.ts). Changes that queue while
   * one runs on the article are applied together, in the order they came, each on the article as the
   * ones before it left it: the same results as one after the other, with one write.
   */
  async updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T> {
    if (!ID_PATTERN.test(id)) throw new NotFoundError(`no article "${id}"`);
    if (this.#closed) throw new Error('the store is closed');
    return new Promise<T>((resolve, reject) => {
      const queued: Queued = { change: change as Change, resolve: resolve as (result: unknown) => void, reject };
      const queue = this.#waiting.get(id);
      if (queue) {
        queue.push(queued);
        return;
      }
      const mine = [queued];
      this.#waiting.set(id, mine);
      this.#serial(id, () => {
        // From here on, changes queue for the next transaction.
        if (this.#waiting.get(id) === mine) this.#waiting.delete(id);
        return this.#applyQueued(id, mine);
      }).catch((e: unknown) => {
        for (const q of mine) q.reject(e);
      });
    });
  }

  /** Changes asked for from now on wait for what is asked next (a delete, a restore), not join those queued before it. */
  #endQueue(id: string): void {
    this.#waiting.delete(id);
  }

  async #applyQueued(id: string, queue: Queued[]): Promise<void> {
    for (let i = 0; i < queue.length; i += MAX_BATCH) await this.#applyBatch(id, queue.slice(i, i + MAX_BATCH));
  }

  /** Applies `batch` with one write; if the write fails, each change alone, so that it fails only its own. */
  async #applyBatch(id: string, batch: Queued[]): Promise<void> {
    try {
      const outcomes = await applyChanges(this.pool, this.#cache, id, batch.map((q) => q.change));
      outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.result) : batch[i]!.reject(o.error)));
    } catch (e) {
      if (batch.length === 1 || e instanceof NotFoundError) for (const q of batch) q.reject(e);
      else for (const q of batch) await this.#applyBatch(id, [q]);
    }
  }

  async history(articleId: string, paragraphId?: string): Promise<Revision[]> {
    const { rows } = paragraphId === undefined
      ? await this.pool.query<{ data: Revision }>('SELECT data FROM revisions WHERE article_id = $1 ORDER BY seq', [articleId])
      : await this.pool.query<{ data: Revision }>('SELECT data FROM revisions WHERE article_id = $1 AND paragraph_id = $2 ORDER BY seq', [articleId, paragraphId]);
    if (rows.length === 0) await this.#mustExist(articleId);
    return rows.map((r) => r.data);
  }

  async suggestions(articleId: string): Promise<Suggestion[]> {
    const { rows } = await this.pool.query<{ data: Suggestion }>('SELECT data FROM suggestions WHERE article_id = $1 ORDER BY seq', [articleId]);
    if (rows.length === 0) await this.#mustExist(articleId);
    return rows.map((r) => r.data);
  }

  /** Row counts, for `npm run migrate` to verify a copy. */
  async counts(): Promise<PgCounts> {
    const { rows } = await this.pool.query<PgCounts>(`SELECT
      (SELECT count(*) FROM articles)::int AS articles,
      (SELECT count(*) FROM revisions)::int AS revisions,
      (SELECT count(*) FROM suggestions)::int AS suggestions`);
    return rows[0]!;
  }

  async #mustExist(articleId: string): Promise<void> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM articles WHERE id = $1', [articleId]);
    if (!rowCount) throw new NotFoundError(`no article "${articleId}"`);
  }

  /**
   * Runs `task` after earlier tasks on the same article in this process; close() waits for it.
   */
  #serial<T>(articleId: string, task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    const p = this.#lock.run(`article:${articleId}`, task);
    const settled = p.then(() => undefined, () => undefined);
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
    return p;
  }

  /** A query on a pool connection: the database answers, and accepts writes (not a read-only standby). */
  async health(): Promise<StoreHealth> {
    if (this.#closed) return { ok: false, reason: 'the store is closed' };
    return checkWithin(5000, async () => {
      const { rows } = await this.pool.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
      return rows[0]?.ro === 'on' ? { ok: false, reason: 'the database is read-only' } : { ok: true };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let queued changes finish before the pool goes.
    await Promise.all(this.#pending);
    await this.changes.close();
    await this.#listener.close();
    this.#cache.clear();
    if (this.#ownsPool) await this.pool.end();
  }
}
