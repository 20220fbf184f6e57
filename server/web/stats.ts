/**
 * Post-editing effort on the web: the stats page with its charts, the same figures as JSON, and an
 * article's review report (Markdown or HTML, as a download).
 */
import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../commands/errors.js';
import { UNDECIDED_HEADER } from '../commands/exportArticle.js';
import { duration, reviewReport } from '../commands/reviewReport.js';
import type { Services } from '../commands/services.js';
import { DECISION_KINDS, DECISION_LABELS, effortReport, summarize, type ArticleInput, type EffortReport, type EffortSummary } from '../core/effort.js';
import type { HterBin } from '../core/metrics.js';
import { barChart, histogram, stackedBars, type Series } from './charts.js';
import { STATUS_LABELS } from './presenters.js';
import { authorize } from './session.js';

const querySchema = z.object({ article: z.string().min(1).max(200).optional() });

/** The series of the decision charts, in the order the bars stack. */
export const DECISION_SERIES: Series[] = [
  { key: 'accept', label: DECISION_LABELS.accept, className: 's-accept', pattern: 'solid', dark: true },
  { key: 'accept-partial', label: DECISION_LABELS['accept-partial'], className: 's-partial', pattern: 'stripes' },
  { key: 'edit', label: DECISION_LABELS.edit, className: 's-edit', pattern: 'dots', dark: true },
  { key: 'reject', label: DECISION_LABELS.reject, className: 's-reject', pattern: 'cross' },
  { key: 'keep', label: DECISION_LABELS.keep, className: 's-keep', pattern: 'solid' },
];

export async function loadEffort(services: Services, articleId?: string): Promise<EffortReport> {
  const ids = articleId ? [articleId] : (await services.store.listArticles()).map((a) => a.id);
  const inputs: ArticleInput[] = [];
  for (const id of ids) {
    const article = await services.store.getArticle(id);
    if (!article) {
      if (articleId) throw new NotFoundError(`no article "${articleId}"`);
      continue;
    }
    const [history, suggestions] = await Promise.all([services.store.history(id), services.store.suggestions(id)]);
    inputs.push({ article, history, suggestions });
  }
  return effortReport(inputs);
}

const fmt = {
  n3: (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3)),
  n2: (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(2)),
  pct: (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`),
  duration,
};

export function binLabel(b: HterBin): string {
  return b.to === null ? `≥ ${b.from.toFixed(1)}` : `${b.from.toFixed(1)}–${b.to.toFixed(1)}`;
}

function decisionRows(groups: EffortSummary[]) {
  return groups
    .filter((g) => g.decisions.total > 0)
    .map((g) => ({ label: g.label, ...(g.detail ? { sublabel: g.detail } : {}), values: DECISION_KINDS.map((k) => g.decisions[k]) }));
}

/** Everything the page shows, charts rendered. */
export function statsView(report: EffortReport) {
  const decided = report.paragraphs.filter((p) => p.decision);
  const direct = decided.filter((p) => !p.suggestion);
  const sources = [...report.engines, ...(direct.length ? [summarize('none', 'No suggestion', direct, 'edited or kept without one')] : [])];
  const accepted = report.totals.rates ? report.totals.rates.accept + report.totals.rates['accept-partial'] : null;
  const charts = {
    engines: decisionRows(sources).length
      ? stackedBars({
          id: 'chart-engines',
          title: 'Decisions per engine: share of suggestions accepted, partly accepted, edited and rejected',
          series: DECISION_SERIES,
          rows: decisionRows(sources),
        })
      : '',
    runs: decisionRows(report.runs).length
      ? stackedBars({
          id: 'chart-runs',
          title: 'Decisions per batch run: share of suggestions accepted, partly accepted, edited and rejected',
          series: DECISION_SERIES,
          rows: decisionRows(report.runs),
        })
      : '',
    editors: decisionRows(report.editors).length
      ? stackedBars({
          id: 'chart-editors',
          title: 'Decisions per editor: share of paragraphs accepted, partly accepted, edited and rejected',
          series: DECISION_SERIES,
          rows: decisionRows(report.editors),
        })
      : '',
    hter: decided.length
      ? histogram({
          id: 'chart-hter',
          title: 'Distribution of HTER, MT to final text, over decided paragraphs, in bins of 0.1',
          bins: report.histogram.map((b) => ({ label: binLabel(b), count: b.count, edge: b.from.toFixed(1).replace(/\.0$/, '') })),
          xLabel: 'HTER, MT → final (0 = MT kept as is)',
          yLabel: 'Paragraphs',
        })
      : '',
    speed: report.editors.some((e) => e.time.secondsPerWord !== null)
      ? barChart({
          id: 'chart-speed',
          title: 'Seconds per word of final text, per editor',
          className: 'chart-speed',
          axisLabel: 'Seconds per word (lower is faster)',
          bars: report.editors
            .filter((e) => e.time.secondsPerWord !== null)
            .map((e) => ({
              label: e.label,
              value: e.time.secondsPerWord!,
              display: `${e.time.secondsPerWord!.toFixed(2)} s/word`,
              sublabel: `${duration(e.time.seconds)} · ${e.time.words} words`,
            })),
        })
      : '',
  };
  return { report, sources, decidedCount: decided.length, accepted, charts, binLabel, fmt, decisionKinds: DECISION_KINDS, decisionLabels: DECISION_LABELS };
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
