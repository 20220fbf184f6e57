import type { Low } from 'lowdb';
import { asStorageFault } from './faults.js';

/**
 * Serialised writes to a small lowdb file, each made on a copy: a failed write leaves memory as it
 * is on disk. For files changed rarely (accounts, glossaries); articles have their own path.
 */
export class WriteQueue<T> {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Low<T>) {}

  write(change: (draft: T) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const draft = structuredClone(this.db.data);
      change(draft);
      const previous = this.db.data;
      this.db.data = draft;
      try {
        await this.db.write();
      } catch (e) {
        this.db.data = previous;
        // A full disk or a read-only directory: a clear message (storage unavailable: …), no path.
        throw asStorageFault(e);
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
