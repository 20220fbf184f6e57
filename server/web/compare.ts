/**
 * Compare two points of an article's life (MT, current text, after an action, at a time, a run's
 * suggestions) paragraph by paragraph: the page and its JSON twin, read-only.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import {
  articleState, compareStates, describePoint, formatPoint, parsePoint, PointError,
  type ArticleComparison, type Point,
} from '../core/articleState.js';
import { HttpError } from './errors.js';
import { blocksOf, pointOptions, STATUS_LABELS, type CompareData } from './presenters.js';
import { authorize } from './session.js';

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

async function loadCompareData(services: Services, id: string): Promise<CompareData> {
  const article = await services.store.readArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  const [history, suggestions] = await Promise.all([services.store.history(id), services.store.suggestions(id)]);
  return { article, history, suggestions };
}

function compare(data: CompareData, from: Point, to: Point): ArticleComparison {
  const a = withName('From', () => articleState(data.article, data.history, from, data.suggestions));
  const b = withName('To', () => articleState(data.article, data.history, to, data.suggestions));
  return compareStates(a, b);
}

function comparePath(id: string, from: string, to: string, view: string): string {
  const q = new URLSearchParams({ from, to });
  if (view !== 'side') q.set('view', view);
  return `/articles/${encodeURIComponent(id)}/compare?${q}`;
}

function render(res: Response, view: string, locals: Record<string, unknown>) {
  res.render(view, { statusLabels: STATUS_LABELS, ...locals });
}

export function compareRouter(services: Services): Router {
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

  return r;
}
