/**
 * The desk's day (issue 16, workflow): decisions stick, keep as is, locked means locked,
 * suggest-all for editors, undo after a suggest, and conflicts that say who changed what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { passwordOf, seedPath, sessionClient, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let editor: ReturnType<typeof tokenClient>;
let reviewer: ReturnType<typeof tokenClient>;

beforeAll(async () => {
  app = await startApp();
  editor = tokenClient(app, 'editor');
  reviewer = tokenClient(app, 'reviewer');
});
afterAll(async () => app.close(true));

/** A fresh copy of the seed article for each test (the import refuses the same text twice). */
let copies = 0;
async function freshArticle(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = `${await readFile(seedPath, 'utf8')}\n\nCopy ${++copies} for a desk test.`;
  const r = await tokenClient(app, 'admin').post('/api/articles', { text, title: `Desk ${copies}` });
  expect(r.status).toBe(201);
  return r.json.id;
}

const para = async (id: string, pid: string) => (await editor.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);

describe('keep as is', () => {
  it('decides the paragraph without changing its text: its own status, one keep revision, HTER 0', async () => {
    const id = await freshArticle();
    const before = await para(id, 'p2');
    const r = await editor.post(`/api/articles/${id}/paragraphs/p2/keep`, { baseRevision: before.revision });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'kept', text: before.mt, revision: before.revision + 1 });
    const history = (await editor.get(`/api/articles/${id}/paragraphs/p2/history`)).json;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['import', 'keep']);
    const stats = (await editor.get(`/api/stats?article=${id}`)).json;
    const row = stats.paragraphs.find((p: { paragraphId: string }) => p.paragraphId === 'p2');
    expect(row).toMatchObject({ status: 'kept', hter: 0, decision: { action: 'keep', author: 'editor' } });
    expect(stats.totals.decisions.keep).toBe(1);
    // Kept text is exported as it is; keeping twice is refused with a reason.
    const exported = await fetch(`${app.url}/api/articles/${id}/export?format=txt`, { headers: { authorization: `Bearer ${app.tokens.editor}` } });
    expect(await exported.text()).toContain(before.mt);
    const again = await editor.post(`/api/articles/${id}/paragraphs/p2/keep`, { baseRevision: r.json.revision });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/already kept/);
  });

  it('keeps every paragraph of a list in one undoable action, skipping those changed meanwhile', async () => {
    const id = await freshArticle();
    const [p3, p4, p5] = await Promise.all(['p3', 'p4', 'p5'].map((pid) => para(id, pid)));
    await editor.post(`/api/articles/${id}/paragraphs/p5/edit`, { baseRevision: p5.revision, text: 'Edited by someone first.' });
    const r = await editor.post(`/api/articles/${id}/keep-all`, {
      paragraphs: [p3, p4, p5].map((p) => ({ id: p.id, baseRevision: p.revision })),
    });
    expect(r.status).toBe(200);
    expect(r.json.kept).toEqual(['p3', 'p4']);
    expect(r.json.skipped).toEqual([{ id: 'p5', reason: expect.stringMatching(/changed since/) }]);
    expect((await para(id, 'p4')).status).toBe('kept');
    const undone = await editor.post(`/api/articles/${id}/undo`, {});
    expect(undone.json.undone).toBe('keep');
    expect((await para(id, 'p3')).status).toBe('pending');
    expect((await para(id, 'p4')).status).toBe('pending');
    expect((await para(id, 'p5')).text).toBe('Edited by someone first.');
  });
});

describe('decisions stick', () => {
  it('a new suggestion on a rejected paragraph leaves it rejected, and shows the new suggestion', async () => {
    const id = await freshArticle();
    const s1 = await editor.post(`/api/articles/${id}/paragraphs/p4/suggest`, {});
    expect(s1.json.status).toBe('suggested');
    const rejected = await editor.post(`/api/articles/${id}/paragraphs/p4/reject`, { baseRevision: s1.json.revision });
    expect(rejected.json.status).toBe('rejected');
    const again = await editor.post(`/api/articles/${id}/paragraphs/p4/suggest`, { force: true });
    expect(again.json.status).toBe('rejected');
    expect(again.json.text).toBe(rejected.json.text);
    expect(again.json.suggestion.id).not.toBe(s1.json.suggestion.id);
    const html = await (await fetch(`${app.url}/articles/${id}/rows/p4`, { headers: { authorization: `Bearer ${app.tokens.editor}` } })).text();
    expect(html).toContain(`data-suggestion="${again.json.suggestion.id}"`);
  });

  it('suggest-all (editors) suggests for undecided paragraphs only and reports the rest as skipped', async () => {
    const id = await freshArticle();
    const p2 = await para(id, 'p2');
    const p3 = await para(id, 'p3');
    await editor.post(`/api/articles/${id}/paragraphs/p2/keep`, { baseRevision: p2.revision });
    const edited = (await editor.post(`/api/articles/${id}/paragraphs/p3/edit`, { baseRevision: p3.revision, text: 'An editor wrote this.' })).json;
    const live = (await editor.get(`/api/articles/${id}`)).json.paragraphs.length;
    let r = await editor.post(`/api/articles/${id}/suggest-all`, { wait: 0 });
    expect([200, 202]).toContain(r.status);
    if (r.status === 202) expect(r.headers.get('location')).toBe(`/api/articles/${id}/suggest-all`);
    for (let i = 0; i < 200 && r.json.status === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await editor.get(`/api/articles/${id}/suggest-all`);
    }
    expect(r.json).toMatchObject({ status: 'finished', total: live - 2, skipped: 2, failed: 0, by: 'editor' });
    expect(r.json.done).toBe(live - 2);
    const article = (await editor.get(`/api/articles/${id}`)).json;
    expect(article.paragraphs.find((p: { id: string }) => p.id === 'p2')).toMatchObject({ status: 'kept' });
    expect(article.paragraphs.find((p: { id: string }) => p.id === 'p3')).toMatchObject({ status: 'edited', text: 'An editor wrote this.', revision: edited.revision });
    expect(article.paragraphs.filter((p: { status: string }) => p.status === 'pending')).toHaveLength(0);
    // Asked again, nothing is left to do: everything undecided has its suggestion already.
    const second = await editor.post(`/api/articles/${id}/suggest-all`, { wait: 10_000 });
    expect(second.status).toBe(200);
    expect(second.json.skipped).toBe(2);
  });
});

describe('locked means locked', () => {
  it('refuses every change on an approved paragraph with who approved it, before the stale-revision check', async () => {
    const id = await freshArticle();
    const p = await para(id, 'p6');
    const kept = (await editor.post(`/api/articles/${id}/paragraphs/p6/keep`, { baseRevision: p.revision })).json;
    const approved = (await reviewer.post(`/api/articles/${id}/paragraphs/p6/approve`, { baseRevision: kept.revision })).json;
    expect(approved.approval).toMatchObject({ by: 'reviewer' });
    for (const [action, body] of [
      ['suggest', {}],
      ['edit', { text: 'Sneaky.' }],
      ['accept', { suggestionId: 'x' }],
      ['split', { at: 5 }],
      ['merge', {}],
      ['keep', {}],
    ] as const) {
      // A stale baseRevision too: the lock is what the editor needs to hear.
      const r = await editor.post(`/api/articles/${id}/paragraphs/p6/${action}`, { baseRevision: approved.revision - 1, ...body });
      expect(r.status, action).toBe(423);
      expect(r.json.code).toBe('locked');
      expect(r.json.error).toMatch(/approved by reviewer/);
    }
    expect((await para(id, 'p6')).revision).toBe(approved.revision);
  });

  it('refuses to approve an undecided paragraph, saying so', async () => {
    const id = await freshArticle();
    const p = await para(id, 'p7');
    const r = await reviewer.post(`/api/articles/${id}/paragraphs/p7/approve`, { baseRevision: p.revision });
    expect(r.status).toBe(409);
    expect(r.json.code).not.toBe('stale_revision');
    expect(r.json.error).toMatch(/not decided yet/);
    expect((await para(id, 'p7')).review).toBe('none');
  });
});

describe('undo', () => {
  it('after a suggest undoes the suggest (the last action), not an older edit', async () => {
    const id = await freshArticle();
    const p8 = await para(id, 'p8');
    await editor.post(`/api/articles/${id}/paragraphs/p8/edit`, { baseRevision: p8.revision, text: 'An older edit.' });
    const s = await editor.post(`/api/articles/${id}/paragraphs/p9/suggest`, {});
    expect(s.json.status).toBe('suggested');
    const u = await editor.post(`/api/articles/${id}/undo`, {});
    expect(u.json.undone).toBe('suggest');
    const p9 = await para(id, 'p9');
    expect(p9.status).toBe('pending');
    expect(p9.suggestion).toBeUndefined();
    expect((await para(id, 'p8')).text).toBe('An older edit.');
  });
});

describe('conflicts', () => {
  it('a stale save answers with who changed the paragraph and when; the page shows their change as a diff', async () => {
    const id = await freshArticle();
    const a = await sessionClient(app.url, 'editor', passwordOf('editor'));
    const b = await sessionClient(app.url, 'reviewer', passwordOf('reviewer'));
    const p = await para(id, 'p10');
    const first = await a.api.post(`/api/articles/${id}/paragraphs/p10/edit`, { baseRevision: p.revision, text: `${p.text} Added by the first.` });
    const stale = await b.api.post(`/api/articles/${id}/paragraphs/p10/edit`, { baseRevision: p.revision, text: 'Mine.' });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('stale_revision');
    expect(stale.json.current.lastChange).toMatchObject({ by: 'editor', action: 'edit', at: expect.any(String) });
    const change = await b.api.get(`/api/articles/${id}/paragraphs/p10/compare?a=${p.revision}&b=${first.json.revision}`);
    expect(change.json.diff.some((d: { op: string; ins?: string }) => d.op === 'change' && d.ins?.includes('Added by the first.'))).toBe(true);

    const page = await fetch(`${app.url}/articles/${id}/paragraphs/p10/edit`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: b.csrfToken, baseRevision: String(p.revision), text: 'Mine.' }),
    });
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toMatch(/Their change · editor/);
    expect(html).toMatch(/<ins>[^<]*Added by the first\.[^<]*<\/ins>/);
    expect(html).toContain('Take theirs');
    expect(html).toContain('Keep mine on top');
  });
});
