/** Inline codes over HTTP: chips on the page (labels escaped), a refused edit (400 naming the code), suggestions that keep them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodedArticle, HOSTILE_LABEL } from '../support/codedArticle.js';
import { passwordOf, sessionClient, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let id: string;
let api: ReturnType<typeof tokenClient>;

beforeAll(async () => {
  app = await startApp();
  id = (await createCodedArticle(app.services)).id;
  api = tokenClient(app, 'editor');
});
afterAll(async () => app.close(true));

const chips = (html: string) => [...html.matchAll(/<span class="code-chip code-(start|end)" title="([^"]*)" data-code="(\d+)"[^>]*>([^<]*)<\/span>/g)].map((m) => ({ side: m[1], title: m[2], n: m[3], text: m[4] }));

describe('inline codes over HTTP', () => {
  it('the editor page shows every code as a chip with its content as the tooltip, escaped', async () => {
    const s = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const page = await s.bare.get(`/articles/${id}`);
    expect(page.status).toBe(200);
    const html = page.text;
    const row = html.slice(html.indexOf('id="p2"'), html.indexOf('id="p3"'));
    expect(chips(row)).toContainEqual({ side: 'start', title: 'Inline code 1: 1.0.1', n: '1', text: '⟦1⟧' });
    expect(chips(row)).toContainEqual({ side: 'end', title: 'Inline code 2: &lt;a href=&#34;x&#34; onclick=&#34;alert(1)&#34;&gt;', n: '2', text: '⟦/2⟧' });
    expect(html).not.toContain(HOSTILE_LABEL);
    expect(chips(html.slice(html.indexOf('id="p1"'), html.indexOf('id="p2"')))).toContainEqual({ side: 'start', title: 'Inline code 1: &lt;b&gt;', n: '1', text: '⟦1⟧' });
  });

  it('the JSON says what each code stands for, without its XML', async () => {
    const r = await api.get(`/api/articles/${id}`);
    expect(r.json.paragraphs[1].codes).toEqual([{ n: 1, kind: 'standalone', label: '1.0.1' }, { n: 2, kind: 'pair', label: HOSTILE_LABEL }]);
    expect(JSON.stringify(r.json)).not.toContain('<ph id=');
  });

  it('refuses an edit that loses a code with 400 and a message naming it; a move is saved', async () => {
    const lost = await api.post(`/api/articles/${id}/paragraphs/p2/edit`, { baseRevision: 1, text: 'See section and click here to open the file.' });
    expect(lost.status).toBe(400);
    expect(lost.json.error).toMatch(/^the edit would break the paragraph's inline codes: code ⟦1⟧ \(1\.0\.1\) was lost; code ⟦2⟧ .* was lost; code ⟦\/2⟧ .* was lost/);
    const moved = await api.post(`/api/articles/${id}/paragraphs/p2/edit`, { baseRevision: 1, text: 'Click ⟦2⟧here⟦/2⟧ to open the file (section ⟦1⟧).' });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ status: 'edited', revision: 2, text: 'Click ⟦2⟧here⟦/2⟧ to open the file (section ⟦1⟧).' });
  });

  it('a suggestion keeps the codes, and its word diff shows them as chips', async () => {
    const r = await api.post(`/api/articles/${id}/paragraphs/p3/suggest`, { baseRevision: 1 });
    expect(r.status).toBe(200);
    expect(r.json.suggestion.text).toBe('The plant cost 12 million yuan ⟦1⟧ in 2023.');
    const s = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const row = (await s.bare.get(`/articles/${id}/rows/p3`)).text;
    const diff = row.slice(row.indexOf('data-kind="suggestion"'));
    expect(chips(diff)[0]).toEqual({ side: 'start', title: 'Inline code 1: {price-note}', n: '1', text: '⟦1⟧' });
    expect(row).toMatch(/<del>12000000<\/del><ins>12 million<\/ins>/);
  });
});
