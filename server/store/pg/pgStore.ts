/**
 * The article store on PostgreSQL, for a desk that runs several app instances on one database.
 *
 *   articles      one row per article; the article document as JSON in `data`
 *   revisions     every revision, append-only, unique per (article, paragraph, n)
 *   suggestions   every suggestion, append-only
 *
 * Concurrency lives in the database: `updateArticle` locks the article's row (SELECT … FOR UPDATE),
 * runs the change on the locked copy, and writes the article with its new revisions and suggestions
 * in the same transaction. The commands check `baseRevision` inside the change, so of two actions on
 * the same revision, from one process or from two, the second sees the first's result and gets the
 * usual 409. Within one process, changes to one article also queue in memory first, so a burst of
 * them waits without holding a pool connection each.
 */
import type { Pool, PoolClient } from 'pg';
import type { Article, ArticleSummary, Paragraph, Revision, Suggestion } from '../../core/types.js';
import { KeyedLock } from '../keyedLock.js';
import { summarize } from '../lowdbStore.js';
import type { ArticleChange, Store } from '../types.js';
import { NotFoundError } from '../types.js';
import { transaction, uniqueViolation } from './database.js';

/** The same ids the lowdb store accepts, so data moves between the two unchanged. */
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

export interface PgStoreOptions {
  /**
   * A directory for what is not in PostgreSQL yet (uploaded glossaries, see glossaryStoreFor):
   * the instance's DATA_DIR.
   */
  dir?: string;
  /** Close the pool with the store (default true). */
  ownsPool?: boolean;
}

export interface PgCounts {
  articles: number;
  revisions: number;
  suggestions: number;
}

export class PgStore implements Store {
  readonly pool: Pool;
  /** Read by glossaryStoreFor: glossaries stay in this directory until they move into PostgreSQL. */
  readonly dir: string | undefined;
  #ownsPool: boolean;
  #lock = new KeyedLock();
  #pending = new Set<Promise<unknown>>();
  #closed = false;

  constructor(pool: Pool, options: PgStoreOptions = {}) {
    this.pool = pool;
    this.dir = options.dir;
    this.#ownsPool = options.ownsPool ?? true;
  }

  async listArticles(): Promise<ArticleSummary[]> {
    const { rows } = await this.pool.query<{ id: string; brief: Brief }>('SELECT id, brief FROM articles ORDER BY seq');
    return rows.map(({ id, brief }) => summarize({ ...brief, id } as Article));
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    // Parsed afresh from the row on every call: a copy by construction.
    const { rows } = await this.pool.query<{ data: Article }>('SELECT data FROM articles WHERE id = $1', [id]);
    return rows[0]?.data;
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
    const work = async (c: PoolClient) => {
      const same = await c.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1 AND id <> $2', [article.contentHash, article.id]);
      if (same.rows[0]) throw new Error(`an article with the same text exists ("${same.rows[0].id}")`);
      try {
        await c.query(
          'INSERT INTO articles (id, title, content_hash, created_at, updated_at, brief, data) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)',
          [article.id, article.title, article.contentHash, article.createdAt, article.updatedAt, JSON.stringify(briefOf(article)), JSON.stringify(article)],
        );
      } catch (e) {
        const constraint = uniqueViolation(e);
        if (constraint === 'articles_pkey') throw new Error(`an article with id "${article.id}" exists`);
        // Created meanwhile by another transaction (the check above did not see it yet).
        if (constraint === 'articles_content_hash_key') throw new Error('an article with the same text exists');
        throw e;
      }
      await appendRevisions(c, article.id, revisions);
      await appendSuggestions(c, article.id, suggestions);
    };
    await this.#serial(article.id, () => (client ? work(client) : transaction(this.pool, work)));
  }

  async deleteArticle(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    return this.#serial(id, async () => {
      // Waits for an update holding the row; its revisions and suggestions go with the article.
      const r = await this.pool.query('DELETE FROM articles WHERE id = $1', [id]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T> {
    if (!ID_PATTERN.test(id)) throw new NotFoundError(`no article "${id}"`);
    return this.#serial(id, () =>
      transaction(this.pool, async (c) => {
        const { rows } = await c.query<{ data: Article }>('SELECT data FROM articles WHERE id = $1 FOR UPDATE', [id]);
        const draft = rows[0]?.data;
        if (!draft) throw new NotFoundError(`no article "${id}"`);
        const { result, revisions, suggestions } = await change(draft);
        // The row's id and content hash stay what the article was created with (as in the lowdb catalog).
        draft.id = id;
        await c.query(
          'UPDATE articles SET title = $2, updated_at = $3, brief = $4::json, data = $5::json WHERE id = $1',
          [id, draft.title, draft.updatedAt, JSON.stringify(briefOf(draft)), JSON.stringify(draft)],
        );
        await appendRevisions(c, id, revisions);
        await appendSuggestions(c, id, suggestions ?? []);
        return result;
      }),
    );
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

  /** Runs `task` after earlier tasks on the same article in this process; close() waits for it. */
  #serial<T>(articleId: string, task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    const p = this.#lock.run(`article:${articleId}`, task);
    const settled = p.then(() => undefined, () => undefined);
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
    return p;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let queued changes finish before the pool goes.
    await Promise.all(this.#pending);
    if (this.#ownsPool) await this.pool.end();
  }
}

/** What summarize() reads, kept beside the article so the list does not load every article whole. */
type Brief = Pick<Article, 'title' | 'createdAt' | 'updatedAt' | 'hasSource'> & { paragraphs: Array<Pick<Paragraph, 'status' | 'review'>> };

function briefOf(a: Article): Brief {
  return {
    title: a.title,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    hasSource: a.hasSource,
    paragraphs: a.paragraphs.map((p) => (p.review === undefined ? { status: p.status } : { status: p.status, review: p.review })),
  };
}

// Rows are appended with one statement per action, in the order given. Keys are passed as columns
// of their own: PostgreSQL cannot take apart JSON holding \u0000. A duplicate revision
// (article, paragraph, n) fails the statement and with it the whole transaction.
async function appendRevisions(c: PoolClient, articleId: string, revisions: Revision[]): Promise<void> {
  if (revisions.length === 0) return;
  await c.query(
    `INSERT INTO revisions (article_id, paragraph_id, n, data)
     SELECT $1, r.paragraph_id, r.n, r.data::json
     FROM unnest($2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS r(paragraph_id, n, data, i) ORDER BY r.i`,
    [articleId, revisions.map((r) => r.paragraphId), revisions.map((r) => r.n), revisions.map((r) => JSON.stringify(r))],
  );
}

async function appendSuggestions(c: PoolClient, articleId: string, suggestions: Suggestion[]): Promise<void> {
  if (suggestions.length === 0) return;
  await c.query(
    `INSERT INTO suggestions (article_id, id, paragraph_id, data)
     SELECT $1, s.id, s.paragraph_id, s.data::json
     FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS s(id, paragraph_id, data, i) ORDER BY s.i`,
    [articleId, suggestions.map((s) => s.id), suggestions.map((s) => s.paragraphId), suggestions.map((s) => JSON.stringify(s))],
  );
}
