/**
 * The embedded store: lowdb JSON files under a data directory.
 *
 *   DATA_DIR/catalog.json                    ids, titles and content hashes of all articles
 *   DATA_DIR/articles/ID.json                the article: paragraphs, current suggestions, undo stack
 *   DATA_DIR/articles/ID.history.jsonl       every revision, append-only
 *   DATA_DIR/articles/ID.suggestions.jsonl   every suggestion, append-only
 *
 * JSON files are written atomically by lowdb (temporary file + rename). An action first appends its
 * revisions, then rewrites the article file; a crash between the two leaves revisions the article
 * does not know of, and opening the store drops them again, so history and article always agree.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Article, ArticleSummary, ParagraphStatus, Revision, Suggestion } from '../core/types.js';
import { PARAGRAPH_STATUSES } from '../core/types.js';
import { articleReview } from '../core/reviewState.js';
import { appendLines, readLines, rewriteLines } from './appendLog.js';
import { KeyedLock } from './keyedLock.js';
import type { ArticleChange, Store } from './types.js';
import { NotFoundError } from './types.js';

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
  // Compact JSON: the article file is rewritten on every action, so bytes matter.
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
}

export function countStatuses(article: Article): Record<ParagraphStatus, number> {
  const counts = Object.fromEntries(PARAGRAPH_STATUSES.map((s) => [s, 0])) as Record<ParagraphStatus, number>;
  for (const p of article.paragraphs) counts[p.status]++;
  return counts;
}

/**
 * A copy deep enough for every change the commands make: paragraphs, the undo stack and the usage
 * tally are copied; what commands only ever replace (a suggestion, findings, comments) is shared.
 * A full structuredClone of a large article costs more than the whole rest of an action.
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
    counts: countStatuses(article),
    paragraphs: article.paragraphs.filter((p) => p.status !== 'deleted').length,
    hasSource: article.hasSource,
    review: articleReview(article.paragraphs),
  };
}

export class LowdbStore implements Store {
  readonly dir: string;
  #catalog!: Low<Catalog>;
  #articles = new Map<string, Low<Article>>();
  #lock = new KeyedLock();

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string): Promise<LowdbStore> {
    const store = new LowdbStore(dir);
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
      const adapter = jsonFile<Article>(this.#articlePath(id));
      const data = await adapter.read();
      if (!data) continue;
      const db = new Low<Article>(adapter, data);
      this.#articles.set(id, db);
      await this.#repairHistory(db.data);
      if (!this.#catalog.data.articles.some((e) => e.id === id)) {
        this.#catalog.data.articles.push(entryOf(db.data));
        catalogChanged = true;
      }
    }
    const before = this.#catalog.data.articles.length;
    this.#catalog.data.articles = this.#catalog.data.articles.filter((e) => this.#articles.has(e.id));
    if (catalogChanged || before !== this.#catalog.data.articles.length) await this.#catalog.write();
  }

  /** Drops revisions written by an action whose article write never happened (crash), and torn lines. */
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

  async listArticles(): Promise<ArticleSummary[]> {
    return this.#catalog.data.articles
      .map((e) => this.#articles.get(e.id)?.data)
      .filter((a): a is Article => !!a)
      .map(summarize);
  }

  async getArticle(id: string): Promise<Article | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const data = this.#articles.get(id)?.data;
    return data ? cloneArticle(data) : undefined;
  }

  async findArticleByHash(contentHash: string): Promise<string | undefined> {
    return this.#catalog.data.articles.find((e) => e.contentHash === contentHash)?.id;
  }

  async createArticle(article: Article, revisions: Revision[]): Promise<void> {
    await this.#lock.run(`article:${article.id}`, async () => {
      if (this.#articles.has(article.id)) throw new Error(`an article with id "${article.id}" exists`);
      await rewriteLines(this.#articlePath(article.id, '.history.jsonl'), revisions);
      const db = new Low<Article>(jsonFile(this.#articlePath(article.id)), structuredClone(article));
      await db.write();
      this.#articles.set(article.id, db);
    });
    await this.#lock.run('catalog', async () => {
      this.#catalog.data.articles.push(entryOf(article));
      await this.#catalog.write();
    });
  }

  async deleteArticle(id: string): Promise<boolean> {
    if (!this.#articles.has(id)) return false;
    await this.#lock.run(`article:${id}`, async () => {
      await this.#settle(id);
      this.#articles.delete(id);
      for (const suffix of ['.json', '.history.jsonl', '.suggestions.jsonl']) {
        await rm(this.#articlePath(id, suffix), { force: true });
      }
    });
    await this.#lock.run('catalog', async () => {
      this.#catalog.data.articles = this.#catalog.data.articles.filter((e) => e.id !== id);
      await this.#catalog.write();
    });
    return true;
  }

  async updateArticle<T>(id: string, change: (article: Article) => ArticleChange<T> | Promise<ArticleChange<T>>): Promise<T> {
    const applied = await this.#lock.run(`article:${id}`, async () => {
      const db = this.#articles.get(id);
      if (!db?.data) throw new NotFoundError(`no article "${id}"`);
      const draft = cloneArticle(db.data);
      const { result, revisions, suggestions } = await change(draft);
      if (suggestions?.length) await appendLines(this.#articlePath(id, '.suggestions.jsonl'), suggestions);
      await appendLines(this.#articlePath(id, '.history.jsonl'), revisions);
      db.data = draft;
      return { result, generation: this.#generation(id), written: this.#flush(id, db) };
    });
    // The article file is written outside the lock, and concurrent actions share one write: the
    // answer still waits until a write that includes this action is on disk.
    await applied.written;
    if (this.#generation(id) !== applied.generation) throw new Error('the article could not be saved; please try again');
    return applied.result;
  }

  #flushes = new Map<string, { current?: Promise<void>; next?: Promise<void>; generation: number }>();

  #generation(id: string): number {
    return this.#flushes.get(id)?.generation ?? 0;
  }

  #flush(id: string, db: Low<Article>): Promise<void> {
    let f = this.#flushes.get(id);
    if (!f) this.#flushes.set(id, (f = { generation: 0 }));
    const state = f;
    if (state.next) return state.next;
    const start = (): Promise<void> => {
      state.next = undefined;
      const current = db.write().catch(async (e: unknown) => {
        // Nothing since the last good write is on disk: go back to the disk's state, drop the
        // revisions written ahead of it, and fail every action that was waiting on this write.
        state.generation++;
        const reread = await jsonFile<Article>(this.#articlePath(id)).read();
        if (reread) db.data = reread;
        await this.#repairHistory(db.data);
        throw e;
      });
      // Kept only to order the next write after this one; the waiters get `current` and its error.
      const tracked: Promise<void> = current.catch(() => undefined).then(() => {
        if (state.current === tracked) state.current = undefined;
      });
      state.current = tracked;
      return current;
    };
    if (!state.current) return start();
    state.next = state.current.then(start);
    return state.next;
  }

  async #settle(id: string): Promise<void> {
    const f = this.#flushes.get(id);
    await f?.next?.catch(() => undefined);
    await f?.current?.catch(() => undefined);
  }

  async history(articleId: string, paragraphId?: string): Promise<Revision[]> {
    if (!this.#articles.has(articleId)) throw new NotFoundError(`no article "${articleId}"`);
    const { items } = await readLines<Revision>(this.#articlePath(articleId, '.history.jsonl'));
    const article = this.#articles.get(articleId)!.data;
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
    // Wait for queued writes by taking every lock once.
    await Promise.all([...this.#articles.keys()].map((id) => this.#lock.run(`article:${id}`, () => this.#settle(id))));
    await this.#lock.run('catalog', async () => undefined);
  }
}

function entryOf(a: Article): CatalogEntry {
  return { id: a.id, title: a.title, contentHash: a.contentHash, createdAt: a.createdAt };
}
