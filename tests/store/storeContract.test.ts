/**
 * One contract, every store: the lowdb store always, the PostgreSQL store when a server is available
 * (DATABASE_URL, or POSTEDIT_PG_TESTS=1 with the server binaries: see tests/support/postgres.ts).
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article, Revision, Role, Suggestion } from '../../server/core/types.js';
import { LowdbStore, summarize } from '../../server/store/lowdbStore.js';
import { openStores } from '../../server/store/open.js';
import { NotFoundError, type Store } from '../../server/store/types.js';
import { hashSecret, LowdbUserStore, type Session, type User, type UserStore } from '../../server/store/userStore.js';
import { tempDir } from '../support/app.js';
import { pgForTests, pgSkipReason, type PgForTests } from '../support/postgres.js';
import { ownParagraph } from '../../server/core/draft.js';

const pgReason = pgSkipReason();
if (pgReason) console.warn(`storeContract: the PostgreSQL store is skipped: ${pgReason}`);

let pg: PgForTests | undefined;
beforeAll(async () => {
  if (!pgReason) pg = await pgForTests();
});
afterAll(async () => pg?.close());

interface Opened {
  store: Store;
  /** Another handle on the same data, as a restarted process would open it. */
  reopen(): Promise<Store>;
}

interface Backend {
  name: string;
  skip: string | undefined;
  open(): Promise<Opened>;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const backends: Backend[] = [
  {
    name: 'lowdb',
    skip: undefined,
    async open() {
      const dir = await tempDir();
      const store = await LowdbStore.open(dir);
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return { store, reopen: () => LowdbStore.open(dir) };
    },
  },
  {
    name: 'postgresql',
    skip: pgReason,
    async open() {
      const db = await pg!.database();
      const dir = await tempDir();
      const open = async () => {
        const { store } = await openStores(dir, { DATABASE_URL: db.url });
        cleanups.unshift(() => store.close());
        return store;
      };
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return { store: await open(), reopen: open };
    },
  },
];

const STRANGE = 'NUL \u0000, emoji 🎉, "quotes", back\\slash, ünïcødé, <b>&amp;</b>';

function article(id: string, paragraphs = 1): { article: Article; revisions: Revision[] } {
  const at = new Date().toISOString();
  const article: Article = {
    id, title: `Title ${id}`, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, hasSource: false, hasReference: false,
    paragraphs: Array.from({ length: paragraphs }, (_, i) => ({
      id: `p${i + 1}`, index: i, kind: i === 0 ? ('heading' as const) : ('body' as const), mt: `Hello world ${i}.`, text: `Hello world ${i}.`, status: 'pending' as const, revision: 1,
    })),
    nextParagraph: paragraphs + 1, undo: [],
  };
  const revisions: Revision[] = article.paragraphs.map((p) => ({
    n: 1, paragraphId: p.id, action: 'import', author: 'a', at, text: p.text, status: 'pending', diff: { added: 2, removed: 0 }, op: 'o1',
  }));
  return { article, revisions };
}

function bump(text: string, paragraphId = 'p1', suggestion = false) {
  return (a: Article) => {
    const p = ownParagraph(a, a.paragraphs.findIndex((x) => x.id === paragraphId));
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    a.updatedAt = new Date().toISOString();
    const rev: Revision = { n: p.revision, paragraphId, action: 'edit', author: 'a', at: a.updatedAt, text, status: 'edited', diff: { added: 1, removed: 1 }, op: `o${p.revision}` };
    const suggestions: Suggestion[] = suggestion
      ? [{ id: `s-${paragraphId}-${p.revision}`, paragraphId, engine: 'offline', model: 'v1', text, basedOn: 'Hello', checks: [], createdAt: a.updatedAt }]
      : [];
    return { result: p.revision, revisions: [rev], suggestions };
  };
}

describe.each(backends)('the $name store', ({ skip, open }) => {
  const test = skip ? it.skip : it;
  if (skip) it.skip(`(skipped: ${skip})`, () => undefined);

  test('creates, gets, lists and finds articles by content hash', async () => {
    const { store } = await open();
    const one = article('one', 3);
    const two = article('two');
    await store.createArticle(one.article, one.revisions);
    await store.createArticle(two.article, two.revisions);

    expect(await store.getArticle('one')).toEqual(one.article);
    expect(await store.getArticle('missing')).toBeUndefined();
    expect(await store.getArticle('../../etc/passwd')).toBeUndefined();
    expect(await store.findArticleByHash('hash-two')).toBe('two');
    expect(await store.findArticleByHash('hash-none')).toBeUndefined();
    expect(await store.listArticles()).toEqual([summarize(one.article), summarize(two.article)]);
    await expect(store.createArticle(article('one').article, [])).rejects.toThrow(/exists/);
    expect(await store.history('one')).toEqual(one.revisions);
    expect(await store.suggestions('one')).toEqual([]);
  });

  test('lists summaries exactly as summarize() makes them: counts, review state, deleted paragraphs', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('mixed', 4);
    a.paragraphs[0]!.review = 'approved';
    a.paragraphs[0]!.status = 'accepted';
    a.paragraphs[1]!.review = 'in-review';
    a.paragraphs[1]!.status = 'edited';
    a.paragraphs[2]!.status = 'deleted';
    a.paragraphs[3]!.comments = [{ id: 'c1', author: 'a', at: a.createdAt, text: 'see this' }];
    a.hasSource = true;
    await store.createArticle(a, revisions);
    const [summary] = await store.listArticles();
    expect(summary).toEqual(summarize(a));
    expect(summary).toMatchObject({ review: 'in review', paragraphs: 3, counts: { accepted: 1, edited: 1, deleted: 1, pending: 1 }, hasSource: true });
  });

  test('persists an update with its revisions and suggestions; history is ordered, also after reopening', async () => {
    const { store, reopen } = await open();
    const { article: a, revisions } = article('upd', 2);
    await store.createArticle(a, revisions);
    expect(await store.updateArticle('upd', bump('Second.', 'p1', true))).toBe(2);
    expect(await store.updateArticle('upd', bump(STRANGE, 'p2'))).toBe(2);
    expect(await store.updateArticle('upd', bump('Third.', 'p1', true))).toBe(3);

    const check = async (s: Store) => {
      const got = (await s.getArticle('upd'))!;
      expect(got.paragraphs.map((p) => [p.text, p.revision])).toEqual([['Third.', 3], [STRANGE, 2]]);
      expect((await s.history('upd', 'p1')).map((r) => [r.n, r.text])).toEqual([[1, 'Hello world 0.'], [2, 'Second.'], [3, 'Third.']]);
      expect((await s.history('upd')).map((r) => `${r.paragraphId}:${r.n}`)).toEqual(['p1:1', 'p2:1', 'p1:2', 'p2:2', 'p1:3']);
      expect((await s.history('upd', 'p2')).at(-1)!.text).toBe(STRANGE);
      expect((await s.suggestions('upd')).map((x) => x.id)).toEqual(['s-p1-2', 's-p1-3']);
      expect(await s.history('upd', 'p9')).toEqual([]);
    };
    await check(store);
    await store.close();
    const again = await reopen();
    await check(again);
    await again.close();
  });

  test('serialises 50 parallel updates of one article: none lost, none duplicated', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('busy');
    await store.createArticle(a, revisions);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.updateArticle('busy', bump(`text ${i}`))));
    expect(new Set(results).size).toBe(50);
    expect((await store.getArticle('busy'))!.paragraphs[0]!.revision).toBe(51);
    expect((await store.history('busy', 'p1')).map((r) => r.n)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  test('checks the base revision on the locked copy: of two changes on one base, the second is refused', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('base');
    await store.createArticle(a, revisions);
    const guarded = (text: string) => (x: Article) => {
      if (x.paragraphs[0]!.revision !== 1) throw new Error('stale');
      return bump(text)(x);
    };
    const outcomes = await Promise.allSettled([store.updateArticle('base', guarded('A')), store.updateArticle('base', guarded('B'))]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await store.history('base', 'p1')).map((r) => r.n)).toEqual([1, 2]);
  });

  test('stores nothing when a change throws, before or after changing the draft', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('safe');
    await store.createArticle(a, revisions);
    await expect(store.updateArticle('safe', (draft) => {
      ownParagraph(draft, 0).text = 'half-done';
      throw new Error('refused');
    })).rejects.toThrow('refused');
    await expect(store.updateArticle('safe', async (draft) => {
      bump('async half-done', 'p1', true)(draft);
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('refused later');
    })).rejects.toThrow('refused later');
    expect(await store.getArticle('safe')).toEqual(a);
    expect(await store.history('safe')).toEqual(revisions);
    expect(await store.suggestions('safe')).toEqual([]);
    // …and the article is not left locked.
    expect(await store.updateArticle('safe', bump('after'))).toBe(2);
  });

  test('gives out copies: changing a returned or created article changes nothing stored', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('copy');
    await store.createArticle(a, revisions);
    a.paragraphs[0]!.text = 'changed after create';
    const got = (await store.getArticle('copy'))!;
    got.paragraphs[0]!.text = 'mutated';
    const history = await store.history('copy');
    history[0]!.text = 'mutated history';
    expect((await store.getArticle('copy'))!.paragraphs[0]!.text).toBe('Hello world 0.');
    expect((await store.history('copy'))[0]!.text).toBe('Hello world 0.');
  });

  test('deletes an article with its history; the id can be used again', async () => {
    const { store } = await open();
    const { article: a, revisions } = article('gone');
    await store.createArticle(a, revisions);
    await store.updateArticle('gone', bump('x', 'p1', true));
    expect(await store.deleteArticle('gone')).toBe(true);
    expect(await store.deleteArticle('gone')).toBe(false);
    expect(await store.getArticle('gone')).toBeUndefined();
    expect(await store.findArticleByHash('hash-gone')).toBeUndefined();
    expect(await store.listArticles()).toEqual([]);
    await expect(store.history('gone')).rejects.toThrow(/no article/);
    await expect(store.suggestions('gone')).rejects.toThrow(/no article/);
    await expect(store.updateArticle('gone', bump('y'))).rejects.toBeInstanceOf(NotFoundError);

    await store.createArticle(a, revisions);
    expect((await store.history('gone')).map((r) => r.n)).toEqual([1]);
    expect(await store.suggestions('gone')).toEqual([]);
  });

  test('answers "not found" for unknown and malformed ids', async () => {
    const { store } = await open();
    await expect(store.updateArticle('nope', bump('x'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.history('../x')).rejects.toThrow(/no article/);
    await expect(store.suggestions('nope')).rejects.toThrow(/no article/);
    expect(await store.deleteArticle('nope')).toBe(false);
  });
});

const userBackends = backends.map((b) => ({
  name: b.name,
  skip: b.skip,
  async open(): Promise<{ users: UserStore; reopen(): Promise<UserStore> }> {
    if (b.name === 'lowdb') {
      const dir = await tempDir();
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return { users: await LowdbUserStore.open(dir), reopen: () => LowdbUserStore.open(dir) };
    }
    const db = await pg!.database();
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const open = async () => {
      const { store, users } = await openStores(dir, { DATABASE_URL: db.url });
      cleanups.unshift(() => store.close());
      return users;
    };
    return { users: await open(), reopen: open };
  },
}));

function user(username: string, role: Role = 'editor'): User {
  return { username, role, passwordHash: `scrypt$hash-of-${username}`, createdAt: new Date().toISOString(), tokens: [] };
}

function session(username: string, secret: string, expiresInMs = 60_000): Session {
  const now = Date.now();
  return { hash: hashSecret(secret), username, csrfToken: `csrf-${secret}`, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + expiresInMs).toISOString() };
}

describe.each(userBackends)('the $name user store', ({ skip, open }) => {
  const test = skip ? it.skip : it;
  if (skip) it.skip(`(skipped: ${skip})`, () => undefined);

  test('saves, lists (in creation order), changes and deletes users; gives out copies', async () => {
    const { users, reopen } = await open();
    expect(await users.countUsers()).toBe(0);
    await users.saveUser(user('zed', 'admin'));
    await users.saveUser(user('amy'));
    expect(await users.countUsers()).toBe(2);
    expect((await users.listUsers()).map((u) => u.username)).toEqual(['zed', 'amy']);
    const amy = (await users.getUser('amy'))!;
    expect(amy).toEqual(expect.objectContaining({ username: 'amy', role: 'editor', tokens: [] }));
    amy.role = 'reviewer';
    expect((await users.getUser('amy'))!.role).toBe('editor');
    await users.saveUser(amy);
    expect((await (await reopen()).getUser('amy'))!.role).toBe('reviewer');
    expect((await users.listUsers()).map((u) => u.username)).toEqual(['zed', 'amy']);
    expect(await users.getUser('nobody')).toBeUndefined();
    expect(await users.deleteUser('zed')).toBe(true);
    expect(await users.deleteUser('zed')).toBe(false);
    expect((await users.listUsers()).map((u) => u.username)).toEqual(['amy']);
  });

  test('finds a user by API token secret; a token dropped from the user no longer works', async () => {
    const { users } = await open();
    const u = user('bob');
    const at = new Date().toISOString();
    u.tokens.push({ id: 't1', name: 'one', hash: hashSecret('secret-1'), createdAt: at }, { id: 't2', name: 'two', hash: hashSecret('secret-2'), createdAt: at });
    await users.saveUser(u);
    expect((await users.findUserByToken('secret-2'))!.tokens.map((t) => t.name)).toEqual(['one', 'two']);
    expect(await users.getUser('bob')).toEqual(u);
    u.tokens = u.tokens.filter((t) => t.id !== 't1');
    await users.saveUser(u);
    expect(await users.findUserByToken('secret-1')).toBeUndefined();
    expect((await users.findUserByToken('secret-2'))!.username).toBe('bob');
    expect(await users.findUserByToken('nope')).toBeUndefined();
  });

  test('changes one field of a user in place: creates once, adds and removes tokens, sets a password hash revoking tokens', async () => {
    const { users, reopen } = await open();
    expect(await users.createUser(user('fin', 'reviewer'))).toBe(true);
    expect(await users.createUser(user('fin', 'admin'))).toBe(false);
    const at = new Date().toISOString();
    expect(await users.addToken('fin', { id: 'k1', name: 'one', hash: hashSecret('key-1'), createdAt: at })).toBe(true);
    expect(await users.addToken('fin', { id: 'k2', name: 'two', hash: hashSecret('key-2'), createdAt: at })).toBe(true);
    expect(await users.addToken('nobody', { id: 'k3', name: 'x', hash: hashSecret('key-3'), createdAt: at })).toBe(false);
    expect((await (await reopen()).getUser('fin'))!.tokens.map((t) => t.name)).toEqual(['one', 'two']);
    expect(await users.removeToken('fin', 'k1')).toBe(true);
    expect(await users.removeToken('fin', 'k1')).toBe(false);
    expect(await users.findUserByToken('key-1')).toBeUndefined();
    expect(await users.setPasswordHash('fin', 'scrypt$new')).toBe(1);
    expect(await users.setPasswordHash('nobody', 'scrypt$new')).toBeUndefined();
    const fin = (await (await reopen()).getUser('fin'))!;
    expect(fin).toEqual(expect.objectContaining({ role: 'reviewer', passwordHash: 'scrypt$new', tokens: [] }));
  });

  test('keeps sessions by the hash of their secret, until they expire, are deleted, or their user is', async () => {
    const { users, reopen } = await open();
    await users.saveUser(user('cat'));
    const s = session('cat', 'cookie-1');
    await users.createSession(s);
    await users.createSession(session('cat', 'cookie-old', -1000));
    expect(await users.findSessionUser('cookie-1').then((u) => u?.session)).toEqual(s);
    expect(await (await reopen()).findSessionUser('cookie-1').then((u) => u?.session)).toEqual(s);
    expect(await users.findSessionUser('cookie-old').then((u) => u?.session)).toBeUndefined();
    expect(await users.findSessionUser(s.hash).then((u) => u?.session)).toBeUndefined();
    await users.deleteSession('cookie-1');
    expect(await users.findSessionUser('cookie-1').then((u) => u?.session)).toBeUndefined();
    await users.createSession(session('cat', 'cookie-2'));
    await users.deleteUser('cat');
    expect(await users.findSessionUser('cookie-2').then((u) => u?.session)).toBeUndefined();
  });

  test('finds a session with its user\'s current role in one look-up, and nothing for an expired, ended or orphaned one', async () => {
    const { users, reopen } = await open();
    await users.saveUser(user('dee', 'editor'));
    const s = session('dee', 'cookie-d');
    await users.createSession(s);
    await users.createSession(session('dee', 'cookie-d-old', -1000));
    expect(await users.findSessionUser('cookie-d')).toEqual({ session: s, username: 'dee', role: 'editor' });
    await users.setRole('dee', 'reviewer');
    expect(await (await reopen()).findSessionUser('cookie-d')).toEqual({ session: s, username: 'dee', role: 'reviewer' });
    expect(await users.findSessionUser('cookie-d-old')).toBeUndefined();
    expect(await users.findSessionUser('no-such-cookie')).toBeUndefined();
    await users.deleteSession('cookie-d');
    expect(await users.findSessionUser('cookie-d')).toBeUndefined();
    await users.createSession(session('dee', 'cookie-d2'));
    await users.deleteUser('dee');
    expect(await users.findSessionUser('cookie-d2')).toBeUndefined();
  });

  test('ends every session of one user but the one kept (a password change)', async () => {
    const { users, reopen } = await open();
    await users.saveUser(user('dan'));
    await users.saveUser(user('eve'));
    for (const secret of ['dan-1', 'dan-2', 'dan-3']) await users.createSession(session('dan', secret));
    await users.createSession(session('eve', 'eve-1'));
    expect(await users.deleteSessions('dan', 'dan-2')).toBe(2);
    const again = await reopen();
    expect(await again.findSessionUser('dan-1').then((u) => u?.session)).toBeUndefined();
    expect(await again.findSessionUser('dan-3').then((u) => u?.session)).toBeUndefined();
    expect((await again.findSessionUser('dan-2').then((u) => u?.session))!.username).toBe('dan');
    expect((await again.findSessionUser('eve-1').then((u) => u?.session))!.username).toBe('eve');
    expect(await users.deleteSessions('dan')).toBe(1);
    expect(await users.findSessionUser('dan-2').then((u) => u?.session)).toBeUndefined();
    expect(await users.deleteSessions('nobody')).toBe(0);
  });
});
