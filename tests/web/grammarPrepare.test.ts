/**
 * Opening an edit box asks the server to get Harper ready for that paragraph
 * (POST /api/articles/:id/flags/prepare): Harper's worker, ended after the start-up lint or when idle,
 * starts again and lints the paragraph while the editor types, so the edited text's flags do not wait
 * for Harper's start nor for its one-off cost on a long name it has no near word for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { grammarWorkerForTests, releaseGrammarWorker } from '../../server/checks/offThreadGrammar.js';
import { startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let editor: ReturnType<typeof tokenClient>;
let ARTICLE: string;

beforeAll(async () => {
  app = await startApp();
  editor = tokenClient(app, 'editor');
  const text = 'Japan and the Philippines signed the agreement on Monday.\n\nAccording to Japanese media, Kishimoto hopes the meeting will help the two countries.';
  const r = await tokenClient(app, 'admin').post('/api/articles', { text, title: 'Grammar prepared' });
  expect(r.status).toBe(201);
  ARTICLE = r.json.id;
});
afterAll(async () => app.close(true));

describe('grammar prepared for an edit', () => {
  it('answers 202 at once, stores nothing, and starts Harper’s worker again when it was ended', async () => {
    const before = (await editor.get(`/api/articles/${ARTICLE}`)).json;
    const p = before.paragraphs.find((x: { text: string }) => x.text.includes('Kishimoto'));
    expect(p, 'a paragraph with a name Harper has no near word for').toBeDefined();
    // Harper ended, as after the server's start-up lint.
    await vi.waitFor(() => {
      releaseGrammarWorker();
      expect(grammarWorkerForTests()).toBeUndefined();
    }, { timeout: 30_000 });

    const r = await editor.post(`/api/articles/${ARTICLE}/flags/prepare`, { paragraphId: p.id });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ preparing: p.id });
    await vi.waitFor(() => expect(grammarWorkerForTests()).toBeDefined(), { timeout: 30_000 });

    const after = (await editor.get(`/api/articles/${ARTICLE}`)).json;
    expect(after.paragraphs).toEqual(before.paragraphs);
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  it('refuses a missing or unknown paragraph, an unknown article, and a caller not logged in, with the reason', async () => {
    const missing = await editor.post(`/api/articles/${ARTICLE}/flags/prepare`, {});
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatch(/paragraphId/);
    const unknown = await editor.post(`/api/articles/${ARTICLE}/flags/prepare`, { paragraphId: 'p999' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/no paragraph "p999"/);
    const noArticle = await editor.post('/api/articles/no-such-article/flags/prepare', { paragraphId: 'p1' });
    expect(noArticle.status).toBe(404);
    expect(noArticle.json.error).toMatch(/no article/);
    const anonymous = await fetch(`${app.url}/api/articles/${ARTICLE}/flags/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"paragraphId":"p1"}' });
    expect(anonymous.status).toBe(401);
  });
});
