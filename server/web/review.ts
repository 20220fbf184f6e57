/**
 * Reviewers' views of a whole article: compare two points of its life (MT, current text, after an
 * action, at a time, a run's suggestions) paragraph by paragraph, and the timeline of every action.
 * Pages and their JSON twins; all read-only.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import {
  articleState, compareStates, describePoint, formatPoint, parsePoint, PointError,
  type ArticleComparison, type ParagraphComparison, type Point,
} from '../core/articleState.js';
import { diffWords, type DiffPart } from '../core/diff.js';
import type { Article, Revision, Suggestion } from '../core/types.js';
import { HttpError } from './errors.js';
import { STATUS_LABELS } from './presenters.js';
import { authorize } from './session.js';

/** How many revisions the compare form offers (newest first). */
const SELECT_REVISIONS = 200;
/** How many timeline entries a page shows (newest first); filters narrow it down. */
const TIMELINE_PAGE = 1000;

async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.getArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

function render(res: Response, view: string, locals: Record<string, unknown>) {
  res.render(view, { statusLabels: STATUS_LABELS, ...locals });
}

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);
/** The same, kept on one line in narrow table cells (non-breaking hyphens and space). */
const whenCell = (iso: string) => when(iso).replaceAll('-', '\u2011').replace(' ', '\u00a0');

// ---------------------------------------------------------------------------------------------------
// Compare

const compareQuery = z.object({
  from: z.string().max(300).optional(),
  to: z.string().max(300).optional(),
  view: z.enum(['side', 'inline']).optional(),
  fromTime: z.string().max(100).optional(),
  toTime: z.string().max(100).optional(),
});

/** The form's select offers `at` ("a time, typed in the box"); everything else is a point as written. */
function readPoint(name: 'From' | 'To', value: string | undefined, time: string | undefined, fallback: string): Point {
  const raw = value?.trim() || fallback;
  if (raw === 'at') {
    if (!time?.trim()) throw new PointError(`${name}: type a time in the box beside "at a time", e.g. 2025-03-01T14:30Z`);
    return withName(name, () => parsePoint(`at:${time.trim()}`));
  }
  return withName(name, () => parsePoint(raw));
}

function withName<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PointError) throw new PointError(`${name}: ${e.message}`);
    throw e;
  }
}

interface CompareData {
  article: Article;
  history: Revision[];
  suggestions: Suggestion[];
}

async function loadCompareData(services: Services, id: string): Promise<CompareData> {
  const article = await loadArticle(services, id);
  const [history, suggestions] = await Promise.all([services.store.history(id), services.store.suggestions(id)]);
  return { article, history, suggestions };
}

function compare(data: CompareData, from: Point, to: Point): ArticleComparison {
  const a = withName('From', () => articleState(data.article, data.history, from, data.suggestions));
  const b = withName('To', () => articleState(data.article, data.history, to, data.suggestions));
  return compareStates(a, b);
}

/** One side of a diff: the first text with its deletions marked, or the second with its insertions. */
function oneSide(parts: DiffPart[], side: 'a' | 'b'): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (p.op === 'equal') out.push(p);
    else if (side === 'a' && p.del) out.push({ ...p, ins: '' });
    else if (side === 'b' && p.ins) out.push({ ...p, del: '' });
  }
  return out;
}

type Block =
  | { type: 'changed'; row: ParagraphComparison & { left: DiffPart[]; right: DiffPart[] } }
  | { type: 'same'; rows: ParagraphComparison[] };

/** Changed paragraphs one by one; runs of unchanged ones folded together. Paragraphs at neither point are left out. */
function blocksOf(rows: ParagraphComparison[]): Block[] {
  const blocks: Block[] = [];
  for (const row of rows) {
    if (row.a === undefined && row.b === undefined) continue;
    if (row.changed) {
      blocks.push({ type: 'changed', row: { ...row, left: oneSide(row.diff, 'a'), right: oneSide(row.diff, 'b') } });
      continue;
    }
    const last = blocks.at(-1);
    if (last?.type === 'same') last.rows.push(row);
    else blocks.push({ type: 'same', rows: [row] });
  }
  return blocks;
}

interface PointOption { value: string; label: string }

/** What the compare form offers: MT, current, the latest actions, the runs, a typed time. */
function pointOptions(data: CompareData, selected: string[]) {
  const index = new Map(data.article.paragraphs.map((p) => [p.id, p.index]));
  const describe = (r: Revision, seq: number): PointOption => ({
    value: `rev:${seq}`,
    label: `#${seq} · ${r.action} ¶${(index.get(r.paragraphId) ?? 0) + 1} · ${r.author} · ${when(r.at)}`,
  });
  const total = data.history.length;
  const revisions: PointOption[] = [];
  for (let seq = total; seq >= 1 && seq > total - SELECT_REVISIONS; seq--) revisions.push(describe(data.history[seq - 1]!, seq));
  // A point chosen from further back still shows as selected.
  for (const s of selected) {
    const m = /^rev:(\d+)$/.exec(s);
    const seq = m ? Number(m[1]) : 0;
    if (seq >= 1 && seq <= total - SELECT_REVISIONS) revisions.push(describe(data.history[seq - 1]!, seq));
  }
  const runs = new Map<string, { engine: string; model: string; count: number; at: string }>();
  for (const s of data.suggestions) {
    if (!s.runId) continue;
    const run = runs.get(s.runId) ?? { engine: s.engine, model: s.model, count: 0, at: s.createdAt };
    run.count++;
    runs.set(s.runId, run);
  }
  return {
    revisions,
    olderRevisions: Math.max(0, total - SELECT_REVISIONS),
    runs: [...runs].map(([id, r]): PointOption => ({ value: `run:${id}`, label: `${id} · ${r.engine} ${r.model} · ${r.count} suggestion${r.count === 1 ? '' : 's'}` })),
  };
}

function comparePath(id: string, from: string, to: string, view: string): string {
  const q = new URLSearchParams({ from, to });
  if (view !== 'side') q.set('view', view);
  return `/articles/${encodeURIComponent(id)}/compare?${q}`;
}

// ---------------------------------------------------------------------------------------------------
// Timeline

export interface TimelineEntry {
  /** `revision` for a recorded action; `comment` for a remark in a paragraph's thread (no revision). */
  type: 'revision' | 'comment';
  /** Anchor on the timeline page: `e-PID-N` for revisions, `c-ID` for comments. */
  anchor: string;
  /** Position in the article's history, 1-based: the point `rev:SEQ` is the article right after it. */
  seq?: number;
  paragraphId: string;
  /** The paragraph's position in the current article. */
  index: number;
  /** The paragraph's revision number (revisions only). */
  n?: number;
  action: string;
  author: string;
  at: string;
  text?: string;
  status?: string;
  review?: string;
  comment?: string;
  revertedTo?: number;
  /** Whether the action changed the paragraph's text. */
  textChanged: boolean;
  /** Against the paragraph's previous revision. */
  diff: DiffPart[];
  added: number;
  removed: number;
  seconds?: number;
  /** For a suggest action: what the engine proposed, as a diff of the paragraph's text. */
  suggestion?: { id: string; engine: string; model: string; runId?: string; diff: DiffPart[] };
}

function buildTimeline(article: Article, history: Revision[], suggestions: Suggestion[]): TimelineEntry[] {
  const index = new Map(article.paragraphs.map((p) => [p.id, p.index]));
  const byId = new Map(suggestions.map((s) => [s.id, s]));
  const previous = new Map<string, string>();
  const entries: TimelineEntry[] = history.map((r, i) => {
    const before = previous.get(r.paragraphId) ?? '';
    previous.set(r.paragraphId, r.text);
    const textChanged = before !== r.text;
    const s = r.action === 'suggest' && r.suggestionId ? byId.get(r.suggestionId) : undefined;
    return {
      type: 'revision',
      anchor: `e-${r.paragraphId}-${r.n}`,
      seq: i + 1,
      paragraphId: r.paragraphId,
      index: index.get(r.paragraphId) ?? -1,
      n: r.n,
      action: r.action,
      author: r.author,
      at: r.at,
      text: r.text,
      status: r.status,
      ...(r.review ? { review: r.review } : {}),
      ...(r.comment ? { comment: r.comment } : {}),
      ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}),
      textChanged,
      diff: textChanged ? diffWords(before, r.text) : [],
      added: r.diff.added,
      removed: r.diff.removed,
      ...(r.seconds !== undefined ? { seconds: r.seconds } : {}),
      ...(s ? { suggestion: { id: s.id, engine: s.engine, model: s.model, ...(s.runId ? { runId: s.runId } : {}), diff: diffWords(r.text, s.text) } } : {}),
    };
  });
  // Plain remarks change no revision but are actions too; review actions carry theirs already.
  const comments: TimelineEntry[] = article.paragraphs
    .flatMap((p) => (p.comments ?? []).filter((c) => !c.action).map((c) => ({ p, c })))
    .map(({ p, c }) => ({
      type: 'comment',
      anchor: `c-${c.id}`,
      paragraphId: p.id,
      index: p.index,
      action: 'comment',
      author: c.author,
      at: c.at,
      comment: c.text,
      textChanged: false,
      diff: [],
      added: 0,
      removed: 0,
    }));
  if (!comments.length) return entries;
  comments.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  // Merge by time; on a tie the recorded action comes first.
  const merged: TimelineEntry[] = [];
  let j = 0;
  for (const e of entries) {
    while (j < comments.length && Date.parse(comments[j]!.at) < Date.parse(e.at)) merged.push(comments[j++]!);
    merged.push(e);
  }
  while (j < comments.length) merged.push(comments[j++]!);
  return merged;
}

const timelineQuery = z.object({
  user: z.string().max(200).optional(),
  action: z.string().max(50).optional(),
});

async function timelineOf(services: Services, req: Request<{ id: string }>) {
  const article = await loadArticle(services, req.params.id);
  const q = timelineQuery.parse(req.query);
  const [history, suggestions] = await Promise.all([services.store.history(article.id), services.store.suggestions(article.id)]);
  const all = buildTimeline(article, history, suggestions);
  const users = [...new Set(all.map((e) => e.author))].sort();
  const actions = [...new Set(all.map((e) => e.action))].sort();
  const user = q.user?.trim() || '';
  const action = q.action?.trim() || '';
  const entries = all.filter((e) => (!user || e.author === user) && (!action || e.action === action)).reverse();
  return { article, users, actions, user, action, entries, total: all.length };
}

// ---------------------------------------------------------------------------------------------------

export function reviewRouter(services: Services): Router {
  const r = Router();

  r.get('/api/articles/:id/compare', authorize('read'), async (req, res) => {
    const data = await loadCompareData(services, req.params.id);
    const q = compareQuery.parse(req.query);
    try {
      const from = readPoint('From', q.from, q.fromTime, 'mt');
      const to = readPoint('To', q.to, q.toTime, 'current');
      const result = compare(data, from, to);
      res.json({
        article: { id: data.article.id, title: data.article.title },
        from: { point: formatPoint(from), label: describePoint(from) },
        to: { point: formatPoint(to), label: describePoint(to) },
        summary: result.summary,
        paragraphs: result.paragraphs,
      });
    } catch (e) {
      if (e instanceof PointError) throw new HttpError(400, e.message);
      throw e;
    }
  });

  r.get('/articles/:id/compare', authorize('read'), async (req, res) => {
    const data = await loadCompareData(services, req.params.id);
    const q = compareQuery.parse(req.query);
    const view = q.view ?? 'side';
    let from: Point | undefined;
    let to: Point | undefined;
    let error: string | undefined;
    try {
      from = readPoint('From', q.from, q.fromTime, 'mt');
      to = readPoint('To', q.to, q.toTime, 'current');
    } catch (e) {
      if (!(e instanceof PointError)) throw e;
      error = e.message;
    }
    // The form sends the typed times separately; answer with the canonical address.
    if (from && to && (q.fromTime !== undefined || q.toTime !== undefined)) {
      return res.redirect(303, comparePath(data.article.id, formatPoint(from), formatPoint(to), view));
    }
    let result: ArticleComparison | undefined;
    if (from && to) {
      try {
        result = compare(data, from, to);
      } catch (e) {
        if (!(e instanceof PointError)) throw e;
        error = e.message;
      }
    }
    const fromValue = from ? formatPoint(from) : (q.from ?? 'mt');
    const toValue = to ? formatPoint(to) : (q.to ?? 'current');
    if (error) res.status(400);
    render(res, 'compare', {
      title: `Compare · ${data.article.title}`,
      article: data.article,
      error,
      view,
      from: { value: fromValue, label: from ? describePoint(from) : fromValue, time: from?.kind === 'at' ? from.at : (q.fromTime ?? '') },
      to: { value: toValue, label: to ? describePoint(to) : toValue, time: to?.kind === 'at' ? to.at : (q.toTime ?? '') },
      options: pointOptions(data, [fromValue, toValue]),
      summary: result?.summary,
      blocks: result ? blocksOf(result.paragraphs) : [],
      link: (f: string, t: string, v: string) => comparePath(data.article.id, f, t, v),
    });
  });

  r.get('/api/articles/:id/timeline', authorize('read'), async (req, res) => {
    const t = await timelineOf(services, req);
    res.json({
      article: { id: t.article.id, title: t.article.title },
      users: t.users,
      actions: t.actions,
      total: t.total,
      entries: t.entries,
    });
  });

  r.get('/articles/:id/timeline', authorize('read'), async (req, res) => {
    const t = await timelineOf(services, req);
    render(res, 'timeline', {
      title: `Timeline · ${t.article.title}`,
      article: t.article,
      users: t.users,
      actions: t.actions,
      user: t.user,
      action: t.action,
      total: t.total,
      matching: t.entries.length,
      entries: t.entries.slice(0, TIMELINE_PAGE),
      when: whenCell,
    });
  });

  return r;
}
