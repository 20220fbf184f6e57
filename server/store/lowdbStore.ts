/**
 * The embedded store: JSON files under a data directory.
 *
 *   DATA_DIR/catalog.json                    ids, titles and content hashes of all articles
 *   DATA_DIR/articles/ID.json                snapshot of the article: paragraphs, current suggestions, undo
 *                                            stack, and `journalSeq`, the last journal line it includes
 *   DATA_DIR/articles/ID.journal.jsonl       one line per action since the snapshot (see articleJournal.ts)
 *   DATA_DIR/articles/ID.compacting.jsonl    while a compaction runs: the journal lines it folds into ID.json
 *   DATA_DIR/articles/ID.history.jsonl       every revision, append-only
 *   DATA_DIR/articles/ID.suggestions.jsonl   every suggestion, append-only
 *
 * An action changes a draft of the article in memory under the article's lock (core/draft.ts); its
 * suggestions, revisions and journal line are then appended, in that order, outside the lock, by a
 * writer that batches the actions of the requests handled in one turn of the event loop into one
 * append per file (heldArticle.ts); the action is answered once its journal line is on disk (written,
 * not fsynced: this survives a killed process, not a power cut). Readers (getArticle, listArticles,
 * history) see only that durable state. Every COMPACT_LINES journal lines (or COMPACT_BYTES) the
 * snapshot is rewritten in the background, in slices, while actions go on (heldArticle.ts); on opening
 * and closing at once. Lines the snapshot already includes are skipped on replay, so a crash at any
 * point loses nothing. A crash between the history append and the journal append leaves revisions the
 * article does not know of, and opening the store drops them again, so history and article always
 * agree. An append that fails (a full disk, a read-only directory) is cut off again and its actions,
 * with those queued behind them, are refused as `storage unavailable` (faults.ts); memory goes back to
 * the stored state, and the next write repairs history and rewrites the snapshot first, so the store
 * carries on once the fault clears.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Article, ArticleSummary, Revision, Suggestion } from '../core/types.js';
import { draftOf, freezeArticle } from '../core/draft.js';
import { cloneArticle, summarize } from './articleViews.js';
import { readLines, rewriteLines, writeAtomic } from './appendLog.js';
import { compactingFileOf, diffArticle, fromSnapshot, replayJournal, type Snapshot } from './articleJournal.js';
import { HeldArticle, type ArticlePaths } from './heldArticle.js';
import { snapshotText } from './snapshotFile.js';
import { KeyedLock } from './keyedLock.js';
import { asStorageFault, checkWithin, type StoreHealth } from './faults.js';
import type { ArticleChange, Store } from './types.js';
import { NotFoundError } from './types.js';
import { MemoryChangeFeed } from './changeFeed.js';

interface CatalogEntry {
  id: string;
  title: string;
  contentHash: string;
  createdAt: string;
}

interface Catalog {
  version: 1;
  articles: CatalogEntry[];
}

// Both stores hand readers these (pg/ imports them from here).
export { cloneArticle, summarize } from './articleViews.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

function jsonFile<T>(file: string): DataFile<T> {
  // Compact JSON: bytes matter for files rewritten often.
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
}

/**
 * Compaction: rewrite the snapshot and start a new journal after this many lines or bytes. It runs in
 * the background, in slices (heldArticle.ts), but still writes the whole article: kept rare, and
 * replaying 1,000 lines on opening costs a few ms.
 */
const COMPACT_LINES = 1000;
const COMPACT_BYTES = 4 * 1024 * 1024;

export interface LowdbStoreOptions {
  /** Journal lines after which the article file is rewritten (default 1,000). */
  compactLines?: number;
  /** Journal bytes after which the article file is rewritten (default 4 MiB). */
  compactBytes?: number;
}

export class LowdbStore implements Store {
  readonly dir: string;
  #catalog!: Low<Catalog>;
  #articles = new Map<string, HeldArticle>();
  #lock = new KeyedLock();
  /** Committed actions, announced once durable (the live desk). */
  readonly changes = new MemoryChangeFeed();
  #compactLines: number;
  #compactBytes: number;

  private constructor(dir: string, options: LowdbStoreOptions) {
    this.dir = dir;
    this.#compactLines = options.compactLines ?? COMPACT_LINES;
    this.#compactBytes = options.compactBytes ?? COMPACT_BYTES;
  }

  static async open(dir: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
    const store = new LowdbStore(dir, options);
    await store.#load();
    return store;
  }

  #articlePath(id: string, suffix = '.json'): string {
    if (!ID_PATTERN.test(id)) throw new NotFoundError(`no article "${id}"`);
    return join(this.dir, 'articles', `${id}${suffix}`);
  }

  #paths(id: string): ArticlePaths {
    const journal = this.#articlePath(id, '.journal.jsonl');
    return {
      snapshot: this.#articlePath(id),
      journal,
      compacting: compactingFileOf(journal),
      compactTmp: join(this.dir, 'articles', `.${id}.json.compact.tmp`),
      history: this.#articlePath(id, '.history.jsonl'),
      suggestions: this.#articlePath(id, '.suggestions.jsonl'),
    };
  }

  #hold(id: string, article: Article, seq: number): HeldArticle {
    const held = new HeldArticle(this.#paths(id), freezeArticle(article), seq, { lines: this.#compactLines, bytes: this.#compactBytes });
    this.#articles.set(id, held);
    return held;
  }

  async #load(): Promise<void> {
    await mkdir(join(this.dir, 'articles'), { recursive: true });
    for (const f of await readdir(this.dir)) {
      if (f.startsWith('.') && f.endsWith('.tmp')) await rm(join(this.dir, f), { force: true });
    }
    this.#catalog = new Low<Catalog>(jsonFile(join(this.dir, 'catalog.json')), { version: 1, articles: [] });
    await this.#catalog.read();
    const files = await readdir(join(this.dir, 'articles'));
    let catalogChanged = false;
    for (const f of files) {
      // Leftover temporary files from a crash mid-write are harmless; the renamed file is complete.
      if (f.startsWith('.') && f.endsWith('.tmp')) {
        await rm(join(this.dir, 'articles', f), { force: true });
        continue;
      }
      const m = /^([a-z0-9][a-z0-9-]*)\.json$/.exec(f);
      if (!m) continue;
      const id = m[1]!;
      const raw = await jsonFile<Snapshot>(this.#articlePath(id)).read();
      if (!raw) continue;
      const { article, seq: snapshotSeq } = fromSnapshot(raw);
      const paths = this.#paths(id);
      const { seq, lines, torn } = await replayJournal([paths.compacting, paths.journal], article, snapshotSeq);
      const held = this.#hold(id, article, seq);
      await held.repairHistory();
      // Start from a clean journal (this also drops a torn last line).
      if (lines || torn || existsSync(paths.compacting)) held.compactNow();
      if (!this.#catalog.data.articles.some((e) => e.id === id)) {
        this.#catalog.data.articles.push(entryOf(article));
        catalogChanged = true;
      }
    }
    const before = this.#catalog.data.articles.length;
    this.#catalog.data.articles = this.#catalog.data.articles.filter((e) => this.#articles.has(e.id));
    if (catalogChanged || before !== this.#catalog.data.articles.length) await this.#catalog.write();
  }

  async listArticles(): Promise<ArticleSummary[]> {
    return this.#catalog.data.articles
      .map((e) => this.#articles.get(e.id)?.durable)
      .filter((a): a is Article => !!a)
      .map(summarize);
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    // Readers see only what is on disk: an answer built from a read (a cached suggestion, say) must
    // never show an action that a crash could still lose.
    const data = this.#articles.get(id)?.durable;
    return data ? cloneArticle(data) : undefined;
  }

  async readArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    // Frozen (core/draft.ts), and like getArticle only what is on disk.
    return this.#articles.get(id)?.durable;
  }

  async findArticleByHash(contentHash: string): Promise<string | undefined> {
    return this.#catalog.data.articles.find((e) => e.contentHash === contentHash)?.id;
  }

  async createArticle(article: Article, revisions: Revision[]): Promise<void> {
    await this.#lock.run(`article:${article.id}`, async () => {
      if (this.#articles.has(article.id)) throw new Error(`an article with id "${article.id}" exists`);
      try {
        await rewriteLines(this.#articlePath(article.id, '.history.jsonl'), revisions);
        // Files a delete cut short may have left: the snapshot, written last, is what makes the article.
        await rm(this.#articlePath(article.id, '.journal.jsonl'), { force: true });
        await rm(this.#articlePath(article.id, '.suggestions.jsonl'), { force: true });
        const copy = structuredClone(article);
        await writeAtomic(this.#articlePath(article.id), snapshotText(copy, 0));
        this.#hold(article.id, copy, 0);
      } catch (e) {
        throw asStorageFault(e);
      }
    });
    await this.#lock.run('catalog', async () => {
      this.#catalog.data.articles.push(entryOf(article));
      // Not written: the article file is, and opening the store lists it again.
      await this.#catalog.write().catch((e: unknown) => {
        throw asStorageFault(e);
      });
    });
  }

  async deleteArticle(id: string): Promise<boolean> {
    if (!this.#articles.has(id)) return false;
    await this.#lock.run(`article:${id}`, async () => {
      const held = this.#articles.get(id);
      // No compaction may write the article file again once it is gone.
      if (held) await held.retire();
      try {
        // The article file first: once it is gone the article is (a failure before leaves it whole).
        await rm(this.#articlePath(id), { force: true });
        this.#articles.delete(id);
        for (const suffix of ['.journal.jsonl', '.compacting.jsonl', '.history.jsonl', '.suggestions.jsonl']) {
          await rm(this.#articlePath(id, suffix), { force: true });
        }
      } catch (e) {
        throw asStorageFault(e);
      }
    });
    await this.#lock.run('catalog', async () => {
      this.#catalog.data.articles = this.#catalog.data.articles.filter((e) => e.id !== id);
      await this.#catalog.write().catch((e: unknown) => {
        throw asStorageFault(e);
      });
    });
    return true;
  }

  async updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T> {
    const applied = await this.#lock.run(`article:${id}`, async () => {
      const held = this.#articles.get(id);
      if (!held) throw new NotFoundError(`no article "${id}"`);
      const generation = held.generation;
      const original = held.data;
      // Shares the unchanged (frozen) paragraphs and undo entries: see core/draft.ts.
      const draft = draftOf(original);
      const { result, revisions, suggestions } = await change(draft);
      freezeArticle(draft);
      // A write failed meanwhile and memory went back to the disk's state: the draft is built on lost changes.
      if (held.generation !== generation) throw new Error('the article could not be saved; please try again');
      const seq = held.seq + 1;
      const line = JSON.stringify(diffArticle(original, draft, seq)) + '\n';
      held.data = draft;
      held.seq = seq;
      const written = held.append({ seq, state: draft, line, revisions, suggestions: suggestions ?? [] });
      return { result, written, revisions };
    });
    // The appends run outside the lock, and concurrent actions share them: the answer still waits
    // until the journal line of this action is on disk.
    await applied.written;
    this.changes.publish(id, applied.revisions);
    return applied.result;
  }

  /**
   * A small real write where the store writes (the data directory and its articles directory),
   * removed again: a full disk or a read-only directory fails it.
   */
  async health(): Promise<StoreHealth> {
    return checkWithin(5000, async () => {
      for (const dir of [this.dir, join(this.dir, 'articles')]) {
        const probe = join(dir, '.health-probe.tmp');
        try {
          writeFileSync(probe, `${process.pid} ${Date.now()}\n`.repeat(8));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'the data directory is missing' };
          throw e;
        } finally {
          try {
            rmSync(probe, { force: true });
          } catch {
            // Opening the store removes leftover temporary files.
          }
        }
      }
      return { ok: true };
    });
  }

  async history(articleId: string, paragraphId?: string): Promise<Revision[]> {
    if (!this.#articles.has(articleId)) throw new NotFoundError(`no article "${articleId}"`);
    const { items } = await readLines<Revision>(this.#articlePath(articleId, '.history.jsonl'));
    const article = this.#articles.get(articleId)!.durable;
    const latest = new Map(article.paragraphs.map((p) => [p.id, p.revision]));
    // Revisions of an action still being written are not part of history yet.
    const settled = items.filter((r) => r.n <= (latest.get(r.paragraphId) ?? 0));
    return paragraphId ? settled.filter((r) => r.paragraphId === paragraphId) : settled;
  }

  async suggestions(articleId: string): Promise<Suggestion[]> {
    if (!this.#articles.has(articleId)) throw new NotFoundError(`no article "${articleId}"`);
    return (await readLines<Suggestion>(this.#articlePath(articleId, '.suggestions.jsonl'))).items;
  }

  /** Waits until the article's appends and a compaction running in the background are done (tests). */
  async idle(id: string): Promise<void> {
    await this.#articles.get(id)?.idle();
  }

  async close(): Promise<void> {
    // Wait for queued writes by taking every lock once, then fold each journal into its snapshot.
    await Promise.all(
      [...this.#articles.keys()].map((id) =>
        this.#lock.run(`article:${id}`, async () => {
          const held = this.#articles.get(id);
          if (!held) return;
          await held.close().catch(() => undefined);
        }),
      ),
    );
    await this.#lock.run('catalog', async () => undefined);
  }
}

function entryOf(a: Article): CatalogEntry {
  return { id: a.id, title: a.title, contentHash: a.contentHash, createdAt: a.createdAt };
}
