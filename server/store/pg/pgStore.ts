/**
 * The article store on PostgreSQL, for a desk that runs several app instances on one database.
 *
 *   articles            one row per article: its metadata as JSON in `meta` (the article without
 *                       paragraphs and undo stack), `brief` for the list, and `version`
 *   article_paragraphs  one row per paragraph, ordered by `position`
 *   article_undo        one row per undo entry, oldest first
 *   revisions           every revision, append-only, unique per (article, paragraph, n)
 *   suggestions         every suggestion, append-only
 *
 * Concurrency lives in the database: `updateArticle` locks the article's row (SELECT version … FOR
 * UPDATE), runs the change on a draft of the article (core/draft.ts), and writes, in the same
 * transaction, only what the change changed (articleJournal.ts's diffArticle: the paragraph and undo
 * rows it touched, positions when the order changed, the article row with a new version) with the
 * new revisions and suggestions. The commands check `baseRevision` inside the change, so of two
 * actions on the same revision, from one process or from two, the second sees the first's result and
 * gets the usual 409. Within one process, changes to one article also queue in memory first, so a
 * burst of them waits without holding a pool connection each.
 *
 * Each instance keeps the articles it works on in memory, frozen, with the version they were read at.
 * The copy is used only while the row's version (checked under the row lock by an update, by a cheap
 * SELECT in getArticle) is still that version; otherwise the rows written since that version are read
 * (every row carries the version that last wrote it) and the copy is brought up to date. Versions come
 * from one sequence, so a version is never seen twice, not even across a delete and a new import under
 * the same id. A change that throws leaves the copy as it was (it only ever changed a draft); a write
 * that fails drops it.
 */
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Article, ArticleSummary, Paragraph, Revision, Suggestion, UndoEntry } from '../../core/types.js';
import { draftOf, freezeArticle } from '../../core/draft.js';
import { diffArticle, type JournalLine } from '../articleJournal.js';
import { KeyedLock } from '../keyedLock.js';
import { cloneArticle, summarize } from '../lowdbStore.js';
import type { ArticleChange, Store } from '../types.js';
import { NotFoundError } from '../types.js';
import { transaction, uniqueViolation, type Queryable } from './database.js';

/** The same ids the lowdb store accepts, so data moves between the two unchanged. */
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** Articles an instance keeps in memory by default (least recently used ones go first). */
const CACHED_ARTICLES = 64;

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
}

export interface PgCounts {
  articles: number;
  revisions: number;
  suggestions: number;
}

/** An article as read at `version`: frozen, shared by every draft made of it. */
export interface CachedArticle {
  version: number;
  article: Article;
}

export class PgStore implements Store {
  readonly pool: Pool;
  /** Read by glossaryStoreFor: glossaries stay in this directory until they move into PostgreSQL. */
  readonly dir: string | undefined;
  #ownsPool: boolean;
  #lock = new KeyedLock();
  #pending = new Set<Promise<unknown>>();
  #closed = false;
  #cache = new Map<string, CachedArticle>();
  #cacheSize: number;

  constructor(pool: Pool, options: PgStoreOptions = {}) {
    this.pool = pool;
    this.dir = options.dir;
    this.#ownsPool = options.ownsPool ?? true;
    this.#cacheSize = options.cachedArticles ?? CACHED_ARTICLES;
  }

  async listArticles(): Promise<ArticleSummary[]> {
    const { rows } = await this.pool.query<{ id: string; brief: Brief }>('SELECT id, brief FROM articles ORDER BY seq');
    return rows.map(({ id, brief }) => summarize({ ...brief, id } as Article));
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    let cached = this.#cache.get(id);
    if (cached) {
      const { rows } = await this.pool.query<{ version: string }>('SELECT version FROM articles WHERE id = $1', [id]);
      if (!rows[0]) {
        this.#cache.delete(id);
        return undefined;
      }
      if (Number(rows[0].version) !== cached.version) cached = undefined;
      else this.#remember(id, cached);
    }
    cached ??= await this.#read(this.pool, id);
    // The cached article is frozen and shared: the caller gets a copy it may change.
    return cached ? cloneArticle(cached.article) : undefined;
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
    const work = async (c: PoolClient) => {
      const same = await c.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1 AND id <> $2', [article.contentHash, article.id]);
      if (same.rows[0]) throw new Error(`an article with the same text exists ("${same.rows[0].id}")`);
      let version: string;
      try {
        const { rows } = await c.query<{ version: string }>(
          `INSERT INTO articles (id, title, content_hash, created_at, updated_at, brief, meta) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)
           RETURNING version`,
          [article.id, article.title, article.contentHash, article.createdAt, article.updatedAt, JSON.stringify(briefOf(article)), JSON.stringify(metaOf(article))],
        );
        version = rows[0]!.version;
      } catch (e) {
        const constraint = uniqueViolation(e);
        if (constraint === 'articles_pkey') throw new Error(`an article with id "${article.id}" exists`);
        // Created meanwhile by another transaction (the check above did not see it yet).
        if (constraint === 'articles_content_hash_key') throw new Error('an article with the same text exists');
        throw e;
      }
      await upsertParagraphs(c, article.id, version, article.paragraphs.map((p, i) => [p, i]));
      await insertUndo(c, article.id, version, article.undo);
      await appendRevisions(c, article.id, revisions);
      await appendSuggestions(c, article.id, suggestions);
    };
    await this.#serial(article.id, () => (client ? work(client) : transaction(this.pool, work)));
  }

  async deleteArticle(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    return this.#serial(id, async () => {
      // Waits for an update holding the row; its paragraphs, undo entries, revisions and suggestions go with it.
      const r = await this.pool.query('DELETE FROM articles WHERE id = $1', [id]);
      this.#cache.delete(id);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T> {
    if (!ID_PATTERN.test(id)) throw new NotFoundError(`no article "${id}"`);
    return this.#serial(id, async () => {
      let changeFailed = false;
      try {
        const { result, next } = await lockedTransaction(this.pool, id, async (c, locked) => {
          if (locked === undefined) {
            this.#cache.delete(id);
            throw new NotFoundError(`no article "${id}"`);
          }
          const version = Number(locked);
          let current = this.#cache.get(id);
          // The row is locked: what is read now stays current until this transaction ends.
          if (current?.version !== version) current = await this.#read(c, id);
          if (!current) throw new NotFoundError(`no article "${id}"`);
          const original = current.article;
          // Shares the unchanged (frozen) paragraphs and undo entries: see core/draft.ts.
          const draft = draftOf(original);
          let changed: ArticleChange<T>;
          try {
            changed = await change(draft);
          } catch (e) {
            // Only the draft was changed: the cached article is still the stored one.
            changeFailed = true;
            throw e;
          }
          // The row's id and content hash stay what the article was created with (as in the lowdb catalog).
          draft.id = id;
          freeze(draft);
          const line = diffArticle(original, draft, version);
          const written = await writeChange(c, id, original, draft, line, changed.revisions, changed.suggestions ?? []);
          return { result: changed.result, next: { version: Number(written), article: draft } };
        });
        this.#remember(id, next);
        return result;
      } catch (e) {
        // Rolled back (or maybe not, when COMMIT itself failed): read the article afresh next time.
        if (!changeFailed) this.#cache.delete(id);
        throw e;
      }
    });
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
   * Reads the article, building on the cached copy when there is one (only rows written since its
   * version are read), and caches the result. Undefined when there is no such article.
   */
  async #read(db: Queryable, id: string): Promise<CachedArticle | undefined> {
    const base = this.#cache.get(id);
    const read = await readRows(db, id, base);
    if (!read) {
      this.#cache.delete(id);
      return undefined;
    }
    read.article = freeze(read.article);
    this.#remember(id, read);
    return read;
  }

  /** Caches `entry` unless a newer version of the article is cached already; evicts the least recently used. */
  #remember(id: string, entry: CachedArticle): void {
    if (this.#cacheSize <= 0) return;
    const had = this.#cache.get(id);
    if (had && had.version > entry.version) return;
    this.#cache.delete(id);
    this.#cache.set(id, entry);
    while (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
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
    this.#cache.clear();
    if (this.#ownsPool) await this.pool.end();
  }
}

/**
 * Runs `work` in a transaction that first locks the article's row (SELECT version … FOR UPDATE) and
 * hands it the version read (undefined: no such article). BEGIN and the lock take one round trip: a
 * simple query, the id (checked against ID_PATTERN: letters, digits, hyphens) written as a literal.
 * COMMIT when `work` returns, ROLLBACK when anything throws.
 */
async function lockedTransaction<T>(pool: Pool, id: string, work: (c: PoolClient, version: string | undefined) => Promise<T>): Promise<T> {
  if (!ID_PATTERN.test(id)) throw new NotFoundError(`no article "${id}"`);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(`BEGIN; SELECT version FROM articles WHERE id = '${id}' FOR UPDATE`)) as unknown as Array<QueryResult<{ version: string }>>;
    const out = await work(client, results[1]?.rows[0]?.version);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch((r: unknown) => {
      broken = r instanceof Error ? r : new Error(String(r));
    });
    throw e;
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
    client.release(broken);
  }
}

/** Freezes what the store keeps of an article (core/draft.ts), the article object and its usage tally too. */
function freeze(article: Article): Article {
  freezeArticle(article);
  if (article.usage) Object.freeze(article.usage);
  return Object.freeze(article);
}

/** The article row's JSON: everything but the paragraphs and the undo stack, which have rows of their own. */
function metaOf(article: Article): Omit<Article, 'paragraphs' | 'undo'> {
  const { paragraphs: _paragraphs, undo: _undo, ...meta } = article;
  return meta;
}

interface ArticleRows {
  version: string;
  meta: Omit<Article, 'paragraphs' | 'undo'>;
  /** [id, data] in order; data is null for a row not written since the version asked about. */
  paragraphs: Array<[string, Paragraph | null]> | null;
  undo: Array<[string, UndoEntry | null]> | null;
}

/**
 * The article's rows, in one statement (so from one snapshot): the article row, and the ids of its
 * paragraphs and undo entries in order, with the data of those written after version `since` (all of
 * them for -1).
 */
const READ_ARTICLE = `SELECT a.version, a.meta,
  (SELECT json_agg(json_build_array(p.id, CASE WHEN p.version > $2 THEN p.data END) ORDER BY p.position)
     FROM article_paragraphs p WHERE p.article_id = a.id) AS paragraphs,
  (SELECT json_agg(json_build_array(u.op, CASE WHEN u.version > $2 THEN u.data END) ORDER BY u.seq)
     FROM article_undo u WHERE u.article_id = a.id) AS undo
  FROM articles a WHERE a.id = $1`;

/**
 * Reads an article from its rows: in full, or, given a copy read earlier, only the rows written since
 * (the rest is taken from the copy). The result is not frozen, and shares unchanged objects with `base`.
 */
async function readRows(db: Queryable, id: string, base?: CachedArticle): Promise<CachedArticle | undefined> {
  if (base) {
    const { rows } = await db.query<ArticleRows>(READ_ARTICLE, [id, base.version]);
    if (!rows[0]) return undefined;
    const article = assemble(rows[0], base.article);
    if (article) return { version: Number(rows[0].version), article };
    // The copy lacks a row the database did not send again (cannot happen with versions from one sequence): read it all.
  }
  const { rows } = await db.query<ArticleRows>(READ_ARTICLE, [id, -1]);
  if (!rows[0]) return undefined;
  return { version: Number(rows[0].version), article: assemble(rows[0])! };
}

/** The article an ArticleRows gives, or undefined if it names a row that neither it nor `base` holds. */
function assemble(row: ArticleRows, base?: Article): Article | undefined {
  const known = base ? new Map(base.paragraphs.map((p) => [p.id, p])) : undefined;
  const paragraphs: Paragraph[] = [];
  for (const [pid, data] of row.paragraphs ?? []) {
    const p = data ?? known?.get(pid);
    if (!p) return undefined;
    paragraphs.push(p);
  }
  const entries = base ? new Map(base.undo.map((e) => [e.op, e])) : undefined;
  // Entries are found by op: a copy whose ops repeat cannot say which is which.
  if (entries && entries.size !== base!.undo.length && row.undo?.some(([, data]) => data === null)) return undefined;
  const undo: UndoEntry[] = [];
  for (const [op, data] of row.undo ?? []) {
    const e = data ?? entries?.get(op);
    if (!e) return undefined;
    undo.push(e);
  }
  return { ...row.meta, paragraphs, undo } as Article;
}

/** Reads an article afresh from its rows (for `npm run migrate`): a plain object, not shared. */
export async function readArticle(db: Queryable, id: string): Promise<Article | undefined> {
  return (await readRows(db, id))?.article;
}

/**
 * Writes what `line` (diffArticle(original, draft)) says changed, under the article row's lock, in
 * one statement (one round trip): the article row with a new version, the changed paragraph and
 * undo rows (stamped with it), the paragraphs' positions when their order changed, and the action's
 * revisions and suggestions, appended in the order given. Returns the new version.
 *
 * The parts are data-modifying CTEs: they see one snapshot and never touch the same row twice (the
 * rows a part deletes, updates or inserts are disjoint from the others'), so their order does not
 * matter; a failing part (a duplicate revision) fails the whole statement.
 */
async function writeChange(
  c: PoolClient, id: string, original: Article, draft: Article, line: JournalLine, revisions: Revision[], suggestions: Suggestion[],
): Promise<string> {
  const params: unknown[] = [id];
  const $ = (value: unknown) => `$${params.push(value)}`;
  const parts = [
    `a AS (UPDATE articles SET version = nextval('article_versions'), title = ${$(draft.title)}, updated_at = ${$(draft.updatedAt)},
       brief = ${$(JSON.stringify(briefOf(draft)))}::json, meta = ${$(JSON.stringify(metaOf(draft)))}::json
     WHERE id = $1 RETURNING version)`,
  ];
  const changed = line.p ?? [];
  if (line.order) {
    const order = $(line.order);
    parts.push(`gone AS (DELETE FROM article_paragraphs WHERE article_id = $1 AND id <> ALL(${order}::text[]))`);
    // Positions of the paragraphs the action did not change (the changed ones are written whole below).
    parts.push(`moved AS (UPDATE article_paragraphs p SET position = o.i - 1 FROM unnest(${order}::text[]) WITH ORDINALITY AS o(id, i)
      WHERE p.article_id = $1 AND p.id = o.id AND p.position <> o.i - 1 AND p.id <> ALL(${$(changed.map((x) => x.id))}::text[]))`);
  }
  if (changed.length) {
    const at = new Map(draft.paragraphs.map((x, i) => [x.id, i]));
    parts.push(`par AS (INSERT INTO article_paragraphs (article_id, id, position, version, data)
      SELECT $1, x.id, x.position, a.version, x.data::json FROM a, unnest(${$(changed.map((x) => x.id))}::text[], ${$(changed.map((x) => at.get(x.id)!))}::int[],
        ${$(changed.map((x) => JSON.stringify(x)))}::text[]) AS x(id, position, data)
      ON CONFLICT (article_id, id) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, data = EXCLUDED.data)`);
  }
  let added: UndoEntry[] = [];
  if (line.undoAll) {
    // The old rows go; the new ones (not visible to this DELETE: same snapshot) take their place.
    parts.push('undo_all AS (DELETE FROM article_undo WHERE article_id = $1)');
    added = line.undoAll;
  } else if (line.undo) {
    const { drop, put } = line.undo;
    if (drop.length) parts.push(`undo_drop AS (DELETE FROM article_undo WHERE article_id = $1 AND op = ANY(${$(drop)}::text[]))`);
    const had = new Set(original.undo.map((e) => e.op));
    const replaced = put.filter((e) => had.has(e.op));
    if (replaced.length) {
      parts.push(`undo_put AS (UPDATE article_undo u SET version = a.version, data = x.data::json
        FROM a, unnest(${$(replaced.map((e) => e.op))}::text[], ${$(replaced.map((e) => JSON.stringify(e)))}::text[]) AS x(op, data)
        WHERE u.article_id = $1 AND u.op = x.op)`);
    }
    added = put.filter((e) => !had.has(e.op));
  }
  if (added.length) {
    parts.push(`undo_add AS (INSERT INTO article_undo (article_id, op, version, data)
      SELECT $1, u.op, a.version, u.data::json FROM a, unnest(${$(added.map((e) => e.op))}::text[], ${$(added.map((e) => JSON.stringify(e)))}::text[])
        WITH ORDINALITY AS u(op, data, i) ORDER BY u.i)`);
  }
  // Keys are passed as columns of their own: PostgreSQL cannot take apart JSON holding \u0000.
  if (revisions.length) {
    parts.push(`rev AS (INSERT INTO revisions (article_id, paragraph_id, n, data)
      SELECT $1, r.paragraph_id, r.n, r.data::json FROM unnest(${$(revisions.map((r) => r.paragraphId))}::text[], ${$(revisions.map((r) => r.n))}::int[],
        ${$(revisions.map((r) => JSON.stringify(r)))}::text[]) WITH ORDINALITY AS r(paragraph_id, n, data, i) ORDER BY r.i)`);
  }
  if (suggestions.length) {
    parts.push(`sug AS (INSERT INTO suggestions (article_id, id, paragraph_id, data)
      SELECT $1, s.id, s.paragraph_id, s.data::json FROM unnest(${$(suggestions.map((x) => x.id))}::text[], ${$(suggestions.map((x) => x.paragraphId))}::text[],
        ${$(suggestions.map((x) => JSON.stringify(x)))}::text[]) WITH ORDINALITY AS s(id, paragraph_id, data, i) ORDER BY s.i)`);
  }
  const { rows } = await c.query<{ version: string }>(`WITH ${parts.join(',\n')}\nSELECT version FROM a`, params);
  return rows[0]!.version;
}

async function upsertParagraphs(c: PoolClient, articleId: string, version: string, paragraphs: Array<[Paragraph, number]>): Promise<void> {
  if (paragraphs.length === 0) return;
  await c.query(
    `INSERT INTO article_paragraphs (article_id, id, position, version, data)
     SELECT $1, x.id, x.position, $2, x.data::json FROM unnest($3::text[], $4::int[], $5::text[]) AS x(id, position, data)
     ON CONFLICT (article_id, id) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, data = EXCLUDED.data`,
    [articleId, version, paragraphs.map(([p]) => p.id), paragraphs.map(([, i]) => i), paragraphs.map(([p]) => JSON.stringify(p))],
  );
}

/** Appends undo entries after the article's others, in the order given. */
async function insertUndo(c: PoolClient, articleId: string, version: string, entries: UndoEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await c.query(
    `INSERT INTO article_undo (article_id, op, version, data)
     SELECT $1, u.op, $2, u.data::json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(op, data, i) ORDER BY u.i`,
    [articleId, version, entries.map((e) => e.op), entries.map((e) => JSON.stringify(e))],
  );
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
