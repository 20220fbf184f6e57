/**
 * What a review report shows, gathered from an article, its history and its suggestions: the
 * status and effort figures, and every paragraph that changed or was reviewed. Pure.
 */
import { undecidedSummary, type UndecidedSummary } from '../../core/articleFacts.js';
import { diffWords, type DiffPart } from '../../core/diff.js';
import { paragraphEfforts, summarize, type EffortSummary, type ParagraphEffort } from '../../core/effort.js';
import { HTER_VARIANT } from '../../core/metrics.js';
import { articleReview } from '../../core/reviewState.js';
import type { Article, Comment, Paragraph, Revision, RevisionAction, Suggestion } from '../../core/types.js';

/** Revisions that changed a paragraph's text or decided on it. */
const CHANGES: RevisionAction[] = ['accept', 'accept-partial', 'edit', 'reject', 'keep', 'revert', 'undo', 'delete', 'split', 'split-off', 'merge', 'merged-away'];
const REVIEWS: RevisionAction[] = ['submit', 'approve', 'send-back', 'reopen'];

export interface ReportChange {
  n: number;
  action: RevisionAction;
  author: string;
  at: string;
  seconds?: number;
  revertedTo?: number;
}

export interface ReportParagraph {
  id: string;
  number: number;
  kind: Paragraph['kind'];
  status: Paragraph['status'];
  review: string;
  /** The text differs from the MT (or the paragraph is deleted); else it is here for its review. */
  changed: boolean;
  mt: string;
  final: string;
  diff: DiffPart[];
  /** Absent for deleted paragraphs. */
  effort?: ParagraphEffort;
  /** The suggestion the decision concerned. */
  suggestion?: Pick<Suggestion, 'engine' | 'model' | 'runId'>;
  changes: ReportChange[];
  /** Review actions (submit, approve, send back, reopen) in order. */
  reviews: Array<{ action: RevisionAction; author: string; at: string; comment?: string }>;
  approvedBy: Array<{ author: string; at: string }>;
  comments: Comment[];
}

export interface ReportModel {
  article: { id: string; title: string; status: string; updatedAt: string };
  generatedAt: string;
  variant: string;
  summary: EffortSummary;
  live: number;
  deleted: number;
  approved: number;
  /** Live paragraphs still pending or suggested (kept, accepted, edited and rejected ones are decided). */
  undecided: UndecidedSummary;
  paragraphs: ReportParagraph[];
}

/** Gathers what the report shows; pure. */
export function buildReport(article: Article, history: Revision[], suggestions: Suggestion[], now: Date): ReportModel {
  const efforts = paragraphEfforts({ article, history, suggestions });
  const effortOf = new Map(efforts.map((e) => [e.paragraphId, e]));
  const live = article.paragraphs.filter((p) => p.status !== 'deleted');
  const paragraphs: ReportParagraph[] = [];
  for (const p of article.paragraphs) {
    const changed = p.text !== p.mt || p.status === 'deleted';
    const revs = history.filter((r) => r.paragraphId === p.id).sort((a, b) => a.n - b.n);
    const commented = (p.comments?.length ?? 0) > 0 || revs.some((r) => r.action === 'approve' || r.action === 'send-back');
    if (!changed && !commented) continue;
    const effort = effortOf.get(p.id);
    paragraphs.push({
      id: p.id,
      number: p.index + 1,
      kind: p.kind,
      status: p.status,
      review: p.review ?? 'none',
      changed,
      mt: p.mt,
      final: p.text,
      diff: diffWords(p.mt, p.status === 'deleted' ? '' : p.text),
      ...(effort ? { effort } : {}),
      ...(effort?.suggestion ? { suggestion: { engine: effort.suggestion.engine, model: effort.suggestion.model, ...(effort.suggestion.runId ? { runId: effort.suggestion.runId } : {}) } } : {}),
      changes: revs
        .filter((r) => CHANGES.includes(r.action))
        .map((r) => ({ n: r.n, action: r.action, author: r.author, at: r.at, ...(r.seconds !== undefined ? { seconds: r.seconds } : {}), ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}) })),
      reviews: revs
        .filter((r) => REVIEWS.includes(r.action))
        .map((r) => ({ action: r.action, author: r.author, at: r.at, ...(r.comment ? { comment: r.comment } : {}) })),
      approvedBy: revs.filter((r) => r.action === 'approve').map((r) => ({ author: r.author, at: r.at })),
      comments: p.comments ?? [],
    });
  }
  return {
    article: { id: article.id, title: article.title, status: articleReview(article.paragraphs), updatedAt: article.updatedAt },
    generatedAt: now.toISOString(),
    variant: HTER_VARIANT,
    summary: summarize(article.id, article.title, efforts),
    live: live.length,
    deleted: article.paragraphs.length - live.length,
    approved: live.filter((p) => p.review === 'approved').length,
    undecided: undecidedSummary(article),
    paragraphs,
  };
}
