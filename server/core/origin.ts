/**
 * Where a paragraph of an article imported from XLIFF goes back to in the file (see
 * `Paragraph.origin`). Pure.
 */
import type { Article } from './types.js';

/**
 * The unit (and segment) of the paragraph at `index`: its own origin, or — for a paragraph split off
 * another — that of the nearest paragraph before it that has one. Undefined when the article did not
 * come from an XLIFF file.
 */
export function xliffPlaceOf(article: Pick<Article, 'paragraphs'>, index: number): string | undefined {
  for (let i = index; i >= 0; i--) {
    const o = article.paragraphs[i]?.origin;
    if (o) return `${o.unitAt}:${o.segmentAt ?? ''}`;
  }
  return undefined;
}
