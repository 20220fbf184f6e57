import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let id: string;
let editor: ReturnType<typeof tokenClient>;
let reviewer: ReturnType<typeof tokenClient>;
let imported: number;
let p6Words: number;

const P4_MT = 'Baoan smart wearable industry annual output value of 1000000000 yuan.';
const P4_EDIT = 'Baoan smart wearable industry annual output value of 1 billion yuan.';

const paragraph = async (pid: string) => (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);

async function page(path: string, init: RequestInit = {}) {
  const res = await fetch(app.url + path, { ...init, headers: { authorization: `Bearer ${app.tokens.editor}`, accept: 'text/html' } });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** The text between two markers of a page (to look at one part of it). */
function between(html: string, start: string, end: string): string {
  const i = html.indexOf(start);
  expect(i, `"${start}" on the page`).toBeGreaterThanOrEqual(0);
  const j = html.indexOf(end, i + start.length);
  return html.slice(i, j < 0 ? undefined : j);
}

beforeAll(async () => {
  app = await startApp();
  const { article } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' });
  id = article.id;
  imported = article.paragraphs.length;
  p6Words = article.paragraphs[5]!.mt.split(/\s+/).filter(Boolean).length;
  editor = tokenClient(app, 'editor');
  reviewer = tokenClient(app, 'reviewer');

  // Actions imported+1 … imported+5, then a plain comment (no revision).
  let p4 = await paragraph('p4');
  expect(p4.mt).toBe(P4_MT);
  p4 = (await editor.post(`/api/articles/${id}/paragraphs/p4/edit`, { baseRevision: p4.revision, text: P4_EDIT })).json;
  const p1 = await paragraph('p1');
  expect((await editor.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: p1.revision, text: 'News' })).status).toBe(200);
  p4 = (await editor.post(`/api/articles/${id}/paragraphs/p4/submit`, { baseRevision: p4.revision })).json;
  expect((await reviewer.post(`/api/articles/${id}/paragraphs/p4/send-back`, { baseRevision: p4.revision, comment: 'Check the figure <in the source>.' })).status).toBe(200);
  const p6 = await paragraph('p6');
  expect((await reviewer.post(`/api/articles/${id}/paragraphs/p6/delete`, { baseRevision: p6.revision })).status).toBe(200);
  expect((await editor.post(`/api/articles/${id}/paragraphs/p3/comment`, { text: 'Is "peach blossom source" a name?' })).status).toBe(200);
});
afterAll(async () => app.close(true));

describe('article compare', () => {
  it('shows the deletions and insertions between two revisions, side by side', async () => {
    const { status, html } = await page(`/articles/${id}/compare?from=rev:${imported}&to=rev:${imported + 1}`);
    expect(status).toBe(200);
    const row = between(html, 'data-paragraph="p4"', '</article>');
    expect(between(row, 'data-side="a"', '</p>')).toContain('<del>1000000000</del>');
    expect(between(row, 'data-side="a"', '</p>')).not.toContain('<ins>');
    expect(between(row, 'data-side="b"', '</p>')).toContain('<ins>1 billion</ins>');
    expect(between(row, 'data-side="b"', '</p>')).not.toContain('<del>');
    expect(html).toMatch(/data-summary="paragraphs-changed">1</);
    expect(html).toMatch(/data-summary="words-added">\+2</);
    expect(html).toMatch(/data-summary="words-removed">−1</);
    // The other paragraphs are folded away, around the changed one.
    expect(html).toContain('data-unchanged="3"');
    expect(html).toContain(`data-unchanged="${imported - 4}"`);
    expect(html).toContain(`${imported - 4} unchanged paragraphs (¶5–¶${imported})`);
    expect(html.match(/<article class="compare"/g)).toHaveLength(1);
  });

  it('has an inline view', async () => {
    const { status, html } = await page(`/articles/${id}/compare?from=rev:${imported}&to=rev:${imported + 1}&view=inline`);
    expect(status).toBe(200);
    expect(between(html, 'data-paragraph="p4"', '</article>')).toContain(
      'data-side="inline">Baoan smart wearable industry annual output value of <span class="chg" data-span="0"><del>1000000000</del><ins>1 billion</ins></span> yuan.</p>',
    );
    expect(html).not.toContain('data-side="a"');
  });

  it('compares the MT with the current text by default, edits, deletions and all', async () => {
    const { html } = await page(`/articles/${id}/compare`);
    expect(html).toMatch(/data-summary="paragraphs-changed">3</);
    expect(between(html, 'data-paragraph="p1"', '</article>')).toContain('<del>Show </del>');
    expect(between(html, 'data-paragraph="p6"', '</article>')).toContain('deleted');
    const json = (await editor.get(`/api/articles/${id}/compare?from=mt&to=current`)).json;
    expect(json.from).toEqual({ point: 'mt', label: 'Machine translation' });
    expect(json.summary).toEqual({
      paragraphsChanged: 3, paragraphsUnchanged: imported - 3, paragraphsAdded: 0, paragraphsRemoved: 1,
      wordsAdded: 2, wordsRemoved: 1 + 1 + p6Words,
    });
    const p4 = json.paragraphs.find((p: { paragraphId: string }) => p.paragraphId === 'p4');
    expect(p4).toMatchObject({ a: P4_MT, b: P4_EDIT, changed: true, added: 2, removed: 1 });
    expect(p4.diff).toContainEqual({ op: 'change', del: '1000000000', ins: '1 billion', span: 0 });
    const p6 = json.paragraphs.find((p: { paragraphId: string }) => p.paragraphId === 'p6');
    expect(p6).toMatchObject({ bStatus: 'deleted', changed: true });
    expect(p6.b).toBeUndefined();
  });

  it('says so when nothing changed', async () => {
    const { html } = await page(`/articles/${id}/compare?from=rev:${imported + 3}&to=rev:${imported + 4}`);
    expect(html).toMatch(/data-summary="paragraphs-changed">0</);
    expect(html).toContain('No differences');
  });

  it('takes a typed time from the form and answers with the canonical address', async () => {
    const r = await page(`/articles/${id}/compare?from=at&fromTime=2000-01-01&to=current&toTime=&view=inline`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/articles/${id}/compare?from=at%3A2000-01-01T00%3A00%3A00.000Z&to=current&view=inline`);
    const { html } = await page(r.location!);
    // Before the import nothing existed: every current paragraph is new.
    expect(html).toMatch(new RegExp(`data-summary="paragraphs-changed">${imported - 1}<`));
  });

  it('refuses bad points with 400 and a clear message', async () => {
    const bad = await page(`/articles/${id}/compare?from=rev:abc&to=current`);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('From: &#34;rev:abc&#34;: the N of rev:N must be a whole number');
    expect(bad.html).toContain('name="from"'); // the form is there to fix it
    const past = await editor.get(`/api/articles/${id}/compare?from=mt&to=rev:9999`);
    expect(past.status).toBe(400);
    expect(past.json.error).toBe(`To: rev:9999 does not exist: this article has ${imported + 5} recorded actions`);
    expect((await editor.get(`/api/articles/${id}/compare?from=yesterday`)).json.error).toMatch(/is not a point: use mt, current, rev:N/);
    expect((await editor.get(`/api/articles/${id}/compare?from=run:nope`)).json.error).toMatch(/run "nope" made no suggestion/);
    expect((await page(`/articles/${id}/compare?from=at&fromTime=`)).status).toBe(400);
  });

  it('answers 404 for an unknown article', async () => {
    expect((await page('/articles/nope/compare')).status).toBe(404);
    expect((await editor.get('/api/articles/nope/compare')).status).toBe(404);
    expect((await page('/articles/nope/timeline')).status).toBe(404);
    expect((await editor.get('/api/articles/nope/timeline')).status).toBe(404);
  });
});

describe('article timeline', () => {
  it('lists every action newest first, with who did it', async () => {
    const t = (await editor.get(`/api/articles/${id}/timeline`)).json;
    expect(t.total).toBe(imported + 6);
    const head = t.entries.slice(0, 7).map((e: { action: string; author: string; paragraphId: string }) => `${e.action}:${e.author}:${e.paragraphId}`);
    expect(head).toEqual([
      'comment:editor:p3', 'delete:reviewer:p6', 'send-back:reviewer:p4', 'submit:editor:p4', 'edit:editor:p1', 'edit:editor:p4', `import:import:p${imported}`,
    ]);
    expect(t.entries[2]).toMatchObject({ anchor: 'e-p4-4', seq: imported + 4, n: 4, comment: 'Check the figure <in the source>.', review: 'sent-back', textChanged: false });
    expect(t.entries[5]).toMatchObject({ anchor: 'e-p4-2', textChanged: true, added: 2, removed: 1 });
    expect(t.users).toEqual(['editor', 'import', 'reviewer']);
    expect(t.actions).toEqual(['comment', 'delete', 'edit', 'import', 'send-back', 'submit']);
  });

  it('shows the actions on a page with anchors, diffs, comments and links to the paragraph history', async () => {
    const { status, html } = await page(`/articles/${id}/timeline`);
    expect(status).toBe(200);
    const order = ['id="e-p6-2"', 'id="e-p4-4"', 'id="e-p4-3"', 'id="e-p1-2"', 'id="e-p4-2"'].map((a) => html.indexOf(a));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const edit = between(html, 'id="e-p4-2"', '</tr>');
    expect(edit).toContain(`href="/articles/${id}/paragraphs/p4/history#rev-2"`);
    expect(edit).toContain('<del>1000000000</del><ins>1 billion</ins>');
    expect(edit).toContain('editor');
    expect(between(html, 'id="e-p4-4"', '</tr>')).toContain('Check the figure &lt;in the source&gt;.');
    expect(html).toContain('Is &#34;peach blossom source&#34; a name?');
    expect(html).toContain('<option value="reviewer">reviewer</option>');
    expect(html).toContain('<option value="send-back">send-back</option>');
  });

  it('filters by user and by action', async () => {
    const byUser = (await editor.get(`/api/articles/${id}/timeline?user=reviewer`)).json;
    expect(byUser.entries.map((e: { action: string }) => e.action)).toEqual(['delete', 'send-back']);
    const byAction = (await editor.get(`/api/articles/${id}/timeline?action=edit`)).json;
    expect(byAction.entries.map((e: { paragraphId: string; author: string }) => `${e.author}:${e.paragraphId}`)).toEqual(['editor:p1', 'editor:p4']);
    const both = (await editor.get(`/api/articles/${id}/timeline?user=editor&action=submit`)).json;
    expect(both.entries).toHaveLength(1);
    const { html } = await page(`/articles/${id}/timeline?user=reviewer`);
    expect(html).toContain('<option value="reviewer" selected>');
    expect(html.match(/<tr id="e-/g)).toHaveLength(2);
    expect(html).toContain(`data-count="2"`);
  });

  it('is linked both ways with the paragraph history', async () => {
    const { html } = await page(`/articles/${id}/paragraphs/p4/history`);
    expect(html).toContain(`href="/articles/${id}/timeline#e-p4-2"`);
    expect(html).toContain(`href="/articles/${id}/timeline">Article timeline</a>`);
  });
});
