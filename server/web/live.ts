/**
 * The live desk over HTTP:
 *
 *   GET  /api/articles/:id/events     Server-Sent Events: `change` (one per committed action, with an
 *                                     `id:` line; Last-Event-ID resumes), `presence` (who is where),
 *                                     `run` (progress of a batch run working on the article),
 *                                     `reset` (what was missed cannot be told: reload), heartbeats
 *   POST /api/articles/:id/presence   {paragraphId?, editing?, gone?}: where this user is
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import type { ArticleEvent, PresenceNote } from '../store/changeFeed.js';
import { actorOf, authorize } from './session.js';

/** Heartbeat comments keep proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** Presence older than this is gone (pages report every PRESENCE_EVERY_MS while open). */
export const PRESENCE_TTL_MS = 20_000;

interface Seen {
  username: string;
  paragraphId?: string;
  editing: boolean;
  at: number;
}

/** Who is on which article, fed by every instance's presence notes. */
export class PresenceBoard {
  readonly #articles = new Map<string, Map<string, Seen>>();
  readonly #watchers = new Map<string, Set<() => void>>();
  #unsubscribe: () => void;

  constructor(private readonly services: Services, private readonly now = () => Date.now()) {
    this.#unsubscribe = services.store.changes.onNote((note) => {
      if (note.type === 'presence') this.#take(note);
    });
  }

  #take(note: PresenceNote): void {
    let users = this.#articles.get(note.articleId);
    if (!users) this.#articles.set(note.articleId, (users = new Map()));
    if (note.gone) users.delete(note.username);
    else users.set(note.username, { username: note.username, ...(note.paragraphId ? { paragraphId: note.paragraphId } : {}), editing: !!note.editing, at: this.now() });
    for (const w of this.#watchers.get(note.articleId) ?? []) w();
  }

  /** Everyone seen on the article within the last PRESENCE_TTL_MS, by name. */
  list(articleId: string): Array<Omit<Seen, 'at'>> {
    const users = this.#articles.get(articleId);
    if (!users) return [];
    const fresh = this.now() - PRESENCE_TTL_MS;
    for (const [name, s] of users) if (s.at < fresh) users.delete(name);
    return [...users.values()].sort((a, b) => a.username.localeCompare(b.username)).map(({ at: _at, ...s }) => s);
  }

  watch(articleId: string, fn: () => void): () => void {
    let set = this.#watchers.get(articleId);
    if (!set) this.#watchers.set(articleId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.#watchers.delete(articleId);
    };
  }

  send(note: Omit<PresenceNote, 'at'>): Promise<void> {
    return this.services.store.changes.sendNote({ type: 'presence', ...note, at: new Date(this.now()).toISOString() });
  }

  close(): void {
    this.#unsubscribe();
  }
}

const boards = new WeakMap<Services, PresenceBoard>();
export function presenceBoard(services: Services): PresenceBoard {
  let b = boards.get(services);
  if (!b) boards.set(services, (b = new PresenceBoard(services)));
  return b;
}

const presenceSchema = z.object({
  paragraphId: z.string().max(100).optional(),
  editing: z.boolean().optional(),
  gone: z.boolean().optional(),
});

function lastEventId(req: Request): string | undefined {
  const header = req.get('last-event-id');
  const query = typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
  const id = (header ?? query)?.trim();
  return id && id.length <= 64 ? id : undefined;
}

function send(res: Response, event: string, data: unknown, id?: string): void {
  res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function liveRouter(services: Services, options: { heartbeatMs?: number } = {}): Router {
  const r = Router();
  const board = presenceBoard(services);
  /** Open streams per article and user in this process: a user is gone when their last one closes. */
  const open = new Map<string, number>();

  r.get('/articles/:id/events', authorize('read'), async (req, res) => {
    const articleId = req.params.id;
    if (!(await services.store.readArticle(articleId))) throw new NotFoundError(`no article "${articleId}"`);
    const me = actorOf(res).username;
    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx: do not buffer this response (the README's snippet also sets proxy_buffering off).
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    // Subscribe first, then send what was missed: nothing falls between the two.
    const early: ArticleEvent[] = [];
    let ready = false;
    let last = '';
    const deliver = (e: ArticleEvent) => {
      if (!ready) return void early.push(e);
      if (last && compareIds(e.id, last) <= 0) return;
      last = e.id;
      send(res, 'change', e, e.id);
    };
    const sub = await services.store.changes.subscribe(articleId, lastEventId(req), deliver);
    if (sub.missed === 'gap') send(res, 'reset', { reason: 'the changes since your last event are no longer known: reload the rows' });
    ready = true;
    for (const e of [...(sub.missed === 'gap' ? [] : sub.missed), ...early]) deliver(e);

    const key = `${articleId}\u0000${me}`;
    open.set(key, (open.get(key) ?? 0) + 1);
    const sendPresence = () => send(res, 'presence', { users: board.list(articleId) });
    const unwatch = board.watch(articleId, sendPresence);
    const unRuns = services.store.changes.onNote((note) => {
      if (note.type !== 'run' || !(note.articleIds.includes(articleId) || note.articleIds.includes('*'))) return;
      const { type: _type, articleIds: _ids, ...run } = note;
      send(res, 'run', run);
    });
    sendPresence();
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
      sendPresence();
    }, options.heartbeatMs ?? HEARTBEAT_MS);

    req.on('close', () => {
      clearInterval(heartbeat);
      unwatch();
      unRuns();
      sub.close();
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else {
        open.delete(key);
        void board.send({ articleId, username: me, gone: true }).catch(() => undefined);
      }
    });
  });

  r.post('/articles/:id/presence', authorize('read'), async (req, res) => {
    const body = presenceSchema.parse(req.body ?? {});
    const articleId = req.params.id;
    if (!(await services.store.readArticle(articleId))) throw new NotFoundError(`no article "${articleId}"`);
    await board.send({ articleId, username: actorOf(res).username, ...body });
    res.json({ users: board.list(articleId) });
  });

  return r;
}

/** Event ids: `boot.n` (lowdb) or a revision seq (PostgreSQL); later ones compare greater. */
function compareIds(a: string, b: string): number {
  const na = Number(a.includes('.') ? a.split('.')[1] : a);
  const nb = Number(b.includes('.') ? b.split('.')[1] : b);
  return na - nb;
}
