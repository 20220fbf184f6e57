/**
 * The action journal of the lowdb store: every action is one appended line, the article file is a
 * snapshot rewritten only on compaction, and reopening after a crash at any point gives the state of
 * the last answered action.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { appendFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor, Article, Revision } from '../../server/core/types.js';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { importArticle } from '../../server/commands/importArticle.js';
import { mergeParagraph } from '../../server/commands/mergeParagraph.js';
import { rejectSuggestion } from '../../server/commands/rejectSuggestion.js';
import { revertParagraph } from '../../server/commands/revertParagraph.js';
import { commentParagraph, reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { applyLine, diffArticle, readArticleFiles } from '../../server/store/articleJournal.js';
import { cloneArticle, LowdbStore } from '../../server/store/lowdbStore.js';
import { startApp, tempDir, type RunningApp } from '../support/app.js';
import { ownParagraph } from '../../server/core/draft.js';

const apps: RunningApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close(true);
});

const plain = (a: Article | undefined) => JSON.parse(JSON.stringify(a)) as Article;

function article(id: string, paragraphs = 3): { article: Article; revisions: Revision[] } {
  const at = new Date().toISOString();
  return {
    article: {
      id, title: `Title ${id}`, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, hasSource: false, hasReference: false,
      paragraphs: Array.from({ length: paragraphs }, (_, i) => ({ id: `p${i + 1}`, index: i, kind: 'body' as const, mt: `Text ${i + 1}.`, text: `Text ${i + 1}.`, status: 'pending' as const, revision: 1 })),
      nextParagraph: paragraphs + 1, undo: [],
    },
    revisions: Array.from({ length: paragraphs }, (_, i) => ({ n: 1, paragraphId: `p${i + 1}`, action: 'import' as const, author: 'a', at, text: `Text ${i + 1}.`, status: 'pending' as const, diff: { added: 2, removed: 0 }, op: 'o0' })),
  };
}

function bump(text: string, pid = 'p1') {
  return (a: Article) => {
    const p = ownParagraph(a, a.paragraphs.findIndex((x) => x.id === pid));
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    a.updatedAt = new Date().toISOString();
    const rev: Revision = { n: p.revision, paragraphId: pid, action: 'edit', author: 'a', at: a.updatedAt, text, status: 'edited', diff: { added: 1, removed: 1 }, op: `o${p.revision}` };
    return { result: p.revision, revisions: [rev] };
  };
}

const files = (dir: string, id: string) => ({
  snapshot: join(dir, 'articles', `${id}.json`),
  journal: join(dir, 'articles', `${id}.journal.jsonl`),
  history: join(dir, 'articles', `${id}.history.jsonl`),
});

describe('journal lines', () => {
  it('carry every change a command can make, and replay to the same article', () => {
    const { article: a } = article('diff', 4);
    a.undo = [
      { op: 'u1', action: 'edit', author: 'a', at: 't', before: [{ paragraphId: 'p1', text: 'x', status: 'pending', revisionAfter: 1 }], created: [] },
      { op: 'u2', action: 'edit', author: 'a', at: 't', before: [{ paragraphId: 'p2', text: 'y', status: 'pending', revisionAfter: 1 }], created: [] },
    ];
    a.paragraphs[2]!.findings = [];
    const draft = cloneArticle(a);
    draft.paragraphs[0]!.text = 'changed';
    draft.paragraphs[1]!.comments = [{ id: 'c', author: 'a', at: 't', text: 'note' }];
    delete draft.paragraphs[2]!.findings;
    draft.paragraphs.splice(1, 0, { id: 'p5', index: 1, kind: 'body', mt: '', text: 'new', status: 'edited', revision: 1 });
    draft.paragraphs.forEach((p, i) => (p.index = i));
    draft.nextParagraph = 6;
    draft.usage = { prompt: 3, completion: 4 };
    draft.undo[1]!.before[0]!.revisionAfter = 2; // a suggestion moves an undo entry on, in place
    draft.undo.splice(0, 1);
    draft.undo.push({ op: 'u3', action: 'split', author: 'a', at: 't', before: [], created: ['p5'] });
    const line = diffArticle(a, draft, 1);
    expect(line.p!.map((p) => p.id).sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(line.order).toEqual(['p1', 'p5', 'p2', 'p3', 'p4']);
    expect(line.undo!.drop).toEqual(['u1']);
    const replayed = cloneArticle(a);
    applyLine(replayed, JSON.parse(JSON.stringify(line)));
    expect(plain(replayed)).toEqual(plain(draft));
  });

  it('name only what changed', () => {
    const { article: a } = article('small', 200);
    const draft = cloneArticle(a);
    draft.paragraphs[7]!.status = 'accepted';
    const line = diffArticle(a, draft, 9);
    expect(line).toEqual({ seq: 9, p: [draft.paragraphs[7]] });
  });
});

describe('the store with a journal', () => {
  it('after every real command, the files on disk give the article held in memory', async () => {
    // The journal belongs to the lowdb store, whatever DATABASE_URL says.
    const app = await startApp({ users: false, env: { ...process.env, DATABASE_URL: '' } });
    apps.push(app);
    const s = app.services;
    const actor: Actor = { username: 'admin', role: 'admin' };
    const { article: imported } = await importArticle(s, { text: 'First paragraph with 12 numbers.\n\nSecond one, also 300 km long.\n\nThird: 45 percent.\n\nFourth.', title: 'Journal check', actor });
    const id = imported.id;
    const f = files(app.dataDir, id);
    const check = async () => expect(plain(await readArticleFiles(f.snapshot, f.journal))).toEqual(plain(await s.store.getArticle(id)));
    const rev = async (pid: string) => (await s.store.getArticle(id))!.paragraphs.find((p) => p.id === pid)!.revision;
    const target = async (pid: string) => ({ articleId: id, paragraphId: pid, baseRevision: await rev(pid), actor });

    const suggested = await suggestParagraph(s, { articleId: id, paragraphId: 'p1', actor });
    await check();
    await acceptSuggestion(s, { ...(await target('p1')), suggestionId: suggested.suggestion!.id, confirmWarnings: true });
    await check();
    await editParagraph(s, { ...(await target('p2')), text: 'Second one, now 300 km long.' });
    await check();
    await splitParagraph(s, { ...(await target('p2')), at: 12 });
    await check();
    await mergeParagraph(s, await target('p3'));
    await check();
    await suggestParagraph(s, { articleId: id, paragraphId: 'p5', actor });
    await check();
    await rejectSuggestion(s, await target('p5'));
    await check();
    await deleteParagraph(s, await target('p2'));
    await check();
    await undoLastAction(s, { articleId: id, actor });
    await check();
    await undoLastAction(s, { articleId: id, actor });
    await check();
    await revertParagraph(s, { ...(await target('p2')), to: 1 });
    await check();
    await commentParagraph(s, { articleId: id, paragraphId: 'p1', actor, text: 'Check the figure.' });
    await check();
    await reviewParagraph(s, { ...(await target('p1')), action: 'submit' });
    await check();
    await reviewParagraph(s, { ...(await target('p1')), action: 'approve' });
    await check();
    await reviewParagraph(s, { ...(await target('p1')), action: 'reopen', comment: 'One more look.' });
    await check();
    expect((await readFile(f.journal, 'utf8')).split('\n').filter(Boolean).length).toBeGreaterThan(10);
  });

  it('reopens without a close (a kill) to every answered action', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('killed');
    await store.createArticle(a, revisions);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.updateArticle('killed', bump(`text ${i}`, `p${(i % 3) + 1}`))));
    const memory = plain(await store.getArticle('killed'));
    // No close: the snapshot is stale, the journal holds the actions.
    expect(JSON.parse(await readFile(files(dir, 'killed').snapshot, 'utf8')).paragraphs[0].revision).toBe(1);
    const again = await LowdbStore.open(dir);
    expect(plain(await again.getArticle('killed'))).toEqual(memory);
    expect((await again.history('killed', 'p1')).map((r) => r.n)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    // Opening folded the journal into the snapshot.
    expect(await readFile(files(dir, 'killed').journal, 'utf8')).toBe('');
  });

  it('skips journal lines the snapshot already holds (a crash between snapshot rename and truncation)', async () => {
    const dir = await tempDir();
    const f = files(dir, 'rename');
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('rename');
    await store.createArticle(a, revisions);
    for (let i = 0; i < 5; i++) await store.updateArticle('rename', bump(`text ${i}`));
    const journal = await readFile(f.journal, 'utf8');
    await store.close(); // snapshot written, journal truncated…
    await writeFile(f.journal, journal); // …as if the truncation never happened
    const again = await LowdbStore.open(dir);
    expect((await again.getArticle('rename'))!.paragraphs[0]!.revision).toBe(6);
    await again.updateArticle('rename', bump('after'));
    const third = await LowdbStore.open(dir);
    expect((await third.history('rename', 'p1')).map((r) => [r.n, r.text]).at(-1)).toEqual([7, 'after']);
    expect((await third.getArticle('rename'))!.paragraphs[0]!.text).toBe('after');
  });

  it('drops a torn journal line and the revisions of an action whose line never landed', async () => {
    const dir = await tempDir();
    const f = files(dir, 'torn');
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('torn');
    await store.createArticle(a, revisions);
    await store.updateArticle('torn', bump('one'));
    await store.updateArticle('torn', bump('two'));
    // The last action's revision reached the history but its journal line was cut short by the kill.
    const lines = (await readFile(f.journal, 'utf8')).split('\n').filter(Boolean);
    await writeFile(f.journal, `${lines[0]}\n${lines[1]!.slice(0, 20)}`);
    const again = await LowdbStore.open(dir);
    expect((await again.getArticle('torn'))!.paragraphs[0]!.text).toBe('one');
    expect((await again.history('torn', 'p1')).map((r) => r.text)).toEqual(['Text 1.', 'one']);
    expect((await readFile(f.history, 'utf8')).split('\n').filter(Boolean)).toHaveLength(4);
    await again.updateArticle('torn', bump('three'));
    await appendFile(f.journal, '{"seq":9,"p":[{"id"'); // and another torn tail
    const third = await LowdbStore.open(dir);
    expect((await third.history('torn', 'p1')).map((r) => [r.n, r.text])).toEqual([[1, 'Text 1.'], [2, 'one'], [3, 'three']]);
  });

  it('compacts: the journal stays short, and the snapshot names the lines it holds', async () => {
    const dir = await tempDir();
    const f = files(dir, 'long');
    const store = await LowdbStore.open(dir, { compactLines: 200 });
    const { article: a, revisions } = article('long');
    await store.createArticle(a, revisions);
    // One at a time: a compaction starts a new journal after the 200th line of the last, and writes the
    // snapshot in the background; `idle` waits for the last one to finish.
    for (let i = 0; i < 450; i++) await store.updateArticle('long', bump(`text ${i}`, `p${(i % 3) + 1}`));
    await store.idle('long');
    const journalLines = (await readFile(f.journal, 'utf8')).split('\n').filter(Boolean).length;
    expect(journalLines).toBe(50);
    const snapshot = JSON.parse(await readFile(f.snapshot, 'utf8')) as { journalSeq: number };
    expect(snapshot.journalSeq).toBe(400);
    const memory = plain(await store.getArticle('long'));
    expect(plain(await readArticleFiles(f.snapshot, f.journal))).toEqual(memory);
    const again = await LowdbStore.open(dir);
    expect(plain(await again.getArticle('long'))).toEqual(memory);
    expect((await again.getArticle('long'))!.paragraphs.map((p) => p.revision)).toEqual([151, 151, 151]);
  });

  it('compacts in the background: actions go on, and a kill at any point of it loses nothing', async () => {
    const dir = await tempDir();
    const f = files(dir, 'bg');
    const compacting = join(dir, 'articles', 'bg.compacting.jsonl');
    const store = await LowdbStore.open(dir, { compactLines: 5 });
    const { article: a, revisions } = article('bg');
    await store.createArticle(a, revisions);
    const killed = await tempDir();
    for (let i = 0; i < 4; i++) await store.updateArticle('bg', bump(`text ${i}`));
    // The fifth line starts a compaction: its journal is renamed away, the snapshot is being written.
    // Read at once (synchronously), before the compaction's first write comes back.
    await store.updateArticle('bg', bump('text 4'));
    expect(readFileSync(compacting, 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
    expect(JSON.parse(readFileSync(f.snapshot, 'utf8')).journalSeq).toBe(0);
    // A kill now (the files copied as they are) reopens to every answered action.
    cpSync(dir, killed, { recursive: true });
    const fifth = plain(await store.getArticle('bg'));
    expect(plain(await (await LowdbStore.open(killed)).getArticle('bg'))).toEqual(fifth);
    // Actions go on meanwhile, into a new journal; and so does a kill then.
    await rm(killed, { recursive: true });
    await store.updateArticle('bg', bump('during'));
    cpSync(dir, killed, { recursive: true });
    const memory = plain(await store.getArticle('bg'));
    const reopened = await LowdbStore.open(killed);
    expect(plain(await reopened.getArticle('bg'))).toEqual(memory);
    expect((await reopened.history('bg', 'p1')).map((r) => r.text).at(-1)).toBe('during');
    await store.idle('bg');
    await expect(stat(compacting)).rejects.toThrow(/ENOENT/);
    expect(JSON.parse(await readFile(f.snapshot, 'utf8')).journalSeq).toBe(5);
    expect(plain(await readArticleFiles(f.snapshot, f.journal))).toEqual(memory);
    await store.close();
    expect(plain(await (await LowdbStore.open(dir)).getArticle('bg'))).toEqual(memory);
    for (const d of [dir, killed]) await rm(d, { recursive: true, force: true });
  });

  it('skips the renamed journal a compaction wrote into the snapshot (a kill before it was removed)', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir, { compactLines: 4 });
    const { article: a, revisions } = article('left');
    await store.createArticle(a, revisions);
    for (let i = 0; i < 4; i++) await store.updateArticle('left', bump(`text ${i}`));
    const compacting = join(dir, 'articles', 'left.compacting.jsonl');
    const lines = await readFile(compacting, 'utf8');
    await store.idle('left');
    await store.updateArticle('left', bump('after'));
    await writeFile(compacting, lines); // as if the kill came between the snapshot's rename and the removal
    const memory = plain(await store.getArticle('left'));
    const again = await LowdbStore.open(dir);
    expect(plain(await again.getArticle('left'))).toEqual(memory);
    expect((await again.history('left', 'p1')).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(stat(compacting)).rejects.toThrow(/ENOENT/);
  });

  it('a compaction still running leaves a deleted article deleted, and one closed whole', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir, { compactLines: 3 });
    for (const id of ['gone', 'shut']) {
      const { article: a, revisions } = article(id, 40);
      await store.createArticle(a, revisions);
      for (let i = 0; i < 3; i++) await store.updateArticle(id, bump(`text ${i}`));
    }
    await store.deleteArticle('gone');
    await store.updateArticle('shut', bump('last'));
    const memory = plain(await store.getArticle('shut'));
    await store.close();
    const names = await readdir(join(dir, 'articles'));
    expect(names.filter((n) => n.startsWith('gone') || n.startsWith('.gone'))).toEqual([]);
    expect(names.filter((n) => n.includes('compact'))).toEqual([]);
    expect(await readFile(files(dir, 'shut').journal, 'utf8')).toBe('');
    const again = await LowdbStore.open(dir);
    expect(await again.getArticle('gone')).toBeUndefined();
    expect(plain(await again.getArticle('shut'))).toEqual(memory);
  });

  it('keeps every answered action through a kill at any moment, compactions running', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir, { compactLines: 7 });
    // Paragraphs of some length, so that writing the snapshot takes several slices (turns of the loop).
    const { article: a, revisions } = article('kills', 200);
    for (const p of a.paragraphs) p.text = p.mt = `${p.mt} ${'A long paragraph of wire copy. '.repeat(40)}`;
    await store.createArticle(a, revisions);
    const answered: Array<[string, number]> = [];
    // A kill leaves the files as they are at that moment: copied at once, between two turns of the loop.
    const kills: Array<{ dir: string; answered: number; midCompaction: boolean }> = [];
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((resolve) => setImmediate(resolve));
        const copy = await tempDir();
        cpSync(dir, copy, { recursive: true });
        kills.push({ dir: copy, answered: answered.length, midCompaction: existsSync(join(dir, 'articles', 'kills.compacting.jsonl')) });
      }
    })();
    // At least 60 waves, and more while too few kills (or too few mid-compaction) were taken: how many a
    // wave lets in depends on the machine's load (8 in 60 waves seen on a busy 2-core machine).
    const enough = () => kills.length > 10 && kills.filter((k) => k.midCompaction).length > 2;
    for (let wave = 0; wave < 60 || (!enough() && wave < 600); wave++) {
      await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const pid = `p${((wave + i) % 4) + 1}`;
        answered.push([pid, await store.updateArticle('kills', bump(`wave ${wave} edit ${i}`, pid))]);
      }));
    }
    stop = true;
    await killer;
    expect(kills.length).toBeGreaterThan(10);
    // Some of them taken while a compaction ran.
    expect(kills.filter((k) => k.midCompaction).length).toBeGreaterThan(2);
    for (const kill of kills) {
      const reopened = await LowdbStore.open(kill.dir);
      const got = (await reopened.getArticle('kills'))!;
      const history = await reopened.history('kills');
      for (const [pid, n] of answered.slice(0, kill.answered)) {
        expect(got.paragraphs.find((p) => p.id === pid)!.revision).toBeGreaterThanOrEqual(n);
        expect(history.some((r) => r.paragraphId === pid && r.n === n)).toBe(true);
      }
      // History and article agree: every paragraph's revisions run 1 … its revision.
      for (const p of got.paragraphs) {
        expect(history.filter((r) => r.paragraphId === p.id).map((r) => r.n)).toEqual(Array.from({ length: p.revision }, (_, i) => i + 1));
      }
      await reopened.close();
      await rm(kill.dir, { recursive: true, force: true });
    }
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('of ten edits on one base revision at once, applies exactly one and refuses the rest as stale', async () => {
    const app = await startApp({ users: false, env: { ...process.env, DATABASE_URL: '' } });
    apps.push(app);
    const s = app.services;
    const actor: Actor = { username: 'admin', role: 'admin' };
    const { article: imported } = await importArticle(s, { text: 'One paragraph.\n\nAnother paragraph.', title: 'Ten at once', actor });
    const base = imported.paragraphs[1]!.revision;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
      editParagraph(s, { articleId: imported.id, paragraphId: 'p2', baseRevision: base, actor, text: `Another paragraph, take ${i}.` })));
    const applied = outcomes.filter((o) => o.status === 'fulfilled');
    expect(applied).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as Error).constructor.name).toBe('StaleRevisionError');
    const history = await s.store.history(imported.id, 'p2');
    expect(history.map((r) => r.n)).toEqual([base, base + 1]);
    expect(history.at(-1)!.text).toBe((applied[0] as PromiseFulfilledResult<{ text: string }>).value.text);
  });
});

