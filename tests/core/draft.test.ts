import { describe, expect, it } from 'vitest';
import { draftOf, freezeArticle, ownParagraph } from '../../server/core/draft.js';
import { indexOfParagraph } from '../../server/core/paragraphLookup.js';
import type { Article } from '../../server/core/types.js';
import { applyLine, diffArticle } from '../../server/store/articleJournal.js';

function stored(n = 5): Article {
  const at = '2026-01-01T00:00:00.000Z';
  return freezeArticle({
    id: 'a', title: 'A', createdAt: at, updatedAt: at, contentHash: 'h', hasSource: false, hasReference: false,
    paragraphs: Array.from({ length: n }, (_, i) => ({ id: `p${i + 1}`, index: i, kind: 'body' as const, mt: `MT ${i}`, text: `Text ${i}`, status: 'pending' as const, revision: 1 })),
    nextParagraph: n + 1,
    undo: [{ op: 'u1', action: 'edit', author: 'a', at, before: [{ paragraphId: 'p1', text: 'x', status: 'pending', revisionAfter: 1 }], created: [] }],
  });
}

describe('copy-on-write drafts', () => {
  it('share what they do not change, and copy a paragraph once when it is taken', () => {
    const a = stored();
    const d = draftOf(a);
    expect(d.paragraphs).not.toBe(a.paragraphs);
    expect(d.paragraphs.every((p, i) => p === a.paragraphs[i])).toBe(true);
    const p = ownParagraph(d, 2);
    expect(p).not.toBe(a.paragraphs[2]);
    expect(ownParagraph(d, 2)).toBe(p);
    p.text = 'changed';
    expect(a.paragraphs[2]!.text).toBe('Text 2');
    expect(d.paragraphs[2]!.text).toBe('changed');
  });

  it('refuse a change to a shared paragraph or undo entry instead of altering the stored article', () => {
    const a = stored();
    const d = draftOf(a);
    expect(() => {
      d.paragraphs[0]!.text = 'sneaky';
    }).toThrow(TypeError);
    expect(() => {
      d.undo[0]!.before[0]!.revisionAfter = 9;
    }).toThrow(TypeError);
    expect(a.paragraphs[0]!.text).toBe('Text 0');
    // The arrays and the article itself are the draft's own.
    d.undo.push({ op: 'u2', action: 'edit', author: 'a', at: 't', before: [], created: [] });
    d.title = 'Retitled';
    expect(a.undo).toHaveLength(1);
    expect(a.title).toBe('A');
  });

  it('give a journal line naming only the paragraphs taken and changed', () => {
    const a = stored(200);
    const d = draftOf(a);
    ownParagraph(d, 7).status = 'accepted';
    ownParagraph(d, 9); // taken but left as it was
    freezeArticle(d);
    expect(Object.isFrozen(d.paragraphs[7])).toBe(true);
    expect(diffArticle(a, d, 3)).toEqual({ seq: 3, p: [d.paragraphs[7]] });
  });

  it('give an undo delta for an entry pushed and the oldest dropped, which replays to the same stack', () => {
    const a = stored();
    const d = draftOf(a);
    d.undo.push({ op: 'u2', action: 'edit', author: 'b', at: 't', before: [], created: [] });
    d.undo.shift();
    freezeArticle(d);
    const line = diffArticle(a, d, 4);
    expect(line.undo).toEqual({ drop: ['u1'], put: [d.undo[0]] });
    const replayed = structuredClone(a);
    applyLine(replayed, JSON.parse(JSON.stringify(line)));
    expect(replayed.undo).toEqual(d.undo);
    // A stack left as it was needs no undo delta at all.
    const same = draftOf(d);
    ownParagraph(same, 0).text = 'changed';
    expect(diffArticle(d, freezeArticle(same), 5).undo).toBeUndefined();
  });

  it('find what changed from the places written, whichever way they were written, as a whole comparison would', () => {
    const a = stored(50);
    const whole = (d: Article, seq: number) => diffArticle(a, { ...d, paragraphs: [...d.paragraphs] }, seq);
    const d = draftOf(a);
    ownParagraph(d, 3).text = 'taken and changed';
    d.paragraphs[20] = { ...a.paragraphs[20]!, status: 'edited' }; // written without ownParagraph
    d.paragraphs[30] = a.paragraphs[30]!; // written with the same paragraph: no change
    freezeArticle(d);
    expect(Object.isFrozen(d.paragraphs[20])).toBe(true);
    const line = diffArticle(a, d, 6);
    expect(line.p!.map((p) => p.id)).toEqual(['p4', 'p21']);
    expect(line).toEqual(whole(d, 6));
  });

  it('fall back to the whole article when paragraphs move, or come and go', () => {
    const a = stored(6);
    const swapped = draftOf(a);
    [swapped.paragraphs[1], swapped.paragraphs[4]] = [swapped.paragraphs[4]!, swapped.paragraphs[1]!];
    freezeArticle(swapped);
    expect(diffArticle(a, swapped, 7).order).toEqual(['p1', 'p5', 'p3', 'p4', 'p2', 'p6']);
    const split = draftOf(a);
    expect(indexOfParagraph(split, 'p4')).toBe(3);
    split.paragraphs.splice(2, 0, { id: 'p7', index: 2, kind: 'body', mt: '', text: 'new', status: 'edited', revision: 1 });
    // The id map the draft shared with the article is outgrown, never wrong.
    expect(indexOfParagraph(split, 'p4')).toBe(4);
    expect(indexOfParagraph(split, 'p7')).toBe(2);
    expect(indexOfParagraph(a, 'p4')).toBe(3);
    freezeArticle(split);
    const line = diffArticle(a, split, 8);
    expect(line.order).toEqual(['p1', 'p2', 'p7', 'p3', 'p4', 'p5', 'p6']);
    const replayed = structuredClone(a);
    applyLine(replayed, JSON.parse(JSON.stringify(line)));
    expect(replayed.paragraphs).toEqual(split.paragraphs);
    // A draft compared with an article it was not made from is compared whole.
    const other = draftOf(split);
    ownParagraph(other, 0).text = 'x';
    freezeArticle(other);
    expect(diffArticle(a, other, 9).order).toEqual(line.order);
  });

  it('hand readers a plain frozen array, not the proxy of the draft', () => {
    const a = stored(3);
    const d = draftOf(a);
    ownParagraph(d, 1).text = 'changed';
    freezeArticle(d);
    expect(() => structuredClone(d)).not.toThrow();
    expect(Object.isFrozen(d.paragraphs)).toBe(true);
    expect(indexOfParagraph(d, 'p2')).toBe(1);
  });
});

