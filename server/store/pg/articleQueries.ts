/**
 * The statements that read an article's rows (all of them, or those written since a cached copy) and
 * insert a whole article. The statement writing one action's change is articleWrite.ts's.
 */
import type { PoolClient } from 'pg';
import type { Article, Paragraph, Revision, Suggestion, UndoEntry } from '../../core/types.js';
import { cloneArticle } from '../lowdbStore.js';
import { uniqueViolation, type Queryable } from './database.js';
import { assemble, briefOf, metaOf, tallyOf, type ArticleRows } from './articleRows.js';

/** The same ids the lowdb store accepts, so data moves between the two unchanged. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * The statement reading an article's rows (one snapshot): the article row, and what was written after
 * version $2 (everything for -1), as ArticleRows says, for article $1. The rows written since are
 * found through the (article_id, version) indexes of migration 005.
 */
const READ_ARTICLE = `SELECT a.version, a.order_version, a.undo_version, a.undo_count,
  CASE WHEN a.version > $2 THEN a.meta END AS meta, CASE WHEN a.version > $2 THEN a.brief END AS brief,
  CASE WHEN a.original_version > $2 THEN json_build_array(a.original) END AS original,
  CASE WHEN a.order_version > $2
    THEN (SELECT json_agg(json_build_array(p.id, CASE WHEN p.version > $2 THEN p.data END) ORDER BY p.position)
      FROM article_paragraphs p WHERE p.article_id = a.id)
    ELSE (SELECT json_agg(json_build_array(p.id, p.data)) FROM article_paragraphs p WHERE p.article_id = a.id AND p.version > $2) END AS paragraphs,
  CASE WHEN a.undo_version > $2
    THEN (SELECT json_agg(json_build_array(u.seq, u.op, CASE WHEN u.version > $2 THEN u.data END) ORDER BY u.seq)
      FROM article_undo u WHERE u.article_id = a.id)
    ELSE (SELECT json_agg(json_build_array(u.seq, u.op, u.data) ORDER BY u.seq) FROM article_undo u WHERE u.article_id = a.id AND u.version > $2) END AS undo
  FROM articles a WHERE a.id = $1`;

/** READ_ARTICLE as a named statement: node-postgres prepares it once per connection (its plan is kept). */
export const readQuery = (id: string, since: number) => ({ name: 'postedit-read-article', text: READ_ARTICLE, values: [id, since] });

/** READ_ARTICLE prepared in SQL, for a simple query (after the row lock, in its round trip). */
const PREPARED_READ = 'postedit_read_article';

/** Connections that have PREPARED_READ (prepared statements live as long as their connection). */
const preparedOn = new WeakSet<PoolClient>();

/** Prepares PREPARED_READ on `client`'s connection, once (a round trip or two, the first time only). */
export async function prepareRead(client: PoolClient): Promise<void> {
  if (preparedOn.has(client)) return;
  const { rows } = await client.query('SELECT 1 FROM pg_prepared_statements WHERE name = $1', [PREPARED_READ]);
  if (!rows.length) await client.query(`PREPARE ${PREPARED_READ} (text, bigint) AS ${READ_ARTICLE}`);
  preparedOn.add(client);
}

/**
 * EXECUTE of PREPARED_READ, as a statement of a simple query: the id is checked against ID_PATTERN
 * (letters, digits, hyphens), `since` is an integer.
 */
export function executeRead(id: string, since: number): string {
  if (!ID_PATTERN.test(id) || !Number.isSafeInteger(since)) throw new Error(`cannot read article "${id}" since ${since}`);
  return `EXECUTE ${PREPARED_READ}('${id}', ${since})`;
}

/** Reads an article afresh from its rows (for `npm run migrate`): a plain object, not shared. */
export async function readArticle(db: Queryable, id: string): Promise<Article | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const { rows } = await db.query<ArticleRows>(readQuery(id, -1));
  const read = rows[0] ? assemble(rows[0]) : undefined;
  return read ? cloneArticle(read.article) : undefined;
}

/**
 * Inserts an article with its paragraph and undo rows, revisions and suggestions, inside `c`'s
 * transaction. Fails if the id or the content hash is taken.
 */
export async function insertArticle(c: PoolClient, article: Article, revisions: Revision[], suggestions: Suggestion[]): Promise<void> {
  const same = await c.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1 AND id <> $2', [article.contentHash, article.id]);
  if (same.rows[0]) throw new Error(`an article with the same text exists ("${same.rows[0].id}")`);
  let version: string;
  try {
    // A new article: its paragraph order and undo stack are as new as its version (migration 005).
    const { rows } = await c.query<{ version: string }>(
      `WITH n AS (SELECT nextval('article_versions') AS v)
       INSERT INTO articles (id, title, content_hash, created_at, updated_at, brief, meta, version, order_version, undo_version, undo_count, original, original_version)
       SELECT $1, $2, $3, $4, $5, $6::json, $7::json, n.v, n.v, n.v, $8, $9::json, n.v FROM n
       RETURNING version`,
      [
        article.id, article.title, article.contentHash, article.createdAt, article.updatedAt,
        JSON.stringify(briefOf(article, tallyOf(article))), JSON.stringify(metaOf(article)), article.undo.length,
        article.original ? JSON.stringify(article.original) : null,
      ],
    );
    version = rows[0]!.version;
  } catch (e) {
    const constraint = uniqueViolation(e);
    if (constraint === 'articles_pkey') throw new Error(`an article with id "${article.id}" exists`);
    // Created meanwhile by another transaction (the check above did not see it yet).
    if (constraint === 'articles_content_hash_key') throw new Error('an article with the same text exists');
    throw e;
  }
  await insertParagraphs(c, article.id, version, article.paragraphs);
  await insertUndo(c, article.id, version, article.undo);
  await appendRevisions(c, article.id, revisions);
  await appendSuggestions(c, article.id, suggestions);
}

async function insertParagraphs(c: PoolClient, articleId: string, version: string, paragraphs: Paragraph[]): Promise<void> {
  if (paragraphs.length === 0) return;
  await c.query(
    `INSERT INTO article_paragraphs (article_id, id, position, version, data)
     SELECT $1, x.id, x.i - 1, $2, x.data::json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS x(id, data, i)`,
    [articleId, version, paragraphs.map((p) => p.id), paragraphs.map((p) => JSON.stringify(p))],
  );
}

/** Appends undo entries after the article's others, in the order given. */
async function insertUndo(c: PoolClient, articleId: string, version: string, entries: UndoEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await c.query(
    `INSERT INTO article_undo (article_id, op, version, data)
     SELECT $1, u.op, $2, u.data::json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(op, data, i) ORDER BY u.i`,
    [articleId, version, entries.map((e) => e.op), entries.map((e) => JSON.stringify(e))],
  );
}

// Rows are appended with one statement, in the order given. Keys are passed as columns of their own:
// PostgreSQL cannot take apart JSON holding \u0000. A duplicate revision (article, paragraph, n)
// fails the statement and with it the whole transaction.
async function appendRevisions(c: PoolClient, articleId: string, revisions: Revision[]): Promise<void> {
  if (revisions.length === 0) return;
  await c.query(
    `INSERT INTO revisions (article_id, paragraph_id, n, data)
     SELECT $1, r.paragraph_id, r.n, r.data::json
     FROM unnest($2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS r(paragraph_id, n, data, i) ORDER BY r.i`,
    [articleId, revisions.map((r) => r.paragraphId), revisions.map((r) => r.n), revisions.map((r) => JSON.stringify(r))],
  );
}

async function appendSuggestions(c: PoolClient, articleId: string, suggestions: Suggestion[]): Promise<void> {
  if (suggestions.length === 0) return;
  await c.query(
    `INSERT INTO suggestions (article_id, id, paragraph_id, data)
     SELECT $1, s.id, s.paragraph_id, s.data::json
     FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS s(id, paragraph_id, data, i) ORDER BY s.i`,
    [articleId, suggestions.map((s) => s.id), suggestions.map((s) => s.paragraphId), suggestions.map((s) => JSON.stringify(s))],
  );
}
