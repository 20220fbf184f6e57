/**
 * The articles an instance keeps in memory, frozen, with the version they were read at. A copy is
 * used only while the article row's version is still that version; otherwise the rows written since
 * that version are read (every row carries the version that last wrote it, migration 004) and the
 * copy is brought up to date (articleRows.ts's assemble). Least recently used copies go first.
 */
import type { Queryable } from './database.js';
import { readQuery } from './articleQueries.js';
import { assemble, type ArticleRows, type CachedArticle } from './articleRows.js';

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

export function emptyStats(): PgReadStats {
  return { reads: 0, full: 0, paragraphLists: 0, undoLists: 0, paragraphs: 0, undo: 0 };
}

export class ArticleCache {
  readonly #copies = new Map<string, CachedArticle>();
  readonly #size: number;
  /** What was read to bring articles up to date; tests reset it. */
  stats: PgReadStats = emptyStats();

  /** `size`: how many articles to keep (0 keeps none). */
  constructor(size: number) {
    this.#size = size;
  }

  get(id: string): CachedArticle | undefined {
    return this.#copies.get(id);
  }

  delete(id: string): void {
    this.#copies.delete(id);
  }

  clear(): void {
    this.#copies.clear();
  }

  /** Keeps `entry` unless a newer version of the article is kept already; evicts the least recently used. */
  remember(id: string, entry: CachedArticle): void {
    if (this.#size <= 0) return;
    const had = this.#copies.get(id);
    if (had && had.version > entry.version) return;
    this.#copies.delete(id);
    this.#copies.set(id, entry);
    while (this.#copies.size > this.#size) this.#copies.delete(this.#copies.keys().next().value!);
  }

  /** assemble(), counted in `stats`. */
  assemble(row: ArticleRows, base?: CachedArticle): CachedArticle | undefined {
    const stats = this.stats;
    stats.reads++;
    if (!base) stats.full++;
    if (row.paragraphs && Number(row.order_version) > (base?.version ?? -1)) stats.paragraphLists++;
    if (row.undo && Number(row.undo_version) > (base?.version ?? -1)) stats.undoLists++;
    stats.paragraphs += row.paragraphs?.length ?? 0;
    stats.undo += row.undo?.length ?? 0;
    return assemble(row, base);
  }

  /**
   * Reads the article, building on the kept copy when there is one (only rows written since its
   * version are read: nothing when it is current), and keeps the result. Undefined when there is no
   * such article.
   */
  async read(db: Queryable, id: string): Promise<CachedArticle | undefined> {
    const base = this.#copies.get(id);
    const { rows } = await db.query<ArticleRows>(readQuery(id, base?.version ?? -1));
    // A write of this instance that committed while the query ran keeps a copy at least as new: that
    // one (no need to build the same article again from the rows).
    const now = this.#copies.get(id);
    if (rows[0] && now && now !== base && now.version >= Number(rows[0].version)) {
      this.remember(id, now);
      return now;
    }
    let read = rows[0] ? this.assemble(rows[0], base) : undefined;
    if (rows[0] && !read) read = await this.fullRead(db, id);
    if (!read) {
      this.#copies.delete(id);
      return undefined;
    }
    // Written by another instance since the copy: its next change takes the row lock first.
    if (base && read !== base && !read.contended) read = { ...read, contended: true };
    this.remember(id, read);
    return read;
  }

  /** The article read in full (no copy to build on), frozen; not kept yet. */
  async fullRead(db: Queryable, id: string): Promise<CachedArticle | undefined> {
    const { rows } = await db.query<ArticleRows>(readQuery(id, -1));
    return rows[0] ? this.assemble(rows[0]) : undefined;
  }
}
