/**
 * Invalidation signals between app instances (migration 008): every statement that changes `users`,
 * `api_tokens`, `glossaries` or `glossary_revision` — whatever runs it: any instance, `npm run users`,
 * `npm run migrate`, hand-written SQL — notifies `postedit_invalidate` with the topic (`users`,
 * `glossaries`) from a trigger, delivered when its transaction commits. Each instance hears it on its
 * one listening connection (pgListener.ts) and keeps, per topic, a generation that moves on every
 * notification: a cache may keep what it read while the generation it read under is current.
 *
 * The guarantee is "as soon as the notification arrives": PostgreSQL sends it to every listening
 * session at the commit that makes the change, so another instance drops its cached copy within the
 * time that message takes on an idle connection (well under a millisecond on one machine) — a request
 * it already began answering, or one racing that message, may still see the state before. While the
 * connection is not listening (not yet up, lost, closed) `live` is false and the caches must read the
 * database every time; losing and regaining it moves every generation, so nothing read before counts.
 */
import type { PgListener } from './pgListener.js';

export const INVALIDATE_CHANNEL = 'postedit_invalidate';
export type Topic = 'users' | 'glossaries';

export class PgSignals {
  readonly #listener: PgListener;
  readonly #generations = new Map<Topic, number>([['users', 0], ['glossaries', 0]]);

  constructor(listener: PgListener) {
    this.#listener = listener;
    listener.on(INVALIDATE_CHANNEL, (topic) => {
      if (topic === 'users' || topic === 'glossaries') this.touch(topic);
    });
    // Whatever was read before listening may have missed a change; nothing read while not listening counts.
    listener.onState(() => this.#touchAll());
  }

  /** Whether notifications are being received: only then may anything be cached. */
  get live(): boolean {
    return this.#listener.listening;
  }

  /** Moves on every notification of `topic`, and whenever the connection is lost or regained. */
  generation(topic: Topic): number {
    return this.#generations.get(topic)!;
  }

  /** The generation to read `topic` under, or undefined when not listening (then nothing read may be kept). */
  readAt(topic: Topic): number | undefined {
    return this.live ? this.generation(topic) : undefined;
  }

  /** Whether what was read under `generation` (from `readAt`) may be kept: still listening, nothing notified since. */
  stillAt(topic: Topic, generation: number | undefined): generation is number {
    return generation !== undefined && this.live && this.generation(topic) === generation;
  }

  /** This instance changed `topic` itself: its own caches need not wait for the notification. */
  touch(topic: Topic): void {
    this.#generations.set(topic, this.generation(topic) + 1);
  }

  #touchAll(): void {
    for (const topic of this.#generations.keys()) this.touch(topic);
  }

  /** Begins listening (after a loss the listener tries again by itself). Resolves when listening or when it failed. */
  start(): Promise<void> {
    return this.#listener.start().catch(() => undefined);
  }
}
