/**
 * The live desk across two app instances on one PostgreSQL database (issue 17): an action on one
 * instance reaches the event streams of the other (LISTEN/NOTIFY on commit), in order, resumable from
 * the revisions table; a rolled-back action is never announced; presence crosses instances too.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPath, tokenClient, type RunningApp } from '../support/app.js';
import { startAppOnDatabase } from '../support/pgApp.js';
import { postgresForFile } from '../support/postgres.js';
import { openSse, type SseStream } from '../support/sse.js';

const postgres = postgresForFile('pgLiveDesk');

describe.skipIf(!!postgres.reason)('live desk on two instances', () => {
  let A: RunningApp;
  let B: RunningApp;
  let id: string;
  const streams: SseStream[] = [];
  const listen = async (app: RunningApp, role: 'editor' | 'reviewer', headers: Record<string, string> = {}) => {
    const s = await openSse(`${app.url}/api/articles/${id}/events`, { authorization: `Bearer ${app.tokens[role]}`, ...headers });
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };

  beforeAll(async () => {
    const db = await postgres.database();
    A = await startAppOnDatabase(db.url);
    B = await startAppOnDatabase(db.url);
    const text = await readFile(seedPath, 'utf8');
    id = (await tokenClient(A, 'admin').post('/api/articles', { text, title: 'Live on two' })).json.id;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await A?.close();
    await B?.close();
  });

  it('an edit on A reaches a listener on B, in order, and a refused one never does', async () => {
    const onB = await listen(B, 'reviewer');
    const onA = await listen(A, 'reviewer');
    const api = tokenClient(A, 'editor');
    const p = (await api.get(`/api/articles/${id}`)).json.paragraphs[2];
    const r1 = (await api.post(`/api/articles/${id}/paragraphs/${p.id}/edit`, { baseRevision: p.revision, text: 'From A, one.' })).json;
    expect((await tokenClient(B, 'editor').post(`/api/articles/${id}/paragraphs/${p.id}/edit`, { baseRevision: p.revision, text: 'Stale on B.' })).status).toBe(409);
    const r2 = (await tokenClient(B, 'editor').post(`/api/articles/${id}/paragraphs/${p.id}/edit`, { baseRevision: r1.revision, text: 'From B, two.' })).json;
    for (const s of [onB, onA]) {
      const e1 = await s.next('change');
      const e2 = await s.next('change');
      expect([e1.data.revision, e2.data.revision]).toEqual([r1.revision, r2.revision]);
      expect(e1.data).toMatchObject({ paragraphId: p.id, action: 'edit', actor: 'editor' });
      expect(Number(e2.id)).toBeGreaterThan(Number(e1.id));
      await expect(s.next('change', 400)).rejects.toThrow();
    }
  });

  it('resumes on the other instance from the last event id', async () => {
    const first = await listen(A, 'editor');
    const api = tokenClient(A, 'editor');
    const p = (await api.get(`/api/articles/${id}`)).json.paragraphs[4];
    const r1 = (await api.post(`/api/articles/${id}/paragraphs/${p.id}/keep`, { baseRevision: p.revision })).json;
    const seen = await first.next('change');
    expect(seen.data.revision).toBe(r1.revision);
    first.close();
    const q = (await api.get(`/api/articles/${id}`)).json.paragraphs[5];
    const r2 = (await api.post(`/api/articles/${id}/paragraphs/${q.id}/keep`, { baseRevision: q.revision })).json;
    const again = await listen(B, 'editor', { 'last-event-id': seen.id! });
    const missed = await again.next('change');
    expect(missed.data).toMatchObject({ paragraphId: q.id, revision: r2.revision, action: 'keep' });
    await expect(again.next('change', 400)).rejects.toThrow();
  });

  it('presence set on B shows on A, and goes when the page on B closes', async () => {
    // The reviewer's streams of the tests above are pages still open: they leave first.
    for (const s of streams.splice(0)) s.close();
    const onA = await listen(A, 'editor');
    const fromB = await listen(B, 'reviewer');
    await tokenClient(B, 'reviewer').post(`/api/articles/${id}/presence`, { paragraphId: 'p9' });
    let seen;
    do seen = await onA.next('presence');
    while (!seen.data.users.some((u: { username: string }) => u.username === 'reviewer'));
    expect(seen.data.users).toContainEqual({ username: 'reviewer', paragraphId: 'p9', editing: false });
    fromB.close();
    do seen = await onA.next('presence');
    while (seen.data.users.some((u: { username: string }) => u.username === 'reviewer'));
  });
});
