import type { Paragraph } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { changeParagraph, reindex, type ParagraphTarget } from './paragraphChange.js';
import { nextStatus } from '../core/paragraphState.js';
import type { Services } from './services.js';

export interface SplitProps extends ParagraphTarget {
  /** Character offset in the current text where the second paragraph starts. */
  at: number;
}

/** Cuts a paragraph in two at a character offset; the second half becomes a new paragraph after it. */
export function splitParagraph(services: Services, props: SplitProps): Promise<Paragraph> {
  return changeParagraph(services, props, 'split', (p, rec) => {
    const at = props.at;
    if (!Number.isInteger(at) || at <= 0 || at >= p.text.length) {
      throw new BadRequestError(`"at" must be a character offset inside the text (1 to ${p.text.length - 1})`);
    }
    const first = p.text.slice(0, at).trim();
    const second = p.text.slice(at).trim();
    if (!first || !second) throw new BadRequestError('both parts of a split must contain text');
    rec.touch(p);
    const previous = p.text;
    p.text = first;
    p.status = nextStatus('split', p.status);
    rec.record(p, 'split', previous);
    const article = rec.article;
    const q: Paragraph = {
      id: `p${article.nextParagraph++}`,
      index: p.index + 1,
      kind: 'body',
      mt: '',
      text: second,
      status: p.status,
      revision: 0,
    };
    article.paragraphs.splice(p.index + 1, 0, q);
    reindex(article);
    rec.created(q);
    rec.record(q, 'split-off', '');
  });
}
