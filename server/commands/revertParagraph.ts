import type { Paragraph } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { changeParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';

export interface RevertProps extends ParagraphTarget {
  /** Revision number to go back to. */
  to: number;
}

/** Brings back the text and status of an earlier revision, as a new revision: nothing is deleted. */
export async function revertParagraph(services: Services, props: RevertProps): Promise<Paragraph> {
  if (!Number.isInteger(props.to) || props.to < 1) throw new BadRequestError('"to" must be a revision number');
  const history = await services.store.history(props.articleId, props.paragraphId);
  const target = history.find((r) => r.n === props.to);
  return changeParagraph(services, props, 'revert', (p, rec) => {
    if (!target || props.to >= p.revision) {
      throw new BadRequestError(`paragraph ${p.id} has no earlier revision ${props.to} (it is at revision ${p.revision})`);
    }
    rec.touch(p);
    const previous = p.text;
    p.text = target.text;
    p.status = target.status;
    rec.record(p, 'revert', previous, { revertedTo: target.n });
  });
}
