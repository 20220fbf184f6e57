/**
 * One open article of the lowdb store (file layout and guarantees: lowdbStore.ts): its state in
 * memory, the state its files give, and the writer that appends its actions and compacts its journal.
 *
 * Compaction folds the journal into the article file without holding up actions. Between two batches
 * of appends the journal is renamed to ID.compacting.jsonl (one rename) and new lines go to a fresh
 * journal; the durable state of that moment is then written to a temporary file in slices
 * (snapshotFile.ts) while actions go on, renamed over the article file, and only then is the renamed
 * journal removed. Opening replays the article file, ID.compacting.jsonl and the journal, skipping
 * the lines the article file includes, so a kill at any point loses nothing. A compaction made at once
 * (opening, closing, after a failed write) supersedes one still running, which then leaves the
 * article file alone.
 */
import { existsSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import type { Article, Revision, Suggestion } from '../core/types.js';
import { appendTextSync, linesOf, readLines, rewriteLines, writeAtomicSync } from './appendLog.js';
import { asStorageFault } from './faults.js';
import { snapshotText, writeSnapshotSlices } from './snapshotFile.js';

export interface ArticlePaths {
  /** The article file (snapshot). */
  snapshot: string;
  journal: string;
  /** The journal lines a running compaction folds into the article file. */
  compacting: string;
  /** Where that compaction writes the article file before renaming it. */
  compactTmp: string;
  history: string;
  suggestions: string;
}

export interface CompactLimits {
  /** Journal lines after which the article file is rewritten. */
  lines: number;
  /** Journal bytes after which the article file is rewritten. */
  bytes: number;
}

/** An action applied in memory whose appends are not on disk yet. */
export interface PendingAction {
  seq: number;
  /** The article after this action (frozen: later actions work on drafts of it). */
  state: Article;
  line: string;
  revisions: Revision[];
  suggestions: Suggestion[];
}

interface Pending extends PendingAction {
  resolve(): void;
  reject(e: unknown): void;
}

export class HeldArticle {
  /** The latest state, possibly ahead of the disk by the pending actions: what changes build on. */
  data: Article;
  seq: number;
  /** The state the files on disk give: what readers see. */
  durable: Article;
  durableSeq: number;
  /** Bumped when a write fails and memory goes back to the disk's state. */
  generation = 0;
  #journalLines = 0;
  #journalBytes = 0;
  #pending: Pending[] = [];
  #draining = false;
  #writing?: Promise<void>;
  /** The journal may hold lines of actions that failed: compact at once before appending again. */
  #dirty = false;
  #compaction?: Promise<void>;
  /** Bumped by every compaction made at once: a running one must not rename its older file over it. */
  #epoch = 0;

  constructor(
    readonly paths: ArticlePaths,
    article: Article,
    seq: number,
    private readonly limits: CompactLimits,
  ) {
    this.data = this.durable = article;
    this.seq = this.durableSeq = seq;
  }

  /** Queues the appends of an action applied in memory; resolves once its journal line is on disk. */
  append(action: PendingAction): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      this.#pending.push({ ...action, resolve, reject });
    });
    written.catch(() => undefined);
    if (!this.#draining) {
      this.#draining = true;
      this.#writing = this.#drain();
    }
    return written;
  }

  /** Waits until the writer has nothing left to append. */
  async settle(): Promise<void> {
    while (this.#draining) await this.#writing?.catch(() => undefined);
  }

  /** Waits for the writer and for a running compaction (tests; the store before it deletes or closes). */
  async idle(): Promise<void> {
    await this.settle();
    await this.#compaction;
  }

  /** Stops a running compaction from writing the article file (the article is being deleted). */
  async retire(): Promise<void> {
    await this.settle();
    this.#epoch++;
    await this.#compaction;
  }

  /** Folds everything into the article file, if anything is left outside it. */
  async close(): Promise<void> {
    await this.idle();
    if (this.#journalLines || this.#dirty || existsSync(this.paths.compacting)) this.compactNow();
  }

  /**
   * Writes the durable state as the article file at once, then empties the journal and removes the
   * renamed one (in that order: lines the file includes are skipped on replay).
   */
  compactNow(): void {
    this.#epoch++;
    writeAtomicSync(this.paths.snapshot, snapshotText(this.durable, this.durableSeq));
    writeFileSync(this.paths.journal, '');
    rmSync(this.paths.compacting, { force: true });
    this.#journalLines = 0;
    this.#journalBytes = 0;
    this.#dirty = false;
  }

  /** Drops revisions written by an action whose journal line never reached the disk (crash), and torn lines. */
  async repairHistory(): Promise<void> {
    const { items, torn } = await readLines<Revision>(this.paths.history);
    const latest = new Map(this.durable.paragraphs.map((p) => [p.id, p.revision]));
    const seen = new Set<string>();
    const kept = items.filter((r) => {
      const key = `${r.paragraphId}:${r.n}`;
      if (seen.has(key) || r.n > (latest.get(r.paragraphId) ?? 0)) return false;
      seen.add(key);
      return true;
    });
    if (torn || kept.length !== items.length) await rewriteLines(this.paths.history, kept);
    const sug = await readLines<Suggestion>(this.paths.suggestions);
    if (sug.torn) await rewriteLines(this.paths.suggestions, sug.items);
  }

  /** Appends the pending actions, batch after batch, until none is left. */
  async #drain(): Promise<void> {
    try {
      // Let the actions of requests handled in this turn of the event loop join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.#pending.length) {
        const batch = this.#pending.splice(0);
        const files = [this.paths.suggestions, this.paths.history, this.paths.journal];
        let sizes: number[] = [];
        try {
          if (this.#dirty) {
            // An earlier batch failed (disk full, read-only): drop what it left in history first.
            await this.repairHistory();
            this.compactNow();
          }
          sizes = files.map((f) => statSync(f, { throwIfNoEntry: false })?.size ?? 0);
          // Suggestions and revisions first, the journal line last: a revision without its line is
          // dropped on opening, a line without its revisions could not be repaired.
          appendTextSync(files[0]!, linesOf(batch.flatMap((b) => b.suggestions)));
          appendTextSync(files[1]!, linesOf(batch.flatMap((b) => b.revisions)));
          const text = batch.map((b) => b.line).join('');
          appendTextSync(files[2]!, text);
          const last = batch.at(-1)!;
          this.durable = last.state;
          this.durableSeq = last.seq;
          this.#journalLines += batch.length;
          this.#journalBytes += text.length;
        } catch (e) {
          this.#fail(files, sizes);
          try {
            await this.repairHistory();
            this.compactNow();
          } catch {
            // Still dirty: the next write compacts first.
          }
          const fault = asStorageFault(e);
          for (const b of [...batch, ...this.#pending.splice(0)]) b.reject(fault);
          continue;
        }
        for (const b of batch) b.resolve();
        if (this.#journalLines >= this.limits.lines || this.#journalBytes >= this.limits.bytes) this.#startCompaction();
      }
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Nothing of a failed batch counts: memory goes back to the disk's state (the actions queued behind
   * it, built on it, fail too), and what the batch appended (whole or torn lines) is cut off again;
   * where that fails too, the next write repairs history and compacts first, and so does opening.
   */
  #fail(files: string[], sizes: number[]): void {
    this.generation++;
    this.data = this.durable;
    this.seq = this.durableSeq;
    this.#dirty = true;
    files.forEach((f, i) => {
      const before = sizes[i];
      if (before === undefined) return;
      try {
        if ((statSync(f, { throwIfNoEntry: false })?.size ?? 0) > before) truncateSync(f, before);
      } catch {
        // Left for the repair.
      }
    });
  }

  /** Renames the journal away and writes the article file in the background (see the top). */
  #startCompaction(): void {
    if (this.#compaction || this.#dirty) return;
    if (existsSync(this.paths.compacting)) {
      // A compaction that failed left its lines there: fold everything at once before the next append.
      this.#dirty = true;
      return;
    }
    try {
      renameSync(this.paths.journal, this.paths.compacting);
    } catch {
      // The journal is still whole: try again after as many lines again.
      this.#journalLines = 0;
      this.#journalBytes = 0;
      return;
    }
    this.#journalLines = 0;
    this.#journalBytes = 0;
    const done = this.#writeSnapshot(this.durable, this.durableSeq, this.#epoch);
    this.#compaction = done;
    void done.finally(() => {
      if (this.#compaction === done) this.#compaction = undefined;
    });
  }

  async #writeSnapshot(state: Article, seq: number, epoch: number): Promise<void> {
    const { snapshot, compacting, compactTmp } = this.paths;
    try {
      await writeSnapshotSlices(compactTmp, state, seq);
      // Checked and renamed in one go: nothing else runs in between on this thread.
      if (epoch !== this.#epoch) {
        rmSync(compactTmp, { force: true });
        return;
      }
      renameSync(compactTmp, snapshot);
      rmSync(compacting, { force: true });
    } catch {
      try {
        rmSync(compactTmp, { force: true });
      } catch {
        // Opening removes leftover temporary files.
      }
      // The lines are split over two journals: the next write folds them at once.
      if (epoch === this.#epoch) this.#dirty = true;
    }
  }
}
