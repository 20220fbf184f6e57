import type { Paragraph } from '../core/types.js';
import { changeParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';

/** Turns the suggestion down: the paragraph keeps its current text. */
export function rejectSuggestion(services: Services, props: ParagraphTarget): Promise<Paragraph> {
  return changeParagraph(services, props, 'reject', (p, rec) => {
    rec.touch(p);
    p.status = 'rejected';
    p.rejectedSuggestion = p.suggestion?.id ?? '';
    rec.record(p, 'reject', p.text, p.suggestion ? { suggestionId: p.suggestion.id } : {});
  });
}
