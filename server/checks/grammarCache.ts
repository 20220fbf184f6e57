/**
 * Grammar flags per paragraph text, computed in the background and remembered. Harper costs tens of
 * milliseconds per paragraph (and over a second to start), so pages never wait for it: they show
 * what is known and fetch the rest as it is ready. Harper runs on its own worker thread (see
 * grammar.ts); a text that another request is already linting is waited for, not linted twice.
 */
import { createHash } from 'node:crypto';
import { countFlags, lintParagraph, type GrammarFlag } from './grammar.js';

const MAX_ENTRIES = 20_000;

export interface ParagraphFlags {
  count: number;
  flags: GrammarFlag[];
}

function key(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

export class GrammarCache {
  #cache = new Map<string, ParagraphFlags>();
  /** Texts being linted right now, by key. */
  #running = new Map<string, Promise<void>>();
  #lint: (text: string) => Promise<GrammarFlag[]>;

  constructor(lint: (text: string) => Promise<GrammarFlag[]> = lintParagraph) {
    this.#lint = lint;
  }

  get(text: string): ParagraphFlags | undefined {
    return this.#cache.get(key(text));
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
      if (this.#cache.size >= MAX_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(k, { count: countFlags(flags), flags });
    } finally {
      this.#running.delete(k);
    }
  }
}
