/**
 * An article as the JSON API shows it, the article list, and what the editor page shows around its
 * rows: counts, progress, review status, the risk filters, what the bulk actions would touch.
 */
import { articleLanguages } from '../../core/articleFacts.js';
import { countStatuses, DECIDED, isUndecided } from '../../core/paragraphState.js';
import { articleReview, isLocked } from '../../core/reviewState.js';
import { LIKELY_FINE } from '../../core/risk.js';
import { PARAGRAPH_STATUSES, type Article, type ArticleSummary, type Paragraph, type ParagraphStatus, type Role } from '../../core/types.js';
import type { ParagraphMtFlags } from '../../checks/mt/flagCache.js';
import { viewerCan } from './can.js';
import { presentParagraph } from './paragraph.js';

/** `role`: the viewer's; each paragraph then carries its `can`. */
export function presentArticle(a: Article, mt?: ReadonlyMap<string, ParagraphMtFlags>, role?: Role) {
  return {
    id: a.id,
    title: a.title,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    hasSource: a.hasSource,
    hasReference: a.hasReference,
    ...articleLanguages(a),
    ...(a.usage ? { usage: a.usage } : {}),
    paragraphs: a.paragraphs.map((p) => presentParagraph(p, mt?.get(p.id), role)),
  };
}

export function presentSummary(s: ArticleSummary) {
  return { id: s.id, title: s.title, counts: s.counts, paragraphs: s.paragraphs, updatedAt: s.updatedAt, review: s.review };
}

/** Decided paragraphs out of the live ones. */
export function progressOf(counts: Record<ParagraphStatus, number>) {
  const live = PARAGRAPH_STATUSES.filter((s) => s !== 'deleted').reduce((n, s) => n + (counts[s] ?? 0), 0);
  // Summaries stored before `kept` existed have no count for it.
  const done = DECIDED.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return { live, done, percent: live ? Math.round((done / live) * 100) : 100 };
}

/** Waiting for a decision and open to one: what suggest-all and keep-all work on. */
export function awaitsDecision(p: Paragraph): boolean {
  return isUndecided(p.status) && !isLocked(p.review);
}

export interface ArticleQuery {
  status?: unknown;
  risk?: unknown;
  sort?: unknown;
}

/** The filters the page's query asks for (anything else is ignored). */
export function articleFilters(q: ArticleQuery) {
  const filter = typeof q.status === 'string' && (PARAGRAPH_STATUSES as readonly string[]).includes(q.status) ? (q.status as ParagraphStatus) : '';
  const riskFilter = q.risk === 'fine' || q.risk === 'flagged' ? q.risk : '';
  const byRisk = q.sort === 'risk';
  return { filter, riskFilter, byRisk } as const;
}

export type ArticleFilters = ReturnType<typeof articleFilters>;

/**
 * Everything the editor page shows around its rows. `mt`: the MT flags known so far; `shown`: the
 * paragraphs the filters leave, in the order the page lists them.
 */
export function articlePage(article: Article, mt: ReadonlyMap<string, ParagraphMtFlags>, filters: ArticleFilters, role: Role, canAnnotate: boolean) {
  const { filter, riskFilter, byRisk } = filters;
  const counts = countStatuses(article.paragraphs);
  const riskOf = (id: string) => mt.get(id)?.risk ?? 0;
  const flagged = (id: string) => (mt.get(id)?.flags.length ?? 0) > 0;
  let shown = article.paragraphs.filter((p) => (filter ? p.status === filter : true));
  if (riskFilter === 'fine') shown = shown.filter((p) => riskOf(p.id) < LIKELY_FINE);
  if (riskFilter === 'flagged') shown = shown.filter((p) => flagged(p.id));
  if (byRisk) shown = [...shown].sort((a, b) => riskOf(b.id) - riskOf(a.id) || a.index - b.index);
  const live = article.paragraphs.filter((p) => p.status !== 'deleted' && p.mt);
  const riskCounts = {
    checked: live.filter((p) => mt.has(p.id)).length,
    live: live.length,
    flagged: live.filter((p) => flagged(p.id)).length,
    fine: live.filter((p) => mt.has(p.id) && riskOf(p.id) < LIKELY_FINE).length,
  };
  // "Keep these as is" offers the shown paragraphs still waiting for a decision (a filter is on).
  const keepable = filter || riskFilter ? shown.filter(awaitsDecision) : [];
  const reviewCounts: Record<string, number> = { 'in-review': 0, approved: 0, 'sent-back': 0 };
  for (const p of article.paragraphs) if (p.status !== 'deleted' && p.review && p.review !== 'none') reviewCounts[p.review]!++;
  const may = viewerCan(role);
  return {
    shown,
    view: {
      title: article.title,
      article,
      rows: shown.length,
      counts,
      ...filters,
      statuses: PARAGRAPH_STATUSES,
      progress: progressOf(counts),
      review: articleReview(article.paragraphs),
      reviewCounts,
      reviewed: reviewCounts.approved! + reviewCounts['in-review']! + reviewCounts['sent-back']! > 0,
      riskCounts,
      keepable: keepable.map((p) => `${p.id}:${p.revision}`).join(','),
      keepableCount: keepable.length,
      undecided: article.paragraphs.filter(awaitsDecision).length,
      can: { ...may, keepAll: may.keepAll && keepable.length > 0, llmCheck: canAnnotate && may.suggest },
    },
  };
}

/** A row of the article list. */
export function articleRow(s: ArticleSummary, mt: unknown) {
  return { ...presentSummary(s), progress: progressOf(s.counts), mt };
}
