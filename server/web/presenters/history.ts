/** A paragraph's revisions (JSON and the history page) and the page a stale action lands on. */
import { diffWords, type DiffPart } from '../../core/diff.js';
import type { Article, Paragraph, Revision, Role } from '../../core/types.js';
import { markDiff } from '../diffView.js';
import { paragraphCan } from './can.js';

export function presentRevision(r: Revision, previousText: string) {
  return {
    n: r.n,
    action: r.action,
    author: r.author,
    at: r.at,
    text: r.text,
    status: r.status,
    diff: diffWords(previousText, r.text),
    summary: r.diff,
    ...(r.suggestionId ? { suggestionId: r.suggestionId } : {}),
    ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}),
    ...(r.review ? { review: r.review } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
  };
}

export function presentHistory(revisions: Revision[]) {
  return revisions.map((r, i) => presentRevision(r, i > 0 ? revisions[i - 1]!.text : ''));
}

/** The history page: newest first, each revision's change marked, two of them compared on request. */
export function historyPage(article: Article, p: Paragraph, revisions: Revision[], q: { a?: number | undefined; b?: number | undefined }, role: Role) {
  const history = presentHistory(revisions);
  const a = history.find((h) => h.n === q.a);
  const b = history.find((h) => h.n === q.b);
  const diff = a && b ? diffWords(a.text, b.text) : undefined;
  const can = paragraphCan(role, p);
  return {
    title: `History of ¶${p.index + 1}`,
    article,
    p,
    q,
    can,
    history: history.reverse().map((h) => ({
      ...h,
      segments: markDiff(h.diff),
      current: h.n === p.revision,
      // Bringing an earlier revision back is a text change: refused while locked.
      revertable: h.n !== p.revision && can.revert,
    })),
    compare: a && b && diff ? { a, b, diff, segments: markDiff(diff) } : undefined,
  };
}

/** The page a form's action lands on when someone changed the paragraph since the page was loaded. */
export function conflictPage(article: Article, action: string, current: Paragraph, history: Revision[], baseRevision: number, mine: string | undefined, role: Role) {
  const seen = history.find((h) => h.n === baseRevision);
  const since = seen ? history.filter((h) => h.n > seen.n) : [];
  const theirs: DiffPart[] | undefined = seen ? diffWords(seen.text, current.text) : undefined;
  const diff = mine !== undefined ? diffWords(current.text, mine) : undefined;
  return {
    title: 'Changed by someone else',
    article,
    action,
    current,
    last: history.at(-1),
    authors: [...new Set(since.map((h) => h.author))],
    theirs: theirs ? markDiff(theirs) : undefined,
    mine,
    diff: diff ? markDiff(diff) : undefined,
    // "Keep mine on top" is an edit of the current revision.
    can: { edit: mine !== undefined && paragraphCan(role, current).edit },
  };
}
