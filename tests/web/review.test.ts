import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let id: string;
let editor: ReturnType<typeof tokenClient>;
let reviewer: ReturnType<typeof tokenClient>;

const paragraph = async (pid: string) => (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);

beforeAll(async () => {
  app = await startApp();
  ({ article: { id } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
  editor = tokenClient(app, 'editor');
  reviewer = tokenClient(app, 'reviewer');
});
afterAll(async () => app.close(true));

describe('review: submit, approve, send back, reopen, comments', () => {
  it('lets an editor submit and a reviewer approve; approved paragraphs are locked (423) until reopened', async () => {
    let p = await paragraph('p3');
    p = (await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: p.revision, text: 'On January 28 an alliance was founded.' })).json;
    const submitted = await editor.post(`/api/articles/${id}/paragraphs/p3/submit`, { baseRevision: p.revision });
    expect(submitted.json.review).toBe('in-review');
    expect((await editor.post(`/api/articles/${id}/paragraphs/p3/approve`, { baseRevision: submitted.json.revision })).status).toBe(403);
    const approved = await reviewer.post(`/api/articles/${id}/paragraphs/p3/approve`, { baseRevision: submitted.json.revision });
    expect(approved.json.review).toBe('approved');

    const locked = await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: approved.json.revision, text: 'Sneaky change.' });
    expect(locked.status).toBe(423);
    expect(locked.json.error).toMatch(/approved by reviewer on \d{4}-\d\d-\d\d and locked/);
    expect((await editor.post(`/api/articles/${id}/paragraphs/p3/delete`, { baseRevision: approved.json.revision })).status).toBe(423);
    expect((await editor.post(`/api/articles/${id}/paragraphs/p3/reopen`, { baseRevision: approved.json.revision })).status).toBe(403);

    const reopened = await reviewer.post(`/api/articles/${id}/paragraphs/p3/reopen`, { baseRevision: approved.json.revision });
    expect(reopened.json.review).toBe('none');
    expect((await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: reopened.json.revision, text: 'Fixed again.' })).status).toBe(200);
    const actions = (await editor.get(`/api/articles/${id}/paragraphs/p3/history`)).json.map((h: { action: string; author: string }) => `${h.action}:${h.author}`);
    expect(actions).toEqual(['import:import', 'edit:editor', 'submit:editor', 'approve:reviewer', 'reopen:reviewer', 'edit:editor']);
  });

  it('requires a comment to send back, and keeps it in the paragraph\'s thread', async () => {
    let p = await paragraph('p4');
    p = (await editor.post(`/api/articles/${id}/paragraphs/p4/edit`, { baseRevision: p.revision, text: 'Output was 1 billion yuan.' })).json;
    const noComment = await reviewer.post(`/api/articles/${id}/paragraphs/p4/send-back`, { baseRevision: p.revision });
    expect(noComment.status).toBe(400);
    const back = await reviewer.post(`/api/articles/${id}/paragraphs/p4/send-back`, { baseRevision: p.revision, comment: 'Which year? Say 2014.' });
    expect(back.json).toMatchObject({ review: 'sent-back', comments: [{ author: 'reviewer', text: 'Which year? Say 2014.', action: 'send-back' }] });
    const c = await editor.post(`/api/articles/${id}/paragraphs/p4/comment`, { text: 'Source says 2014, fixing.' });
    expect(c.json.comments.map((x: { author: string }) => x.author)).toEqual(['reviewer', 'editor']);
    // A comment changes no revision: nobody's open edit goes stale.
    expect(c.json.revision).toBe(back.json.revision);
    const html = await (await fetch(`${app.url}/articles/${id}`, { headers: { authorization: `Bearer ${app.tokens.editor}` } })).text();
    expect(html).toContain('Which year? Say 2014.');
    expect(html).toContain('Sent back');
  });

  it('submits the whole article and shows its review status on the list', async () => {
    const r = await editor.post(`/api/articles/${id}/submit`, {});
    expect(r.json.submitted).toBeGreaterThanOrEqual(1);
    const list = (await editor.get('/api/articles')).json;
    expect(list.find((a: { id: string }) => a.id === id).review).toBe('in review');
    const page = await (await fetch(`${app.url}/`, { headers: { authorization: `Bearer ${app.tokens.editor}` } })).text();
    expect(page).toContain('in review');
  });
});
