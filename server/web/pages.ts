/** HTML pages. Forms post here and work without JavaScript; the page script uses the JSON API. */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError, StaleRevisionError } from '../commands/errors.js';
import { importArticle } from '../commands/importArticle.js';
import type { Services } from '../commands/services.js';
import { undoLastAction } from '../commands/undoLastAction.js';
import { submitArticle } from '../commands/reviewParagraph.js';
import { articleReview } from '../core/reviewState.js';
import { countStatuses } from '../core/paragraphState.js';
import { diffWords } from '../core/diff.js';
import { PARAGRAPH_STATUSES, type Article, type ParagraphStatus } from '../core/types.js';
import { HttpError } from './errors.js';
import { allow } from '../core/policy.js';
import { isAction, runAction } from './actions.js';
import { presentHistory, presentSummary, STATUS_LABELS } from './presenters.js';
import { joinPieces, type RowCache } from './rowCache.js';
import { articleGlossary } from '../commands/articleGlossary.js';
import { actorOf, authorize } from './session.js';
import { articleMtFlags } from '../commands/mtFlags.js';
import { LIKELY_FINE } from '../core/risk.js';
import { keepAllSchema, startSuggestAll, suggestAllSchema } from './bulk.js';
import { keepParagraphs } from '../commands/keepParagraph.js';
import { DECIDED, isUndecided } from '../core/paragraphState.js';
import { isLocked } from '../core/reviewState.js';

/** For reading only (the store's own frozen object, see Store.readArticle): pages never change it. */
async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.readArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

function progressOf(counts: Record<ParagraphStatus, number>) {
  const live = PARAGRAPH_STATUSES.filter((s) => s !== 'deleted').reduce((n, s) => n + (counts[s] ?? 0), 0);
  // Summaries stored before `kept` existed have no count for it.
  const done = DECIDED.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return { live, done, percent: live ? Math.round((done / live) * 100) : 100 };
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
    const articles = (await services.store.listArticles()).map((s) => ({ ...presentSummary(s), progress: progressOf(s.counts), mt: services.mtFlags.summary(s.id) }));
    render(res, 'index', { title: 'Articles', articles, statuses: PARAGRAPH_STATUSES, canImport: allow(actorOf(res).role, 'import') });
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
    const article = await loadArticle(services, req.params.id);
    const filter = typeof req.query.status === 'string' && (PARAGRAPH_STATUSES as readonly string[]).includes(req.query.status) ? req.query.status : '';
    const riskFilter = req.query.risk === 'fine' || req.query.risk === 'flagged' ? req.query.risk : '';
    const byRisk = req.query.sort === 'risk';
    const counts = countStatuses(article.paragraphs);
    // Sorting or filtering by risk needs every paragraph checked; the plain page shows what is known
    // and starts checking the rest (the page script fills it in).
    const mt = await articleMtFlags(services, article, byRisk || riskFilter ? Infinity : 0);
    const riskOf = (id: string) => mt.get(id)?.risk ?? 0;
    let shown = article.paragraphs.filter((p) => (filter ? p.status === filter : true));
    if (riskFilter === 'fine') shown = shown.filter((p) => riskOf(p.id) < LIKELY_FINE);
    if (riskFilter === 'flagged') shown = shown.filter((p) => (mt.get(p.id)?.flags.length ?? 0) > 0);
    if (byRisk) shown = [...shown].sort((a, b) => riskOf(b.id) - riskOf(a.id) || a.index - b.index);
    const live = article.paragraphs.filter((p) => p.status !== 'deleted' && p.mt);
    const riskCounts = {
      checked: live.filter((p) => mt.has(p.id)).length,
      live: live.length,
      flagged: live.filter((p) => (mt.get(p.id)?.flags.length ?? 0) > 0).length,
      fine: live.filter((p) => mt.has(p.id) && riskOf(p.id) < LIKELY_FINE).length,
    };
    // "Keep these as is" offers the shown paragraphs still waiting for a decision (a filter is on).
    const keepable = filter || riskFilter ? shown.filter((p) => isUndecided(p.status) && !isLocked(p.review)) : [];
    const undecided = article.paragraphs.filter((p) => isUndecided(p.status) && !isLocked(p.review)).length;
    const notice = bulkNotice(req.query);
    const reviewCounts = { 'in-review': 0, approved: 0, 'sent-back': 0 } as Record<string, number>;
    for (const p of article.paragraphs) if (p.status !== 'deleted' && p.review && p.review !== 'none') reviewCounts[p.review]!++;
    // The page is rendered around a marker; the rows come from the row cache as bytes.
    const page = await renderPage(res, 'article', {
      statusLabels: STATUS_LABELS, title: article.title, article, rows: shown.length, rowsMarker: ROWS_MARKER, counts, filter,
      statuses: PARAGRAPH_STATUSES, progress: progressOf(counts), review: articleReview(article.paragraphs), reviewCounts,
      riskFilter, byRisk, riskCounts, canAnnotate: services.mtFlags.canAnnotate,
      keepable: keepable.map((p) => `${p.id}:${p.revision}`).join(','), keepableCount: keepable.length, undecided, notice,
    });
    const [head, tail = ''] = page.split(ROWS_MARKER);
    const role = actorOf(res).role;
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
    const history = presentHistory(await services.store.history(article.id, p.id));
    const q = z.object({ a: z.coerce.number().int().optional(), b: z.coerce.number().int().optional() }).parse(req.query);
    const a = history.find((h) => h.n === q.a);
    const b = history.find((h) => h.n === q.b);
    const compare = a && b ? { a, b, diff: diffWords(a.text, b.text) } : undefined;
    render(res, 'history', { title: `History of ¶${p.index + 1}`, article, p, history: [...history].reverse(), compare, q });
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
      const current = e.current;
      const history = await services.store.history(id, pid);
      const seen = history.find((h) => h.n === Number(req.body?.baseRevision));
      const since = seen ? history.filter((h) => h.n > seen.n) : [];
      res.status(409);
      return render(res, 'conflict', {
        title: 'Changed by someone else',
        article,
        action,
        current,
        last: history.at(-1),
        authors: [...new Set(since.map((h) => h.author))],
        theirs: seen ? diffWords(seen.text, current.text) : undefined,
        mine,
        diff: mine !== undefined ? diffWords(current.text, mine) : undefined,
      });
    }
    res.redirect(303, `/articles/${id}#${pid}`);
  });

  return r;
}
