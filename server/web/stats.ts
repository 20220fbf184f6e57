/**
 * Post-editing effort on the web: the stats page with its charts, the same figures as JSON, and an
 * article's review report (Markdown or HTML, as a download).
 */
import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import { UNDECIDED_HEADER } from '../commands/exportArticle.js';
import { reviewReport } from '../commands/reviewReport.js';
import type { Services } from '../commands/services.js';
import { effortReport, type ArticleInput, type EffortReport } from '../core/effort.js';
import { STATUS_LABELS, statsView } from './presenters.js';
import { authorize } from './session.js';

const querySchema = z.object({ article: z.string().min(1).max(200).optional() });

export async function loadEffort(services: Services, articleId?: string): Promise<EffortReport> {
  const ids = articleId ? [articleId] : (await services.store.listArticles()).map((a) => a.id);
  const inputs: ArticleInput[] = [];
  for (const id of ids) {
    const article = await services.store.readArticle(id);
    if (!article) {
      if (articleId) throw new NotFoundError(`no article "${articleId}"`);
      continue;
    }
    const [history, suggestions] = await Promise.all([services.store.history(id), services.store.suggestions(id)]);
    inputs.push({ article, history, suggestions });
  }
  return effortReport(inputs);
}

export function statsRouter(services: Services): Router {
  const r = Router();

  r.get('/api/stats', authorize('read'), async (req, res) => {
    const q = querySchema.parse(req.query);
    const report = await loadEffort(services, q.article);
    res.json({ ...(q.article ? { article: q.article } : {}), ...report });
  });

  r.get('/stats', authorize('read'), async (req, res) => {
    const q = querySchema.parse(req.query);
    const [report, articles] = await Promise.all([loadEffort(services, q.article), services.store.listArticles()]);
    const title = q.article ? articles.find((a) => a.id === q.article)?.title ?? q.article : undefined;
    res.render('stats', {
      title: 'Statistics',
      statusLabels: STATUS_LABELS,
      articles: articles.map((a) => ({ id: a.id, title: a.title })),
      selected: q.article ?? '',
      selectedTitle: title,
      ...statsView(report),
    });
  });

  r.get('/api/articles/:id/report', authorize('export'), async (req, res) => {
    const format = z.object({ format: z.string().default('md') }).parse(req.query).format;
    const file = await reviewReport(services, req.params.id, format);
    if (file.undecided !== undefined) res.set(UNDECIDED_HEADER, String(file.undecided));
    res.type(file.contentType).attachment(file.filename).send(file.body);
  });

  return r;
}
