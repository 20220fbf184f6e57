/**
 * The article store on PostgreSQL, for a desk that runs several app instances on one database.
 *
 *   articles            one row per article: its metadata as JSON in `meta` (the article without
 *                       paragraphs, undo stack and original file), `brief` for the list, `version`,
 *                       and the file it was imported from in `original` (written once, migration 006)
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
 * The copy is used only while the row's version is still that version; otherwise the rows written
 * since that version are read (every row carries the version that last wrote it, migration 004) and
 * the copy is brought up to date. Only those rows are read: the paragraph ids in order only when a
 * write since changed the set or order of the paragraphs (`order_version`), the undo stack's row list
 * only when a write since changed it other than by dropping its oldest entries, replacing entries in
 * place or pushing new ones (`undo_version`, `undo_count`; migration 005). Versions come from one
 * sequence, so a version is never seen twice, not even across a delete and a new import under the
 * same id. A change that throws leaves the copy as it was (it only ever changed a draft); a write
 * that fails drops it.
 *
 * An update takes two round trips to PostgreSQL: BEGIN, the row lock and the read of what changed
 * since the cached copy (three statements of one simple query; the read is a statement of its own, so
 * it sees what the transaction it may have waited for wrote); then the write statement and COMMIT
 * (again one simple query, values written as literals: the extended protocol takes one statement per
 * query). A failing write skips the COMMIT, and the transaction is rolled back.
 */
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Article, ArticleSummary, Paragraph, Revision, Suggestion, UndoEntry } from '../../core/types.js';
import { draftOf, freezeArticle } from '../../core/draft.js';
import { diffArticle, type JournalLine } from '../articleJournal.js';
import { KeyedLock } from '../keyedLock.js';
import { cloneArticle, summarize } from '../lowdbStore.js';
import type { ArticleChange, Store } from '../types.js';
import { NotFoundError } from '../types.js';
import { checkWithin, type StoreHealth } from '../faults.js';
import { transaction, uniqueViolation, type Queryable } from './database.js';
import { CHANGES_CHANNEL, PgChangeFeed } from './pgChangeFeed.js';

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
  /** The `seq` of each undo entry's row, in the order of `article.undo` (frozen). */
  undoSeqs: readonly number[];
}

/** What an instance read from the database to bring articles up to date (for tests and diagnostics). */
export interface PgReadStats {
  /** Reads of an article's rows. */
  reads: number;
  /** Reads that built no cached copy (none, or one that could not be brought up to date). */
  full: number;
  /** Reads that returned the paragraph ids in order (a full read, or the order changed since the copy). */
  paragraphLists: number;
  /** Reads that returned the undo stack's row list. */
  undoLists: number;
  /** Paragraph and undo entries received (with data or, in a list, id only). */
  paragraphs: number;
  undo: number;
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
  /** What this instance read to bring articles up to date; tests reset it. */
  readStats: PgReadStats = emptyStats();
  /** Committed actions of every instance, through LISTEN/NOTIFY (the live desk). */
  readonly changes: PgChangeFeed;

  constructor(pool: Pool, options: PgStoreOptions = {}) {
    this.pool = pool;
    this.dir = options.dir;
    this.#ownsPool = options.ownsPool ?? true;
    this.#cacheSize = options.cachedArticles ?? CACHED_ARTICLES;
    this.changes = new PgChangeFeed(pool);
  }

  async listArticles(): Promise<ArticleSummary[]> {
    const { rows } = await this.pool.query<{ id: string; brief: Brief }>('SELECT id, brief FROM articles ORDER BY seq');
    return rows.map(({ id, brief }) => summarize({ ...brief, id } as Article));
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    // One statement: the row's version, and what was written since the cached copy (nothing when it is current).
    const cached = await this.#read(this.pool, id);
    // The cached article is frozen and shared: the caller gets a copy it may change.
    return cached ? cloneArticle(cached.article) : undefined;
  }

  /** Store.readArticle: the cached (frozen) article, brought up to date in the same one statement, without the copy. */
  async readArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return (await this.#read(this.pool, id))?.article;
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
        // A new article: its paragraph order and undo stack are as new as its version (migration 005).
        const { rows } = await c.query<{ version: string }>(
          `WITH n AS (SELECT nextval('article_versions') AS v)
           INSERT INTO articles (id, title, content_hash, created_at, updated_at, brief, meta, version, order_version, undo_version, undo_count, original, original_version)
           SELECT $1, $2, $3, $4, $5, $6::json, $7::json, n.v, n.v, n.v, $8, $9::json, n.v FROM n
           RETURNING version`,
          [
            article.id, article.title, article.contentHash, article.createdAt, article.updatedAt, JSON.stringify(briefOf(article)), JSON.stringify(metaOf(article)), article.undo.length,
            article.original ? JSON.stringify(article.original) : null,
          ],
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
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        const base = this.#cache.get(id);
        // BEGIN, the row lock, and the read of what was written since the cached copy: one round trip.
        // The read is a statement of its own, so its snapshot is taken once the lock is held and sees
        // the last write: it stays current until this transaction ends.
        await prepareRead(client);
        const results = (await client.query(`BEGIN; SELECT version FROM articles WHERE id = '${id}' FOR UPDATE; ${executeRead(id, base?.version ?? -1)}`)) as unknown as [
          QueryResult,
          QueryResult<{ version: string }>,
          QueryResult<ArticleRows>,
        ];
        const row = results[2].rows[0];
        if (!results[1].rows[0] || !row) throw new NotFoundError(`no article "${id}"`);
        let current = this.#assemble(row, base);
        current ??= await this.#fullRead(client, id);
        if (!current) throw new NotFoundError(`no article "${id}"`);
        this.#remember(id, current);
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
        freezeArticle(draft);
        const line = diffArticle(original, draft, current.version);
        const write = writeSql(id, current, draft, line, changed.revisions, changed.suggestions ?? []);
        // The write and COMMIT in one round trip: if the write fails, the rest of the query (COMMIT) is skipped.
        // The notification is delivered on COMMIT only: the live desk never hears of a rolled-back action.
        const notify = changed.revisions.length ? `;\nSELECT pg_notify('${CHANGES_CHANNEL}', ${lit(id)})` : '';
        const [written] = (await client.query(`${write.sql}${notify};\nCOMMIT`)) as unknown as [QueryResult<{ version: string; added: number[] | null }>];
        const out = written.rows[0]!;
        const undoSeqs = write.undoSeqs(out.added ?? []);
        // Seqs that do not match the stack (cannot happen): cache nothing, read the article afresh next time.
        if (undoSeqs) this.#remember(id, { version: Number(out.version), article: draft, undoSeqs: Object.freeze(undoSeqs) });
        else this.#cache.delete(id);
        return changed.result;
      } catch (e) {
        // Rolled back (or maybe not, when COMMIT itself failed): read the article afresh next time.
        if (!changeFailed) this.#cache.delete(id);
        // Nothing to roll back when the transaction committed or never began; ROLLBACK then only warns.
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r instanceof Error ? r : new Error(String(r));
        });
        throw e;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
        client.release(broken);
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
   * version are read: nothing when it is current), and caches the result. Undefined when there is no
   * such article.
   */
  async #read(db: Queryable, id: string): Promise<CachedArticle | undefined> {
    const base = this.#cache.get(id);
    const { rows } = await db.query<ArticleRows>(readQuery(id, base?.version ?? -1));
    let read = rows[0] ? this.#assemble(rows[0], base) : undefined;
    if (rows[0] && !read) read = await this.#fullRead(db, id);
    if (!read) {
      this.#cache.delete(id);
      return undefined;
    }
    this.#remember(id, read);
    return read;
  }

  /** The article read in full (no cached copy to build on), frozen; not cached yet. */
  async #fullRead(db: Queryable, id: string): Promise<CachedArticle | undefined> {
    const { rows } = await db.query<ArticleRows>(readQuery(id, -1));
    return rows[0] ? this.#assemble(rows[0]) : undefined;
  }

  /** assemble(), counted in readStats. */
  #assemble(row: ArticleRows, base?: CachedArticle): CachedArticle | undefined {
    const stats = this.readStats;
    stats.reads++;
    if (!base) stats.full++;
    if (row.paragraphs && Number(row.order_version) > (base?.version ?? -1)) stats.paragraphLists++;
    if (row.undo && Number(row.undo_version) > (base?.version ?? -1)) stats.undoLists++;
    stats.paragraphs += row.paragraphs?.length ?? 0;
    stats.undo += row.undo?.length ?? 0;
    return assemble(row, base);
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
    this.#cache.clear();
    if (this.#ownsPool) await this.pool.end();
  }
}

/** The article row's JSON: everything but the paragraphs and the undo stack, which have rows of their own, and the original file (a column of its own). */
function metaOf(article: Article): Omit<Article, 'paragraphs' | 'undo' | 'original'> {
  const { paragraphs: _paragraphs, undo: _undo, original: _original, ...meta } = article;
  return meta;
}

interface ArticleRows {
  version: string;
  order_version: string;
  undo_version: string;
  undo_count: number;
  /** Null when the row's version is the one asked about (nothing changed). */
  meta: Omit<Article, 'paragraphs' | 'undo' | 'original'> | null;
  /** [the original file or null] when the article was inserted after the version asked about; else null (the copy's stands). */
  original: [Article['original'] | null] | null;
  /**
   * When the paragraph order changed after the version asked about: [id, data] of every paragraph in
   * order, data null for a row not written since. Otherwise [id, data] of the rows written since.
   */
  paragraphs: Array<[string, Paragraph | null]> | null;
  /**
   * When undo_version is after the version asked about: [seq, op, data] of every entry in order, data
   * null for a row not written since. Otherwise [seq, op, data] of the rows written since, by seq.
   */
  undo: Array<[number, string, UndoEntry | null]> | null;
}

function emptyStats(): PgReadStats {
  return { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
}

/**
 * The statement reading an article's rows (one snapshot): the article row, and what was written after
 * version $2 (everything for -1), as ArticleRows says, for article $1. The rows written since are
 * found through the (article_id, version) indexes of migration 005.
 */
const READ_ARTICLE = `SELECT a.version, a.order_version, a.undo_version, a.undo_count, CASE WHEN a.version > $2 THEN a.meta END AS meta,
  CASE WHEN a.original_version > $2 THEN json_build_array(a.original) END AS original,
  CASE WHEN a.order_version > $2
    THEN (SELECT json_agg(json_build_array(p.id, CASE WHEN p.version > $2 THEN p.data END) ORDER BY p.position)
      FROM article_paragraphs p WHERE p.article_id = a.id)
    ELSE (SELECT json_agg(json_build_array(p.id, p.data)) FROM article_paragraphs p WHERE p.article_id = a.id AND p.version > $2) END AS paragraphs,
  CASE WHEN a.undo_version > $2
    THEN (SELECT json_agg(json_build_array(u.seq, u.op, CASE WHEN u.version > $2 THEN u.data END) ORDER BY u.seq)
      FROM article_undo u WHERE u.article_id = a.id)
    ELSE (SELECT json_agg(json_build_array(u.seq, u.op, u.data) ORDER BY u.seq) FROM article_undo u WHERE u.article_id = a.id AND u.version > $2) END AS undo
  FROM articles a WHERE a.id = $1`;

/** READ_ARTICLE as a named statement: node-postgres prepares it once per connection (its plan is kept). */
const readQuery = (id: string, since: number) => ({ name: 'postedit-read-article', text: READ_ARTICLE, values: [id, since] });

/** READ_ARTICLE prepared in SQL, for a simple query (after the row lock, in its round trip). */
const PREPARED_READ = 'postedit_read_article';

/** Connections that have PREPARED_READ (prepared statements live as long as their connection). */
const preparedOn = new WeakSet<PoolClient>();

/** Prepares PREPARED_READ on `client`'s connection, once (a round trip or two, the first time only). */
async function prepareRead(client: PoolClient): Promise<void> {
  if (preparedOn.has(client)) return;
  const { rows } = await client.query('SELECT 1 FROM pg_prepared_statements WHERE name = $1', [PREPARED_READ]);
  if (!rows.length) await client.query(`PREPARE ${PREPARED_READ} (text, bigint) AS ${READ_ARTICLE}`);
  preparedOn.add(client);
}

/**
 * EXECUTE of PREPARED_READ, as a statement of a simple query: the id is checked against ID_PATTERN
 * (letters, digits, hyphens), `since` is an integer.
 */
function executeRead(id: string, since: number): string {
  if (!ID_PATTERN.test(id) || !Number.isSafeInteger(since)) throw new Error(`cannot read article "${id}" since ${since}`);
  return `EXECUTE ${PREPARED_READ}('${id}', ${since})`;
}

/**
 * The article an ArticleRows gives, frozen, building on `base` (the copy read at the version the rows
 * were read since); undefined if it cannot be built from them (a row neither they nor `base` hold:
 * cannot happen with versions from one sequence), and the caller reads the article in full.
 */
function assemble(row: ArticleRows, base?: CachedArticle): CachedArticle | undefined {
  const since = base?.version ?? -1;
  const version = Number(row.version);
  if (base && version === since) return base;
  if (version < since || !row.meta) return undefined;

  let paragraphs: Paragraph[];
  if (Number(row.order_version) > since) {
    const known = base ? new Map(base.article.paragraphs.map((p) => [p.id, p])) : undefined;
    paragraphs = [];
    for (const [pid, data] of row.paragraphs ?? []) {
      const p = data ?? known?.get(pid);
      if (!p) return undefined;
      paragraphs.push(p);
    }
  } else {
    // Same paragraphs in the same order: the rows written since replace theirs in place.
    const written = new Map((row.paragraphs ?? []).map(([pid, data]) => [pid, data]));
    paragraphs = base!.article.paragraphs.map((p) => {
      const data = written.get(p.id);
      if (data === undefined) return p;
      written.delete(p.id);
      return data!;
    });
    if (written.size) return undefined;
  }

  let undo: UndoEntry[];
  let undoSeqs: number[];
  if (Number(row.undo_version) > since) {
    const known = base ? new Map(base.undoSeqs.map((seq, i) => [seq, base.article.undo[i]!])) : undefined;
    undo = [];
    undoSeqs = [];
    for (const [seq, , data] of row.undo ?? []) {
      const e = data ?? known?.get(seq);
      if (!e) return undefined;
      undo.push(e);
      undoSeqs.push(seq);
    }
  } else {
    // Since the copy, entries were only dropped from the bottom, replaced in place or pushed on top: the
    // stack is the last undo_count of the copy's entries (rewritten ones replaced) and the new rows.
    const written = new Map((row.undo ?? []).map(([seq, , data]) => [seq, data]));
    undo = base!.article.undo.map((e, i) => {
      const data = written.get(base!.undoSeqs[i]!);
      if (data === undefined) return e;
      written.delete(base!.undoSeqs[i]!);
      return data!;
    });
    undoSeqs = [...base!.undoSeqs];
    for (const [seq, data] of written) {
      if (!data || (undoSeqs.length && seq <= undoSeqs.at(-1)!)) return undefined;
      undo.push(data);
      undoSeqs.push(seq);
    }
    if (row.undo_count > undo.length) return undefined;
    undo = undo.slice(undo.length - row.undo_count);
    undoSeqs = undoSeqs.slice(undoSeqs.length - row.undo_count);
  }
  const original = row.original ? row.original[0] : base?.article.original;
  const article = freezeArticle({ ...row.meta, ...(original ? { original } : {}), paragraphs, undo } as Article);
  return { version, article, undoSeqs: Object.freeze(undoSeqs) };
}

/** Reads an article afresh from its rows (for `npm run migrate`): a plain object, not shared. */
export async function readArticle(db: Queryable, id: string): Promise<Article | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const { rows } = await db.query<ArticleRows>(readQuery(id, -1));
  const read = rows[0] ? assemble(rows[0]) : undefined;
  return read ? cloneArticle(read.article) : undefined;
}

/** SQL literals, for statements sent as simple queries (JSON.stringify never yields a NUL byte). */
const lit = (value: string) => {
  // PostgreSQL's text cannot hold NUL (a parameter would be refused the same way).
  if (value.includes('\u0000')) throw new Error('PostgreSQL cannot store a NUL character outside JSON');
  // As pg's escapeLiteral (quotes doubled; with a backslash, E'' and backslashes doubled), without its per-character loop.
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
};
const texts = (values: string[]) => `ARRAY[${values.map(lit).join(',')}]::text[]`;
const ints = (values: number[]) => {
  if (!values.every(Number.isSafeInteger)) throw new Error('not an integer');
  return `ARRAY[${values.join(',')}]::int[]`;
};

/**
 * Whether the undo stack changed only by dropping its oldest entries, replacing entries in place and
 * pushing new ones, the changes a copy can follow from the rows written (undo_version, migration 005).
 */
function undoFollowsRows(original: UndoEntry[], line: JournalLine): boolean {
  if (line.undoAll) return false;
  if (!line.undo) return true;
  const drop = new Set(line.undo.drop);
  if (drop.size !== line.undo.drop.length || new Set(original.map((e) => e.op)).size !== original.length) return false;
  return original.every((e, i) => drop.has(e.op) === i < drop.size);
}

/**
 * The statement writing what `line` (diffArticle(original, draft)) says changed, under the article
 * row's lock: the article row with a new version, the changed paragraph and undo rows (stamped with
 * it), the paragraphs' positions when their order changed, and the action's revisions and suggestions,
 * appended in the order given. It returns the new version and the seqs of the undo rows it added, which
 * `undoSeqs` turns into the seqs of the draft's undo stack (undefined if they do not fit it).
 *
 * The parts are data-modifying CTEs: they see one snapshot and never touch the same row twice (the
 * rows a part deletes, updates or inserts are disjoint from the others'), so their order does not
 * matter; a failing part (a duplicate revision) fails the whole statement. Values are literals: the
 * statement is sent with COMMIT in one simple query.
 */
function writeSql(
  id: string, current: CachedArticle, draft: Article, line: JournalLine, revisions: Revision[], suggestions: Suggestion[],
): { sql: string; undoSeqs: (added: number[]) => number[] | undefined } {
  const original = current.article;
  const idLit = lit(id);
  const undoSimple = undoFollowsRows(original.undo, line);
  const parts = [
    `n AS (SELECT nextval('article_versions') AS v)`,
    `a AS (UPDATE articles SET version = n.v, order_version = ${line.order ? 'n.v' : 'articles.order_version'},
       undo_version = ${undoSimple ? 'articles.undo_version' : 'n.v'}, undo_count = ${draft.undo.length},
       title = ${lit(draft.title)}, updated_at = ${lit(draft.updatedAt)},
       brief = ${lit(JSON.stringify(briefOf(draft)))}::json, meta = ${lit(JSON.stringify(metaOf(draft)))}::json
     FROM n WHERE id = ${idLit} RETURNING articles.version)`,
  ];
  const changed = line.p ?? [];
  if (line.order) {
    const order = texts(line.order);
    parts.push(`gone AS (DELETE FROM article_paragraphs WHERE article_id = ${idLit} AND id <> ALL(${order}))`);
    // Positions of the paragraphs the action did not change (the changed ones are written whole below).
    parts.push(`moved AS (UPDATE article_paragraphs p SET position = o.i - 1 FROM unnest(${order}) WITH ORDINALITY AS o(id, i)
      WHERE p.article_id = ${idLit} AND p.id = o.id AND p.position <> o.i - 1 AND p.id <> ALL(${texts(changed.map((x) => x.id))}))`);
  }
  if (changed.length) {
    const at = new Map(draft.paragraphs.map((x, i) => [x.id, i]));
    parts.push(`par AS (INSERT INTO article_paragraphs (article_id, id, position, version, data)
      SELECT ${idLit}, x.id, x.position, a.version, x.data::json FROM a, unnest(${texts(changed.map((x) => x.id))}, ${ints(changed.map((x) => at.get(x.id)!))},
        ${texts(changed.map((x) => JSON.stringify(x)))}) AS x(id, position, data)
      ON CONFLICT (article_id, id) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, data = EXCLUDED.data)`);
  }
  let added: UndoEntry[] = [];
  let dropped = new Set<string>();
  if (line.undoAll) {
    // The old rows go; the new ones (not visible to this DELETE: same snapshot) take their place.
    parts.push(`undo_all AS (DELETE FROM article_undo WHERE article_id = ${idLit})`);
    added = line.undoAll;
  } else if (line.undo) {
    const { drop, put } = line.undo;
    dropped = new Set(drop);
    if (drop.length) parts.push(`undo_drop AS (DELETE FROM article_undo WHERE article_id = ${idLit} AND op = ANY(${texts(drop)}))`);
    const had = new Set(original.undo.map((e) => e.op));
    const replaced = put.filter((e) => had.has(e.op));
    if (replaced.length) {
      parts.push(`undo_put AS (UPDATE article_undo u SET version = a.version, data = x.data::json
        FROM a, unnest(${texts(replaced.map((e) => e.op))}, ${texts(replaced.map((e) => JSON.stringify(e)))}) AS x(op, data)
        WHERE u.article_id = ${idLit} AND u.op = x.op)`);
    }
    added = put.filter((e) => !had.has(e.op));
  }
  if (added.length) {
    parts.push(`undo_add AS (INSERT INTO article_undo (article_id, op, version, data)
      SELECT ${idLit}, u.op, a.version, u.data::json FROM a, unnest(${texts(added.map((e) => e.op))}, ${texts(added.map((e) => JSON.stringify(e)))})
        WITH ORDINALITY AS u(op, data, i) ORDER BY u.i
      RETURNING seq)`);
  }
  // Keys are passed as columns of their own: PostgreSQL cannot take apart JSON holding \u0000.
  if (revisions.length) {
    parts.push(`rev AS (INSERT INTO revisions (article_id, paragraph_id, n, data)
      SELECT ${idLit}, r.paragraph_id, r.n, r.data::json FROM unnest(${texts(revisions.map((r) => r.paragraphId))}, ${ints(revisions.map((r) => r.n))},
        ${texts(revisions.map((r) => JSON.stringify(r)))}) WITH ORDINALITY AS r(paragraph_id, n, data, i) ORDER BY r.i)`);
  }
  if (suggestions.length) {
    parts.push(`sug AS (INSERT INTO suggestions (article_id, id, paragraph_id, data)
      SELECT ${idLit}, s.id, s.paragraph_id, s.data::json FROM unnest(${texts(suggestions.map((x) => x.id))}, ${texts(suggestions.map((x) => x.paragraphId))},
        ${texts(suggestions.map((x) => JSON.stringify(x)))}) WITH ORDINALITY AS s(id, paragraph_id, data, i) ORDER BY s.i)`);
  }
  // Identity values are taken in insertion order (ORDER BY u.i): the i-th seq is the i-th entry added.
  const sql = `WITH ${parts.join(',\n')}\nSELECT a.version, ${added.length ? '(SELECT json_agg(seq ORDER BY seq) FROM undo_add)' : 'NULL::json'} AS added FROM a`;
  const undoSeqs = (seqs: number[]) => {
    if (seqs.length !== added.length) return undefined;
    const kept = line.undoAll ? [] : current.undoSeqs.filter((_, i) => !dropped.has(original.undo[i]!.op));
    const all = [...kept, ...seqs];
    return all.length === draft.undo.length ? all : undefined;
  };
  return { sql, undoSeqs };
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
