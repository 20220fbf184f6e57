/** A run's outcome per article and its failures, for the API, the run page and the CLI's closing table. */
import type { Run, RunResult } from '../store/runStore.js';
import { formatDuration } from './progress.js';

export interface ArticleCounts {
  articleId: string;
  done: number;
  failed: number;
  skipped: number;
}

export interface RunFailure {
  articleId: string;
  paragraphId: string;
  status: 'failed' | 'skipped';
  error: string;
}

export interface RunSummary {
  run: Run;
  articles: ArticleCounts[];
  /** Failed and skipped paragraphs with their reasons, failed first. */
  failures: RunFailure[];
}

export function summarizeRun(run: Run, results: RunResult[], maxFailures = 500): RunSummary {
  const by = new Map<string, ArticleCounts>(run.articles.map((id) => [id, { articleId: id, done: 0, failed: 0, skipped: 0 }]));
  const failures: RunFailure[] = [];
  for (const r of results) {
    let c = by.get(r.articleId);
    if (!c) by.set(r.articleId, (c = { articleId: r.articleId, done: 0, failed: 0, skipped: 0 }));
    c[r.status]++;
    if (r.status !== 'done') failures.push({ articleId: r.articleId, paragraphId: r.paragraphId, status: r.status, error: r.error ?? '' });
  }
  failures.sort((a, b) => (a.status === b.status ? 0 : a.status === 'failed' ? -1 : 1));
  return { run, articles: [...by.values()], failures: failures.slice(0, maxFailures) };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

export function formatSummary(s: RunSummary, elapsedMs?: number): string {
  const { run } = s;
  const total = s.articles.reduce((t, a) => ({ done: t.done + a.done, failed: t.failed + a.failed, skipped: t.skipped + a.skipped }), { done: 0, failed: 0, skipped: 0 });
  const rows = [
    ['article', 'done', 'failed', 'skipped'],
    ...s.articles.map((a) => [a.articleId, String(a.done), String(a.failed), String(a.skipped)]),
    ['total', String(total.done), String(total.failed), String(total.skipped)],
  ];
  const lines = [
    `run ${run.id}: ${run.status}${elapsedMs !== undefined ? ` after ${formatDuration(elapsedMs)}` : ''} · ${run.engine} ${run.model} · ${run.level} · ${run.mode}`,
    table(rows),
    `paragraphs: ${run.counts.done + run.counts.failed + run.counts.skipped} of ${run.counts.total} finished`,
    run.tokens.prompt || run.tokens.completion
      ? `tokens: ${run.tokens.prompt} prompt + ${run.tokens.completion} completion${run.estimatedCost !== undefined ? `, estimated cost $${run.estimatedCost.toFixed(4)}` : ''}`
      : 'tokens: none used',
  ];
  const runErrors = run.errors.filter((e) => !e.paragraphId);
  for (const e of runErrors) lines.push(`error: ${e.message}`);
  if (s.failures.length) {
    lines.push('failures:');
    for (const f of s.failures.slice(0, 20)) lines.push(`  ${f.articleId}/${f.paragraphId} ${f.status}: ${f.error}`);
    if (s.failures.length > 20) lines.push(`  … ${s.failures.length - 20} more (see /runs/${run.id})`);
  }
  return lines.join('\n');
}
