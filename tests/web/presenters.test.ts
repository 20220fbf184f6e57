import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import type { Paragraph, ParagraphStatus, ReviewState, Role } from '../../server/core/types.js';
import { PARAGRAPH_ACTIONS, paragraphCan, paragraphView, viewerCan, type ParagraphCan } from '../../server/web/presenters.js';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

function para(status: ParagraphStatus, review: ReviewState, open: boolean): Paragraph {
  const text = 'The alliance was founded on 28 January.';
  return {
    id: 'p1', index: 0, kind: 'body', mt: text, text, status, revision: 3, review,
    ...(review === 'approved' ? { approval: { by: 'rev', at: '2025-03-01T10:00:00Z' } } : {}),
    ...(open ? { suggestion: { id: 's1', paragraphId: 'p1', engine: 'offline', model: 'x', text: 'The alliance was founded on January 28.', basedOn: text, checks: [], createdAt: '2025-03-01T09:00:00Z' } } : {}),
  };
}

const allowed = (can: ParagraphCan) => PARAGRAPH_ACTIONS.filter((a) => can[a]).sort();

/** What changing the text takes, for anyone, on a live paragraph that is not locked. */
const TEXT = ['suggest', 'edit', 'revert', 'delete', 'split', 'merge', 'undo', 'comment'];

// [status, review, open suggestion, what an editor may do, what a reviewer (and an admin) may do]
const CASES: Array<[ParagraphStatus, ReviewState, boolean, string[], string[]]> = [
  ['pending', 'none', false, [...TEXT, 'keep'], [...TEXT, 'keep', 'sendBack']],
  ['suggested', 'none', true, [...TEXT, 'keep', 'accept', 'reject'], [...TEXT, 'keep', 'accept', 'reject', 'sendBack']],
  ['accepted', 'none', false, [...TEXT, 'submit'], [...TEXT, 'submit', 'approve', 'sendBack']],
  // A new suggestion on a decided paragraph can be taken or turned down; keeping is for undecided text.
  ['accepted', 'none', true, [...TEXT, 'submit', 'accept', 'reject'], [...TEXT, 'submit', 'accept', 'reject', 'approve', 'sendBack']],
  ['edited', 'in-review', false, TEXT, [...TEXT, 'approve', 'sendBack']],
  ['rejected', 'sent-back', false, [...TEXT, 'keep', 'submit'], [...TEXT, 'keep', 'submit', 'approve']],
  ['kept', 'none', false, [...TEXT, 'submit'], [...TEXT, 'submit', 'approve', 'sendBack']],
  // Approved: locked. Only comments, and for reviewers reopening or sending back.
  ['kept', 'approved', false, ['comment'], ['comment', 'reopen', 'sendBack']],
  ['accepted', 'approved', true, ['comment'], ['comment', 'reopen', 'sendBack']],
  // Deleted: only revert (from the history) or undo bring it back.
  ['deleted', 'none', false, ['revert', 'undo'], ['revert', 'undo']],
];

describe('can: what a viewer may do with a paragraph, per role and status', () => {
  for (const [status, review, open, editor, reviewer] of CASES) {
    const label = `${status}, review ${review}${open ? ', open suggestion' : ''}`;
    it.each([['editor', editor], ['reviewer', reviewer], ['admin', reviewer]] as Array<[Role, string[]]>)(`${label}: %s`, (role, expected) => {
      expect(allowed(paragraphCan(role, para(status, review, open)))).toEqual([...expected].sort());
    });
  }

  it('is the same object on the row the page renders', () => {
    const p = para('suggested', 'none', true);
    for (const role of ['editor', 'reviewer', 'admin'] as Role[]) expect(paragraphView(p, [], undefined, role).can).toEqual(paragraphCan(role, p));
    const locked = paragraphView(para('kept', 'approved', false), [], undefined, 'editor');
    expect([locked.locked, locked.lockNote]).toEqual([true, 'Approved by rev on 2025-03-01 and locked']);
  });

  it('says what each role may do beyond a paragraph', () => {
    expect(viewerCan('editor')).toMatchObject({ import: false, manageUsers: false, runs: false, deleteArticle: false, submit: true, suggestAll: true, keepAll: true, undo: true });
    expect(viewerCan('reviewer')).toMatchObject({ import: false, manageUsers: false, runs: false });
    expect(viewerCan('admin')).toMatchObject({ import: true, manageUsers: true, runs: true, deleteArticle: true });
  });
});

describe('the note beside the current text', () => {
  it('says when the suggestion asked for changes nothing, rather than leaving "Suggested" unexplained', () => {
    const p = para('suggested', 'none', true);
    p.suggestion = { ...p.suggestion!, text: p.text };
    expect(paragraphView(p).open).toBeUndefined();
    expect(paragraphView(p).textNote).toBe('the suggestion changes nothing: keep it as is (c)');
    expect(paragraphView(para('suggested', 'none', true)).textNote).toBe('');
    expect(paragraphView(para('pending', 'none', false)).textNote).toBe('no suggestion yet (press s)');
  });
});

describe('pages and JSON show what the viewer may do', () => {
  let app: RunningApp;
  let id: string;
  let editor: ReturnType<typeof tokenClient>;
  let reviewer: ReturnType<typeof tokenClient>;
  let admin: ReturnType<typeof tokenClient>;
  const paragraph = async (pid: string, c = editor) => (await c.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
  /** One paragraph's row on the editor page. */
  const row = (html: string, pid: string) => {
    const start = html.indexOf(`<article class="para`, html.indexOf(`id="${pid}"`) - 200);
    return html.slice(start, html.indexOf('</article>', start));
  };

  beforeAll(async () => {
    app = await startApp();
    ({ article: { id } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
    [editor, reviewer, admin] = [tokenClient(app, 'editor'), tokenClient(app, 'reviewer'), tokenClient(app, 'admin')];
    // p10: an open suggestion; p3: approved (locked); p4: edited, not in review yet.
    await editor.post(`/api/articles/${id}/paragraphs/p10/suggest`, {});
    let p3 = (await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: (await paragraph('p3')).revision, text: 'On January 28 an alliance was founded.' })).json;
    p3 = (await editor.post(`/api/articles/${id}/paragraphs/p3/submit`, { baseRevision: p3.revision })).json;
    expect((await reviewer.post(`/api/articles/${id}/paragraphs/p3/approve`, { baseRevision: p3.revision })).json.review).toBe('approved');
    await editor.post(`/api/articles/${id}/paragraphs/p4/edit`, { baseRevision: (await paragraph('p4')).revision, text: 'A different fourth paragraph.' });
  });
  afterAll(async () => app.close(true));

  it('gives every paragraph of the JSON article its can, for the viewer asking', async () => {
    const [p3e, p3r] = [await paragraph('p3', editor), await paragraph('p3', reviewer)];
    expect(p3e.can).toMatchObject({ edit: false, accept: false, delete: false, reopen: false, comment: true });
    expect(p3r.can).toMatchObject({ edit: false, reopen: true, sendBack: true });
    expect((await paragraph('p4', editor)).can).toMatchObject({ submit: true, approve: false, edit: true });
    expect((await paragraph('p4', reviewer)).can).toMatchObject({ approve: true, sendBack: true });
    const p10 = await paragraph('p10');
    expect(p10.suggestion.text).not.toBe(p10.text);
    expect(p10.can).toMatchObject({ accept: true, reject: true, keep: true });
  });

  it('answers an action with the paragraph and its can', async () => {
    const p5 = await paragraph('p5');
    const kept = await editor.post(`/api/articles/${id}/paragraphs/p5/keep`, { baseRevision: p5.revision });
    expect(kept.json.status).toBe('kept');
    expect(kept.json.can).toMatchObject({ keep: false, submit: true, approve: false });
    // A refusal says what the viewer may do with the paragraph as it is now.
    const refused = await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: (await paragraph('p3')).revision, text: 'x' });
    expect(refused.status).toBe(423);
    expect(refused.json.current.can).toMatchObject({ edit: false });
  });

  it('offers on the editor page only the actions the viewer may take', async () => {
    const asEditor = (await editor.get(`/articles/${id}`)).text;
    const asReviewer = (await reviewer.get(`/articles/${id}`)).text;
    // Locked p3: no edit box, no text actions; reopening is for reviewers.
    const lockedE = row(asEditor, 'p3');
    expect(lockedE).toContain('a reviewer can reopen it');
    for (const action of ['edit', 'suggest', 'keep', 'delete', 'merge', 'reopen', 'approve', 'send-back']) expect(lockedE).not.toContain(`data-action="${action}"`);
    expect(lockedE).toContain('data-action="comment"');
    const lockedR = row(asReviewer, 'p3');
    expect(lockedR).toContain('data-action="reopen"');
    expect(lockedR).not.toContain('a reviewer can reopen it');
    expect(lockedR).not.toContain('data-action="edit"');
    // Decided p4: the editor sends it for review, the reviewer approves it or sends it back.
    const p4e = row(asEditor, 'p4');
    expect(p4e).toContain('data-action="submit"');
    expect(p4e).not.toContain('data-action="approve"');
    expect(p4e).not.toContain('data-action="send-back"');
    const p4r = row(asReviewer, 'p4');
    expect(p4r).toContain('data-action="approve"');
    expect(p4r).toContain('data-action="send-back"');
    expect(p4r).not.toContain('data-action="submit"');
    // Nobody approves an undecided paragraph; the editor page never shows approve to an editor.
    expect(row(asReviewer, 'p6')).not.toContain('data-action="approve"');
    expect(asEditor).not.toContain('data-action="approve"');
    // Accept and reject only with an open suggestion.
    expect(row(asEditor, 'p10')).toContain('data-action="accept"');
    expect(row(asEditor, 'p10')).toContain('data-action="reject"');
    const p6 = row(asEditor, 'p6');
    expect(p6).not.toContain('data-action="accept"');
    expect(p6).not.toContain('data-action="reject"');
    expect(p6).toContain('data-action="keep"');
  });

  it('hides what a role may not do on the other pages', async () => {
    const users = '<a href="/users">Users</a>';
    expect((await editor.get('/')).text).not.toContain(users);
    expect((await editor.get('/')).text).not.toContain('action="/import"');
    expect((await admin.get('/')).text).toContain(users);
    expect((await admin.get('/')).text).toContain('action="/import"');
    expect((await editor.get('/runs')).text).not.toContain('Start a run');
    expect((await admin.get('/runs')).text).toContain('Start a run');
    // Pages with a `can` of their own keep the top bar's links.
    expect((await admin.get(`/articles/${id}/paragraphs/p4/history`)).text).toContain(users);
    expect((await admin.get(`/articles/${id}`)).text).toContain(users);
    expect((await editor.get(`/articles/${id}/paragraphs/p4/history`)).text).not.toContain(users);
    // The history of a locked paragraph offers no revert; an unlocked one does.
    expect((await editor.get(`/articles/${id}/paragraphs/p3/history`)).text).not.toContain('Revert to');
    expect((await editor.get(`/articles/${id}/paragraphs/p4/history`)).text).toContain('Revert to 1');
  });
});
