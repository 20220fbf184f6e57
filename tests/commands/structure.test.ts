/**
 * The commands that change an article's shape, on their own against a real temporary store: split,
 * merge, delete a paragraph, delete an article. Text is never lost: a split's two parts hold the
 * whole text, a merge holds both, a deleted paragraph stays in the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { deleteArticle } from '../../server/commands/deleteArticle.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError, InvalidStateError, LockedError, NotFoundError, StaleRevisionError } from '../../server/commands/errors.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { mergeParagraph } from '../../server/commands/mergeParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { articleScope } from '../../server/store/glossaryStore.js';
import { ed, eve, mtOf, openDesk, refusal, rita, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

const order = async (id: string) => (await desk.get(id)).paragraphs.map((p) => `${p.id}:${p.status}`);

describe('split', () => {
  it('cuts the text in two at the offset: the first part keeps the id, the second is a new paragraph right after it', async () => {
    const id = await desk.article();
    const text = mtOf(2);
    const at = text.indexOf(' in the the');
    const p = await splitParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at, actor: ed });
    expect(p).toMatchObject({ id: 'p2', text: 'The alliance was founded', status: 'edited', revision: 2, mt: text, lastChange: { action: 'split', by: 'ed' } });
    const article = await desk.get(id);
    const q = article.paragraphs[2]!;
    expect(q).toMatchObject({ id: 'p7', index: 2, kind: 'body', mt: '', text: 'in the the national incubator on January 28.', status: 'edited' });
    // Nothing of the text is lost or added.
    expect(`${p.text} ${q.text}`).toBe(text);
    expect(article.paragraphs.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(article.nextParagraph).toBe(8);
    const h2 = await desk.history(id, 'p2');
    const h7 = await desk.history(id, 'p7');
    expect(h2.at(-1)).toMatchObject({ action: 'split', author: 'ed', text: p.text });
    expect(h7).toMatchObject([{ n: 1, action: 'split-off', author: 'ed', text: q.text }]);
    // One action: both revisions carry the same op.
    expect(h7[0]!.op).toBe(h2.at(-1)!.op);
  });

  it('the new paragraph is a paragraph like any other: it can be edited, and a second split gets the next id', async () => {
    const id = await desk.article();
    await splitParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, at: mtOf(4).indexOf(' visited'), actor: ed });
    const q = await desk.para(id, 'p7');
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p7', baseRevision: q.revision, text: 'visited every member company.', actor: eve });
    expect(e).toMatchObject({ status: 'edited', revision: 2 });
    await splitParagraph(desk.services, { articleId: id, paragraphId: 'p7', baseRevision: 2, at: 'visited every'.length, actor: eve });
    expect(await order(id)).toEqual(['p1:pending', 'p2:pending', 'p3:pending', 'p4:edited', 'p7:edited', 'p8:edited', 'p5:pending', 'p6:pending']);
    expect((await desk.para(id, 'p8')).text).toBe('member company.');
  });

  it('a split keeps a decided status (accepted stays accepted); an undecided or kept one becomes edited', async () => {
    const id = await desk.article();
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, actor: ed });
    const p = await splitParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: kept.revision, at: 'The park'.length, actor: ed });
    expect(p.status).toBe('edited');
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    const a = await acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed });
    const q = await splitParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: a.revision, at: a.text.indexOf(' in 2014'), actor: ed });
    expect(q).toMatchObject({ status: 'accepted', text: 'Output of the industry reached 1 billion yuan' });
    expect((await desk.get(id)).paragraphs[3]).toMatchObject({ text: 'in 2014.', status: 'accepted' });
  });

  it('refuses an offset outside the text or one that leaves an empty part, and stores nothing', async () => {
    const id = await desk.article();
    const length = mtOf(5).length;
    for (const at of [0, length, -3, 2.5]) {
      const err = await refusal(() => splitParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, at, actor: ed }));
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.message).toBe(`"at" must be a character offset inside the text (1 to ${length - 1})`);
    }
    await expect(splitParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 7, at: 3, actor: ed })).rejects.toBeInstanceOf(StaleRevisionError);
    expect((await desk.get(id)).paragraphs).toHaveLength(6);
  });

  it('refuses a deleted or an approved paragraph, naming the approver', async () => {
    const id = await desk.article();
    const gone = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    await expect(splitParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: gone.revision, at: 5, actor: ed })).rejects.toBeInstanceOf(InvalidStateError);
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: kept.revision, action: 'approve', actor: rita });
    const locked = splitParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: kept.revision + 1, at: 5, actor: ed });
    await expect(locked).rejects.toBeInstanceOf(LockedError);
    await expect(locked).rejects.toThrow(/cannot split: paragraph p4 is approved by rita/);
    expect((await desk.get(id)).paragraphs).toHaveLength(6);
  });
});

describe('merge', () => {
  it('joins the next paragraph in with a space; the next one is merged away (deleted) and both are recorded', async () => {
    const id = await desk.article();
    const p = await mergeParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    expect(p).toMatchObject({ id: 'p4', text: `${mtOf(4)} ${mtOf(5)}`, status: 'edited', revision: 2, lastChange: { action: 'merge', by: 'ed' } });
    const next = await desk.para(id, 'p5');
    expect(next).toMatchObject({ status: 'deleted', text: mtOf(5), revision: 2, lastChange: { action: 'merged-away', by: 'ed' } });
    const [h4, h5] = [await desk.history(id, 'p4'), await desk.history(id, 'p5')];
    expect(h4.at(-1)).toMatchObject({ action: 'merge', author: 'ed', diff: { added: mtOf(5).split(' ').length, removed: 0 } });
    expect(h5.at(-1)).toMatchObject({ action: 'merged-away', author: 'ed', status: 'deleted', text: mtOf(5) });
    expect(h5.at(-1)!.op).toBe(h4.at(-1)!.op);
  });

  it('skips deleted paragraphs to find the next one, and a heading merged with body text becomes body text', async () => {
    const id = await desk.article();
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, actor: ed });
    const p = await mergeParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: ed });
    expect(p).toMatchObject({ text: `${mtOf(1)} ${mtOf(3)}`, kind: 'body' });
    expect(await order(id)).toEqual(['p1:edited', 'p2:deleted', 'p3:deleted', 'p4:pending', 'p5:pending', 'p6:pending']);
  });

  it('refuses the last live paragraph, a locked next paragraph, and a stale base', async () => {
    const id = await desk.article();
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, actor: ed });
    const last = mergeParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, actor: ed });
    await expect(last).rejects.toBeInstanceOf(InvalidStateError);
    await expect(last).rejects.toThrow('there is no paragraph after this one to merge with');
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: kept.revision, action: 'approve', actor: rita });
    const intoLocked = mergeParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, actor: ed });
    await expect(intoLocked).rejects.toBeInstanceOf(LockedError);
    await expect(intoLocked).rejects.toThrow(/paragraph p3 is approved by rita/);
    await expect(mergeParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 2, actor: ed })).rejects.toBeInstanceOf(StaleRevisionError);
    expect(await order(id)).toEqual(['p1:pending', 'p2:pending', 'p3:kept', 'p4:pending', 'p5:pending', 'p6:deleted']);
    expect((await desk.para(id, 'p2')).text).toBe(mtOf(2));
  });
});

describe('delete a paragraph', () => {
  it('marks it deleted with a delete revision that keeps its text; it cannot be deleted twice', async () => {
    const id = await desk.article();
    const p = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: eve, seconds: 2 });
    expect(p).toMatchObject({ status: 'deleted', text: mtOf(1), revision: 2, lastChange: { action: 'delete', by: 'eve' } });
    expect((await desk.history(id, 'p1')).at(-1)).toMatchObject({ action: 'delete', author: 'eve', status: 'deleted', text: mtOf(1), diff: { added: 0, removed: 0 }, seconds: 2 });
    const again = deleteParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 2, actor: eve });
    await expect(again).rejects.toBeInstanceOf(InvalidStateError);
    await expect(again).rejects.toThrow(/this paragraph is deleted/);
    // The other paragraphs keep their places.
    expect((await desk.get(id)).paragraphs.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses a stale base and an approved paragraph', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: eve });
    const stale = await refusal(() => deleteParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, actor: ed }));
    expect(stale).toBeInstanceOf(StaleRevisionError);
    expect((stale as StaleRevisionError).current).toMatchObject({ status: 'edited', lastChange: { action: 'edit', by: 'eve' } });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: rita });
    await expect(deleteParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 3, actor: ed })).rejects.toThrow(/cannot delete: paragraph p2 is approved by rita/);
    expect((await desk.para(id, 'p2')).status).toBe('edited');
  });
});

describe('delete an article', () => {
  it('removes the article, its history and its own glossary; the others stay', async () => {
    const id = await desk.article();
    const other = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    await desk.services.glossaries.put(articleScope(id), [{ term: 'Baoan', preferred: 'Bao’an' }], { at: new Date().toISOString(), username: 'ada' });
    expect(await desk.services.glossaries.get(articleScope(id))).toHaveLength(1);
    await deleteArticle(desk.services, id);
    expect(await desk.services.store.getArticle(id)).toBeUndefined();
    expect((await desk.services.store.listArticles()).map((a) => a.id)).not.toContain(id);
    expect((await desk.services.store.listArticles()).map((a) => a.id)).toContain(other);
    // lowdb answers 404 for the history of an article it does not have; either way nothing is left.
    expect(await desk.services.store.history(id).catch((e: { status?: number }) => (expect(e.status).toBe(404), []))).toEqual([]);
    expect(await desk.services.glossaries.get(articleScope(id))).toEqual([]);
    const twice = deleteArticle(desk.services, id);
    await expect(twice).rejects.toBeInstanceOf(NotFoundError);
    await expect(twice).rejects.toThrow(`no article "${id}"`);
  });
});
