/**
 * Invalidation signals between app instances (migration 008): every statement that changes `users`,
 * `api_tokens`, `glossaries` or `glossary_revision` — whatever runs it: any instance, `npm run users`,
 * `npm run migrate`, hand-written SQL — notifies `postedit_invalidate` with the topic (`users`,
 * `glossaries`) from a trigger, delivered when its transaction commits. Each instance LISTENs on a
 * connection of its own (not one of the pool's) and keeps, per topic, a generation that moves on
 * every notification: a cache may keep what it read while the generation it read under is current.
 *
 * The guarantee is "as soon as the notification arrives": PostgreSQL sends it to every listening
 * session at the commit that makes the change, so another instance drops its cached copy within the
 * time that message takes on an idle connection (well under a millisecond on one machine) — a request
 * it already began answering, or one racing that message, may still see the state before. While the
 * connection is not listening (not yet up, lost, closed) `live` is false and the caches must read the
 * database every time; losing and regaining it moves every generation, so nothing read before counts.
 */
import { Client, type Pool } from 'pg';

export const INVALIDATE_CHANNEL = 'postedit_invalidate';
export type Topic = 'users' | 'glossaries';

/** Retry delay after the connection failed or was lost. */
const RETRY_MS = 500;

export class PgSignals {
  readonly #pool: Pool;
  readonly #generations = new Map<Topic, number>([['users', 0], ['glossaries', 0]]);
  #client: Client | undefined;
  #live = false;
  #starting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Whether notifications are being received: only then may anything be cached. */
  get live(): boolean {
    return this.#live;
  }

  /** Moves on every notification of `topic`, and whenever the connection is lost or regained. */
  generation(topic: Topic): number {
    return this.#generations.get(topic)!;
  }

  /** This instance changed `topic` itself: its own caches need not wait for the notification. */
  touch(topic: Topic): void {
    this.#generations.set(topic, this.generation(topic) + 1);
  }

  #touchAll(): void {
    for (const topic of this.#generations.keys()) this.touch(topic);
  }

  /** Begins listening (once; after a loss it tries again by itself). Resolves when listening or when it failed. */
  start(): Promise<void> {
    if (this.#closed || this.#client) return this.#starting ?? Promise.resolve();
    this.#starting ??= this.#connect().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #connect(): Promise<void> {
    const client = new Client({ ...this.#pool.options, application_name: 'postedit-signals' });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (n) => {
      if (n.channel === INVALIDATE_CHANNEL && (n.payload === 'users' || n.payload === 'glossaries')) this.touch(n.payload);
    });
    this.#client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATE_CHANNEL}`);
      // Only listening from now on: the connection must not keep a finished command-line tool alive.
      streamOf(client)?.unref?.();
    } catch {
      this.#lost(client);
      return;
    }
    if (this.#client !== client || this.#closed) return;
    // Whatever was read before listening may have missed a change.
    this.#touchAll();
    this.#live = true;
  }

  #lost(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#live = false;
    this.#touchAll();
    void end(client);
    if (this.#closed) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.start(), RETRY_MS);
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#starting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    this.#live = false;
    this.#touchAll();
    if (client) await end(client);
  }
}

function streamOf(client: Client): { ref?: () => void; unref?: () => void } | undefined {
  return (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
}

/** Ends the connection (referenced again, so that the process waits for it to close). */
function end(client: Client): Promise<void> {
  streamOf(client)?.ref?.();
  return client.end().catch(() => undefined);
}
