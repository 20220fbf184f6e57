import { isUndecided } from '../core/paragraphState.js';
import { isLocked } from '../core/reviewState.js';
import type { Actor, Paragraph } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { ActionRecorder, changeParagraph, findParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';
import { indexOfParagraph } from '../core/paragraphLookup.js';

/**
 * Confirms that the paragraph needs no change: its text stays as it is (the MT, for an untouched
 * paragraph) and it counts as decided. An open suggestion is turned down by it.
 */
export function keepParagraph(services: Services, props: ParagraphTarget): Promise<Paragraph> {
  return changeParagraph(services, props, 'keep', (p, rec) => {
    keep(p, rec);
  });
}

/** Marks the paragraph kept, recording the suggestion it turns down when one is open on its text. */
function keep(p: Paragraph, rec: ActionRecorder): void {
  rec.touch(p);
  const open = p.suggestion && p.suggestion.basedOn === p.text && p.status === 'suggested' ? p.suggestion.id : undefined;
  p.status = 'kept';
  rec.record(p, 'keep', p.text, open ? { suggestionId: open } : {});
}

export interface KeepManyProps {
  articleId: string;
  actor: Actor;
  /** The paragraphs to keep, each with the revision the editor saw. */
  paragraphs: Array<{ id: string; baseRevision: number }>;
}

export interface KeepManyResult {
  kept: string[];
  /** Paragraphs left as they were, and why (changed since, decided, approved, deleted). */
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * Keeps several paragraphs as they are in one action (one undo entry), e.g. every "likely fine"
 * paragraph. Each must still be at the revision the editor saw and undecided; others are reported.
 */
export async function keepParagraphs(services: Services, props: KeepManyProps): Promise<KeepManyResult> {
  if (props.paragraphs.length === 0) throw new BadRequestError('choose at least one paragraph to keep');
  return services.store.updateArticle(props.articleId, (article) => {
    const rec = new ActionRecorder(article, props.actor, services.now().toISOString());
    const result: KeepManyResult = { kept: [], skipped: [] };
    for (const { id, baseRevision } of props.paragraphs) {
      const i = indexOfParagraph(article, id);
      const shared = article.paragraphs[i];
      let reason: string | undefined;
      if (!shared) reason = 'no such paragraph';
      else if (isLocked(shared.review)) reason = 'approved and locked';
      else if (shared.revision !== baseRevision) reason = `changed since you loaded it (revision ${shared.revision})`;
      else if (!isUndecided(shared.status)) reason = `already ${shared.status}`;
      if (reason || !shared) {
        result.skipped.push({ id, reason: reason! });
        continue;
      }
      const p = findParagraph(article, id);
      keep(p, rec);
      result.kept.push(id);
    }
    if (rec.revisions.length) rec.pushUndo('keep');
    return { result, revisions: rec.revisions };
  });
}
