import { codesFor, hasMarkers } from '../core/codeText.js';
import { markersOf } from '../core/inlineCodes.js';
import type { Paragraph } from '../core/types.js';
import { BadRequestError, InvalidStateError } from './errors.js';
import { changeParagraph, checkUnlocked, type ParagraphTarget } from './paragraphChange.js';
import { nextStatus } from '../core/paragraphState.js';
import { ownParagraph } from '../core/draft.js';
import { xliffPlaceOf } from '../core/origin.js';
import type { Services } from './services.js';

/** Joins a paragraph with the next one that is not deleted; the next one is marked merged away. */
export function mergeParagraph(services: Services, props: ParagraphTarget): Promise<Paragraph> {
  return changeParagraph(services, props, 'merge', (p, rec) => {
    const all = rec.article.paragraphs;
    let at = p.index + 1;
    while (at < all.length && all[at]!.status === 'deleted') at++;
    if (at >= all.length) at = -1;
    const next = at >= 0 ? ownParagraph(rec.article, at) : undefined;
    if (!next) throw new InvalidStateError('there is no paragraph after this one to merge with', structuredClone(p));
    checkUnlocked(next, 'merge');
    // An XLIFF unit (or segment) is written back into its own place in the file: two cannot become one.
    if (xliffPlaceOf(rec.article, p.index) !== xliffPlaceOf(rec.article, at)) {
      throw new BadRequestError('these paragraphs are different units (or segments) of the XLIFF file the article came from, and each goes back to its own place: they cannot be merged');
    }
    rec.touch(p);
    rec.touch(next);
    const previous = p.text;
    p.text = `${p.text} ${mergedCodes(p, next)}`;
    p.status = nextStatus('merge', p.status);
    if (next.kind === 'body') p.kind = 'body';
    rec.record(p, 'merge', previous);
    next.status = 'deleted';
    rec.record(next, 'merged-away', next.text);
  });
}

/**
 * The next paragraph's text for the merged one, with its inline codes: numbered after the first
 * paragraph's (both count from 1) and added to its list, original XML and labels kept. The next
 * paragraph keeps its own codes, so an undo brings it back as it was.
 */
function mergedCodes(p: Paragraph, next: Paragraph): string {
  if (!hasMarkers(next.text)) return next.text;
  const theirs = codesFor(next.text, next.codes);
  const shift = Math.max(0, ...(p.codes ?? []).map((c) => c.n), ...(hasMarkers(p.text) ? markersOf(p.text).map((m) => m.n) : []));
  if (shift + Math.max(...theirs.map((c) => c.n)) > 9999) throw new BadRequestError('the two paragraphs hold too many inline codes to be merged');
  p.codes = [...(p.codes ?? []), ...theirs.map((c) => ({ ...structuredClone(c), n: c.n + shift }))];
  return shift ? next.text.replace(/⟦(\/?)(\d{1,4})⟧/g, (_m, slash: string, n: string) => `⟦${slash}${Number(n) + shift}⟧`) : next.text;
}
