import { describe, expect, it } from 'vitest';
import { indexOfParagraph, liveNeighbours, paragraphById } from '../../server/core/paragraphLookup.js';
import type { Paragraph } from '../../server/core/types.js';

const para = (i: number, deleted: boolean): Paragraph => ({ id: `p${i + 1}`, index: i, kind: 'body', mt: `MT ${i}`, text: `Text ${i}`, status: deleted ? 'deleted' : 'edited', revision: 1 });

describe('paragraph lookup', () => {
  it('finds paragraphs by id, and says so when one is not there', () => {
    const ps = Array.from({ length: 30 }, (_, i) => para(i, false));
    expect(indexOfParagraph(ps, 'p17')).toBe(16);
    expect(paragraphById(ps, 'p30')).toBe(ps[29]);
    expect(indexOfParagraph(ps, 'p31')).toBe(-1);
    // An array changed in place after it was indexed is indexed again.
    ps.splice(0, 1);
    expect(indexOfParagraph(ps, 'p17')).toBe(15);
    // An article (not a draft) the same way, by its array.
    const article = { paragraphs: ps };
    expect(indexOfParagraph(article, 'p30')).toBe(28);
    expect(paragraphById(article, 'p2')).toBe(ps[0]);
    article.paragraphs = [...ps].reverse();
    expect(indexOfParagraph(article, 'p30')).toBe(0);
  });

  it('gives the neighbours that are not deleted, as filtering the article would', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let round = 0; round < 50; round++) {
      const ps = Array.from({ length: 12 }, (_, i) => para(i, random() < 0.4));
      for (let at = 0; at < ps.length; at++) {
        const live = ps.filter((x) => x.status !== 'deleted');
        const k = live.findIndex((x) => x.id === ps[at]!.id);
        const expected = { ...(k > 0 ? { previous: live[k - 1] } : {}), ...(k >= 0 && k < live.length - 1 ? { next: live[k + 1] } : {}) };
        expect(liveNeighbours(ps, at)).toEqual(expected);
      }
    }
  });
});
