import type { Paragraph } from '../core/types.js';
import { changeParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';

/** Removes a paragraph from the article (boilerplate such as "Show News"); history keeps it. */
export function deleteParagraph(services: Services, props: ParagraphTarget): Promise<Paragraph> {
  return changeParagraph(services, props, 'delete', (p, rec) => {
    rec.touch(p);
    p.status = 'deleted';
    rec.record(p, 'delete', p.text);
  });
}
