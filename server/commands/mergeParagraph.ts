import type { Paragraph } from '../core/types.js';
import { InvalidStateError } from './errors.js';
import { changeParagraph, checkUnlocked, type ParagraphTarget } from './paragraphChange.js';
import { nextStatus } from '../core/paragraphState.js';
import { ownParagraph } from '../core/draft.js';
import type { Services } from './services.js';

/** Joins a paragraph with the next one that is not deleted; the next one is marked merged away. */
export function mergeParagraph(services: Services, props: ParagraphTarget): Promise<Paragraph> {
  return changeParagraph(services, props, 'merge', (p, rec) => {
    const at = rec.article.paragraphs.findIndex((x, i) => i > p.index && x.status !== 'deleted');
    const next = at >= 0 ? ownParagraph(rec.article, at) : undefined;
    if (!next) throw new InvalidStateError('there is no paragraph after this one to merge with', structuredClone(p));
    checkUnlocked(next, 'merge');
    rec.touch(p);
    rec.touch(next);
    const previous = p.text;
    p.text = `${p.text} ${next.text}`;
    p.status = nextStatus('merge', p.status);
    if (next.kind === 'body') p.kind = 'body';
    rec.record(p, 'merge', previous);
    next.status = 'deleted';
    rec.record(next, 'merged-away', next.text);
  });
}
