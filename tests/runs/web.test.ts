import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { diffWords } from '../../server/core/diff.js';
import { hter, wordEditDistance } from '../../server/core/metrics.js';
import type { Suggestion } from '../../server/core/types.js';
import { client, passwordOf, seedPath, sessionClient } from '../support/app.js';
import { extractParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { ADMIN, testEngines, WMT_PATH } from './helpers.js';
import { startRunsApp, type RunsApp } from './runsApp.js';

let server: OpenAIServer;
let app: RunsApp;
let admin: ReturnType<typeof client>;
let editor: ReturnType<typeof client>;
let seedId: string;
let wmtId: string;

beforeAll(async () => {
  server = await startOpenAIServer();
  app = await startRunsApp(testEngines(server));
  admin = client(app.url, { authorization: `Bearer ${app.tokens.admin}` });
  editor = client(app.url, { authorization: `Bearer ${app.tokens.editor}` });
  seedId = (await importFile(app.services, seedPath, ADMIN)).article.id;
  wmtId = (await importFile(app.services, WMT_PATH, ADMIN)).article.id;
});
afterAll(async () => {
  await app.close();
  await server.close();
});

async function untilEnded(id: string) {
  for (let i = 0; i < 400; i++) {
    const r = await admin.get(`/api/runs/${id}`);
    if (['finished', 'stopped', 'failed'].includes(r.json.run.status)) return r.json;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`run ${id} did not end`);
}

async function paragraph(articleId: string, pid: string) {
  return (await admin.get(`/api/articles/${articleId}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
}

function noInlineScript(html: string) {
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

describe('runs API', () => {
  it('refuses what it must: editors, bad input, unknown articles', async () => {
    expect((await editor.post('/api/runs', { articles: 'all', engine: 'offline' })).status).toBe(403);
    const bad = await admin.post('/api/runs', { articles: 'all', engine: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/engine/);
    const missing = await admin.post('/api/runs', { articles: ['no-such-article'], engine: 'offline' });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatch(/no-such-article/);
    expect((await client(app.url).get('/api/runs')).status).toBe(401);
    expect((await admin.get('/api/runs/run-nothing-here')).status).toBe(404);
  });

  it('starts a run, reports progress as JSON and server-sent events, lists failures with reasons', async () => {
    server.setHandler((body) =>
      extractParagraph(body).includes('56 financing securities') ? { type: 'reply', content: null, finishReason: 'content_filter' } : { type: 'reply' },
    );
    const started = await admin.post('/api/runs', { articles: [wmtId], engine: 'openai', level: 'minimal', concurrency: 2 });
    expect(started.status).toBe(202);
    expect(started.json.run).toMatchObject({ engine: 'openai', articles: [wmtId], startedBy: 'admin', counts: { total: 9 } });
    const id = started.json.run.id;
    const events = await fetch(`${app.url}/api/runs/${id}/events`, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const state = await untilEnded(id);
    const stream = await events.text();
    expect(stream).toMatch(/^data: \{.*"id":"run-/m);
    expect(stream).toContain('"status":"finished"');
    expect(state.run.counts).toEqual({ total: 9, done: 8, failed: 1, skipped: 0 });
    expect(state.failures).toEqual([{ articleId: wmtId, paragraphId: 'p3', status: 'failed', error: expect.stringMatching(/content filter/) }]);
    const list = await admin.get('/api/runs');
    expect(list.json.map((r: { id: string }) => r.id)).toContain(id);

    const page = await admin.get(`/runs/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-run="' + id + '"');
    expect(page.text).toContain('<script type="module" src="/static/runs.js">');
    expect(page.text).toMatch(/p3[\s\S]*failed[\s\S]*content filter/);
    noInlineScript(page.text);
    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body) }));
  });

  it('stops and resumes a run through the API', async () => {
    server.setHandler(() => ({ type: 'reply', latencyMs: 60 }));
    const started = await admin.post('/api/runs', { articles: [seedId], engine: 'openai', concurrency: 1 });
    const id = started.json.run.id;
    for (let i = 0; (await admin.get(`/api/runs/${id}`)).json.run.counts.done < 2 && i < 200; i++) await new Promise((r) => setTimeout(r, 20));
    const stopped = await admin.post(`/api/runs/${id}/stop`);
    expect(stopped.json.run.status).toBe('stopped');
    expect((await admin.post(`/api/runs/${id}/stop`)).status).toBe(409);
    const resumed = await admin.post(`/api/runs/${id}/resume`, { concurrency: 4 });
    expect(resumed.status).toBe(202);
    expect(resumed.json.run.params.concurrency).toBe(4);
    const state = await untilEnded(id);
    expect(state.run).toMatchObject({ status: 'finished', counts: { total: 18, done: 18, failed: 0 } });
    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body) }));
  });
});

describe('runs pages', () => {
  it('lists runs and starts one from the form (session with CSRF token)', async () => {
    const s = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const page = await s.bare.get('/runs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/runs"');
    expect(page.text).toContain(`value="${seedId}"`);
    noInlineScript(page.text);
    const form = new URLSearchParams({ _csrf: s.csrfToken, engine: 'offline', level: 'minimal', mode: 'rewrite', concurrency: '2', rpm: '', tpm: '', model: '' });
    form.append('articles', seedId);
    const res = await fetch(`${app.url}/runs`, { method: 'POST', redirect: 'manual', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/runs\/run-/);
    await untilEnded(res.headers.get('location')!.slice('/runs/'.length));
    const noToken = await fetch(`${app.url}/runs`, { method: 'POST', redirect: 'manual', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'engine=offline&articles=x' });
    expect(noToken.status).toBe(403);
  });

  it('compares an offline run with an LLM run paragraph by paragraph, with decision and reference figures', async () => {
    const a = (await admin.post('/api/runs', { articles: [seedId, wmtId], engine: 'offline' })).json.run.id;
    await untilEnded(a);
    // Editors act on run A's suggestions: accept one, reject one.
    let p4 = await paragraph(seedId, 'p4');
    expect(p4.suggestion.text).toContain('1 billion yuan');
    expect((await editor.post(`/api/articles/${seedId}/paragraphs/p4/accept`, { baseRevision: p4.revision, suggestionId: p4.suggestion.id })).status).toBe(200);
    const p10 = await paragraph(seedId, 'p10');
    expect((await editor.post(`/api/articles/${seedId}/paragraphs/p10/reject`, { baseRevision: p10.revision })).status).toBe(200);

    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body).replace('Show News', 'News') }));
    const b = (await admin.post('/api/runs', { articles: [seedId, wmtId], engine: 'openai' })).json.run.id;
    await untilEnded(b);
    const p6 = await paragraph(seedId, 'p6');
    expect((await editor.post(`/api/articles/${seedId}/paragraphs/p6/edit`, { baseRevision: p6.revision, text: 'An editor rewrote this paragraph.' })).status).toBe(200);

    const page = await admin.get(`/runs/compare?a=${a}&b=${b}`);
    expect(page.status).toBe(200);
    noInlineScript(page.text);
    const html = page.text;

    // p1: A (offline) left "Show News", B dropped "Show": the A → B diff shows exactly that.
    const p1Row = html.slice(html.indexOf(`data-paragraph="${seedId}/p1"`), html.indexOf(`data-paragraph="${seedId}/p2"`));
    expect(p1Row).toContain('data-side="a-b"><span class="chg" data-span="0"><del>Show </del></span>News</p>');
    // p10: A wrote the numbers readably and the editor rejected it; run B left the decided paragraph alone.
    const suggestions = (await app.services.store.suggestions(seedId)) as Suggestion[];
    const aOf = (pid: string) => suggestions.filter((s) => s.runId === a && s.paragraphId === pid).at(-1)!;
    const bOf = (pid: string) => suggestions.filter((s) => s.runId === b && s.paragraphId === pid).at(-1);
    const p10Row = html.slice(html.indexOf(`data-paragraph="${seedId}/p10"`), html.indexOf(`data-paragraph="${seedId}/p11"`));
    expect(p10Row).toContain('<ins>8.56 billion</ins>');
    expect(p10Row).toContain('reject');
    expect(p10Row).toContain('no suggestion');
    expect(bOf('p10')).toBeUndefined();
    expect(bOf('p4')).toBeUndefined();
    expect(diffWords(aOf('p10').text, aOf('p10').basedOn).length).toBeGreaterThan(1);

    // Figures, computed by hand from the store.
    const all = [...suggestions, ...(await app.services.store.suggestions(wmtId))];
    const mine = (run: string) => all.filter((s) => s.runId === run);
    const fig = (name: string) => new RegExp(`data-figure="${name}">([^<]*)`).exec(html)?.[1]?.trim();
    expect(fig('a-suggestions')).toBe('27');
    // B skipped the two paragraphs the editor had decided (p4 accepted, p10 rejected).
    expect(fig('b-suggestions')).toBe('25');
    const warnings = (run: string) => mine(run).reduce((n, s) => n + s.checks.filter((c) => c.severity === 'warning').length, 0);
    expect(fig('a-warnings')).toBe(String(warnings(a)));
    expect(fig('b-warnings')).toBe(String(warnings(b)));
    const meanDistance = (run: string) => mine(run).reduce((n, s) => n + wordEditDistance(s.basedOn, s.text), 0) / mine(run).length;
    expect(fig('a-distance')).toBe(meanDistance(a).toFixed(2));
    expect(fig('b-distance')).toBe(meanDistance(b).toFixed(2));
    expect(fig('a-decisions')).toBe('2');
    expect(fig('a-accept')).toBe('50%');
    expect(fig('a-reject')).toBe('50%');
    expect(fig('a-edit')).toBe('0%');
    expect(fig('b-decisions')).toBe('1');
    expect(fig('b-edit')).toBe('100%');
    const finalP10 = (await paragraph(seedId, 'p10')).text;
    const aFinal = (hter(aOf('p4').text, (await paragraph(seedId, 'p4')).text) + hter(aOf('p10').text, finalP10)) / 2;
    expect(fig('a-hter-final')).toBe(aFinal.toFixed(3));
    expect(fig('b-hter-final')).toBe(hter(bOf('p6')!.text, 'An editor rewrote this paragraph.').toFixed(3));

    const wmt = (await app.services.store.getArticle(wmtId))!;
    const refMt = wmt.paragraphs.reduce((n, p) => n + hter(p.mt, p.ref!), 0) / wmt.paragraphs.length;
    expect(fig('a-hter-ref-mt')).toBe(refMt.toFixed(3));
    const wmtSug = (run: string) => wmt.paragraphs.reduce((n, p) => n + hter(all.filter((s) => s.runId === run && s.paragraphId === p.id && wmt.paragraphs.includes(p)).at(-1)!.text, p.ref!), 0) / wmt.paragraphs.length;
    expect(fig('b-hter-ref')).toBe(wmtSug(b).toFixed(3));
    expect(html).toContain(esc('word Levenshtein, no shifts'));

    const bad = await admin.get(`/runs/compare?a=${a}`);
    expect(bad.status).toBe(400);
    server.setHandler((body) => ({ type: 'reply', text: extractParagraph(body) }));
  });
});
