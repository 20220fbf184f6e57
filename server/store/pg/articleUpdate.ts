/**
 * Applying changes to an article on PostgreSQL: one change, or several that queued up in this process
 * meanwhile, applied in turn, so that a burst of actions on one article costs one write (and at most
 * one lock and read) instead of one each. Each change runs on a draft of the article as the changes
 * before it left it (core/draft.ts: drafts share the unchanged, frozen paragraphs and undo entries);
 * a change that throws is left out — the ones after it see the article as if it never ran — and gets
 * its error. The commands check `baseRevision` inside the change, so of two actions on the same
 * revision the second sees the first's result and gets the usual 409. What the changes changed is
 * written in one statement (articleWrite.ts), only if the article row is still at the version they
 * were made on.
 *
 * On the cached copy, when this instance wrote the article last: the changes run on the copy, and the
 * statement, sent alone as a prepared statement (one round trip, its own transaction), writes them
 * unless another instance wrote the article since — then nothing was written, and the changes run
 * again as below.
 *
 * Under the row lock otherwise (no copy, or one another instance's write made stale lately): BEGIN,
 * SELECT version … FOR UPDATE and the read of what was written since the cached copy in one round
 * trip (three statements of one simple query; the read is a statement of its own, so it sees what the
 * transaction it may have waited for wrote); the changes; then the statement and COMMIT in one round
 * trip (a failing statement skips the COMMIT, and the transaction is rolled back).
 */
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Article, Revision, Suggestion } from '../../core/types.js';
import { draftOf, freezeArticle, writtenPlaces } from '../../core/draft.js';
import { diffArticle } from '../articleJournal.js';
import type { ArticleChange } from '../types.js';
import { NotFoundError } from '../types.js';
import type { ArticleCache } from './articleCache.js';
import { executeRead, prepareRead } from './articleQueries.js';
import type { ArticleRows, CachedArticle } from './articleRows.js';
import { changeStatement, type ChangeStatement } from './articleWrite.js';

export type Change = (article: Article) => ArticleChange<unknown> | Promise<ArticleChange<unknown>>;

/** What became of one change: its result (stored), or the error it threw (nothing of it stored). */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** The changes run in turn on drafts of `article`. */
async function run(id: string, article: Article, changes: Change[]) {
  const original = article;
  const revisions: Revision[] = [];
  const suggestions: Suggestion[] = [];
  const outcomes: Outcome[] = [];
  // The places of the paragraph array the changes wrote (core/draft.ts), while every one kept its shape.
  let places: Set<number> | undefined = new Set();
  for (const change of changes) {
    const draft = draftOf(article);
    let changed: ArticleChange<unknown>;
    try {
      changed = await change(draft);
    } catch (error) {
      // Only the draft was changed: the article stays as the changes before left it.
      outcomes.push({ ok: false, error });
      continue;
    }
    // The row's id and content hash stay what the article was created with (as in the lowdb catalog).
    draft.id = id;
    const wrote = writtenPlaces(article, draft);
    if (wrote && places) for (const i of wrote) places.add(i);
    else places = undefined;
    article = freezeArticle(draft);
    revisions.push(...changed.revisions);
    suggestions.push(...(changed.suggestions ?? []));
    outcomes.push({ ok: true, result: changed.result });
  }
  const steps = outcomes.filter((o) => o.ok).length;
  if (steps > 1 && places) article = asOneDraft(original, article, places);
  return { article, revisions, suggestions, outcomes, wrote: steps > 0 };
}

/**
 * `result` (several changes applied in turn to `original`, writing only the paragraphs at `places`)
 * as one draft of `original`, so that finding what changed (diffArticle) looks at those places only,
 * not at every paragraph of the article.
 */
function asOneDraft(original: Article, result: Article, places: Set<number>): Article {
  const draft = draftOf(original);
  for (const i of places) draft.paragraphs[i] = result.paragraphs[i]!;
  const fields = draft as unknown as Record<string, unknown>;
  for (const k of Object.keys(fields)) if (k !== 'paragraphs' && !Object.hasOwn(result, k)) delete fields[k];
  for (const [k, v] of Object.entries(result)) if (k !== 'paragraphs') fields[k] = v;
  return freezeArticle(draft);
}

/** Statement texts differ only by which parts a change needs: a few dozen shapes at most. */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 200;
/** The pools whose server lost a statement prepared on it (see sendPrepared). */
const unprepared = new WeakSet<Pool | PoolClient>();

/** The name a statement text is prepared under (undefined, unprepared, past MAX_PREPARED shapes). */
function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < MAX_PREPARED) preparedNames.set(text, (name = `postedit_write_${preparedNames.size + 1}`));
  return name;
}

/**
 * Sends `statement` as a prepared statement. A pooler that hands a connection's transactions to
 * different server connections (PgBouncer in transaction mode) or a reset (DISCARD ALL) loses the
 * statements prepared on it: the server then refuses the statement before running it ("does not
 * exist", or "already exists" for a name another client prepared there). It is sent again unnamed —
 * parameters, planned each time — and so are all later ones on that pool.
 */
async function sendPrepared(db: Pool | PoolClient, statement: ChangeStatement): Promise<QueryResult> {
  const name = unprepared.has(db) ? undefined : preparedName(statement.text);
  try {
    return await db.query({ ...(name ? { name } : {}), text: statement.text, values: statement.values });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!name || (code !== '26000' && code !== '42P05')) throw e;
    unprepared.add(db);
    return db.query({ text: statement.text, values: statement.values });
  }
}

/**
 * Writes `article` (the changes' result on `current`) with `suffix` after the statement (";\nCOMMIT"
 * under the lock), and keeps it as the cached copy. False when the row was no longer at `current`'s version.
 */
async function write(db: Pool | PoolClient, cache: ArticleCache, id: string, current: CachedArticle, done: Awaited<ReturnType<typeof run>>, suffix = ''): Promise<boolean> {
  const line = diffArticle(current.article, done.article, current.version);
  const statement = changeStatement(id, current, done.article, line, done.revisions, done.suggestions);
  // Alone, a prepared statement (planned once per connection and shape); with COMMIT, one simple query.
  const results = (await (suffix
    ? db.query(`${statement.spelled()}${suffix}`)
    : sendPrepared(db, statement))) as unknown as QueryResult<{ version: string; added: number[] | null }> | QueryResult[];
  const written = (Array.isArray(results) ? results[0]! : results) as QueryResult<{ version: string; added: number[] | null }>;
  const out = written.rows[0];
  if (!out) return false;
  const undoSeqs = statement.undoSeqs(out.added ?? []);
  // Seqs that do not match the stack (cannot happen): cache nothing, read the article afresh next time.
  if (undoSeqs) cache.remember(id, { version: Number(out.version), article: done.article, undoSeqs: Object.freeze(undoSeqs) });
  else cache.delete(id);
  return true;
}

/**
 * Applies `changes` to article `id` and returns what became of each. Throws, having stored nothing,
 * when the article is gone or the database fails; the cached copy is then dropped.
 */
export async function applyChanges(pool: Pool, cache: ArticleCache, id: string, changes: Change[]): Promise<Outcome[]> {
  const copy = cache.get(id);
  if (copy && !copy.contended) {
    try {
      const done = await run(id, copy.article, changes);
      if (done.wrote ? await write(pool, cache, id, copy, done) : await stillAt(pool, id, copy.version)) return done.outcomes;
    } catch (e) {
      cache.delete(id);
      throw e;
    }
  }
  return applyLocked(pool, cache, id, changes);
}

/** Whether the article row is at `version` (the changes, all refused on that version, stand). */
async function stillAt(pool: Pool, id: string, version: number): Promise<boolean> {
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM articles WHERE id = $1', [id]);
  return rows[0] !== undefined && Number(rows[0].version) === version;
}

/** applyChanges under the article row's lock, on the article as read in the same transaction. */
async function applyLocked(pool: Pool, cache: ArticleCache, id: string, changes: Change[]): Promise<Outcome[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const rollback = () =>
    client.query('ROLLBACK').catch((r: unknown) => {
      // Nothing to roll back when the transaction committed or never began; ROLLBACK then only warns.
      broken = r instanceof Error ? r : new Error(String(r));
    });
  try {
    const base = cache.get(id);
    await prepareRead(client);
    const results = (await client.query(`BEGIN; SELECT version FROM articles WHERE id = '${id}' FOR UPDATE; ${executeRead(id, base?.version ?? -1)}`)) as unknown as [
      QueryResult,
      QueryResult<{ version: string }>,
      QueryResult<ArticleRows>,
    ];
    const row = results[2].rows[0];
    if (!results[1].rows[0] || !row) throw new NotFoundError(`no article "${id}"`);
    let current = cache.assemble(row, base) ?? (await cache.fullRead(client, id));
    if (!current) throw new NotFoundError(`no article "${id}"`);
    // Another instance wrote since this one's copy: the next changes take the lock again, until a
    // transaction finds the copy current (this instance wrote last).
    const contended = !!base && current !== base;
    if (!!current.contended !== contended) current = { ...current, contended };
    cache.remember(id, current);

    const done = await run(id, current.article, changes);
    if (!done.wrote) {
      // Nothing to write; the cached copy is still the stored article.
      await rollback();
      return done.outcomes;
    }
    if (!(await write(client, cache, id, current, done, ';\nCOMMIT'))) throw new Error(`article "${id}" changed under its row lock`);
    if (contended) markContended(cache, id);
    return done.outcomes;
  } catch (e) {
    // Rolled back (or maybe not, when COMMIT itself failed): read the article afresh next time.
    cache.delete(id);
    await rollback();
    throw e;
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
    client.release(broken);
  }
}

/** Keeps the article's copy marked as contended (written by another instance lately). */
function markContended(cache: ArticleCache, id: string): void {
  const kept = cache.get(id);
  if (kept && !kept.contended) cache.remember(id, { ...kept, contended: true });
}
