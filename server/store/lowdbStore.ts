/**
 * The embedded store: JSON files under a data directory.
 *
 *   DATA_DIR/catalog.json                    ids, titles and content hashes of all articles
 *   DATA_DIR/articles/ID.json                snapshot of the article: paragraphs, current suggestions, undo
 *                                            stack, and `journalSeq`, the last journal line it includes
 *   DATA_DIR/articles/ID.journal.jsonl       one line per action since the snapshot (see articleJournal.ts)
 *   DATA_DIR/articles/ID.history.jsonl       every revision, append-only
 *   DATA_DIR/articles/ID.suggestions.jsonl   every suggestion, append-only
 *
 * An action changes the article in memory under the article's lock; its suggestions, revisions and
 * journal line are then appended, in that order, outside the lock, by a writer that batches the
 * actions of the requests handled in one turn of the event loop into one append per file; the action
 * is answered once its journal line is on disk (written, not fsynced: this survives a killed process,
 * not a power cut). Readers (getArticle, listArticles, history) see only that durable state.
 * Every COMPACT_LINES journal lines (or COMPACT_BYTES), and on close, the snapshot is rewritten atomically
 * (temporary file + rename) and only then is the journal truncated; lines the snapshot already
 * includes are skipped on replay, so a crash between the two loses nothing. A crash between the
 * history append and the journal append leaves revisions the article does not know of, and opening
 * the store drops them again, so history and article always agree. An append that fails (a full
 * disk, a read-only directory) is cut off again and its actions, with those queued behind them, are
 * refused as `storage unavailable` (faults.ts); memory goes back to the stored state, and the next
 * write repairs history and rewrites the snapshot first, so the store carries on once the fault clears.
 */
import { rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Article, ArticleSummary, Revision, Suggestion } from '../core/types.js';
import { articleReview } from '../core/reviewState.js';
import { countStatuses } from '../core/paragraphState.js';
import { draftOf, freezeArticle } from '../core/draft.js';
import { appendTextSync, linesOf, readLines, rewriteLines, writeAtomic, writeAtomicSync } from './appendLog.js';
import { diffArticle, fromSnapshot, replayJournal, toSnapshot, type Snapshot } from './articleJournal.js';
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

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

function jsonFile<T>(file: string): DataFile<T> {
  // Compact JSON: bytes matter for files rewritten often.
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
}

/**
 * A reader's copy, deep enough for any change a caller might make to it: paragraphs, the undo stack
 * and the usage tally are copied (and not frozen); what is only ever replaced (a suggestion, findings,
 * comments) is shared. A full structuredClone of a large article costs more than a whole action.
 */
export function cloneArticle(a: Article): Article {
  return {
    ...a,
    paragraphs: a.paragraphs.map((p) => ({ ...p })),
    undo: a.undo.map((e) => ({ ...e, before: e.before.map((b) => ({ ...b })), created: [...e.created] })),
    ...(a.usage ? { usage: { ...a.usage } } : {}),
  };
}

export function summarize(article: Article): ArticleSummary {
  return {
    id: article.id,
    title: article.title,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    counts: countStatuses(article.paragraphs),
    paragraphs: article.paragraphs.filter((p) => p.status !== 'deleted').length,
    hasSource: article.hasSource,
    review: articleReview(article.paragraphs),
  };
}

/**
 * Compaction: rewrite the snapshot and truncate the journal after this many lines or bytes. Each
 * compaction stringifies the whole article on the event loop (a few ms for 200 paragraphs), so it
 * is kept rare; replaying 1,000 lines on opening costs a few ms.
 */
const COMPACT_LINES = 1000;
const COMPACT_BYTES = 4 * 1024 * 1024;

export interface LowdbStoreOptions {
  /** Journal lines after which the article file is rewritten (default 1,000). */
  compactLines?: number;
  /** Journal bytes after which the article file is rewritten (default 4 MiB). */
  compactBytes?: number;
}

/** An action applied in memory whose appends are not on disk yet. */
interface Pending {
  seq: number;
  /** The article after this action (frozen: later actions work on drafts of it). */
  state: Article;
  line: string;
  revisions: Revision[];
  suggestions: Suggestion[];
  resolve(): void;
  reject(e: unknown): void;
}

/** An open article: its state in memory, what is on disk, and the writer's queue. */
interface Held {
  /** The latest state, possibly ahead of the disk by the pending actions: what changes build on. */
  data: Article;
  seq: number;
  /** The state the files on disk (snapshot plus journal) give: what readers see. */
  durable: Article;
  durableSeq: number;
  journalLines: number;
  journalBytes: number;
  pending: Pending[];
  draining: boolean;
  writing?: Promise<void>;
  /** Bumped when a write fails and memory goes back to the disk's state. */
  generation: number;
  /** The journal may hold lines of actions that failed: compact before appending again. */
  dirty: boolean;
}

export class LowdbStore implements Store {
  readonly dir: string;
  #catalog!: Low<Catalog>;
  #articles = new Map<string, Held>();
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
      const { seq, lines, torn } = await replayJournal(this.#articlePath(id, '.journal.jsonl'), article, snapshotSeq);
      const held = newHeld(freezeArticle(article), seq);
      this.#articles.set(id, held);
      await this.#repairHistory(article);
      // Start from a clean journal (this also drops a torn last line).
      if (lines || torn) await this.#compact(id, held);
      if (!this.#catalog.data.articles.some((e) => e.id === id)) {
        this.#catalog.data.articles.push(entryOf(article));
        catalogChanged = true;
      }
    }
    const before = this.#catalog.data.articles.length;
    this.#catalog.data.articles = this.#catalog.data.articles.filter((e) => this.#articles.has(e.id));
    if (catalogChanged || before !== this.#catalog.data.articles.length) await this.#catalog.write();
  }

  /** Drops revisions written by an action whose journal line never reached the disk (crash), and torn lines. */
  async #repairHistory(article: Article): Promise<void> {
    const file = this.#articlePath(article.id, '.history.jsonl');
    const { items, torn } = await readLines<Revision>(file);
    const latest = new Map(article.paragraphs.map((p) => [p.id, p.revision]));
    const seen = new Set<string>();
    const kept = items.filter((r) => {
      const key = `${r.paragraphId}:${r.n}`;
      if (seen.has(key) || r.n > (latest.get(r.paragraphId) ?? 0)) return false;
      seen.add(key);
      return true;
    });
    if (torn || kept.length !== items.length) await rewriteLines(file, kept);
    const sfile = this.#articlePath(article.id, '.suggestions.jsonl');
    const sug = await readLines<Suggestion>(sfile);
    if (sug.torn) await rewriteLines(sfile, sug.items);
  }

  /**
   * Writes the durable state as the snapshot, then empties the journal (in that order: see the top).
   * Synchronously, like the appends: the writer of this article waits for the compaction, and four
   * thread-pool round trips, each queued behind every request of a busy event loop, held every
   * action of the article for tens of milliseconds; the synchronous writes of a 450 KB snapshot take
   * well under one.
   */
  async #compact(id: string, held: Held): Promise<void> {
    writeAtomicSync(this.#articlePath(id), toSnapshot(held.durable, held.durableSeq));
    writeFileSync(this.#articlePath(id, '.journal.jsonl'), '');
    held.journalLines = 0;
    held.journalBytes = 0;
    held.dirty = false;
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
        const copy = freezeArticle(structuredClone(article));
        await writeAtomic(this.#articlePath(article.id), toSnapshot(copy, 0));
        this.#articles.set(article.id, newHeld(copy, 0));
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
      if (held) await settle(held);
      try {
        // The article file first: once it is gone the article is (a failure before leaves it whole).
        await rm(this.#articlePath(id), { force: true });
        this.#articles.delete(id);
        for (const suffix of ['.journal.jsonl', '.history.jsonl', '.suggestions.jsonl']) {
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
      const written = new Promise<void>((resolve, reject) => {
        held.pending.push({ seq, state: draft, line, revisions, suggestions: suggestions ?? [], resolve, reject });
      });
      written.catch(() => undefined);
      if (!held.draining) {
        held.draining = true;
        held.writing = this.#drain(id, held);
      }
      return { result, written, revisions };
    });
    // The appends run outside the lock, and concurrent actions share them: the answer still waits
    // until the journal line of this action is on disk.
    await applied.written;
    this.changes.publish(id, applied.revisions);
    return applied.result;
  }

  /** Appends the pending actions, batch after batch, until none is left. */
  async #drain(id: string, held: Held): Promise<void> {
    try {
      // Let the actions of requests handled in this turn of the event loop join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (held.pending.length) {
        const batch = held.pending.splice(0);
        const files = ['.suggestions.jsonl', '.history.jsonl', '.journal.jsonl'].map((s) => this.#articlePath(id, s));
        let sizes: number[] = [];
        try {
          if (held.dirty) {
            // An earlier batch failed (disk full, read-only): drop what it left in history first.
            await this.#repairHistory(held.durable);
            await this.#compact(id, held);
          }
          sizes = files.map((f) => statSync(f, { throwIfNoEntry: false })?.size ?? 0);
          // Suggestions and revisions first, the journal line last: a revision without its line is
          // dropped on opening, a line without its revisions could not be repaired.
          appendTextSync(files[0]!, linesOf(batch.flatMap((b) => b.suggestions)));
          appendTextSync(files[1]!, linesOf(batch.flatMap((b) => b.revisions)));
          const text = batch.map((b) => b.line).join('');
          appendTextSync(files[2]!, text);
          const last = batch.at(-1)!;
          held.durable = last.state;
          held.durableSeq = last.seq;
          held.journalLines += batch.length;
          held.journalBytes += text.length;
        } catch (e) {
          // Nothing of this batch counts: go back to the disk's state, fail these actions and those
          // built on them, drop their revisions from history and rewrite the snapshot.
          const failed = [...batch, ...held.pending.splice(0)];
          held.generation++;
          held.data = held.durable;
          held.seq = held.durableSeq;
          held.dirty = true;
          // Cut what this batch appended (whole or torn lines) off again; where that fails too, the
          // next write repairs history and compacts first (see `dirty`), and so does opening.
          files.forEach((f, i) => {
            const before = sizes[i];
            if (before === undefined) return;
            try {
              if ((statSync(f, { throwIfNoEntry: false })?.size ?? 0) > before) truncateSync(f, before);
            } catch {
              // Left for the repair.
            }
          });
          try {
            await this.#repairHistory(held.durable);
            await this.#compact(id, held);
          } catch {
            // Still dirty: the next write compacts first.
          }
          const fault = asStorageFault(e);
          for (const b of failed) b.reject(fault);
          continue;
        }
        for (const b of batch) b.resolve();
        if (held.journalLines >= this.#compactLines || held.journalBytes >= this.#compactBytes) {
          try {
            await this.#compact(id, held);
          } catch {
            // The journal is still whole: try again after as many lines again.
            held.journalLines = 0;
            held.journalBytes = 0;
          }
        }
      }
    } finally {
      held.draining = false;
    }
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

  async close(): Promise<void> {
    // Wait for queued writes by taking every lock once, then fold each journal into its snapshot.
    await Promise.all(
      [...this.#articles.keys()].map((id) =>
        this.#lock.run(`article:${id}`, async () => {
          const held = this.#articles.get(id);
          if (!held) return;
          await settle(held);
          if (held.journalLines || held.dirty) await this.#compact(id, held).catch(() => undefined);
        }),
      ),
    );
    await this.#lock.run('catalog', async () => undefined);
  }
}

function newHeld(article: Article, seq: number): Held {
  return {
    data: article, seq, durable: article, durableSeq: seq, journalLines: 0, journalBytes: 0,
    pending: [], draining: false, generation: 0, dirty: false,
  };
}

/** Waits until the writer has nothing left to append. */
async function settle(held: Held): Promise<void> {
  while (held.draining) await held.writing?.catch(() => undefined);
}

function entryOf(a: Article): CatalogEntry {
  return { id: a.id, title: a.title, contentHash: a.contentHash, createdAt: a.createdAt };
}
