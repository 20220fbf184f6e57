/**
 * The paragraph commands on their own (no HTTP): against a real temporary store (lowdb, or
 * PostgreSQL in the PG pass through DATABASE_URL), the way web and CLI call them.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecidedError, LockedError, StaleRevisionError } from '../../server/commands/errors.js';
import { importArticle } from '../../server/commands/importArticle.js';
import { keepParagraph, keepParagraphs } from '../../server/commands/keepParagraph.js';
import { rejectSuggestion } from '../../server/commands/rejectSuggestion.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import type { Services } from '../../server/commands/services.js';
import { suggestAll } from '../../server/commands/suggestAll.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { seedPath, startApp, type RunningApp } from '../support/app.js';

const ed = { username: 'ed', role: 'editor' as const };
const rita = { username: 'rita', role: 'reviewer' as const };
let app: RunningApp;
let services: Services;
let copies = 0;

// The app's services (a temporary data directory, or a database of its own in the PostgreSQL pass); no HTTP is used.
beforeAll(async () => {
  app = await startApp();
  services = app.services;
});
afterAll(async () => app.close(true));

async function article(): Promise<string> {
  const text = `${await readFile(seedPath, 'utf8')}\n\nCommand copy ${++copies}.`;
  return (await importArticle(services, { text, title: `Commands ${copies}`, actor: ed })).article.id;
}
const para = async (id: string, pid: string) => (await services.store.getArticle(id))!.paragraphs.find((p) => p.id === pid)!;

describe('paragraph commands', () => {
  it('keep: the text stays, the status is kept, one keep revision; a stale base is refused', async () => {
    const id = await article();
    const p = await para(id, 'p4');
    const kept = await keepParagraph(services, { articleId: id, paragraphId: 'p4', baseRevision: p.revision, actor: ed });
    expect(kept).toMatchObject({ status: 'kept', text: p.mt, revision: p.revision + 1, lastChange: { action: 'keep', by: 'ed' } });
    await expect(keepParagraph(services, { articleId: id, paragraphId: 'p5', baseRevision: 99, actor: ed })).rejects.toBeInstanceOf(StaleRevisionError);
    expect((await services.store.history(id, 'p4')).map((r) => r.action)).toEqual(['import', 'keep']);
  });

  it('keep many: one undo entry; undo brings every one back', async () => {
    const id = await article();
    const list = await Promise.all(['p2', 'p3'].map((pid) => para(id, pid)));
    const r = await keepParagraphs(services, { articleId: id, actor: ed, paragraphs: list.map((p) => ({ id: p.id, baseRevision: p.revision })) });
    expect(r).toEqual({ kept: ['p2', 'p3'], skipped: [] });
    expect((await undoLastAction(services, { articleId: id, actor: ed })).undone).toBe('keep');
    expect([(await para(id, 'p2')).status, (await para(id, 'p3')).status]).toEqual(['pending', 'pending']);
  });

  it('a run-style suggestion refuses a decided paragraph; an editor\'s suggestion leaves a rejected one rejected', async () => {
    const id = await article();
    const s = await suggestParagraph(services, { articleId: id, paragraphId: 'p4', actor: ed });
    const rejected = await rejectSuggestion(services, { articleId: id, paragraphId: 'p4', baseRevision: s.revision, actor: ed });
    await expect(suggestParagraph(services, { articleId: id, paragraphId: 'p4', actor: ed, onlyUndecided: true, force: true })).rejects.toBeInstanceOf(DecidedError);
    const again = await suggestParagraph(services, { articleId: id, paragraphId: 'p4', actor: ed, force: true });
    expect(again).toMatchObject({ status: 'rejected', text: rejected.text, rejectedSuggestion: s.suggestion!.id });
    expect(again.suggestion!.id).not.toBe(s.suggestion!.id);
  });

  it('undo after a suggest takes the suggestion back', async () => {
    const id = await article();
    await suggestParagraph(services, { articleId: id, paragraphId: 'p6', actor: ed });
    expect((await para(id, 'p6')).status).toBe('suggested');
    expect((await undoLastAction(services, { articleId: id, actor: ed })).undone).toBe('suggest');
    const p = await para(id, 'p6');
    expect(p.status).toBe('pending');
    expect(p.suggestion).toBeUndefined();
  });

  it('an approved paragraph is locked for every change, suggestions included, naming who approved it', async () => {
    const id = await article();
    const p = await para(id, 'p7');
    const kept = await keepParagraph(services, { articleId: id, paragraphId: 'p7', baseRevision: p.revision, actor: ed });
    await reviewParagraph(services, { articleId: id, paragraphId: 'p7', baseRevision: kept.revision, action: 'approve', actor: rita });
    const locked = suggestParagraph(services, { articleId: id, paragraphId: 'p7', actor: ed, baseRevision: 1 });
    await expect(locked).rejects.toBeInstanceOf(LockedError);
    await expect(locked).rejects.toThrow(/approved by rita/);
  });

  it('suggest-all suggests for the undecided paragraphs and leaves the others', async () => {
    const id = await article();
    const p = await para(id, 'p2');
    await keepParagraph(services, { articleId: id, paragraphId: 'p2', baseRevision: p.revision, actor: ed });
    const live = (await services.store.getArticle(id))!.paragraphs.length;
    const r = await suggestAll(services, { articleId: id, actor: ed });
    expect(r).toMatchObject({ status: 'finished', total: live - 1, done: live - 1, skipped: 1, failed: 0 });
    expect((await para(id, 'p2')).status).toBe('kept');
  });
});
