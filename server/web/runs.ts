/** Batch runs on the web: the JSON API (page script, `npm run batch -- --server`) and the pages. */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { MAX_CONCURRENCY, type StartRunProps } from '../runs/startRun.js';
import { resumeAnyRun, startAnyRun, stopAnyRun } from '../runs/worker.js';
import { HTER_VARIANT } from '../core/metrics.js';
import { ActiveRuns, type RunContext } from '../runs/activeRuns.js';
import { compareRuns, loadArticles, runFigures } from '../runs/compare.js';
import { envEngines, RUN_ENGINES, type EngineFactory } from '../runs/engines.js';
import type { Clock } from '../runs/clock.js';
import type { RetryOptions } from '../runs/retry.js';
import { summarizeRun } from '../runs/summary.js';
import { RUN_MODES, type Run, type RunStore } from '../store/runStore.js';
import { presentRun, runCompareRows, runHead } from './presenters.js';
import { actorOf, authorize } from './session.js';

export interface RunsRouterOptions {
  /** Makes the engine a run names; default: from the environment (OPENAI_*). */
  engineFor?: EngineFactory;
  clock?: Clock;
  retry?: Partial<RetryOptions>;
}

const TERMINAL = new Set(['stopped', 'finished', 'failed']);

/** Empty form fields are absent, numbers may arrive as strings. */
const optionalInt = (max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(1).max(max).optional());

const limitsSchema = z.object({
  concurrency: optionalInt(MAX_CONCURRENCY),
  rpm: optionalInt(1_000_000),
  tpm: optionalInt(1_000_000_000),
});

const startSchema = limitsSchema.extend({
  articles: z.union([z.literal('all'), z.array(z.string().min(1)).min(1), z.string().min(1).transform((s) => [s])], {
    error: 'choose at least one article (or send "all")',
  }),
  engine: z.enum(RUN_ENGINES),
  model: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
  level: z.enum(['minimal', 'fluent']).default('minimal'),
  mode: z.enum(RUN_MODES as [string, ...string[]]).default('rewrite'),
});

function startProps(body: unknown, res: Response): StartRunProps {
  const b = startSchema.parse(body);
  return {
    articles: b.articles,
    engine: b.engine,
    model: b.model,
    level: b.level,
    mode: b.mode as StartRunProps['mode'],
    concurrency: b.concurrency,
    rpm: b.rpm,
    tpm: b.tpm,
    actor: actorOf(res),
  };
}

function limitsOf(body: unknown) {
  const b = limitsSchema.parse(body ?? {});
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
}

const RUN_BADGE: Record<string, string> = { queued: 'pending', running: 'suggested', finished: 'accepted', stopped: 'edited', failed: 'rejected' };

const format = {
  n3: (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3)),
  n2: (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(2)),
  pct: (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`),
  when: (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : ''),
};

export function runsRouter(services: Services, runStore: RunStore, options: RunsRouterOptions = {}): { api: Router; pages: Router; close(): Promise<void> } {
  const ctx: RunContext = {
    services,
    runStore,
    active: new ActiveRuns(),
    engineFor: options.engineFor ?? envEngines(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };

  async function load(id: string): Promise<Run> {
    const run = await runStore.getRun(id);
    if (!run) throw new NotFoundError(`no run "${id}"`);
    return run;
  }

  async function summary(id: string) {
    const run = await load(id);
    const s = summarizeRun(run, await runStore.results(id));
    return { ...s, run: presentRun(s.run) };
  }

  const api = Router();

  api.get('/runs', authorize('read'), async (_req, res) => {
    res.json((await runStore.listRuns()).map(presentRun));
  });

  api.post('/runs', authorize('runs'), async (req, res) => {
    const run = await startAnyRun(ctx, startProps(req.body, res));
    res.status(202).json({ run: presentRun(run) });
  });

  api.get('/runs/:id', authorize('read'), async (req, res) => {
    res.json(await summary(req.params.id));
  });

  api.post('/runs/:id/stop', authorize('runs'), async (req, res) => {
    res.json({ run: presentRun(await stopAnyRun(ctx, req.params.id)) });
  });

  api.post('/runs/:id/resume', authorize('runs'), async (req, res) => {
    res.status(202).json({ run: presentRun(await resumeAnyRun(ctx, req.params.id, limitsOf(req.body))) });
  });

  /** Server-sent events: the record each time it changes, until the run ends. */
  api.get('/runs/:id/events', authorize('read'), async (req, res) => {
    await load(req.params.id);
    res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    let last = '';
    let timer: NodeJS.Timeout | undefined;
    const send = async () => {
      const run = await runStore.getRun(req.params.id);
      if (!run) return void res.end();
      const data = JSON.stringify(presentRun(run));
      if (data !== last) res.write(`data: ${data}\n\n`);
      last = data;
      if (TERMINAL.has(presentRun(run).status)) {
        clearInterval(timer);
        res.end();
      }
    };
    timer = setInterval(() => void send().catch(() => res.end()), 500);
    req.on('close', () => clearInterval(timer));
    await send();
  });

  const pages = Router();
  const render = (res: Response, view: string, locals: Record<string, unknown>) => res.render(view, { runBadge: RUN_BADGE, fmt: format, ...locals });

  pages.get('/runs', authorize('read'), async (_req, res) => {
    const runs = (await runStore.listRuns()).map(presentRun);
    const articles = await services.store.listArticles();
    render(res, 'runs', { title: 'Batch runs', runs, articles, engines: RUN_ENGINES, modes: RUN_MODES });
  });

  pages.post('/runs', authorize('runs'), async (req, res) => {
    const run = await startAnyRun(ctx, startProps(req.body, res));
    res.redirect(303, `/runs/${run.id}`);
  });

  pages.get('/runs/compare', authorize('read'), async (req, res) => {
    const q = z.object({ a: z.string().min(1), b: z.string().min(1) }).parse(req.query);
    const [a, b] = [await load(q.a), await load(q.b)];
    const { rows, figures } = await compareRuns(services.store, a, b);
    render(res, 'runsCompare', { title: `Compare ${a.id} and ${b.id}`, a: presentRun(a), b: presentRun(b), rows: runCompareRows(rows), figures, variant: HTER_VARIANT });
  });

  pages.get('/runs/:id', authorize('read'), async (req, res) => {
    const s = await summary(req.params.id);
    const figures = runFigures(await loadArticles(services.store, s.run.articles), s.run.id);
    const others = (await runStore.listRuns()).filter((r) => r.id !== s.run.id).map(presentRun);
    render(res, 'run', { title: `Run ${s.run.id}`, ...s, ...runHead(s.run, actorOf(res).role), figures, others, variant: HTER_VARIANT, scripts: ['runs.js'] });
  });

  pages.post('/runs/:id/stop', authorize('runs'), async (req, res) => {
    await stopAnyRun(ctx, req.params.id);
    res.redirect(303, `/runs/${req.params.id}`);
  });

  pages.post('/runs/:id/resume', authorize('runs'), async (req, res) => {
    await resumeAnyRun(ctx, req.params.id, limitsOf(req.body));
    res.redirect(303, `/runs/${req.params.id}`);
  });

  return { api, pages, close: () => ctx.active.stopAll() };
}
