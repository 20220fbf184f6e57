/**
 * Undo on its own, against a real temporary store: it takes back the actor's latest action on the
 * article (theirs only, newest first) by restoring what that action touched, as new revisions, and
 * refuses when someone changed one of those paragraphs since, or when one is approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { InvalidStateError, LockedError } from '../../server/commands/errors.js';
import { exportArticle } from '../../server/commands/exportArticle.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { mergeParagraph } from '../../server/commands/mergeParagraph.js';
import { rejectSuggestion } from '../../server/commands/rejectSuggestion.js';
import { revertParagraph } from '../../server/commands/revertParagraph.js';
import { reviewParagraph, submitArticle } from '../../server/commands/reviewParagraph.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { ed, eve, mtOf, NEWS, openDesk, rita, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

const undo = (articleId: string, actor = ed) => undoLastAction(desk.services, { articleId, actor });

describe('undo', () => {
  it('undoes an edit: the text and status before it come back as a new undo revision', async () => {
    const id = await desk.article();
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    const r = await undo(id);
    expect(r.undone).toBe('edit');
    expect(r.paragraphs).toMatchObject([{ id: 'p2', text: mtOf(2), status: 'pending', revision: e.revision + 1, lastChange: { action: 'undo', by: 'ed' } }]);
    expect(await desk.para(id, 'p2')).toMatchObject({ text: mtOf(2), status: 'pending', revision: 3 });
    expect((await desk.history(id, 'p2')).map((h) => [h.action, h.author, h.text])).toEqual([
      ['import', 'importer', mtOf(2)],
      ['edit', 'ed', 'The alliance was founded.'],
      ['undo', 'ed', mtOf(2)],
    ]);
    // Nothing is left to undo: the entry is used up.
    await expect(undo(id)).rejects.toThrow('nothing to undo: you have no recent action on this article');
  });

  it('goes back one action at a time, newest first, across paragraphs', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang visited.', actor: ed });
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, actor: ed });
    await keepParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, actor: ed });
    expect((await undo(id)).undone).toBe('keep');
    expect((await desk.para(id, 'p5')).status).toBe('pending');
    expect((await undo(id)).undone).toBe('delete');
    expect((await desk.para(id, 'p6')).status).toBe('pending');
    expect((await undo(id)).paragraphs[0]).toMatchObject({ id: 'p4', text: mtOf(4), status: 'pending' });
    await expect(undo(id)).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('undoing twice takes back two edits of the same paragraph (the first undo is not "a change since")', async () => {
    const id = await desk.article();
    const e1 = await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang visited.', actor: ed });
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: e1.revision, text: 'Mayor Wang visited them.', actor: ed });
    expect((await undo(id)).paragraphs[0]).toMatchObject({ text: 'Mayor Wang visited.', status: 'edited' });
    expect((await undo(id)).paragraphs[0]).toMatchObject({ text: mtOf(4), status: 'pending' });
  });

  it('is per author: one editor\'s undo never takes back another\'s action', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'Ed\'s wording.', actor: ed });
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, text: 'Eve\'s wording.', actor: eve });
    const r = await undo(id, ed);
    expect(r.paragraphs.map((p) => p.id)).toEqual(['p2']);
    expect((await desk.para(id, 'p3')).text).toBe('Eve\'s wording.');
    expect((await undo(id, eve)).paragraphs.map((p) => p.id)).toEqual(['p3']);
    await expect(undo(id, eve)).rejects.toThrow(/nothing to undo/);
  });

  it('is refused when someone changed the paragraph since; the history can still revert it', async () => {
    const id = await desk.article();
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, text: 'The park is by the river.', actor: ed });
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: e.revision, text: 'The park lies by the river.', actor: eve });
    const refused = undo(id, ed);
    await expect(refused).rejects.toBeInstanceOf(InvalidStateError);
    await expect(refused).rejects.toThrow('cannot undo your edit: paragraph p5 has changed since (use its history to revert)');
    expect((await desk.para(id, 'p5')).text).toBe('The park lies by the river.');
    const back = await revertParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 3, to: 1, actor: ed });
    expect(back.text).toBe(mtOf(5));
  });

  it('is refused on an approved paragraph, naming the approver; after a reopen it works again', async () => {
    const id = await desk.article();
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, text: 'About 200 enterprises gathered in Baoan.', actor: ed });
    const a = await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: e.revision, action: 'approve', actor: rita });
    const locked = undo(id);
    await expect(locked).rejects.toBeInstanceOf(LockedError);
    await expect(locked).rejects.toThrow(/paragraph p6 is approved by rita/);
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: a.revision, action: 'reopen', actor: rita });
    // Review actions change no text: the editor's edit is still theirs to undo.
    expect((await undo(id)).paragraphs[0]).toMatchObject({ text: mtOf(6), status: 'pending' });
  });

  it('undoes an accept: the suggestion is open again and can be taken again', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    await acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed });
    expect((await undo(id)).undone).toBe('accept');
    const p = await desk.para(id, 'p3');
    expect(p).toMatchObject({ text: mtOf(3), status: 'suggested', suggestion: { id: s.suggestion!.id } });
    const again = await acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: p.revision, suggestionId: s.suggestion!.id, actor: ed });
    expect(again.text).toBe(s.suggestion!.text);
  });

  it('undoes a reject and a delete', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed });
    await rejectSuggestion(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: s.revision, actor: ed });
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    expect((await undo(id)).undone).toBe('delete');
    expect(await desk.para(id, 'p4')).toMatchObject({ status: 'pending', text: mtOf(4) });
    expect((await undo(id)).undone).toBe('reject');
    expect(await desk.para(id, 'p2')).toMatchObject({ status: 'suggested', text: mtOf(2) });
  });

  it('undoes a split: the text is whole again and the split-off paragraph is gone from the article', async () => {
    const id = await desk.article();
    await splitParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: mtOf(2).indexOf(' on January'), actor: ed });
    const r = await undo(id);
    expect(r.undone).toBe('split');
    expect(await desk.para(id, 'p2')).toMatchObject({ text: mtOf(2), status: 'pending' });
    expect(await desk.para(id, 'p7')).toMatchObject({ status: 'deleted' });
    expect((await exportArticle(desk.services, id, 'txt')).body).toBe(`${NEWS.map((_, i) => mtOf(i + 1)).join('\n\n')}\n`);
  });

  it('undoes a merge: both paragraphs are back as they were', async () => {
    const id = await desk.article();
    await mergeParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    expect((await undo(id)).undone).toBe('merge');
    expect(await desk.para(id, 'p3')).toMatchObject({ text: mtOf(3), status: 'pending' });
    expect(await desk.para(id, 'p4')).toMatchObject({ text: mtOf(4), status: 'pending' });
  });

  it('undoing a merge brings a heading back as a heading', async () => {
    const id = await desk.article();
    const m = await mergeParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: ed });
    expect(m.kind).toBe('body');
    await undo(id);
    expect(await desk.para(id, 'p1')).toMatchObject({ text: mtOf(1), status: 'pending', kind: 'heading' });
    expect((await exportArticle(desk.services, id, 'md')).body).toMatch(/^# Wearables alliance founded in Baoan\n/);
  });

  it('undoing a split is refused when someone edited the split-off paragraph since (their edit is not thrown away)', async () => {
    const id = await desk.article();
    await splitParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: mtOf(2).indexOf(' in the the'), actor: ed });
    const q = await desk.para(id, 'p7');
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p7', baseRevision: q.revision, text: 'Eve rewrote this half.', actor: eve });
    await expect(undo(id)).rejects.toThrow(/cannot undo your split: paragraph p7 has changed since/);
    expect(await desk.para(id, 'p7')).toMatchObject({ status: 'edited', text: 'Eve rewrote this half.' });
  });

  it('undoing a split is refused while the split-off paragraph is approved (an approved paragraph is locked)', async () => {
    const id = await desk.article();
    await splitParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: mtOf(2).indexOf(' in the the'), actor: ed });
    const q = await desk.para(id, 'p7');
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p7', baseRevision: q.revision, action: 'approve', actor: rita });
    await expect(undo(id)).rejects.toBeInstanceOf(LockedError);
    expect(await desk.para(id, 'p7')).toMatchObject({ status: 'edited', review: 'approved' });
  });

  it('sending the whole article for review keeps earlier actions undoable, as a single paragraph\'s submit does', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, text: 'It has fifty members.', actor: ed });
    expect(await submitArticle(desk.services, { articleId: id, actor: ed })).toEqual({ submitted: 2 });
    const r = await undo(id);
    expect(r.undone).toBe('edit');
    expect(r.paragraphs).toMatchObject([{ id: 'p3', text: mtOf(3), status: 'pending' }]);
    expect(await desk.para(id, 'p2')).toMatchObject({ text: 'The alliance was founded.', review: 'in-review' });
  });
});
