import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { words } from '../../server/core/metrics.js';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let id: string;
let editor: ReturnType<typeof tokenClient>;
let reviewer: ReturnType<typeof tokenClient>;
let admin: ReturnType<typeof tokenClient>;
let mtWordsTotal = 0;

const paragraph = async (pid: string) => (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
const page = async (path: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${app.tokens.editor}` } });

beforeAll(async () => {
  app = await startApp();
  ({ article: { id } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
  editor = tokenClient(app, 'editor');
  reviewer = tokenClient(app, 'reviewer');
  admin = tokenClient(app, 'admin');
  const article = (await editor.get(`/api/articles/${id}`)).json;
  mtWordsTotal = article.paragraphs.reduce((n: number, p: { mt: string }) => n + words(p.mt).length, 0);

  // p4 (10 words): the offline engine writes 1000000000 as "1 billion"; the editor takes it whole in 12 s.
  let p = (await editor.post(`/api/articles/${id}/paragraphs/p4/suggest`, {})).json;
  expect(p.suggestion.text).toContain('1 billion yuan');
  p = (await editor.post(`/api/articles/${id}/paragraphs/p4/accept`, { baseRevision: p.revision, suggestionId: p.suggestion.id, seconds: 12 })).json;
  expect(p.status).toBe('accepted');

  // p6 (117 words): three changed spans; the editor takes only the number (span 2) in 8 s.
  p = (await editor.post(`/api/articles/${id}/paragraphs/p6/suggest`, {})).json;
  p = (await editor.post(`/api/articles/${id}/paragraphs/p6/accept`, { baseRevision: p.revision, suggestionId: p.suggestion.id, spans: [2], seconds: 8 })).json;
  expect(p.text).toContain('1 billion yuan');
  expect(p.text).toContain('wisdom can wear');

  // p5 (111 words): the editor rejects the suggestion in 5 s.
  p = (await editor.post(`/api/articles/${id}/paragraphs/p5/suggest`, {})).json;
  p = (await editor.post(`/api/articles/${id}/paragraphs/p5/reject`, { baseRevision: p.revision, seconds: 5 })).json;
  expect(p.status).toBe('rejected');

  // p3 (60 words): the reviewer edits it without a suggestion in 40 s: one word replaced, one added.
  p = await paragraph('p3');
  expect(p.mt.split('inaugurated').length).toBe(2);
  const text = `${p.mt.replace('inaugurated', 'opened')} Officially.`;
  p = (await reviewer.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: p.revision, text, seconds: 40 })).json;
  expect(p.status).toBe('edited');

  // p4 goes to review and the reviewer approves it; a comment on p5.
  p = (await editor.post(`/api/articles/${id}/paragraphs/p4/submit`, { baseRevision: (await paragraph('p4')).revision })).json;
  p = (await reviewer.post(`/api/articles/${id}/paragraphs/p4/approve`, { baseRevision: p.revision })).json;
  expect(p.review).toBe('approved');
  expect((await reviewer.post(`/api/articles/${id}/paragraphs/p5/comment`, { text: 'Rightly kept: "Intelligent" is the <b>brand</b>.' })).status).toBe(200);

  // A second article whose title carries markup; untouched.
  const imported = await admin.post('/api/articles', { title: 'Tom <b>bold</b> & "Co"', text: 'First paragraph here.\n\nSecond one.' });
  expect(imported.status).toBe(201);
});
afterAll(async () => app.close(true));

describe('GET /api/stats', () => {
  it('matches a hand computation for the article', async () => {
    const r = await editor.get(`/api/stats?article=${id}`);
    expect(r.status).toBe(200);
    const s = r.json;
    expect(s.variant).toMatch(/no shifts/);
    // Decisions in effect: accept (p4), accept-partial (p6), reject (p5) by editor; edit (p3) by reviewer.
    expect(s.totals.decisions).toEqual({ accept: 1, 'accept-partial': 1, edit: 1, reject: 1, keep: 0, total: 4 });
    expect(s.totals.rates).toEqual({ accept: 0.25, 'accept-partial': 0.25, edit: 0.25, reject: 0.25, keep: 0 });
    expect([s.totals.paragraphs, s.totals.decided, s.totals.changed]).toEqual([18, 4, 3]);
    // MT → final: p3 2 edits (61 words), p4 1000000000 → 1 billion: 2 (11 words), p6 the same: 2 (118 words).
    // Three paragraphs grew by a word each.
    expect(s.totals.hter).toMatchObject({ n: 18, edits: 6, words: mtWordsTotal + 3 });
    const row = (pid: string) => s.paragraphs.find((p: { paragraphId: string }) => p.paragraphId === pid);
    expect(row('p4')).toMatchObject({ edits: 2, words: 11, seconds: 12, decision: { action: 'accept', author: 'editor' }, suggestion: { engine: 'offline', edits: 0, hter: 0 } });
    expect(row('p4').hter).toBeCloseTo(2 / 11, 12);
    // p6 keeps two of the suggestion's changes out: wear→wearable (1) and "wisdom can wear"→"smart wearable" (3).
    expect(row('p6')).toMatchObject({ edits: 2, words: 118, seconds: 8, decision: { action: 'accept-partial' }, suggestion: { edits: 4 } });
    // p5 rejected: the final text is the MT; the suggestion was 5 word edits away from it (111 words).
    expect(row('p5')).toMatchObject({ edits: 0, words: 111, hter: 0, seconds: 5, decision: { action: 'reject' }, suggestion: { edits: 5 } });
    expect(row('p3')).toMatchObject({ edits: 2, words: 61, seconds: 40, decision: { action: 'edit', author: 'reviewer' } });
    expect(row('p3').suggestion).toBeUndefined();
    expect(row('p1')).toMatchObject({ edits: 0, seconds: null });
    expect(row('p1').decision).toBeUndefined();

    const [ed, rv] = s.editors;
    expect(ed).toMatchObject({ key: 'editor', decisions: { accept: 1, 'accept-partial': 1, reject: 1, edit: 0, total: 3 } });
    expect(ed.time).toEqual({ seconds: 25, words: 240, paragraphs: 3, secondsPerWord: 25 / 240 });
    expect(ed.hter).toMatchObject({ edits: 4, words: 240 });
    expect(rv).toMatchObject({ key: 'reviewer', decisions: { edit: 1, total: 1 }, time: { seconds: 40, words: 61, secondsPerWord: 40 / 61 } });
    expect(s.engines).toHaveLength(1);
    expect(s.engines[0]).toMatchObject({ key: 'offline · offline-cleanup-3', decisions: { accept: 1, 'accept-partial': 1, reject: 1, total: 3 } });
    expect(s.engines[0].suggestionHter).toMatchObject({ n: 3, edits: 9, words: 240 });
    expect(s.runs).toEqual([]);
    // HTER: p6 0.017, p5 0, p3 0.033 in [0, 0.1); p4 0.18 in [0.1, 0.2).
    expect(s.histogram.map((b: { count: number }) => b.count)).toEqual([3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('covers every article without a filter, and answers 404 for an unknown one', async () => {
    const all = (await editor.get('/api/stats')).json;
    expect(all.articles).toHaveLength(2);
    expect(all.totals.decisions.total).toBe(4);
    expect(all.totals.paragraphs).toBe(20);
    expect((await editor.get('/api/stats?article=nope')).status).toBe(404);
    expect((await fetch(`${app.url}/api/stats`)).status).toBe(401);
  });
});

describe('GET /stats', () => {
  it('draws the charts as inline SVG, with data tables, escaping every label', async () => {
    const res = await page('/stats');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const chart of ['chart-engines', 'chart-editors', 'chart-hter', 'chart-speed']) {
      expect(html).toMatch(new RegExp(`<svg[^>]*id="${chart}"[^>]*role="img"`));
    }
    expect(html.match(/<table class="visually-hidden">/g)?.length).toBe(4);
    // Editors in the charts; shares written on the segments, not shown by colour alone.
    expect(html).toMatch(/<title>editor<\/title>editor<\/text>/);
    expect(html).toMatch(/<title>reviewer<\/title>reviewer<\/text>/);
    expect(html).toContain('>33%</text>');
    expect(html).toContain('0.10 s/word'); // editor: 25 s ÷ 240 words
    expect(html).toContain('0.66 s/word'); // reviewer: 40 s ÷ 61 words
    // The title with markup is escaped, in the table and in the article picker.
    expect(html).toContain('Tom &lt;b&gt;bold&lt;/b&gt; &amp; &#34;Co&#34;');
    expect(html).not.toContain('<b>bold</b>');
    // The CSP forbids inline styles and scripts.
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  it('limits the page to one article', async () => {
    const html = await (await page(`/stats?article=${id}`)).text();
    expect(html).toContain(`/api/articles/${id}/report?format=md`);
    expect(html).not.toContain('Tom &lt;b&gt;bold&lt;/b&gt; &amp; &#34;Co&#34;</a>');
  });
});

describe('GET /api/articles/:id/report', () => {
  it('gives the Markdown report: diff marks, who changed and who approved, comments, metrics', async () => {
    const r = await editor.get(`/api/articles/${id}/report?format=md`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="?baoan-smart-wearables-en-review\.md"?$/);
    const md = r.text;
    expect(md).toMatch(/^# Review report: /);
    expect(md).toContain('of ~~1000000000~~**1 billion** yuan');
    expect(md).toContain('officially ~~inaugurated~~**opened** become');
    expect(md).toContain('**Officially.**');
    expect(md).toContain('| Decisions | accepted 1 (25%) · partly accepted 1 (25%) · edited 1 (25%) · rejected 1 (25%) · 4 in all |');
    expect(md).toContain('### ¶4 · Accepted · Approved');
    expect(md).toMatch(/- Approved by: reviewer \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(md).toMatch(/  - editor: accepted the suggestion \(revision 3, .*, 12 s\)/);
    expect(md).toMatch(/  - reviewer: edited \(revision 2, .*, 40 s\)/);
    // The comment is escaped: no raw HTML reaches a Markdown renderer.
    expect(md).toContain('Rightly kept: "Intelligent" is the \\<b\\>brand\\</b\\>.');
    expect(md).toContain('HTER 0.182');
    // Unchanged, uncommented paragraphs are left out.
    expect(md).not.toContain('### ¶1 ');
  });

  it('gives the HTML report as a download with its own style', async () => {
    const r = await editor.get(`/api/articles/${id}/report?format=html`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="?baoan-smart-wearables-en-review\.html"?$/);
    const html = r.text;
    expect(html).toMatch(/<head>[\s\S]*<style>[\s\S]*<\/style>[\s\S]*<\/head>/);
    expect(html).toContain('of <del>1000000000</del><ins>1 billion</ins> yuan');
    expect(html).toContain('<del>inaugurated</del><ins>opened</ins>');
    expect(html).toMatch(/Approved by: <strong>reviewer<\/strong>/);
    expect(html).toContain('is the &#60;b&#62;brand&#60;/b&#62;.');
    expect(html).not.toContain('<b>brand</b>');
  });

  it('escapes the title, refuses unknown formats and articles', async () => {
    const other = (await editor.get('/api/articles')).json.find((a: { title: string }) => a.title.startsWith('Tom'));
    const md = (await editor.get(`/api/articles/${other.id}/report?format=md`)).text;
    expect(md).toContain('# Review report: Tom \\<b\\>bold\\</b\\> & "Co"');
    expect(md).toContain('No paragraph has changed from the MT yet.');
    const html = (await editor.get(`/api/articles/${other.id}/report?format=html`)).text;
    expect(html).toContain('<title>Review report: Tom &#60;b&#62;bold&#60;/b&#62; &#38; &#34;Co&#34;</title>');
    expect((await editor.get(`/api/articles/${id}/report?format=pdf`)).status).toBe(400);
    expect((await editor.get('/api/articles/nope/report?format=md')).status).toBe(404);
  });
});
