import { randomUUID } from 'node:crypto';
import {
  canReview, canReviewAsRole, describeReviewRefusal, describeUndecidedRefusal, needsDecision, reviewTarget, submittable, type ReviewAction,
} from '../core/reviewState.js';
import type { Actor, Comment, Paragraph } from '../core/types.js';
import { BadRequestError, ForbiddenError, InvalidStateError } from './errors.js';
import { ActionRecorder, carryUndoEntries, changeParagraph, findParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';
import { ownParagraph } from '../core/draft.js';

const MAX_COMMENT = 5000;

export function cleanComment(text: unknown, required: boolean): string | undefined {
  if (text === undefined || text === null || text === '') {
    if (required) throw new BadRequestError('say why: a comment is required');
    return undefined;
  }
  if (typeof text !== 'string') throw new BadRequestError('comment must be a string');
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (!t && required) throw new BadRequestError('say why: a comment is required');
  if (t.length > MAX_COMMENT) throw new BadRequestError(`a comment has at most ${MAX_COMMENT} characters`);
  return t || undefined;
}

function newComment(actor: Actor, at: string, text: string, action?: Comment['action']): Comment {
  return { id: randomUUID(), author: actor.username, at, text, ...(action ? { action } : {}) };
}

export interface ReviewProps extends ParagraphTarget {
  action: ReviewAction;
  comment?: string;
}

/** Submit for review, approve, send back (with a comment) or reopen one paragraph. */
export async function reviewParagraph(services: Services, props: ReviewProps): Promise<Paragraph> {
  const comment = cleanComment(props.comment, props.action === 'send-back');
  return changeParagraph(
    services,
    props,
    'suggest', // review actions never change text; the review state machine below decides
    (p, rec) => {
      if (p.status === 'deleted') throw new InvalidStateError('this paragraph is deleted', structuredClone(p));
      const from = p.review ?? 'none';
      if (!canReview(props.actor.role, props.action, from)) {
        const message = describeReviewRefusal(props.actor.role, props.action, from);
        throw !canReviewAsRole(props.actor.role, props.action) ? new ForbiddenError(message) : new InvalidStateError(message, structuredClone(p));
      }
      if (needsDecision(props.action, p.status)) {
        throw new InvalidStateError(describeUndecidedRefusal(props.action, p.id, p.status), structuredClone(p));
      }
      rec.touch(p);
      p.review = reviewTarget(props.action);
      if (p.review === 'approved') p.approval = { by: props.actor.username, at: rec.at };
      else delete p.approval;
      if (comment) p.comments = [...(p.comments ?? []), newComment(props.actor, rec.at, comment, props.action)];
      rec.record(p, props.action, p.text, { review: p.review, ...(comment ? { comment } : {}) });
    },
    { undoable: false, review: true },
  );
}

export interface CommentProps {
  articleId: string;
  paragraphId: string;
  actor: Actor;
  text: string;
}

/** Adds a remark to a paragraph's thread. It changes no revision, so nobody's edit goes stale. */
export async function commentParagraph(services: Services, props: CommentProps): Promise<Paragraph> {
  const text = cleanComment(props.text, true)!;
  return services.store.updateArticle(props.articleId, (article) => {
    const p = findParagraph(article, props.paragraphId);
    p.comments = [...(p.comments ?? []), newComment(props.actor, services.now().toISOString(), text)];
    article.updatedAt = services.now().toISOString();
    return { result: structuredClone(p), revisions: [] };
  });
}

/** Sends every decided paragraph of the article that is not in review yet. */
export async function submitArticle(services: Services, props: { articleId: string; actor: Actor }): Promise<{ submitted: number }> {
  return services.store.updateArticle(props.articleId, (article) => {
    const rec = new ActionRecorder(article, props.actor, services.now().toISOString());
    const moved = new Map<string, { from: number; to: number }>();
    for (let i = 0; i < article.paragraphs.length; i++) {
      const shared = article.paragraphs[i]!;
      if (!submittable(shared.status, shared.review ?? 'none')) continue;
      const p = ownParagraph(article, i);
      const from = p.revision;
      p.review = 'in-review';
      rec.record(p, 'submit', p.text, { review: 'in-review' });
      moved.set(p.id, { from, to: p.revision });
    }
    if (rec.revisions.length === 0) throw new InvalidStateError('nothing to submit: accept, edit or reject paragraphs first (pending ones stay with the editor)');
    // As for a single paragraph's submit: the text is unchanged, so earlier actions stay undoable.
    carryUndoEntries(article, moved);
    article.updatedAt = rec.at;
    return { result: { submitted: rec.revisions.length }, revisions: rec.revisions };
  });
}

