import type { Actor, Paragraph } from '../core/types.js';
import { InvalidStateError } from './errors.js';
import { ActionRecorder, checkUnlocked, findParagraph, refreshFindings } from './paragraphChange.js';
import type { Services } from './services.js';
import { glossaryForArticle, uploadedGlossary } from './articleGlossary.js';

export interface UndoProps {
  articleId: string;
  actor: Actor;
}

export interface UndoResult {
  undone: string;
  paragraphs: Paragraph[];
}

/**
 * Undoes the actor's latest action on the article by restoring the paragraphs it touched, as new
 * revisions. Refused when someone changed one of those paragraphs since: history and revert remain.
 */
export async function undoLastAction(services: Services, props: UndoProps): Promise<UndoResult> {
  const entries = await uploadedGlossary(services, props.articleId);
  return services.store.updateArticle(props.articleId, (article) => {
    const idx = article.undo.findLastIndex((e) => e.author === props.actor.username);
    if (idx < 0) throw new InvalidStateError('nothing to undo: you have no recent action on this article');
    const entry = article.undo[idx]!;
    for (const b of entry.before) {
      const p = findParagraph(article, b.paragraphId);
      checkUnlocked(p, 'undo');
      if (p.revision !== b.revisionAfter) {
        throw new InvalidStateError(
          `cannot undo your ${entry.action}: paragraph ${p.id} has changed since (use its history to revert)`,
          structuredClone(p),
        );
      }
    }
    const rec = new ActionRecorder(article, props.actor, services.now().toISOString());
    const touched: Paragraph[] = [];
    for (const b of entry.before) {
      const p = findParagraph(article, b.paragraphId);
      const previous = p.text;
      const created = entry.created.includes(p.id);
      p.text = created ? p.text : b.text;
      p.status = created ? 'deleted' : b.status;
      if (b.suggestion === null) delete p.suggestion;
      else if (b.suggestion) p.suggestion = b.suggestion;
      rec.record(p, 'undo', previous);
      touched.push(p);
    }
    for (const id of entry.created) {
      if (entry.before.some((b) => b.paragraphId === id)) continue;
      const p = findParagraph(article, id);
      p.status = 'deleted';
      rec.record(p, 'undo', p.text);
      touched.push(p);
    }
    refreshFindings(article, rec, glossaryForArticle(entries, article));
    article.undo.splice(idx, 1);
    article.updatedAt = rec.at;
    return { result: { undone: entry.action, paragraphs: structuredClone(touched) }, revisions: rec.revisions };
  });
}
