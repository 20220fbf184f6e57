/** The timeline of every action on an article, newest first, filtered by user or action: page and JSON. */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { buildTimeline, STATUS_LABELS, timelineRow, when } from './presenters.js';
import { authorize } from './session.js';

/** How many timeline entries a page shows (newest first); filters narrow it down. */
const TIMELINE_PAGE = 1000;

/** A time kept on one line in narrow table cells (non-breaking hyphens and space). */
const whenCell = (iso: string) => when(iso).replaceAll('-', '\u2011').replace(' ', '\u00a0');

const timelineQuery = z.object({
  user: z.string().max(200).optional(),
  action: z.string().max(50).optional(),
});

async function timelineOf(services: Services, req: Request<{ id: string }>) {
  const article = await services.store.readArticle(req.params.id);
  if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
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

export function timelineRouter(services: Services): Router {
  const r = Router();

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
    res.render('timeline', {
      statusLabels: STATUS_LABELS,
      title: `Timeline · ${t.article.title}`,
      article: t.article,
      users: t.users,
      actions: t.actions,
      user: t.user,
      action: t.action,
      total: t.total,
      matching: t.entries.length,
      entries: t.entries.slice(0, TIMELINE_PAGE).map(timelineRow),
      when: whenCell,
    });
  });

  return r;
}
