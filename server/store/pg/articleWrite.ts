/**
 * The statement that writes a change of an article (one action, or several queued ones applied in
 * turn): only the rows the change touched, never the whole article, and only if the article is
 * still at the version the change was made on.
 */
import type { Article, Revision, Suggestion, UndoEntry } from '../../core/types.js';
import type { JournalLine } from '../articleJournal.js';
import { briefOf, metaOf, nextTally, type CachedArticle } from './articleRows.js';
import { CHANGES_CHANNEL } from './pgChangeFeed.js';
import { ints, lit, safeIntegers, storableText, texts, type IntType } from './sqlLiterals.js';

/**
 * The values of a statement: sent as parameters ($n) of a prepared statement, whose text is then the
 * same for every change of one shape (PostgreSQL plans it once per connection), or spelled out as
 * literals for a simple query that carries COMMIT with it.
 */
class Values {
  readonly list: Array<string | number | string[] | number[]> = [];
  private readonly spellers: Array<() => string> = [];
  text(v: string): string {
    storableText(v);
    return this.add(v, () => lit(v));
  }
  int(v: number): string {
    safeIntegers([v]);
    return this.add(v, () => String(v));
  }
  texts(v: string[]): string {
    v.forEach(storableText);
    return `${this.add(v, () => texts(v))}::text[]`;
  }
  ints(v: number[], type: IntType = 'int'): string {
    safeIntegers(v);
    return `${this.add(v, () => ints(v, type))}::${type}[]`;
  }
  private add(v: string | number | string[] | number[], spelled: () => string): string {
    this.list.push(v);
    this.spellers.push(spelled);
    return `$${this.list.length}`;
  }
  /** `text` with every $n replaced by its value as a literal (the text holds no other `$`). */
  spell(text: string): string {
    return text.replace(/\$(\d+)/g, (_, n: string) => this.spellers[Number(n) - 1]!());
  }
}

/**
 * Whether the undo stack changed only by dropping its oldest entries, replacing entries in place and
 * pushing new ones, the changes a copy can follow from the rows written (undo_version, migration 005).
 */
function undoFollowsRows(original: UndoEntry[], line: JournalLine): boolean {
  if (line.undoAll) return false;
  if (!line.undo) return true;
  const drop = new Set(line.undo.drop);
  if (drop.size !== line.undo.drop.length || new Set(original.map((e) => e.op)).size !== original.length) return false;
  return original.every((e, i) => drop.has(e.op) === i < drop.size);
}

export interface ChangeStatement {
  /** The statement with its values as parameters, and those values. */
  text: string;
  values: Values['list'];
  /** The statement with its values spelled out, for a simple query. */
  spelled: () => string;
  /** The seqs of the draft's undo stack, given the seqs of the undo rows the statement added (undefined if they do not fit it). */
  undoSeqs: (added: number[]) => number[] | undefined;
}

/**
 * The statement writing what `line` (diffArticle(current.article, draft)) says changed: the article
 * row with a new version (its `meta` and `brief`: a few fields and counts), the changed paragraph and
 * undo rows (stamped with it), the paragraphs' positions only when their order changed, and the
 * revisions and suggestions, appended in the order given; with revisions, a notification for the
 * live desk (pgChangeFeed.ts: delivered on commit, never for a rolled-back action). It returns the new
 * version and the seqs of the undo rows it added, as json (`added`) — or no row, having written
 * nothing, when the article row is no longer at `current.version` (another instance wrote it since).
 *
 * The parts are data-modifying CTEs: they see one snapshot and never touch the same row twice (the
 * rows a part deletes, updates or inserts are disjoint from the others'); every part but the article
 * row's update (`a`) acts only when `a` updated the row. A failing part (a duplicate revision) fails
 * the whole statement. Its values are parameters (`values`), or spelled out (`spelled`) to send it
 * with COMMIT in one simple query.
 */
export function changeStatement(
  id: string, current: CachedArticle, draft: Article, line: JournalLine, revisions: Revision[], suggestions: Suggestion[],
): ChangeStatement {
  const original = current.article;
  const v = new Values();
  const idRef = `${v.text(id)}::text`;
  const undoSimple = undoFollowsRows(original.undo, line);
  const brief = briefOf(draft, nextTally(original, draft, line));
  const parts = [
    `n AS (SELECT nextval('article_versions') AS v)`,
    `a AS (UPDATE articles SET version = n.v, order_version = ${line.order ? 'n.v' : 'articles.order_version'},
       undo_version = ${undoSimple ? 'articles.undo_version' : 'n.v'}, undo_count = ${v.int(draft.undo.length)},
       title = ${v.text(draft.title)}, updated_at = ${v.text(draft.updatedAt)},
       brief = ${v.text(JSON.stringify(brief))}::json, meta = ${v.text(JSON.stringify(metaOf(draft)))}::json
     FROM n WHERE id = ${idRef} AND version = ${v.int(current.version)} RETURNING articles.version)`,
  ];
  const changed = line.p ?? [];
  // Every parameter must appear in the text (PostgreSQL types it from its use): added where used.
  let ids: string | undefined;
  const changedIds = () => (ids ??= v.texts(changed.map((x) => x.id)));
  const changedData = () => v.texts(changed.map((x) => JSON.stringify(x)));
  if (line.order) {
    const order = v.texts(line.order);
    parts.push(`gone AS (DELETE FROM article_paragraphs WHERE article_id = ${idRef} AND id <> ALL(${order}) AND EXISTS (SELECT 1 FROM a))`);
    // Positions of the paragraphs the action did not change (the changed ones are written whole below).
    parts.push(`moved AS (UPDATE article_paragraphs p SET position = o.i - 1 FROM unnest(${order}) WITH ORDINALITY AS o(id, i)
      WHERE p.article_id = ${idRef} AND p.id = o.id AND p.position <> o.i - 1 AND p.id <> ALL(${changedIds()}) AND EXISTS (SELECT 1 FROM a))`);
    if (changed.length) {
      const at = new Map(draft.paragraphs.map((x, i) => [x.id, i]));
      parts.push(`par AS (INSERT INTO article_paragraphs (article_id, id, position, version, data)
        SELECT ${idRef}, x.id, x.position, a.version, x.data::json FROM a, unnest(${changedIds()}, ${v.ints(changed.map((x) => at.get(x.id)!))}, ${changedData()}) AS x(id, position, data)
        ON CONFLICT (article_id, id) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, data = EXCLUDED.data)`);
    }
  } else if (changed.length) {
    // Same paragraphs in the same order: the changed rows exist and keep their positions.
    parts.push(`par AS (UPDATE article_paragraphs p SET version = a.version, data = x.data::json
      FROM a, unnest(${changedIds()}, ${changedData()}) AS x(id, data)
      WHERE p.article_id = ${idRef} AND p.id = x.id)`);
  }
  let added: UndoEntry[] = [];
  let dropped = new Set<string>();
  if (line.undoAll) {
    // The old rows go; the new ones (not visible to this DELETE: same snapshot) take their place.
    parts.push(`undo_all AS (DELETE FROM article_undo WHERE article_id = ${idRef} AND EXISTS (SELECT 1 FROM a))`);
    added = line.undoAll;
  } else if (line.undo) {
    const { drop, put } = line.undo;
    dropped = new Set(drop);
    // The rows are found by their seqs (the primary key): found by op, every write scanned all the article's undo
    // rows and their dead versions — each action adds one and drops one — which took ~2.4 ms of the writes that
    // took over 3 ms (auto_explain). By op only if the copy's seqs do not line up with its stack (cannot happen).
    const seqOf = current.undoSeqs.length === original.undo.length ? new Map(original.undo.map((e, i) => [e.op, current.undoSeqs[i]!])) : undefined;
    /** The column the rows of `ops` are found by, and the parameter holding their keys. */
    const keysOf = (ops: string[]) =>
      seqOf && ops.every((op) => seqOf.has(op)) ? { column: 'seq', keys: v.ints(ops.map((op) => seqOf.get(op)!), 'bigint') } : { column: 'op', keys: v.texts(ops) };
    if (drop.length) {
      const { column, keys } = keysOf(drop);
      parts.push(`undo_drop AS (DELETE FROM article_undo WHERE article_id = ${idRef} AND ${column} = ANY(${keys}) AND EXISTS (SELECT 1 FROM a))`);
    }
    const had = new Set(original.undo.map((e) => e.op));
    const replaced = put.filter((e) => had.has(e.op));
    if (replaced.length) {
      const { column, keys } = keysOf(replaced.map((e) => e.op));
      parts.push(`undo_put AS (UPDATE article_undo u SET version = a.version, data = x.data::json
        FROM a, unnest(${keys}, ${v.texts(replaced.map((e) => JSON.stringify(e)))}) AS x(k, data)
        WHERE u.article_id = ${idRef} AND u.${column} = x.k)`);
    }
    added = put.filter((e) => !had.has(e.op));
  }
  if (added.length) {
    parts.push(`undo_add AS (INSERT INTO article_undo (article_id, op, version, data)
      SELECT ${idRef}, u.op, a.version, u.data::json FROM a, unnest(${v.texts(added.map((e) => e.op))}, ${v.texts(added.map((e) => JSON.stringify(e)))})
        WITH ORDINALITY AS u(op, data, i) ORDER BY u.i
      RETURNING seq)`);
  }
  // Keys are passed as columns of their own: PostgreSQL cannot take apart JSON holding \u0000.
  if (revisions.length) {
    parts.push(`rev AS (INSERT INTO revisions (article_id, paragraph_id, n, data)
      SELECT ${idRef}, r.paragraph_id, r.n, r.data::json FROM a, unnest(${v.texts(revisions.map((r) => r.paragraphId))}, ${v.ints(revisions.map((r) => r.n))},
        ${v.texts(revisions.map((r) => JSON.stringify(r)))}) WITH ORDINALITY AS r(paragraph_id, n, data, i) ORDER BY r.i)`);
  }
  if (suggestions.length) {
    parts.push(`sug AS (INSERT INTO suggestions (article_id, id, paragraph_id, data)
      SELECT ${idRef}, s.id, s.paragraph_id, s.data::json FROM a, unnest(${v.texts(suggestions.map((x) => x.id))}, ${v.texts(suggestions.map((x) => x.paragraphId))},
        ${v.texts(suggestions.map((x) => JSON.stringify(x)))}) WITH ORDINALITY AS s(id, paragraph_id, data, i) ORDER BY s.i)`);
  }
  // Identity values are taken in insertion order (ORDER BY u.i): the i-th seq is the i-th entry added.
  const notify = revisions.length ? `, pg_notify('${CHANGES_CHANNEL}', ${idRef})` : '';
  const text = `WITH ${parts.join(',\n')}\nSELECT a.version, ${added.length ? '(SELECT json_agg(seq ORDER BY seq) FROM undo_add)' : 'NULL::json'} AS added${notify} FROM a`;
  const undoSeqs = (seqs: number[]) => {
    if (seqs.length !== added.length) return undefined;
    const kept = line.undoAll ? [] : current.undoSeqs.filter((_, i) => !dropped.has(original.undo[i]!.op));
    const all = [...kept, ...seqs];
    return all.length === draft.undo.length ? all : undefined;
  };
  return { text, values: v.list, spelled: () => v.spell(text), undoSeqs };
}
