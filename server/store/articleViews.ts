/** What both stores hand readers: a copy of an article they may change, and an article's summary. */
import type { Article, ArticleSummary } from '../core/types.js';
import { articleReview } from '../core/reviewState.js';
import { countStatuses } from '../core/paragraphState.js';

/**
 * A reader's copy, deep enough for any change a caller might make to it: paragraphs, the undo stack
 * and the usage tally are copied (and not frozen); what is only ever replaced (a suggestion, findings,
 * comments) is shared. A full structuredClone of a large article costs more than a whole action.
 */
export function cloneArticle(a: Article): Article {
  return {
    ...a,
    paragraphs: a.paragraphs.map((p) => ({ ...p })),
    undo: a.undo.map((e) => ({ ...e, before: e.before.map((b) => ({ ...b })), created: [...e.created] })),
    ...(a.usage ? { usage: { ...a.usage } } : {}),
  };
}

export function summarize(article: Article): ArticleSummary {
  return {
    id: article.id,
    title: article.title,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    counts: countStatuses(article.paragraphs),
    paragraphs: article.paragraphs.filter((p) => p.status !== 'deleted').length,
    hasSource: article.hasSource,
    review: articleReview(article.paragraphs),
  };
}
