/**
 * The text-deciding commands on their own (no HTTP), against a real temporary store: edit, accept
 * (whole and partial), reject, keep (one and many) and revert. What an editor notices: the status
 * after the action, the revision recorded with its author and word diff, a conflict that says who
 * changed the paragraph, and a lock that names the approver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { editParagraph, MAX_PARAGRAPH_CHARS } from '../../server/commands/editParagraph.js';
import {
  BadRequestError, ConfirmationRequiredError, InvalidStateError, LockedError, NotFoundError, StaleRevisionError,
} from '../../server/commands/errors.js';
import { keepParagraph, keepParagraphs } from '../../server/commands/keepParagraph.js';
import { rejectSuggestion } from '../../server/commands/rejectSuggestion.js';
import { revertParagraph } from '../../server/commands/revertParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import type { Engine } from '../../server/engines/types.js';
import { attempt, ed, eve, mtOf, openDesk, refusal, rita, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

/** An engine that rewrites the text with a function (the store stays real). */
const rewriting = (rewrite: (t: string) => string): Engine => ({ id: 'test', model: 'test-1', describe: () => 'test engine', suggest: async (r) => ({ text: rewrite(r.text), model: 'test-1' }) });

describe('edit', () => {
  it('saves the new text as edited, with a revision naming the editor and the words changed; the MT stays', async () => {
    const id = await desk.article();
    const text = 'The alliance was founded at the national incubator on 28 January.';
    const p = await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text, actor: ed, seconds: 12 });
    expect(p).toMatchObject({ text, mt: mtOf(2), status: 'edited', revision: 2, lastChange: { action: 'edit', by: 'ed' } });
    expect(await desk.para(id, 'p2')).toMatchObject({ text, status: 'edited', revision: 2 });
    const last = (await desk.history(id, 'p2')).at(-1)!;
    // "in the the … January 28." → "at the … 28 January.": in, the, January out; at, January. in.
    expect(last).toMatchObject({ n: 2, action: 'edit', author: 'ed', text, status: 'edited', seconds: 12, diff: { added: 2, removed: 3 } });
    expect(last.suggestionId).toBeUndefined();
  });

  it('trims and normalises the text; an edit to nothing is refused and nothing is stored', async () => {
    const id = await desk.article();
    const p = await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, text: '  The park lies by the river.\n', actor: ed });
    expect(p.text).toBe('The park lies by the river.');
    await expect(attempt(() => editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: ' \u200B ', actor: ed }))).rejects.toThrow(/the text is empty: to remove a paragraph, delete it/);
    await expect(attempt(() => editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'x'.repeat(MAX_PARAGRAPH_CHARS + 1), actor: ed }))).rejects.toBeInstanceOf(BadRequestError);
    expect(await desk.para(id, 'p4')).toMatchObject({ text: mtOf(4), status: 'pending', revision: 1 });
  });

  it('the fact guard flags a changed number in the edited text against the MT', async () => {
    const id = await desk.article();
    const p = await editParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, text: 'Output of the industry reached 2 billion yuan in 2014.', actor: ed });
    expect(p.findings?.map((f) => [f.check, f.severity, f.message])).toEqual([['numbers', 'warning', 'Number changed: "1000000000 yuan" → "2 billion yuan"']]);
    // Back to the MT's wording: nothing to flag.
    const back = await editParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: p.revision, text: mtOf(3), actor: ed });
    expect(back.findings).toBeUndefined();
  });

  it('a stale baseRevision is a conflict that carries the paragraph as it is now and who changed it', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang Hongbin visited the companies himself.', actor: eve });
    const late = editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang visited.', actor: ed });
    await expect(late).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(late).rejects.toThrow('paragraph p4 changed since you loaded it (your revision 1, now 2)');
    const err = (await late.catch((e: unknown) => e)) as StaleRevisionError;
    expect(err.status).toBe(409);
    expect(err.current).toMatchObject({ id: 'p4', revision: 2, text: 'Mayor Wang Hongbin visited the companies himself.', lastChange: { action: 'edit', by: 'eve' } });
    expect((await desk.history(id, 'p4')).map((r) => r.author)).toEqual(['importer', 'eve']);
  });

  it('needs a baseRevision, a paragraph that exists and one that is not deleted', async () => {
    const id = await desk.article();
    await expect(editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: undefined, text: 'New.', actor: ed })).rejects.toThrow(/baseRevision is required/);
    await expect(editParagraph(desk.services, { articleId: id, paragraphId: 'p99', baseRevision: 1, text: 'New.', actor: ed })).rejects.toBeInstanceOf(NotFoundError);
    // The store's own not-found error (a 404 all the same).
    expect(await refusal(() => editParagraph(desk.services, { articleId: 'no-such-article', paragraphId: 'p2', baseRevision: 1, text: 'New.', actor: ed }))).toMatchObject({ status: 404, message: 'no article "no-such-article"' });
    const gone = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, actor: ed });
    const attempt = editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: gone.revision, text: 'New.', actor: ed });
    await expect(attempt).rejects.toBeInstanceOf(InvalidStateError);
    await expect(attempt).rejects.toThrow(/this paragraph is deleted: revert or undo/);
  });

  it('an approved paragraph refuses an edit, naming who approved it, before any revision check', async () => {
    const id = await desk.article();
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, actor: ed });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: kept.revision, action: 'approve', actor: rita });
    for (const baseRevision of [1, 3]) {
      const attempt = editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision, text: 'The park is by the river.', actor: ed });
      await expect(attempt).rejects.toBeInstanceOf(LockedError);
      await expect(attempt).rejects.toThrow(/cannot edit: paragraph p5 is approved by rita on \d{4}-\d\d-\d\d and locked; a reviewer must reopen it first/);
    }
    expect(await desk.para(id, 'p5')).toMatchObject({ text: mtOf(5), status: 'kept', review: 'approved' });
  });

  it('an edit made while a suggestion is open records it as the answer to that suggestion', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p6', actor: ed });
    const p = await editParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: s.revision, text: 'About 200 enterprises gathered in Baoan.', actor: ed });
    expect(p.status).toBe('edited');
    expect((await desk.history(id, 'p6')).at(-1)).toMatchObject({ action: 'edit', suggestionId: s.suggestion!.id });
  });
});

describe('accept', () => {
  it('takes the whole suggestion: accepted, the suggestion\'s text, one accept revision with its id and diff', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    const p = await acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed });
    expect(p).toMatchObject({ status: 'accepted', text: 'Output of the industry reached 1 billion yuan in 2014.', mt: mtOf(3), lastChange: { action: 'accept', by: 'ed' } });
    const history = await desk.history(id, 'p3');
    expect(history.map((r) => r.action)).toEqual(['import', 'suggest', 'accept']);
    expect(history[2]).toMatchObject({ author: 'ed', suggestionId: s.suggestion!.id, diff: { added: 2, removed: 1 }, status: 'accepted' });
  });

  it('takes only the chosen spans (accept-partial) and refuses a span that does not exist', async () => {
    const id = await desk.article();
    const twoChanges = rewriting((t) => t.replace('the the', 'the').replace('founded', 'set up'));
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine: twoChanges });
    const base = { articleId: id, paragraphId: 'p2', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed };
    await expect(acceptSuggestion(desk.services, { ...base, spans: [2] })).rejects.toThrow('span 2 does not exist: the suggestion has 2 changed spans');
    const p = await acceptSuggestion(desk.services, { ...base, spans: [1] });
    expect(p).toMatchObject({ status: 'accepted', text: 'The alliance was founded in the national incubator on January 28.' });
    expect((await desk.history(id, 'p2')).at(-1)).toMatchObject({ action: 'accept-partial', author: 'ed', suggestionId: s.suggestion!.id });
  });

  it('a suggestion the fact guard warns about needs a confirmation; nothing changes until then', async () => {
    const id = await desk.article();
    const wrongYear = rewriting((t) => t.replace('2014', '2015'));
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed, engine: wrongYear });
    expect(s.suggestion!.checks.map((c) => c.severity)).toContain('warning');
    const base = { articleId: id, paragraphId: 'p3', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed };
    const unconfirmed = acceptSuggestion(desk.services, base);
    await expect(unconfirmed).rejects.toBeInstanceOf(ConfirmationRequiredError);
    await expect(unconfirmed).rejects.toThrow(/the fact guard flagged this suggestion \(.*2014.*2015.*\): confirm to accept it anyway/);
    expect(await desk.para(id, 'p3')).toMatchObject({ status: 'suggested', text: mtOf(3), revision: s.revision });
    const p = await acceptSuggestion(desk.services, { ...base, confirmWarnings: true });
    expect(p).toMatchObject({ status: 'accepted', text: 'Output of the industry reached 1000000000 yuan in 2015.' });
  });

  it('refuses without a suggestion, with an outdated suggestion id, and one that would empty the paragraph', async () => {
    const id = await desk.article();
    await expect(acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, suggestionId: 's-x', actor: ed })).rejects.toThrow(/has no suggestion to accept/);
    const first = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed });
    const second = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed, force: true });
    const old = acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: second.revision, suggestionId: first.suggestion!.id, actor: ed });
    await expect(old).rejects.toBeInstanceOf(InvalidStateError);
    await expect(old).rejects.toThrow(/no longer the current one/);
    const emptier = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: ed, engine: rewriting(() => ' ') });
    await expect(acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: emptier.revision, suggestionId: emptier.suggestion!.id, actor: ed })).rejects.toThrow(/would leave the paragraph empty/);
    expect((await desk.para(id, 'p5')).text).toBe(mtOf(5));
  });

  it('a stale baseRevision is refused, and the accepted text is the one the other editor left alone', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p6', actor: ed });
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: s.revision, actor: eve });
    const late = acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: s.revision, suggestionId: s.suggestion!.id, actor: ed });
    await expect(late).rejects.toBeInstanceOf(StaleRevisionError);
    expect(((await late.catch((e: unknown) => e)) as StaleRevisionError).current.lastChange).toMatchObject({ action: 'keep', by: 'eve' });
    expect(await desk.para(id, 'p6')).toMatchObject({ status: 'kept', text: mtOf(6), revision: kept.revision });
  });

  it('refuses a suggestion made for an earlier text: it would silently replace another editor\'s edit', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed });
    const edited = await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: s.revision, text: 'Eve wrote her own version.', actor: eve });
    // ed reloads (so his revision is current) and sends the suggestion id his page still held.
    const accept = acceptSuggestion(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: edited.revision, suggestionId: s.suggestion!.id, actor: ed });
    await expect(accept).rejects.toBeInstanceOf(InvalidStateError);
    expect((await desk.para(id, 'p2')).text).toBe('Eve wrote her own version.');
  });
});

describe('reject', () => {
  it('turns the suggestion down: the text stays, the status is rejected, the revision names the suggestion', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed });
    const p = await rejectSuggestion(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: s.revision, actor: ed });
    expect(p).toMatchObject({ status: 'rejected', text: mtOf(2), rejectedSuggestion: s.suggestion!.id, lastChange: { action: 'reject', by: 'ed' } });
    expect((await desk.history(id, 'p2')).at(-1)).toMatchObject({ action: 'reject', author: 'ed', suggestionId: s.suggestion!.id, diff: { added: 0, removed: 0 } });
    await expect(rejectSuggestion(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: s.revision, actor: ed })).rejects.toBeInstanceOf(StaleRevisionError);
  });
});

describe('keep', () => {
  it('keeping an open suggestion turns it down; an accepted or edited text cannot be kept', async () => {
    const id = await desk.article();
    const s = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    const kept = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: s.revision, actor: ed });
    expect(kept).toMatchObject({ status: 'kept', text: mtOf(3) });
    expect((await desk.history(id, 'p3')).at(-1)).toMatchObject({ action: 'keep', suggestionId: s.suggestion!.id });
    const again = keepParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: kept.revision, actor: ed });
    await expect(again).rejects.toThrow('this paragraph is already kept as is');
    const edited = await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang visited.', actor: ed });
    const keepEdited = keepParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: edited.revision, actor: ed });
    await expect(keepEdited).rejects.toBeInstanceOf(InvalidStateError);
    await expect(keepEdited).rejects.toThrow(/cannot keep a paragraph that is edited/);
  });

  it('keep many keeps what is still as the editor saw it and says why it skipped the others', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, text: 'Output reached 1 billion yuan in 2014.', actor: eve });
    const k4 = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: eve });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: k4.revision, action: 'approve', actor: rita });
    const r = await keepParagraphs(desk.services, {
      articleId: id,
      actor: ed,
      paragraphs: [{ id: 'p2', baseRevision: 1 }, { id: 'p3', baseRevision: 1 }, { id: 'p4', baseRevision: 3 }, { id: 'p5', baseRevision: 1 }, { id: 'p42', baseRevision: 1 }],
    });
    expect(r.kept).toEqual(['p2', 'p5']);
    expect(r.skipped).toEqual([
      { id: 'p3', reason: 'changed since you loaded it (revision 2)' },
      { id: 'p4', reason: 'approved and locked' },
      { id: 'p42', reason: 'no such paragraph' },
    ]);
    expect([(await desk.para(id, 'p2')).status, (await desk.para(id, 'p3')).status, (await desk.para(id, 'p5')).status]).toEqual(['kept', 'edited', 'kept']);
    const edited = await desk.para(id, 'p3');
    const decided = await keepParagraphs(desk.services, { articleId: id, actor: ed, paragraphs: [{ id: 'p3', baseRevision: edited.revision }] });
    expect(decided).toEqual({ kept: [], skipped: [{ id: 'p3', reason: 'already edited' }] });
    await expect(attempt(() => keepParagraphs(desk.services, { articleId: id, actor: ed, paragraphs: [] }))).rejects.toThrow(/choose at least one paragraph/);
  });
});

describe('revert', () => {
  it('brings back an earlier revision\'s text and status as a new revision; history keeps everything', async () => {
    const id = await desk.article();
    const e1 = await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, text: 'The park is by the river.', actor: ed });
    const e2 = await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: e1.revision, text: 'The park lies on the riverbank.', actor: ed });
    const p = await revertParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: e2.revision, to: 1, actor: eve });
    expect(p).toMatchObject({ text: mtOf(5), status: 'pending', revision: 4, lastChange: { action: 'revert', by: 'eve' } });
    const history = await desk.history(id, 'p5');
    expect(history.map((r) => [r.n, r.action, r.author])).toEqual([[1, 'import', 'importer'], [2, 'edit', 'ed'], [3, 'edit', 'ed'], [4, 'revert', 'eve']]);
    expect(history[3]).toMatchObject({ revertedTo: 1, text: mtOf(5), status: 'pending' });
    const forward = await revertParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 4, to: 2, actor: eve });
    expect(forward).toMatchObject({ text: 'The park is by the river.', status: 'edited', revision: 5 });
  });

  it('brings a deleted paragraph back', async () => {
    const id = await desk.article();
    const gone = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: ed });
    const back = await revertParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: gone.revision, to: 1, actor: ed });
    expect(back).toMatchObject({ status: 'pending', text: mtOf(1), kind: 'heading' });
  });

  it('refuses a revision that is not an earlier one, and a stale base', async () => {
    const id = await desk.article();
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    await expect(revertParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: e.revision, to: 2, actor: ed })).rejects.toThrow('paragraph p2 has no earlier revision 2 (it is at revision 2)');
    await expect(revertParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: e.revision, to: 0, actor: ed })).rejects.toThrow('"to" must be a revision number');
    await expect(revertParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, to: 1, actor: ed })).rejects.toBeInstanceOf(StaleRevisionError);
    expect((await desk.para(id, 'p2')).text).toBe('The alliance was founded.');
  });
});
