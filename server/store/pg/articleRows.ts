/**
 * Rows ↔ articles on PostgreSQL: how an article is spread over its rows (the article row's `meta` and
 * `brief`, one row per paragraph and per undo entry), and how the rows read since a cached copy are
 * put back together into an article. No SQL here: articleQueries.ts reads and inserts, articleWrite.ts
 * writes a change.
 */
import type { Article, ArticleSummary, Paragraph, ParagraphStatus, ReviewState, UndoEntry } from '../../core/types.js';
import { indexOfParagraph, shareIndex } from '../../core/paragraphLookup.js';
import type { JournalLine } from '../articleJournal.js';
import { summarize } from '../lowdbStore.js';

/** An article as read at `version`: frozen, shared by every draft made of it. */
export interface CachedArticle {
  version: number;
  article: Article;
  /** The `seq` of each undo entry's row, in the order of `article.undo` (frozen). */
  undoSeqs: readonly number[];
  /** Another instance wrote the article lately: changes take the row lock first (articleUpdate.ts). */
  contended?: boolean;
}

/** The article row's JSON: everything but the paragraphs and the undo stack, which have rows of their own, and the original file (a column of its own). */
export type Meta = Omit<Article, 'paragraphs' | 'undo' | 'original'>;

export function metaOf(article: Article): Meta {
  const { paragraphs: _paragraphs, undo: _undo, original: _original, ...meta } = article;
  return meta;
}

/** What one read of an article's rows returns (articleQueries.ts's READ_ARTICLE). */
export interface ArticleRows {
  version: string;
  order_version: string;
  undo_version: string;
  undo_count: number;
  /** Null when the row's version is the one asked about (nothing changed). */
  meta: Meta | null;
  /** The article row's brief, null when the row's version is the one asked about. */
  brief: Brief | null;
  /** [the original file or null] when the article was inserted after the version asked about; else null (the copy's stands). */
  original: [Article['original'] | null] | null;
  /**
   * When the paragraph order changed after the version asked about: [id, data] of every paragraph in
   * order, data null for a row not written since. Otherwise [id, data] of the rows written since.
   */
  paragraphs: Array<[string, Paragraph | null]> | null;
  /**
   * When undo_version is after the version asked about: [seq, op, data] of every entry in order, data
   * null for a row not written since. Otherwise [seq, op, data] of the rows written since, by seq.
   */
  undo: Array<[number, string, UndoEntry | null]> | null;
}

// ---- the brief: what the article list shows, kept in the article row ----

/** How many paragraphs have each status and review: [status, review or null, count]. */
type Tally = Array<[ParagraphStatus, ReviewState | null, number]>;

/**
 * What summarize() reads, kept beside the article so the list does not load every article whole:
 * the paragraphs' statuses and reviews as counts (migration 007), so that an action rewrites a few
 * numbers, not an entry per paragraph. Rows written before 007 had `paragraphs` instead.
 */
export type Brief = Pick<Article, 'title' | 'createdAt' | 'updatedAt' | 'hasSource'> & { tally?: Tally; paragraphs?: Array<Pick<Paragraph, 'status' | 'review'>> };

/** Paragraph counts by `status|review`, per frozen article (computed once, then carried from action to action). */
const tallies = new WeakMap<Article, Map<string, number>>();

const tallyKey = (p: Pick<Paragraph, 'status' | 'review'>) => `${p.status}|${p.review ?? ''}`;

function count(article: Article): Map<string, number> {
  const t = new Map<string, number>();
  for (const p of article.paragraphs) {
    const k = tallyKey(p);
    t.set(k, (t.get(k) ?? 0) + 1);
  }
  return t;
}

/** The paragraph counts of a frozen article (counted on first use). */
export function tallyOf(article: Article): Map<string, number> {
  let t = tallies.get(article);
  if (!t) tallies.set(article, (t = count(article)));
  return t;
}

/**
 * The counts of `draft`, which `line` (diffArticle(original, draft)) says how it differs from
 * `original`: the original's counts with the changed paragraphs moved, when the order is unchanged
 * (a changed paragraph then sits where its original did, at its `index`); counted afresh otherwise.
 */
export function nextTally(original: Article, draft: Article, line: JournalLine): Map<string, number> {
  const known = tallies.get(original);
  let t: Map<string, number> | undefined;
  if (known && !line.order) {
    t = new Map(known);
    for (const p of line.p ?? []) {
      const o = original.paragraphs[p.index];
      if (o?.id !== p.id || draft.paragraphs[p.index] !== p) {
        t = undefined;
        break;
      }
      const [from, to] = [tallyKey(o), tallyKey(p)];
      if (from === to) continue;
      const left = t.get(from)! - 1;
      if (left) t.set(from, left);
      else t.delete(from);
      t.set(to, (t.get(to) ?? 0) + 1);
    }
  }
  t ??= count(draft);
  tallies.set(draft, t);
  return t;
}

export function briefOf(a: Article, tally: Map<string, number>): Brief {
  const counts: Tally = [...tally].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, n]) => {
    const [status, review] = k.split('|') as [ParagraphStatus, ReviewState | ''];
    return [status, review || null, n];
  });
  return { title: a.title, createdAt: a.createdAt, updatedAt: a.updatedAt, hasSource: a.hasSource, tally: counts };
}

/** The list's entry for an article, from its brief. */
export function summaryOf(id: string, brief: Brief): ArticleSummary {
  const paragraphs = brief.paragraphs ?? (brief.tally ?? []).flatMap(([status, review, n]) => Array.from({ length: n }, () => (review === null ? { status } : { status, review })));
  return summarize({ ...brief, id, paragraphs } as unknown as Article);
}

/** Remembers the counts a brief read with the article gives (rows written from migration 007 on). */
function rememberTally(article: Article, brief: Brief | null): void {
  if (!brief?.tally) return;
  tallies.set(article, new Map(brief.tally.map(([status, review, n]) => [`${status}|${review ?? ''}`, n])));
}

// ---- an article from its rows ----

/** Freezes an undo entry read from its row, as core/draft.ts's freezeArticle does. */
function freezeUndoEntry(e: UndoEntry): void {
  for (const b of e.before) Object.freeze(b);
  Object.freeze(e.before);
  Object.freeze(e.created);
  Object.freeze(e);
}

/**
 * The article an ArticleRows gives, frozen, building on `base` (the copy read at the version the rows
 * were read since); undefined if it cannot be built from them (a row neither they nor `base` hold:
 * cannot happen with versions from one sequence), and the caller reads the article in full.
 */
export function assemble(row: ArticleRows, base?: CachedArticle): CachedArticle | undefined {
  const since = base?.version ?? -1;
  const version = Number(row.version);
  if (base && version === since) return base;
  if (version < since || !row.meta) return undefined;

  let paragraphs: Paragraph[];
  if (Number(row.order_version) > since) {
    const known = base ? new Map(base.article.paragraphs.map((p) => [p.id, p])) : undefined;
    paragraphs = [];
    for (const [pid, data] of row.paragraphs ?? []) {
      const p = data ?? known?.get(pid);
      if (!p) return undefined;
      paragraphs.push(p);
    }
  } else {
    // Same paragraphs in the same order: the rows written since replace theirs in place (found at
    // their index when it is right, so that a read costs the rows written, not the article's length).
    // (Spread, not slice(): slice() of a frozen array takes V8's slow path, ~70× slower in Node 20.)
    paragraphs = [...base!.article.paragraphs];
    for (const [pid, data] of row.paragraphs ?? []) {
      let i = data?.index ?? -1;
      if (paragraphs[i]?.id !== pid) i = indexOfParagraph(paragraphs, pid);
      if (i < 0 || !data) return undefined;
      paragraphs[i] = data;
    }
    // Same ids at the same places: the copy's id → position map serves this array too.
    shareIndex(base!.article.paragraphs, paragraphs);
  }

  let undo: UndoEntry[];
  let undoSeqs: number[];
  if (Number(row.undo_version) > since) {
    const known = base ? new Map(base.undoSeqs.map((seq, i) => [seq, base.article.undo[i]!])) : undefined;
    undo = [];
    undoSeqs = [];
    for (const [seq, , data] of row.undo ?? []) {
      const e = data ?? known?.get(seq);
      if (!e) return undefined;
      undo.push(e);
      undoSeqs.push(seq);
    }
  } else {
    // Since the copy, entries were only dropped from the bottom, replaced in place or pushed on top: the
    // stack is the last undo_count of the copy's entries (rewritten ones replaced) and the new rows.
    const written = new Map((row.undo ?? []).map(([seq, , data]) => [seq, data]));
    undo = base!.article.undo.map((e, i) => {
      const data = written.get(base!.undoSeqs[i]!);
      if (data === undefined) return e;
      written.delete(base!.undoSeqs[i]!);
      return data!;
    });
    undoSeqs = [...base!.undoSeqs];
    for (const [seq, data] of written) {
      if (!data || (undoSeqs.length && seq <= undoSeqs.at(-1)!)) return undefined;
      undo.push(data);
      undoSeqs.push(seq);
    }
    if (row.undo_count > undo.length) return undefined;
    undo = undo.slice(undo.length - row.undo_count);
    undoSeqs = undoSeqs.slice(undoSeqs.length - row.undo_count);
  }
  const original = row.original ? row.original[0] : base?.article.original;
  // Only what was read is new: the rest is the copy's, frozen already.
  for (const [, data] of row.paragraphs ?? []) if (data) Object.freeze(data);
  for (const [, , data] of row.undo ?? []) if (data) freezeUndoEntry(data);
  const article = { ...row.meta, ...(original ? { original } : {}), paragraphs: Object.freeze(paragraphs), undo: Object.freeze(undo) } as Article;
  if (article.usage) Object.freeze(article.usage);
  Object.freeze(article);
  rememberTally(article, row.brief);
  return { version, article, undoSeqs: Object.freeze(undoSeqs) };
}
