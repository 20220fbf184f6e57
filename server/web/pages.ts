/** HTML pages. Forms post here and work without JavaScript; the page script uses the JSON API. */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError, StaleRevisionError } from '../commands/errors.js';
import { importArticle } from '../commands/importArticle.js';
import type { Services } from '../commands/services.js';
import { undoLastAction } from '../commands/undoLastAction.js';
import { submitArticle } from '../commands/reviewParagraph.js';
import { PARAGRAPH_STATUSES, type Article } from '../core/types.js';
import { HttpError } from './errors.js';
import { isAction, runAction } from './actions.js';
import { articleFilters, articlePage, articleRow, conflictPage, historyPage, STATUS_LABELS } from './presenters.js';
import { joinPieces, type RowCache } from './rowCache.js';
import { articleGlossary } from '../commands/articleGlossary.js';
import { actorOf, authorize } from './session.js';
import { articleMtFlags } from '../commands/mtFlags.js';
import { keepAllSchema, startSuggestAll, suggestAllSchema } from './bulk.js';
import { keepParagraphs } from '../commands/keepParagraph.js';

/** For reading only (the store's own frozen object, see Store.readArticle): pages never change it. */
async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.readArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

function render(res: Response, view: string, locals: Record<string, unknown>) {
  res.render(view, { statusLabels: STATUS_LABELS, ...locals });
}

const ROWS_MARKER = '\u0000rows\u0000';

function renderPage(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

/** The line a bulk action leaves on the page it redirects to (the query says what happened). */
function bulkNotice(q: Record<string, unknown>): string | undefined {
  const n = (k: string) => (typeof q[k] === 'string' && /^\d{1,6}$/.test(q[k] as string) ? Number(q[k]) : undefined);
  if (q.suggesting === '1') return 'Suggesting for every undecided paragraph… reload to see them arrive.';
  if (n('suggested') !== undefined) return `Suggestions for ${n('suggested')} undecided paragraph${n('suggested') === 1 ? '' : 's'}; ${n('skipped') ?? 0} decided or approved left alone${n('failed') ? `; ${n('failed')} failed` : ''}.`;
  if (n('kept') !== undefined) return `Kept ${n('kept')} paragraph${n('kept') === 1 ? '' : 's'} as is${n('skipped') ? `; ${n('skipped')} left (changed meanwhile or already decided)` : ''}.`;
  return undefined;
}

export function pagesRouter(services: Services, rows: RowCache): Router {
  const r = Router();

  r.get('/', authorize('read'), async (_req, res) => {
    const articles = (await services.store.listArticles()).map((s) => articleRow(s, services.mtFlags.summary(s.id)));
    render(res, 'index', { title: 'Articles', articles, statuses: PARAGRAPH_STATUSES });
  });

  r.post('/import', authorize('import'), async (req, res) => {
    const body = z.object({ title: z.string().max(300).optional(), text: z.string() }).parse(req.body);
    const { article } = await importArticle(services, {
      text: body.text,
      ...(body.title?.trim() ? { title: body.title.trim() } : {}),
      actor: actorOf(res),
    });
    res.redirect(303, `/articles/${article.id}`);
  });

  r.get('/articles/:id', authorize('read'), async (req, res) => {
    // Before the article is read: the page's live stream replays whatever comes after it.
    const eventsFrom = await services.store.changes.latestId(req.params.id);
    const article = await loadArticle(services, req.params.id);
    const filters = articleFilters(req.query);
    // Sorting or filtering by risk needs every paragraph checked; the plain page shows what is known
    // and starts checking the rest (the page script fills it in).
    const mt = await articleMtFlags(services, article, filters.byRisk || filters.riskFilter ? Infinity : 0);
    const role = actorOf(res).role;
    const { shown, view } = articlePage(article, mt, filters, role, services.mtFlags.canAnnotate);
    // The page is rendered around a marker; the rows come from the row cache as bytes.
    const page = await renderPage(res, 'article', { statusLabels: STATUS_LABELS, ...view, eventsFrom, rowsMarker: ROWS_MARKER, notice: bulkNotice(req.query) });
    const [head, tail = ''] = page.split(ROWS_MARKER);
    const csrf = Buffer.from(String(res.locals.csrfToken ?? ''));
    const rowLocals = { ...res.app.locals, ...res.locals };
    const out: Buffer[] = [Buffer.from(head!)];
    const glossary = { entries: await articleGlossary(services, article.id, article), revision: services.glossaries.revision() };
    for (const p of shown) joinPieces(await rows.row(article, p, role, glossary, rowLocals, mt.get(p.id)), csrf, out);
    out.push(Buffer.from(tail));
    res.type('html').send(Buffer.concat(out));
  });

  r.get('/articles/:id/rows/:pid', authorize('read'), async (req, res) => {
    const article = await loadArticle(services, req.params.id);
    const p = article.paragraphs.find((x) => x.id === req.params.pid);
    if (!p) throw new NotFoundError(`no paragraph "${req.params.pid}"`);
    const out: Buffer[] = [];
    const glossary = { entries: await articleGlossary(services, article.id, article), revision: services.glossaries.revision() };
    const mt = (await articleMtFlags(services, article, 2000)).get(p.id);
    joinPieces(await rows.row(article, p, actorOf(res).role, glossary, { ...res.app.locals, ...res.locals }, mt), Buffer.from(String(res.locals.csrfToken ?? '')), out);
    res.type('html').send(Buffer.concat(out));
  });

  r.get('/articles/:id/paragraphs/:pid/history', authorize('read'), async (req, res) => {
    const article = await loadArticle(services, req.params.id);
    const p = article.paragraphs.find((x) => x.id === req.params.pid);
    if (!p) throw new NotFoundError(`no paragraph "${req.params.pid}"`);
    const q = z.object({ a: z.coerce.number().int().optional(), b: z.coerce.number().int().optional() }).parse(req.query);
    render(res, 'history', historyPage(article, p, await services.store.history(article.id, p.id), q, actorOf(res).role));
  });

  r.post('/articles/:id/submit', authorize('submit'), async (req, res) => {
    await submitArticle(services, { articleId: req.params.id, actor: actorOf(res) });
    res.redirect(303, `/articles/${req.params.id}`);
  });

  r.post('/articles/:id/suggest-all', authorize('suggest-all'), async (req, res) => {
    const { progress, finished } = await startSuggestAll(services, req.params.id, suggestAllSchema.parse(req.body ?? {}), actorOf(res));
    const note = finished ? `suggested=${progress.done}&skipped=${progress.skipped}&failed=${progress.failed}` : 'suggesting=1';
    res.redirect(303, `/articles/${req.params.id}?${note}`);
  });

  r.post('/articles/:id/keep-all', authorize('keep-all'), async (req, res) => {
    const body = keepAllSchema.parse(req.body ?? {});
    const { kept, skipped } = await keepParagraphs(services, { articleId: req.params.id, actor: actorOf(res), paragraphs: body.paragraphs });
    res.redirect(303, `/articles/${req.params.id}?kept=${kept.length}&skipped=${skipped.length}`);
  });

  r.post('/articles/:id/undo', authorize('undo'), async (req, res) => {
    await undoLastAction(services, { articleId: req.params.id, actor: actorOf(res) });
    res.redirect(303, `/articles/${req.params.id}`);
  });

  r.post('/articles/:id/paragraphs/:pid/:action', authorize<{ id: string; pid: string; action: string }>((req) => (isAction(req.params.action) ? req.params.action : 'read')), async (req, res) => {
    const { id, pid, action } = req.params;
    if (!isAction(action)) throw new HttpError(404, `unknown action "${action}"`);
    try {
      await runAction(services, action, { articleId: id, paragraphId: pid, actor: actorOf(res) }, req.body);
    } catch (e) {
      if (!(e instanceof StaleRevisionError)) throw e;
      // Someone changed the paragraph since this page was loaded: show both versions and let the editor choose.
      const article = await loadArticle(services, id);
      const mine = action === 'edit' && typeof req.body?.text === 'string' ? String(req.body.text) : undefined;
      const history = await services.store.history(id, pid);
      res.status(409);
      return render(res, 'conflict', conflictPage(article, action, e.current, history, Number(req.body?.baseRevision), mine, actorOf(res).role));
    }
    res.redirect(303, `/articles/${id}#${pid}`);
  });

  return r;
}
