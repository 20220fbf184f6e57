import { codesFor, hasMarkers } from '../core/codeText.js';
import { closeMarker, markersOf, openMarker } from '../core/inlineCodes.js';
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
    checkCodesSplit(p, at);
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
    // Inline codes go with their text; the first part keeps the whole list (an undo brings the text back).
    const codes = codesFor(second, p.codes).filter((c) => p.codes?.some((x) => x.n === c.n));
    if (codes.length) q.codes = structuredClone(codes);
    article.paragraphs.splice(p.index + 1, 0, q);
    reindex(article);
    rec.created(q);
    rec.record(q, 'split-off', '');
  });
}

/** A split may not cut through a code's marker, nor put the two ends of a paired code in different paragraphs. */
function checkCodesSplit(p: Paragraph, at: number): void {
  if (!hasMarkers(p.text)) return;
  const markers = markersOf(p.text);
  const inside = markers.find((m) => at > m.start && at < m.end);
  if (inside) throw new BadRequestError(`cannot split inside the inline code ${inside.side === 'start' ? openMarker(inside.n) : closeMarker(inside.n)}: split before or after it`);
  for (const m of markers) {
    if (m.side !== 'end') continue;
    const start = markers.find((x) => x.n === m.n && x.side === 'start');
    if (start && start.end <= at && m.start >= at) {
      const label = p.codes?.find((c) => c.n === m.n)?.label;
      throw new BadRequestError(`the split would cut the paired code ${openMarker(m.n)}…${closeMarker(m.n)}${label ? ` (${label})` : ''} apart: split outside it`);
    }
  }
}
