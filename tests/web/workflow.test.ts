import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let api: ReturnType<typeof tokenClient>;
let seed: string;
let id: string;

beforeAll(async () => {
  app = await startApp();
  api = tokenClient(app, 'admin');
  seed = await readFile(seedPath, 'utf8');
});
afterAll(async () => app.close(true));

async function paragraph(pid: string) {
  const r = await api.get(`/api/articles/${id}`);
  return r.json.paragraphs.find((p: { id: string }) => p.id === pid);
}

describe('the workbench API, end to end on the seed article', () => {
  it('imports an article once and lists it with status counts', async () => {
    const first = await api.post('/api/articles', { text: seed, filename: 'baoan-smart-wearables.en.txt' });
    expect(first.status).toBe(201);
    id = first.json.id;
    expect(id).toBe('baoan-smart-wearables-en');
    expect(first.json.paragraphs[0]).toMatchObject({ id: 'p1', kind: 'heading', mt: 'Show News', text: 'Show News', status: 'pending', revision: 1 });

    const again = await api.post('/api/articles', { text: seed, filename: 'copy.txt' });
    expect(again.status).toBe(200);
    expect(again.json.created).toBe(false);
    expect(again.json.id).toBe(id);

    const list = await api.get('/api/articles');
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ id, title: expect.stringContaining('smart wearable'), counts: { pending: 18 } });
  });

  it('suggests a rewrite with the offline engine and returns the cached one when nothing changed', async () => {
    const r = await api.post(`/api/articles/${id}/paragraphs/p4/suggest`, { baseRevision: 1 });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('suggested');
    expect(r.json.revision).toBe(2);
    expect(r.json.suggestion).toMatchObject({ engine: 'offline', text: 'Baoan smart wearable industry annual output value of 1 billion yuan.' });
    expect(r.json.suggestion.checks).toEqual([]);
    const again = await api.post(`/api/articles/${id}/paragraphs/p4/suggest`, {});
    expect(again.json.suggestion.id).toBe(r.json.suggestion.id);
    expect(again.json.revision).toBe(2);
  });

  it('accepts the suggestion; the MT stays as imported', async () => {
    const p = await paragraph('p4');
    const r = await api.post(`/api/articles/${id}/paragraphs/p4/accept`, { baseRevision: p.revision, suggestionId: p.suggestion.id });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'accepted', text: 'Baoan smart wearable industry annual output value of 1 billion yuan.', mt: 'Baoan smart wearable industry annual output value of 1000000000 yuan.', revision: 3 });
  });

  it('refuses a stale baseRevision with 409 and the current paragraph', async () => {
    const r = await api.post(`/api/articles/${id}/paragraphs/p4/edit`, { baseRevision: 1, text: 'Overwrite attempt.' });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('stale_revision');
    expect(r.json.current).toMatchObject({ id: 'p4', revision: 3, status: 'accepted' });
    expect((await paragraph('p4')).text).toContain('1 billion yuan');
  });

  it('lets one of two parallel edits of the same revision through and answers the other 409', async () => {
    const p = await paragraph('p5');
    const [a, b] = await Promise.all([
      api.post(`/api/articles/${id}/paragraphs/p5/edit`, { baseRevision: p.revision, text: 'Editor A text.' }),
      api.post(`/api/articles/${id}/paragraphs/p5/edit`, { baseRevision: p.revision, text: 'Editor B text.' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'Editor A text.' : 'Editor B text.';
    expect((await paragraph('p5')).text).toBe(winner);
  });

  it('accepts only the chosen spans of a suggestion (partial accept)', async () => {
    const p = await paragraph('p10');
    const s = await api.post(`/api/articles/${id}/paragraphs/p10/suggest`, { baseRevision: p.revision });
    // Three changed spans: 213000000 → 213 million, 8560000000 → 8.56 billion, 14000 → 14,000.
    expect(s.json.suggestion.text).toContain('8.56 billion yuan');
    const r0 = await api.post(`/api/articles/${id}/paragraphs/p10/accept`, { baseRevision: s.json.revision, suggestionId: s.json.suggestion.id, spans: [0] });
    expect(r0.status).toBe(200);
    expect(r0.json.text).toContain('213 million yuan');
    expect(r0.json.text).toContain('8560000000 yuan');
    expect(r0.json.text).toContain('over 14000,');
    const history = await api.get(`/api/articles/${id}/paragraphs/p10/history`);
    expect(history.json.at(-1).action).toBe('accept-partial');
  });

  it('refuses a span that does not exist with 400', async () => {
    const p = await paragraph('p13');
    const s = await api.post(`/api/articles/${id}/paragraphs/p13/suggest`, { baseRevision: p.revision });
    const r = await api.post(`/api/articles/${id}/paragraphs/p13/accept`, { baseRevision: s.json.revision, suggestionId: s.json.suggestion?.id ?? 'none', spans: [99] });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.json.error).toBeTruthy();
  });

  it('edits, rejects and deletes, each as a revision', async () => {
    let p = await paragraph('p3');
    const e = await api.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: p.revision, text: 'On January 28, the smart wearable alliance was inaugurated.' });
    expect(e.json).toMatchObject({ status: 'edited', revision: 2 });
    p = await paragraph('p6');
    const s = await api.post(`/api/articles/${id}/paragraphs/p6/suggest`, { baseRevision: p.revision });
    const r = await api.post(`/api/articles/${id}/paragraphs/p6/reject`, { baseRevision: s.json.revision });
    expect(r.json).toMatchObject({ status: 'rejected', text: p.text });
    const d = await api.post(`/api/articles/${id}/paragraphs/p1/delete`, { baseRevision: 1 });
    expect(d.json.status).toBe('deleted');
    const refused = await api.post(`/api/articles/${id}/paragraphs/p1/edit`, { baseRevision: 2, text: 'x' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatch(/deleted/);
  });

  it('splits a paragraph in two and merges them back', async () => {
    const p = await paragraph('p7');
    const at = p.text.indexOf(' Tian Fu has');
    const split = await api.post(`/api/articles/${id}/paragraphs/p7/split`, { baseRevision: p.revision, at });
    expect(split.status).toBe(200);
    expect(split.json.text.endsWith('personally led the investigation into the enterprise.')).toBe(true);
    const art = (await api.get(`/api/articles/${id}`)).json;
    const added = art.paragraphs[p.index + 1];
    expect(added.text.startsWith('Tian Fu has')).toBe(true);
    expect(added.id).toBe('p19');

    const merged = await api.post(`/api/articles/${id}/paragraphs/p7/merge`, { baseRevision: split.json.revision });
    expect(merged.json.text).toBe(p.text);
    expect((await paragraph('p19')).status).toBe('deleted');
  });

  it('undoes the actor\'s last action', async () => {
    const r = await api.post(`/api/articles/${id}/undo`, {});
    expect(r.status).toBe(200);
    expect(r.json.undone).toBe('merge');
    expect((await paragraph('p19')).status).not.toBe('deleted');
    expect((await paragraph('p7')).text.includes('Tian Fu has')).toBe(false);
  });

  it('keeps every revision with its diff, compares any two and reverts as a new revision', async () => {
    const history = await api.get(`/api/articles/${id}/paragraphs/p4/history`);
    expect(history.json.map((h: { action: string }) => h.action)).toEqual(['import', 'suggest', 'accept']);
    const accept = history.json[2];
    expect(accept.diff).toContainEqual({ op: 'change', del: '1000000000', ins: '1 billion', span: 0 });
    expect(accept.author).toBe('admin');

    const cmp = await api.get(`/api/articles/${id}/paragraphs/p4/compare?a=1&b=3`);
    expect(cmp.json.diff).toContainEqual({ op: 'change', del: '1000000000', ins: '1 billion', span: 0 });

    const rev = await api.post(`/api/articles/${id}/paragraphs/p4/revert`, { baseRevision: 3, to: 1 });
    expect(rev.json).toMatchObject({ text: 'Baoan smart wearable industry annual output value of 1000000000 yuan.', status: 'pending', revision: 4 });
    const after = await api.get(`/api/articles/${id}/paragraphs/p4/history`);
    expect(after.json.map((h: { action: string }) => h.action)).toEqual(['import', 'suggest', 'accept', 'revert']);
  });

  it('exports the clean text, Markdown and everything as JSON', async () => {
    const txt = await api.get(`/api/articles/${id}/export?format=txt`);
    expect(txt.status).toBe(200);
    expect(txt.headers.get('content-type')).toMatch(/text\/plain/);
    expect(txt.text).not.toMatch(/^Show News/);
    expect(txt.text).toContain('On January 28, the smart wearable alliance was inaugurated.');
    const md = await api.get(`/api/articles/${id}/export?format=md`);
    expect(md.text.startsWith('# Established the first smart wearable')).toBe(true);
    expect(md.text).toContain('\n\n## Smart wearable Industrial Park opened in April is expected to\n\n');
    const json = await api.get(`/api/articles/${id}/export?format=json`);
    expect(json.json.history.length).toBeGreaterThan(18);
    expect(json.json.article.paragraphs[0].status).toBe('deleted');
    const bad = await api.get(`/api/articles/${id}/export?format=exe`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/unknown export format/);
  });

  it('answers bad input with 400 and unknown ids with 404', async () => {
    expect((await api.post('/api/articles', { text: '' })).status).toBe(400);
    expect((await api.post('/api/articles', { title: 'no text' })).status).toBe(400);
    expect((await api.get('/api/articles/nope')).status).toBe(404);
    expect((await api.post(`/api/articles/${id}/paragraphs/p999/edit`, { baseRevision: 1, text: 'x' })).status).toBe(404);
    expect((await api.post(`/api/articles/${id}/paragraphs/p2/frobnicate`, {})).status).toBe(404);
    const noBase = await api.post(`/api/articles/${id}/paragraphs/p2/edit`, { text: 'x' });
    expect(noBase.status).toBe(400);
    expect(noBase.json.error).toMatch(/baseRevision/);
  });

  it('keeps everything after a restart on the same data directory', async () => {
    const before = (await api.get(`/api/articles/${id}`)).json;
    await app.close();
    app = await startApp({ dataDir: app.dataDir });
    api = tokenClient(app, 'admin');
    const after = (await api.get(`/api/articles/${id}`)).json;
    expect(after).toEqual(before);
    expect((await api.get(`/api/articles/${id}/paragraphs/p4/history`)).json).toHaveLength(4);
  });
});
