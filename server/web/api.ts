/** The JSON API: the page's script, the CLI's --server mode and the tests all use it. */
import { Router } from 'express';
import { z } from 'zod';
import { importArticle } from '../commands/importArticle.js';
import { exportArticle, UNDECIDED_HEADER } from '../commands/exportArticle.js';
import { deleteArticle } from '../commands/deleteArticle.js';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { undoLastAction } from '../commands/undoLastAction.js';
import { submitArticle } from '../commands/reviewParagraph.js';
import { diffWords } from '../core/diff.js';
import { paragraphById } from '../core/paragraphLookup.js';
import { HttpError } from './errors.js';
import { isAction, runAction } from './actions.js';
import { annotateArticle, articleMtFlags } from '../commands/mtFlags.js';
import { presentArticle, presentHistory, presentParagraph, presentSummary } from './presenters.js';
import { actorOf, authorize } from './session.js';
import { bulkApi } from './bulk.js';
import { liveRouter } from './live.js';

const importSchema = z.object({
  text: z.string(),
  title: z.string().max(300).optional(),
  source: z.string().optional(),
  reference: z.string().optional(),
  format: z.enum(['text', 'markdown']).optional(),
  filename: z.string().max(200).optional(),
  sourceLang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as zh or en-GB').max(35).optional(),
  targetLang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as en or en-GB').max(35).optional(),
});

export function apiRouter(services: Services): Router {
  const r = Router();
  const { store } = services;

  r.get('/articles', authorize('read'), async (_req, res) => {
    res.json((await store.listArticles()).map(presentSummary));
  });

  r.post('/articles', authorize('import'), async (req, res) => {
    const body = importSchema.parse(req.body);
    const { article, created } = await importArticle(services, {
      text: body.text,
      ...(body.title ? { title: body.title } : {}),
      ...(body.source !== undefined ? { source: body.source } : {}),
      ...(body.reference !== undefined ? { reference: body.reference } : {}),
      ...(body.format ? { format: body.format } : {}),
      ...(body.filename ? { origin: body.filename.replace(/^.*[\\/]/, '') } : {}),
      ...(body.sourceLang ? { sourceLang: body.sourceLang } : {}),
      ...(body.targetLang ? { targetLang: body.targetLang } : {}),
      actor: actorOf(res),
    });
    res.status(created ? 201 : 200).json({ ...presentArticle(article, undefined, actorOf(res).role), created });
  });

  r.get('/articles/:id', authorize('read'), async (req, res) => {
    const article = await store.readArticle(req.params.id);
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    res.json(presentArticle(article, await articleMtFlags(services, article), actorOf(res).role));
  });

  // The MT checked against its source: flags and risk per paragraph, riskiest first on request.
  r.get('/articles/:id/mt-flags', authorize('read'), async (req, res) => {
    const article = await store.readArticle(req.params.id);
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    const budget = z.coerce.number().int().min(0).max(60000).optional().parse(req.query.budget);
    const known = await articleMtFlags(services, article, budget ?? Infinity);
    const live = article.paragraphs.filter((p) => p.status !== 'deleted' && p.mt);
    const paragraphs = live.map((p) => {
      const m = known.get(p.id);
      return { id: p.id, index: p.index, revision: p.revision, ...(m ? { mtFlags: m.flags, risk: m.risk } : { mtFlags: null, risk: null }) };
    });
    if (req.query.sort === 'risk') paragraphs.sort((a, b) => (b.risk ?? -1) - (a.risk ?? -1) || a.index - b.index);
    res.json({ paragraphs, pending: paragraphs.filter((p) => p.risk === null).length, llm: services.mtFlags.canAnnotate });
  });

  r.post('/articles/:id/mt-flags/llm', authorize('suggest'), async (req, res) => {
    if (!services.mtFlags.canAnnotate) throw new HttpError(409, 'no LLM endpoint is configured: the offline checks are all there is (set OPENAI_BASE_URL or OPENAI_API_KEY)');
    res.json(await annotateArticle(services, req.params.id));
  });

  r.delete('/articles/:id', authorize('delete-article'), async (req, res) => {
    await deleteArticle(services, req.params.id);
    res.json({ deleted: req.params.id });
  });

  r.get('/articles/:id/flags', authorize('read'), async (req, res) => {
    const article = await store.readArticle(req.params.id);
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    const live = article.paragraphs.filter((p) => p.status !== 'deleted');
    const budget = z.coerce.number().int().min(0).max(5000).default(1500).parse(req.query.budget);
    await services.grammar.fill(live.map((p) => p.text), budget);
    let pending = 0;
    const paragraphs = live.map((p) => {
      const known = services.grammar.get(p.text);
      if (!known) pending++;
      return { id: p.id, revision: p.revision, ...(known ?? { count: null, flags: [] }) };
    });
    res.json({ paragraphs, pending });
  });

  // A paragraph's text is about to change (its edit box opened, a suggestion asked for): Harper gets
  // ready for it meanwhile (it may have been ended while idle). Nothing is stored; the answer does not
  // wait for it. The text is only a hint, so the store's cached copy does (no round trip on PostgreSQL).
  r.post('/articles/:id/flags/prepare', authorize('edit'), async (req, res) => {
    const { paragraphId } = z.object({ paragraphId: z.string().min(1).max(200) }).parse(req.body);
    const article = store.peekArticle?.(req.params.id) ?? (await store.readArticle(req.params.id));
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    const p = paragraphById(article, paragraphId);
    if (!p || p.status === 'deleted') throw new NotFoundError(`no paragraph "${paragraphId}"`);
    void services.grammar.prepare(p.text);
    res.status(202).json({ preparing: paragraphId });
  });

  r.get('/articles/:id/export', authorize('export'), async (req, res) => {
    const file = await exportArticle(services, req.params.id, String(req.query.format ?? 'txt'));
    if (file.undecided !== undefined) res.set(UNDECIDED_HEADER, String(file.undecided));
    res.type(file.contentType).attachment(file.filename).send(file.body);
  });

  r.post('/articles/:id/undo', authorize('undo'), async (req, res) => {
    const result = await undoLastAction(services, { articleId: req.params.id, actor: actorOf(res) });
    res.json({ undone: result.undone, paragraphs: result.paragraphs.map((p) => presentParagraph(p, undefined, actorOf(res).role)) });
  });

  r.post('/articles/:id/submit', authorize('submit'), async (req, res) => {
    res.json(await submitArticle(services, { articleId: req.params.id, actor: actorOf(res) }));
  });

  r.get('/articles/:id/paragraphs/:pid/history', authorize('read'), async (req, res) => {
    const article = await store.readArticle(req.params.id);
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    if (!article.paragraphs.some((p) => p.id === req.params.pid)) throw new NotFoundError(`no paragraph "${req.params.pid}"`);
    res.json(presentHistory(await store.history(req.params.id, req.params.pid)));
  });

  r.get('/articles/:id/paragraphs/:pid/compare', authorize('read'), async (req, res) => {
    const q = z.object({ a: z.coerce.number().int().min(1), b: z.coerce.number().int().min(1) }).parse(req.query);
    const history = await store.history(req.params.id, req.params.pid);
    const a = history.find((x) => x.n === q.a);
    const b = history.find((x) => x.n === q.b);
    if (!a || !b) throw new NotFoundError(`paragraph ${req.params.pid} has no revision ${!a ? q.a : q.b}`);
    res.json({ a: { n: a.n, author: a.author, at: a.at, text: a.text }, b: { n: b.n, author: b.author, at: b.at, text: b.text }, diff: diffWords(a.text, b.text) });
  });

  r.use(bulkApi(services));
  r.use(liveRouter(services));

  return r;
}

/**
 * The paragraph actions (edit, accept, suggest …), the API's busiest routes. Mounted at /api ahead of
 * the other routers (app.ts), none of which answers this path: a request no longer walks past every
 * run, user, upload and API route before it.
 */
export function paragraphActionRouter(services: Services): Router {
  const r = Router();
  r.post('/articles/:id/paragraphs/:pid/:action', authorize<{ id: string; pid: string; action: string }>((req) => (isAction(req.params.action) ? req.params.action : 'read')), async (req, res) => {
    const { id, pid, action } = req.params;
    if (!isAction(action)) throw new HttpError(404, `unknown action "${action}"`);
    const p = await runAction(services, action, { articleId: id, paragraphId: pid, actor: actorOf(res) }, req.body);
    res.json(presentParagraph(p, services.mtFlags.lookup(id, p), actorOf(res).role));
  });
  return r;
}
