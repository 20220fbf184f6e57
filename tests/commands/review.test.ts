/**
 * The review commands on their own, against a real temporary store: submit, approve, send back and
 * reopen one paragraph, comment, submit a whole article. Who may do what from which review state, and
 * what an approval locks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError, ForbiddenError, InvalidStateError, LockedError, StaleRevisionError } from '../../server/commands/errors.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { commentParagraph, reviewParagraph, submitArticle, type ReviewProps } from '../../server/commands/reviewParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { ada, attempt, ed, mtOf, openDesk, refusal, rita, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

const review = (props: ReviewProps) => attempt(() => reviewParagraph(desk.services, props));

/** An article whose p2 is edited by ed (revision 2). */
async function decided(): Promise<string> {
  const id = await desk.article();
  await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded on January 28.', actor: ed });
  return id;
}

describe('approve', () => {
  it('a reviewer approves a decided paragraph: approved by them, recorded, text and status unchanged', async () => {
    const id = await decided();
    const p = await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: rita });
    expect(p).toMatchObject({ review: 'approved', approval: { by: 'rita' }, status: 'edited', text: 'The alliance was founded on January 28.', revision: 3, lastChange: { action: 'approve', by: 'rita' } });
    expect((await desk.history(id, 'p2')).at(-1)).toMatchObject({ action: 'approve', author: 'rita', review: 'approved', diff: { added: 0, removed: 0 } });
  });

  it('an editor may not approve; an admin may', async () => {
    const id = await decided();
    const err = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: ed }));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe('an editor may not approve paragraphs');
    expect((await desk.para(id, 'p2')).review).toBeUndefined();
    expect(await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: ada })).toMatchObject({ review: 'approved', approval: { by: 'ada' } });
  });

  it('refuses a paragraph nobody has decided on yet (pending or suggested), and a deleted one', async () => {
    const id = await desk.article();
    const pending = await refusal(() => review({ articleId: id, paragraphId: 'p3', baseRevision: 1, action: 'approve', actor: rita }));
    expect(pending).toBeInstanceOf(InvalidStateError);
    expect(pending.message).toMatch(/cannot approve paragraph p3: it is pending, not decided yet/);
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    await expect(review({ articleId: id, paragraphId: 'p3', baseRevision: s.revision, action: 'approve', actor: rita })).rejects.toThrow(/it is suggested, not decided yet/);
    const gone = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    await expect(review({ articleId: id, paragraphId: 'p4', baseRevision: gone.revision, action: 'approve', actor: rita })).rejects.toThrow('this paragraph is deleted');
  });

  it('a stale baseRevision is refused: the reviewer approves what they saw, not a newer text', async () => {
    const id = await decided();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 2, text: 'A later wording.', actor: ed });
    const err = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: rita }));
    expect(err).toBeInstanceOf(StaleRevisionError);
    expect((err as StaleRevisionError).current).toMatchObject({ text: 'A later wording.', lastChange: { by: 'ed', action: 'edit' } });
    expect((await desk.para(id, 'p2')).review).toBeUndefined();
  });

  it('locks the paragraph for every text action, suggestions included, until a reviewer reopens it', async () => {
    const id = await decided();
    const a = await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: rita });
    const base = { articleId: id, paragraphId: 'p2', baseRevision: a.revision, actor: ed };
    for (const action of [
      () => editParagraph(desk.services, { ...base, text: 'Changed.' }),
      () => deleteParagraph(desk.services, base),
      () => suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed }),
      () => undoLastAction(desk.services, { articleId: id, actor: ed }),
    ]) {
      const err = await refusal(action);
      expect(err).toBeInstanceOf(LockedError);
      expect(err.message).toMatch(/paragraph p2 is approved by rita on \d{4}-\d\d-\d\d and locked; a reviewer must reopen it first/);
    }
    const r = await review({ ...base, action: 'reopen', actor: rita });
    expect(r.review).toBe('none');
    expect(r.approval).toBeUndefined();
    const e = await editParagraph(desk.services, { ...base, baseRevision: r.revision, text: 'Changed after the reopen.' });
    expect(e).toMatchObject({ status: 'edited', text: 'Changed after the reopen.' });
  });
});

describe('submit, send back, reopen', () => {
  it('an editor submits a decided paragraph for review; submitting it again is refused', async () => {
    const id = await decided();
    const p = await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'submit', actor: ed });
    expect(p).toMatchObject({ review: 'in-review', revision: 3 });
    expect((await desk.history(id, 'p2')).at(-1)).toMatchObject({ action: 'submit', author: 'ed', review: 'in-review' });
    const again = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 3, action: 'submit', actor: ed }));
    expect(again).toBeInstanceOf(InvalidStateError);
    expect(again.message).toBe('cannot submit a paragraph that is in-review');
  });

  it('a paragraph nobody has decided on cannot be submitted on its own either (as the whole-article submit leaves it)', async () => {
    const id = await desk.article();
    // A reviewer could neither approve it ("not decided yet") nor would the article's submit have sent it.
    const err = await refusal(() => review({ articleId: id, paragraphId: 'p3', baseRevision: 1, action: 'submit', actor: ed }));
    expect(err).toBeInstanceOf(InvalidStateError);
    expect((await desk.para(id, 'p3')).review).toBeUndefined();
  });

  it('sending back needs a reason, which joins the paragraph\'s comments; the editor can then change and resubmit', async () => {
    const id = await decided();
    await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'submit', actor: ed });
    const silent = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 3, action: 'send-back', actor: rita, comment: '  ' }));
    expect(silent).toBeInstanceOf(BadRequestError);
    expect(silent.message).toBe('say why: a comment is required');
    const back = await review({ articleId: id, paragraphId: 'p2', baseRevision: 3, action: 'send-back', actor: rita, comment: 'Say where the incubator is.' });
    expect(back).toMatchObject({ review: 'sent-back', revision: 4 });
    expect(back.comments).toMatchObject([{ author: 'rita', text: 'Say where the incubator is.', action: 'send-back' }]);
    expect((await desk.history(id, 'p2')).at(-1)).toMatchObject({ action: 'send-back', author: 'rita', comment: 'Say where the incubator is.', review: 'sent-back' });
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 4, text: 'The alliance was founded in Baoan on January 28.', actor: ed });
    expect(e.review).toBe('sent-back');
    expect((await review({ articleId: id, paragraphId: 'p2', baseRevision: e.revision, action: 'submit', actor: ed })).review).toBe('in-review');
  });

  it('an editor may not send back or reopen; reopen applies only to an approved paragraph', async () => {
    const id = await decided();
    const sendBack = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'send-back', actor: ed, comment: 'No.' }));
    expect(sendBack).toBeInstanceOf(ForbiddenError);
    expect(sendBack.message).toBe('an editor may not send back paragraphs');
    const notApproved = await refusal(() => review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'reopen', actor: rita }));
    expect(notApproved).toBeInstanceOf(InvalidStateError);
    expect(notApproved.message).toBe('cannot reopen a paragraph that is not in review');
    await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'approve', actor: rita });
    await expect(review({ articleId: id, paragraphId: 'p2', baseRevision: 3, action: 'reopen', actor: ed })).rejects.toBeInstanceOf(ForbiddenError);
    // A reviewer may also send an approved paragraph back, with a reason: that lifts the lock too.
    const back = await review({ articleId: id, paragraphId: 'p2', baseRevision: 3, action: 'send-back', actor: rita, comment: 'On second thought, check the date.' });
    expect(back).toMatchObject({ review: 'sent-back' });
    expect(back.approval).toBeUndefined();
  });

  it('a review action is not an undoable action: the editor\'s undo still takes back their own last edit', async () => {
    const id = await decided();
    await review({ articleId: id, paragraphId: 'p2', baseRevision: 2, action: 'submit', actor: ed });
    const u = await undoLastAction(desk.services, { articleId: id, actor: ed });
    expect(u.undone).toBe('edit');
    expect(await desk.para(id, 'p2')).toMatchObject({ text: mtOf(2), status: 'pending' });
  });
});

describe('comments', () => {
  it('a comment joins the thread without a new revision, so nobody\'s open edit goes stale', async () => {
    const id = await desk.article();
    const p = await attempt(() => commentParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: rita, text: '  Which river?\r\nName it. ' }));
    expect(p.revision).toBe(1);
    expect(p.comments).toMatchObject([{ author: 'rita', text: 'Which river?\nName it.' }]);
    expect((await desk.history(id, 'p5')).map((r) => r.action)).toEqual(['import']);
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, text: 'The park lies near the Pearl River.', actor: ed });
    expect(e.comments).toHaveLength(1);
    await expect(attempt(() => commentParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: rita, text: '' }))).rejects.toThrow('say why: a comment is required');
    await expect(attempt(() => commentParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: rita, text: 'x'.repeat(5001) }))).rejects.toThrow('a comment has at most 5000 characters');
  });
});

describe('submit an article', () => {
  it('sends every decided paragraph not yet in review; pending, deleted and approved ones stay', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    const k = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    await keepParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    await review({ articleId: id, paragraphId: 'p3', baseRevision: k.revision, action: 'approve', actor: rita });
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, actor: ed });
    expect(await submitArticle(desk.services, { articleId: id, actor: ed })).toEqual({ submitted: 2 });
    const reviews = (await desk.get(id)).paragraphs.map((p) => `${p.id}:${p.review ?? 'none'}`);
    expect(reviews).toEqual(['p1:none', 'p2:in-review', 'p3:approved', 'p4:in-review', 'p5:none', 'p6:none']);
    expect((await desk.history(id, 'p4')).at(-1)).toMatchObject({ action: 'submit', author: 'ed', review: 'in-review' });
    const nothing = await refusal(() => submitArticle(desk.services, { articleId: id, actor: ed }));
    expect(nothing).toBeInstanceOf(InvalidStateError);
    expect(nothing.message).toMatch(/^nothing to submit/);
  });
});
