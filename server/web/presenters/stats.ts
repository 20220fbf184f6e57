/** The stats page's view of an effort report: its figures, and its charts rendered as SVG. */
import { duration } from '../../commands/reviewReport.js';
import { DECISION_KINDS, DECISION_LABELS, summarize, type EffortReport, type EffortSummary } from '../../core/effort.js';
import type { HterBin } from '../../core/metrics.js';
import { barChart, histogram, stackedBars, type Series } from '../charts.js';

/** The series of the decision charts, in the order the bars stack. */
export const DECISION_SERIES: Series[] = [
  { key: 'accept', label: DECISION_LABELS.accept, className: 's-accept', pattern: 'solid', dark: true },
  { key: 'accept-partial', label: DECISION_LABELS['accept-partial'], className: 's-partial', pattern: 'stripes' },
  { key: 'edit', label: DECISION_LABELS.edit, className: 's-edit', pattern: 'dots', dark: true },
  { key: 'reject', label: DECISION_LABELS.reject, className: 's-reject', pattern: 'cross' },
  { key: 'keep', label: DECISION_LABELS.keep, className: 's-keep', pattern: 'solid' },
];

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
