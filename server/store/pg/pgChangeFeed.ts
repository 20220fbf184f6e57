/**
 * The live desk's feed on PostgreSQL, across app instances. Every article write ends with
 * `pg_notify('postedit_changes', id)` inside its transaction, which PostgreSQL delivers on COMMIT (and
 * never for a rollback). Each instance hears it on its one listening connection (pgListener.ts) and,
 * for articles it has listeners on, reads the revisions committed since the last it announced: event
 * ids are revision `seq`s, so a reconnecting client resumes from the revisions table itself and never
 * misses an action; when that connection comes back after a loss, every followed article catches up.
 */
import type { Pool } from 'pg';
import type { Revision } from '../../core/types.js';
import { groupActions, ListenerSet, type ArticleEvent, type ChangeFeed, type Listener, type Note, type Subscription } from '../changeFeed.js';
import type { PgListener } from './pgListener.js';

export const CHANGES_CHANNEL = 'postedit_changes';
export const NOTES_CHANNEL = 'postedit_notes';
/** Most revisions read for one catch-up; a client further behind reloads (a gap). */
const MAX_CATCH_UP = 5000;

export class PgChangeFeed implements ChangeFeed {
  readonly #listeners = new ListenerSet();
  /** Per article followed here: the last revision seq announced, and the catch-up in progress. */
  readonly #followed = new Map<string, { last: number; busy: Promise<void> }>();
  readonly #notes = new Set<(note: Note) => void>();

  /** `listener`: the instance's listening connection, closed by its owner (the store), not by the feed. */
  constructor(
    private readonly pool: Pool,
    private readonly listener: PgListener,
  ) {
    listener.on(CHANGES_CHANNEL, (articleId) => {
      if (articleId) this.#caughtUp(articleId);
    });
    listener.on(NOTES_CHANNEL, (payload) => this.#note(payload));
    // Notifications sent while it did not listen are lost: read what was committed meanwhile.
    listener.onState((listening) => {
      if (listening) for (const id of this.#followed.keys()) this.#caughtUp(id);
    });
  }

  async sendNote(note: Note): Promise<void> {
    await this.#listen();
    await this.pool.query('SELECT pg_notify($1, $2)', [NOTES_CHANNEL, JSON.stringify(note)]);
  }

  onNote(listener: (note: Note) => void): () => void {
    this.#notes.add(listener);
    void this.#listen().catch(() => undefined);
    return () => this.#notes.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.count;
  }

  /** Revision seqs of one article grow in commit order: its writes hold the article row's lock. */
  async latestId(articleId: string): Promise<string> {
    const { rows } = await this.pool.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM revisions WHERE article_id = $1', [articleId]);
    return rows[0]?.seq ?? '0';
  }

  async subscribe(articleId: string, after: string | undefined, listener: Listener): Promise<Subscription> {
    await this.#listen();
    if (!this.#followed.has(articleId)) {
      const { rows } = await this.pool.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM revisions WHERE article_id = $1', [articleId]);
      if (!this.#followed.has(articleId)) this.#followed.set(articleId, { last: Number(rows[0]?.seq ?? 0), busy: Promise.resolve() });
    }
    const close = this.#listeners.add(articleId, listener);
    const stop = () => {
      close();
      if (!this.#listeners.has(articleId)) this.#followed.delete(articleId);
    };
    if (after === undefined) return { missed: [], close: stop };
    const seen = Number(after);
    if (!/^\d+$/.test(after) || !Number.isSafeInteger(seen)) return { missed: 'gap', close: stop };
    // Up to what this instance already announced: later ones reach the listener live.
    const upTo = this.#followed.get(articleId)?.last ?? 0;
    const missed = seen >= upTo ? [] : await this.#read(articleId, seen, upTo);
    return { missed: missed ?? 'gap', close: stop };
  }

  /** Actions with revision seq in (after, upTo], or undefined when there are too many to replay. */
  async #read(articleId: string, after: number, upTo = Number.MAX_SAFE_INTEGER): Promise<ArticleEvent[] | undefined> {
    const { rows } = await this.pool.query<{ seq: string; data: Revision }>(
      'SELECT seq, data FROM revisions WHERE article_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4',
      [articleId, after, upTo, MAX_CATCH_UP + 1],
    );
    if (rows.length > MAX_CATCH_UP) return undefined;
    const seqOf = new Map(rows.map((r) => [r.data, Number(r.seq)]));
    return groupActions(articleId, rows.map((r) => r.data), (last) => String(seqOf.get(last)));
  }

  /** A notification for an article: announce what was committed since the last announced revision. */
  #caughtUp(articleId: string): void {
    const f = this.#followed.get(articleId);
    if (!f) return;
    f.busy = f.busy.then(async () => {
      if (this.#followed.get(articleId) !== f) return;
      const events = await this.#read(articleId, f.last).catch((e: unknown) => {
        console.error(`live desk: could not read the changes of ${articleId}:`, (e as Error).message);
        return [];
      });
      for (const e of events ?? []) {
        f.last = Math.max(f.last, Number(e.id));
        this.#listeners.emit(e);
      }
    });
  }

  #note(payload: string): void {
    let note: Note;
    try {
      note = JSON.parse(payload) as Note;
    } catch {
      return;
    }
    for (const l of this.#notes) l(note);
  }

  /** Listening before a subscription reads where it starts, so that no commit falls in between. */
  #listen(): Promise<void> {
    return this.listener.start();
  }

  /** Nothing of its own to close: the store closes the listener. */
  async close(): Promise<void> {}
}
