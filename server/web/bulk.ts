/**
 * Whole-article actions for editors: suggestions for every undecided paragraph (suggest-all, with
 * progress) and keeping many paragraphs as they are (keep-all, e.g. every "likely fine" one).
 */
import { Router } from 'express';
import { z } from 'zod';
import { keepParagraphs } from '../commands/keepParagraph.js';
import type { Services } from '../commands/services.js';
import { suggestAllJobs, type SuggestAllProgress } from '../commands/suggestAll.js';
import { NotFoundError } from '../commands/errors.js';
import { actorOf, authorize } from './session.js';

/** How long a suggest-all request waits for the job before answering 202 (running). */
const DEFAULT_WAIT_MS = 2000;

export const suggestAllSchema = z.object({
  level: z.enum(['minimal', 'fluent']).optional(),
  wait: z.coerce.number().int().min(0).max(30_000).optional(),
});

/** `p1:3,p2:5` (a form field) or a JSON list of {id, baseRevision}. */
export const keepAllSchema = z.object({
  paragraphs: z.union([
    z.array(z.object({ id: z.string().min(1).max(100), baseRevision: z.coerce.number().int().min(0) })).max(10_000),
    z.string().max(200_000).transform((s, ctx) => {
      const list = s.split(',').filter(Boolean).map((pair) => {
        const m = /^([\w-]{1,100}):(\d{1,9})$/.exec(pair.trim());
        return m ? { id: m[1]!, baseRevision: Number(m[2]) } : undefined;
      });
      if (list.some((x) => !x)) {
        ctx.addIssue({ code: 'custom', message: 'paragraphs: expected id:revision pairs separated by commas' });
        return z.NEVER;
      }
      return list as Array<{ id: string; baseRevision: number }>;
    }),
  ]),
});

/** Starts (or joins) the article's suggest-all job and waits a little for it. */
export async function startSuggestAll(services: Services, articleId: string, body: z.infer<typeof suggestAllSchema>, actor: ReturnType<typeof actorOf>): Promise<{ progress: SuggestAllProgress; finished: boolean }> {
  if (!(await services.store.readArticle(articleId))) throw new NotFoundError(`no article "${articleId}"`);
  const job = suggestAllJobs(services).start(services, { articleId, actor, ...(body.level ? { level: body.level } : {}) });
  const wait = body.wait ?? DEFAULT_WAIT_MS;
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    job.done.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), wait))),
  ]).finally(() => clearTimeout(timer));
  return { progress: job.progress(), finished };
}

export function bulkApi(services: Services): Router {
  const r = Router();

  r.post('/articles/:id/suggest-all', authorize('suggest-all'), async (req, res) => {
    const { progress, finished } = await startSuggestAll(services, req.params.id, suggestAllSchema.parse(req.body ?? {}), actorOf(res));
    if (!finished) res.status(202).location(`/api/articles/${encodeURIComponent(req.params.id)}/suggest-all`);
    res.json(progress);
  });

  r.get('/articles/:id/suggest-all', authorize('read'), async (req, res) => {
    const progress = suggestAllJobs(services).latest(req.params.id);
    if (!progress) throw new NotFoundError(`no suggest-all has run on article "${req.params.id}" since the server started`);
    res.json(progress);
  });

  r.post('/articles/:id/keep-all', authorize('keep-all'), async (req, res) => {
    const body = keepAllSchema.parse(req.body ?? {});
    res.json(await keepParagraphs(services, { articleId: req.params.id, actor: actorOf(res), paragraphs: body.paragraphs }));
  });

  return r;
}
