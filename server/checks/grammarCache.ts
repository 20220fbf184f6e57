/**
 * Grammar flags per paragraph text, computed in the background and remembered. Harper costs tens of
 * milliseconds per paragraph (and over a second to start), so pages never wait for it: they show
 * what is known and fetch the rest as it is ready. Harper runs on its own worker thread (see
 * grammar.ts); a text that another request is already linting is waited for, not linted twice.
 * Bounded by entries and by (estimated) bytes, the oldest entry going first: a paragraph can carry
 * up to 500 flags, so a count alone would let the cache grow to gigabytes.
 */
import { createHash } from 'node:crypto';
import { countFlags, lintParagraph, warmUpGrammar, type GrammarFlag } from './grammar.js';

const MAX_ENTRIES = 20_000;
const MAX_BYTES = 32 * 1024 * 1024;

export interface ParagraphFlags {
  count: number;
  flags: GrammarFlag[];
}

/** Rough heap size of an entry: its key, the object and array, and each flag with its strings. */
function sizeOf(flags: readonly GrammarFlag[]): number {
  let n = 160;
  for (const f of flags) n += 96 + 2 * (f.kind.length + f.message.length + (f.suggestion?.length ?? 0));
  return n;
}

function key(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

export class GrammarCache {
  #cache = new Map<string, ParagraphFlags>();
  #bytes = 0;
  /** Texts being linted right now, by key. */
  #running = new Map<string, Promise<void>>();
  #lint: (text: string) => Promise<GrammarFlag[]>;
  #maxBytes: number;
  /** Whether a `prepare` is under way. */
  #preparing = false;

  constructor(lint: (text: string) => Promise<GrammarFlag[]> = lintParagraph, maxBytes = MAX_BYTES) {
    this.#lint = lint;
    this.#maxBytes = maxBytes;
  }

  /**
   * Someone is about to change `text` (an edit box opened, a suggestion asked for): have the linter ready
   * for what comes (grammar.ts's `warmUpGrammar` with the text). One at a time: a call while one runs
   * does nothing. Never rejects; callers need not wait.
   */
  async prepare(text: string): Promise<void> {
    if (this.#preparing) return;
    this.#preparing = true;
    try {
      await warmUpGrammar(text);
    } catch {
      // Only means the flags come later, when they are asked for.
    } finally {
      this.#preparing = false;
    }
  }

  get(text: string): ParagraphFlags | undefined {
    return this.#cache.get(key(text));
  }

  /** Entries and their estimated bytes. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.#cache.size, bytes: this.#bytes };
  }

  /** Lints the texts not known yet, one at a time, until the time budget is spent. */
  async fill(texts: string[], budgetMs: number): Promise<void> {
    const until = Date.now() + budgetMs;
    for (const text of texts) {
      if (Date.now() > until) return;
      const k = key(text);
      if (this.#cache.has(k)) continue;
      let running = this.#running.get(k);
      if (!running) {
        running = this.#lintInto(k, text);
        this.#running.set(k, running);
      }
      await running;
    }
  }

  async #lintInto(k: string, text: string): Promise<void> {
    try {
      const flags = await this.#lint(text);
      const bytes = sizeOf(flags);
      while (this.#cache.size && (this.#cache.size >= MAX_ENTRIES || this.#bytes + bytes > this.#maxBytes)) {
        const [oldest, entry] = this.#cache.entries().next().value!;
        this.#cache.delete(oldest);
        this.#bytes -= sizeOf(entry.flags);
      }
      this.#cache.set(k, { count: countFlags(flags), flags });
      this.#bytes += bytes;
    } finally {
      this.#running.delete(k);
    }
  }
}
