/**
 * The one LISTEN connection of an app instance on PostgreSQL, for every channel it follows: the live
 * desk's feed (pgChangeFeed.ts) and the cache invalidation signals (pgSignals.ts). A client of its own,
 * not one of the pool's: it holds no pool slot while idle for hours, and once listening it does not
 * keep a finished command-line tool alive.
 *
 * Notifications sent while it does not listen (not yet connected, lost, closed) are never delivered:
 * `onState` tells the followers when it starts and stops listening, so that they drop what they
 * cached and catch up. Lost, it connects again by itself and LISTENs on every channel again.
 */
import { Client, type Pool } from 'pg';

/** The listening connection's application_name (pg_stat_activity). */
export const LISTENER_APPLICATION = 'postedit-listener';

/** Retry delay after the connection failed or was lost. */
const RETRY_MS = 500;

/** Channel names go into the LISTEN statement unquoted. */
const CHANNEL = /^[a-z_][a-z0-9_]*$/;

export type NotificationHandler = (payload: string) => void;
export type StateHandler = (listening: boolean) => void;

export class PgListener {
  readonly #pool: Pool;
  readonly #handlers = new Map<string, Set<NotificationHandler>>();
  readonly #states = new Set<StateHandler>();
  #client: Client | undefined;
  #listening = false;
  #started = false;
  #starting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Whether notifications are being received right now. */
  get listening(): boolean {
    return this.#listening;
  }

  /**
   * Calls `handler` with the payload of every notification on `channel`. Channels are set before the
   * first start: one added later would be trusted before its LISTEN took effect.
   */
  on(channel: string, handler: NotificationHandler): () => void {
    if (!CHANNEL.test(channel)) throw new Error(`"${channel}" is not a channel name`);
    let handlers = this.#handlers.get(channel);
    if (!handlers) {
      if (this.#started) throw new Error(`channel "${channel}" added after the listener started`);
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  /** Calls `handler` each time it starts listening (true) and each time it stops (false). */
  onState(handler: StateHandler): () => void {
    this.#states.add(handler);
    return () => this.#states.delete(handler);
  }

  /**
   * Listens (connecting, or waiting for the connection under way, if need be). Rejects when the
   * connection failed; it tries again by itself. Once closed, resolves without listening.
   */
  start(): Promise<void> {
    this.#started = true;
    if (this.#closed || this.#listening) return Promise.resolve();
    this.#starting ??= this.#connect().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #connect(): Promise<void> {
    clearTimeout(this.#retry);
    const client = new Client({ ...this.#pool.options, application_name: LISTENER_APPLICATION });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (n) => this.#dispatch(n.channel, n.payload ?? ''));
    this.#client = client;
    try {
      await client.connect();
      const channels = [...this.#handlers.keys()];
      if (channels.length > 0) await client.query(channels.map((c) => `LISTEN ${c}`).join('; '));
      // Only listening from now on: the connection must not keep a finished command-line tool alive.
      streamOf(client)?.unref?.();
    } catch (e) {
      this.#lost(client);
      throw e;
    }
    if (this.#closed) return;
    if (this.#client !== client) throw new Error('the listening connection was lost');
    this.#listening = true;
    this.#announce(true);
  }

  #dispatch(channel: string, payload: string): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (e) {
        console.error(`a notification on ${channel} failed:`, (e as Error).message);
      }
    }
  }

  #announce(listening: boolean): void {
    for (const handler of this.#states) handler(listening);
  }

  #lost(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    void end(client);
    this.#announce(false);
    if (this.#closed) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.start().catch(() => undefined), RETRY_MS);
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#starting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    this.#listening = false;
    this.#announce(false);
    if (client) await end(client);
  }
}

type Stream = { ref?: () => void; unref?: () => void };

function streamOf(client: Client): Stream | undefined {
  return (client as unknown as { connection?: { stream?: Stream } }).connection?.stream;
}

/** Ends the connection (referenced again, so that the process waits for it to close). */
function end(client: Client): Promise<void> {
  streamOf(client)?.ref?.();
  return client.end().catch(() => undefined);
}
