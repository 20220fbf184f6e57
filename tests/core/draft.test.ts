import { describe, expect, it } from 'vitest';
import { draftOf, freezeArticle, ownParagraph } from '../../server/core/draft.js';
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
});
