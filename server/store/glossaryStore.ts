/**
 * Uploaded glossaries, per corpus and per article, kept apart from the articles. On lowdb:
 *
 *   DATA_DIR/glossaries.json   { version: 1, glossaries: [{ scope, entries, updatedAt, updatedBy }] }
 *
 * written atomically by lowdb (temporary file + rename), one write at a time; on PostgreSQL in the
 * `glossaries` table (pg/pgGlossaryStore.ts), shared by every instance.
 *
 * `scope` is `corpus` or `article:ID` (prefixed, so an article named "corpus" cannot collide). The
 * desk glossary in `corpus/glossary.json` (Services.glossary) stays as it is; `effectiveGlossary`
 * layers the uploaded ones over it.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { WriteQueue } from './writeQueue.js';
import { glossaryEntryKey, type GlossaryEntry } from '../core/glossary.js';

export const CORPUS_SCOPE = 'corpus';

/** The scope key of an article's own glossary. */
export function articleScope(articleId: string): string {
  return `article:${articleId}`;
}

export interface StoredGlossary {
  scope: string;
  entries: GlossaryEntry[];
  updatedAt: string;
  updatedBy: string;
}

export type GlossaryMode = 'replace' | 'merge';

export interface GlossaryStore {
  /** The uploaded entries of a scope (empty when there are none). */
  get(scope: string): Promise<GlossaryEntry[]>;
  /** Every stored glossary. */
  list(): Promise<StoredGlossary[]>;
  /** Replaces the scope's entries, or merges into them (same term, case-insensitive: the new entry wins). Returns what is stored. */
  put(scope: string, entries: GlossaryEntry[], by: { at: string; username: string }, mode?: GlossaryMode): Promise<GlossaryEntry[]>;
  remove(scope: string): Promise<boolean>;
  /**
   * Changes with every change, so derived glossaries can be cached: the revision last seen by this
   * process. Where other processes share the glossaries (PostgreSQL), call `refresh()` first.
   */
  revision(): number;
  /** Catches up with changes made by other processes and returns the revision (lowdb: `revision()`). */
  refresh(): Promise<number>;
  /** Stores a glossary exactly as given (entries, time and author), replacing the scope's: for `npm run migrate`. */
  restore(glossary: StoredGlossary): Promise<void>;
}

/** Later lists override earlier ones entry by entry (same term and language pair, case-insensitive); order is kept. */
export function mergeGlossaries(...lists: GlossaryEntry[][]): GlossaryEntry[] {
  const out = new Map<string, GlossaryEntry>();
  for (const list of lists) {
    for (const e of list) {
      const k = glossaryEntryKey(e);
      if (out.has(k)) out.delete(k);
      out.set(k, e);
    }
  }
  return [...out.values()];
}

interface GlossariesFile {
  version: 1;
  glossaries: StoredGlossary[];
}

abstract class BaseGlossaryStore implements GlossaryStore {
  protected abstract data(): GlossariesFile;
  protected abstract write(change: (d: GlossariesFile) => void): Promise<void>;
  #revision = 0;

  revision() {
    return this.#revision;
  }

  async refresh() {
    return this.#revision;
  }

  async get(scope: string) {
    return structuredClone(this.data().glossaries.find((g) => g.scope === scope)?.entries ?? []);
  }

  async list() {
    return structuredClone(this.data().glossaries);
  }

  async put(scope: string, entries: GlossaryEntry[], by: { at: string; username: string }, mode: GlossaryMode = 'replace') {
    let stored: GlossaryEntry[] = [];
    await this.write((d) => {
      const i = d.glossaries.findIndex((g) => g.scope === scope);
      const before = i >= 0 ? d.glossaries[i]!.entries : [];
      stored = mode === 'merge' ? mergeGlossaries(before, entries) : mergeGlossaries(entries);
      const record: StoredGlossary = { scope, entries: structuredClone(stored), updatedAt: by.at, updatedBy: by.username };
      if (i >= 0) d.glossaries[i] = record;
      else d.glossaries.push(record);
    });
    this.#revision++;
    return structuredClone(stored);
  }

  async restore(glossary: StoredGlossary) {
    await this.write((d) => {
      const record = structuredClone(glossary);
      const i = d.glossaries.findIndex((g) => g.scope === glossary.scope);
      if (i >= 0) d.glossaries[i] = record;
      else d.glossaries.push(record);
    });
    this.#revision++;
  }

  async remove(scope: string) {
    if (!this.data().glossaries.some((g) => g.scope === scope)) return false;
    await this.write((d) => {
      d.glossaries = d.glossaries.filter((g) => g.scope !== scope);
    });
    this.#revision++;
    return true;
  }
}

export class LowdbGlossaryStore extends BaseGlossaryStore {
  #db: Low<GlossariesFile>;
  #writes: WriteQueue<GlossariesFile>;

  private constructor(db: Low<GlossariesFile>) {
    super();
    this.#db = db;
    this.#writes = new WriteQueue(db);
  }

  static async open(dataDir: string): Promise<LowdbGlossaryStore> {
    const file = new DataFile<GlossariesFile>(join(dataDir, 'glossaries.json'), { parse: JSON.parse, stringify: (d) => JSON.stringify(d, null, 1) });
    const db = new Low<GlossariesFile>(file, { version: 1, glossaries: [] });
    await db.read();
    if (!db.data || !Array.isArray(db.data.glossaries)) db.data = { version: 1, glossaries: [] };
    return new LowdbGlossaryStore(db);
  }

  protected data() {
    return this.#db.data;
  }

  protected write(change: (d: GlossariesFile) => void): Promise<void> {
    return this.#writes.write(change);
  }
}

/** For tests and stores that have no data directory. */
export class MemoryGlossaryStore extends BaseGlossaryStore {
  #data: GlossariesFile = { version: 1, glossaries: [] };

  protected data() {
    return this.#data;
  }

  protected async write(change: (d: GlossariesFile) => void) {
    const draft = structuredClone(this.#data);
    change(draft);
    this.#data = draft;
  }
}

/** The glossary that applies to an article: the desk file, then uploaded corpus entries, then the article's own. */
export async function effectiveGlossary(deskGlossary: GlossaryEntry[], glossaries: GlossaryStore, articleId?: string): Promise<GlossaryEntry[]> {
  const corpus = await glossaries.get(CORPUS_SCOPE);
  const article = articleId ? await glossaries.get(articleScope(articleId)) : [];
  return mergeGlossaries(deskGlossary, corpus, article);
}
