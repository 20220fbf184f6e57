import type { Actor, Article, Paragraph, UndoEntry } from '../core/types.js';
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
 * revisions, and deleting those it created (a split's second half). Refused when one of them is
 * approved (locked), or when someone changed one of them since: history and revert remain.
 */
export async function undoLastAction(services: Services, props: UndoProps): Promise<UndoResult> {
  const entries = await uploadedGlossary(services, props.articleId);
  return services.store.updateArticle(props.articleId, (article) => {
    const idx = article.undo.findLastIndex((e) => e.author === props.actor.username);
    if (idx < 0) throw new InvalidStateError('nothing to undo: you have no recent action on this article');
    const entry = article.undo[idx]!;
    const expected = expectedRevisions(entry);
    const paragraphs = [...expected.keys()].map((id) => findParagraph(article, id));
    // A locked paragraph says so before anything else, as for every other action.
    for (const p of paragraphs) checkUnlocked(p, 'undo');
    for (const p of paragraphs) {
      if (p.revision !== expected.get(p.id)) {
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
      if (entry.created.includes(p.id)) {
        p.status = 'deleted';
      } else {
        p.text = b.text;
        p.status = b.status;
        if (b.suggestion === null) delete p.suggestion;
        else if (b.suggestion) p.suggestion = b.suggestion;
        if (b.kind) p.kind = b.kind;
        if (b.codes === null) delete p.codes;
        else if (b.codes) p.codes = structuredClone(b.codes);
      }
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
    carryOver(article, entry);
    article.updatedAt = rec.at;
    return { result: { undone: entry.action, paragraphs: structuredClone(touched) }, revisions: rec.revisions };
  });
}

/**
 * The revision each paragraph of the entry must still be at. Older entries do not list the paragraphs
 * a split created: those were created at revision 1 (their split-off revision).
 */
function expectedRevisions(entry: UndoEntry): Map<string, number> {
  const expected = new Map(entry.before.map((b) => [b.paragraphId, b.revisionAfter]));
  for (const id of entry.created) if (!expected.has(id)) expected.set(id, 1);
  return expected;
}

/**
 * The paragraphs the undo restored are as they were before the undone action: the actions that left
 * them in that state (the same author's earlier ones, or another's) can be undone in turn, so their
 * entries now expect the undo's revision. The undo is not "a change since"; anyone else's change still is.
 */
function carryOver(article: Article, undone: UndoEntry): void {
  const now = new Map<string, { before: number; after: number }>();
  for (const b of undone.before) {
    if (undone.created.includes(b.paragraphId)) continue;
    const p = findParagraph(article, b.paragraphId);
    now.set(b.paragraphId, { before: b.revisionBefore ?? b.revisionAfter - 1, after: p.revision });
  }
  const restored = (b: UndoEntry['before'][number]) => now.get(b.paragraphId)?.before === b.revisionAfter;
  // Entries are shared with the stored article: replaced, never changed in place.
  article.undo = article.undo.map((entry) =>
    entry.before.some(restored)
      ? { ...entry, before: entry.before.map((b) => (restored(b) ? { ...b, revisionAfter: now.get(b.paragraphId)!.after } : b)) }
      : entry,
  );
}
