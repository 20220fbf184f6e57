/**
 * The live desk's feed: one event per committed action on an article, in commit order, so every
 * open editor page sees the others' work. Only what was stored is announced: the stores publish
 * after the write (lowdb) or through NOTIFY, which PostgreSQL delivers on COMMIT.
 *
 * Event ids are opaque strings, increasing per article; a client that reconnects names the last one
 * it saw (`Last-Event-ID`) and gets what it missed — or `gap` when the feed no longer holds it (the
 * page then reloads the rows it shows).
 */
import { randomBytes } from 'node:crypto';
import type { Revision, RevisionAction } from '../core/types.js';

export interface ArticleEvent {
  id: string;
  articleId: string;
  action: RevisionAction;
  actor: string;
  at: string;
  /** Every paragraph the action touched, with the revision it left each at. */
  paragraphIds: string[];
  revisions: Record<string, number>;
  /** The first paragraph's revision, for clients that follow one paragraph. */
  paragraphId: string;
  revision: number;
}

export type Listener = (event: ArticleEvent) => void;

/** Where someone is on an article (the live desk's presence); never stored. */
export interface PresenceNote {
  articleId: string;
  username: string;
  /** The row they have selected. */
  paragraphId?: string;
  /** Their editor is open on that row. */
  editing?: boolean;
  /** They left (their last page on the article closed). */
  gone?: boolean;
  at: string;
}

/** A batch run's progress, for the streams of the articles it works on; never stored here. */
export interface RunNote {
  runId: string;
  articleIds: string[];
  status: string;
  counts: { total: number; done: number; failed: number; skipped: number };
  at: string;
}

/** What the instances tell each other besides committed actions. */
export type Note = ({ type: 'presence' } & PresenceNote) | ({ type: 'run' } & RunNote);

export interface Subscription {
  /** Events after the id the client named, or `gap` when they cannot be told. */
  missed: ArticleEvent[] | 'gap';
  close(): void;
}

export interface ChangeFeed {
  /** Follows one article; `after` is the last event id the client saw (absent: from now on). */
  subscribe(articleId: string, after: string | undefined, listener: Listener): Promise<Subscription>;
  /**
   * The id to follow an article from when its page is rendered: asked before the article is read,
   * so a stream opened with it replays every action the page may have missed (and perhaps a few it
   * already shows, which the page skips by revision).
   */
  latestId(articleId: string): Promise<string>;
  /** Listeners in this process (for the load figures and tests). */
  readonly listeners: number;
  /** Tells every instance where someone is, or how a run goes (PostgreSQL: NOTIFY; lowdb: this process). */
  sendNote(note: Note): Promise<void>;
  onNote(listener: (note: Note) => void): () => void;
  close(): Promise<void>;
}

/** The revisions of committed actions, one event per action (revisions of one action share `op`). */
export function groupActions(articleId: string, revisions: Revision[], idOf: (last: Revision, i: number) => string): ArticleEvent[] {
  const byOp = new Map<string, Revision[]>();
  for (const r of revisions) {
    const list = byOp.get(r.op);
    if (list) list.push(r);
    else byOp.set(r.op, [r]);
  }
  return [...byOp.values()].map((list, i) => {
    const first = list[0]!;
    const revs: Record<string, number> = {};
    for (const r of list) revs[r.paragraphId] = Math.max(revs[r.paragraphId] ?? 0, r.n);
    return {
      id: idOf(list.at(-1)!, i),
      articleId,
      action: first.action,
      actor: first.author,
      at: first.at,
      paragraphIds: Object.keys(revs),
      revisions: revs,
      paragraphId: first.paragraphId,
      revision: revs[first.paragraphId]!,
    };
  });
}

/** Listeners per article, shared by both feeds. */
export class ListenerSet {
  readonly #byArticle = new Map<string, Set<Listener>>();
  #count = 0;

  get count(): number {
    return this.#count;
  }

  has(articleId: string): boolean {
    return (this.#byArticle.get(articleId)?.size ?? 0) > 0;
  }

  add(articleId: string, listener: Listener): () => void {
    let set = this.#byArticle.get(articleId);
    if (!set) this.#byArticle.set(articleId, (set = new Set()));
    set.add(listener);
    this.#count++;
    return () => {
      if (set.delete(listener)) this.#count--;
      if (set.size === 0) this.#byArticle.delete(articleId);
    };
  }

  emit(event: ArticleEvent): void {
    for (const l of this.#byArticle.get(event.articleId) ?? []) {
      try {
        l(event);
      } catch (e) {
        console.error('a live-desk listener failed:', e);
      }
    }
  }
}

/** How many recent events per article a process keeps for reconnecting clients (lowdb). */
const KEPT = 1000;

/**
 * The feed of one process (lowdb: one process owns the data directory). Ids are `<boot>.<n>`: after
 * a restart a client's old id is a gap, never mistaken for a newer event.
 */
export class MemoryChangeFeed implements ChangeFeed {
  readonly #boot = randomBytes(4).toString('hex');
  #n = 0;
  readonly #recent = new Map<string, ArticleEvent[]>();
  readonly #listeners = new ListenerSet();

  get listeners(): number {
    return this.#listeners.count;
  }

  /** Announces the committed revisions of an article (call after they are durable). */
  publish(articleId: string, revisions: Revision[]): void {
    if (!revisions.length) return;
    const events = groupActions(articleId, revisions, () => `${this.#boot}.${++this.#n}`);
    let kept = this.#recent.get(articleId);
    if (!kept) this.#recent.set(articleId, (kept = []));
    kept.push(...events);
    if (kept.length > KEPT) kept.splice(0, kept.length - KEPT);
    for (const e of events) this.#listeners.emit(e);
  }

  readonly #notes = new Set<(note: Note) => void>();

  async sendNote(note: Note): Promise<void> {
    for (const l of this.#notes) l(note);
  }

  onNote(listener: (note: Note) => void): () => void {
    this.#notes.add(listener);
    return () => this.#notes.delete(listener);
  }

  /** Forgets a deleted article's events. */
  forget(articleId: string): void {
    this.#recent.delete(articleId);
  }

  async latestId(): Promise<string> {
    return `${this.#boot}.${this.#n}`;
  }

  async subscribe(articleId: string, after: string | undefined, listener: Listener): Promise<Subscription> {
    const close = this.#listeners.add(articleId, listener);
    return { missed: this.#since(articleId, after), close };
  }

  #since(articleId: string, after: string | undefined): ArticleEvent[] | 'gap' {
    if (!after) return [];
    const [boot, n] = after.split('.');
    const seen = Number(n);
    if (boot !== this.#boot || !Number.isInteger(seen) || seen > this.#n) return 'gap';
    const kept = this.#recent.get(articleId) ?? [];
    const missed = kept.filter((e) => Number(e.id.split('.')[1]) > seen);
    // Older than what is kept, and something happened since: the client cannot be told exactly.
    const oldest = kept[0] ? Number(kept[0].id.split('.')[1]) : Infinity;
    if (missed.length === kept.length && kept.length >= KEPT && oldest > seen + 1) return 'gap';
    return missed;
  }

  async close(): Promise<void> {}
}
