/**
 * Suggestions on their own, against a real temporary store: one paragraph (the engine's request,
 * the cache, failures, a text that changes meanwhile, runs), the desk's examples for LLM engines,
 * and suggest-all with its jobs. Engines here are small real objects; the store is never faked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { EngineFailedError, InvalidStateError, LockedError, NotFoundError, StaleRevisionError } from '../../server/commands/errors.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { suggestAll, suggestAllJobs, type SuggestAllProgress } from '../../server/commands/suggestAll.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { Engine, SuggestRequest } from '../../server/engines/types.js';
import { ed, eve, mtOf, NEWS, openDesk, refusal, rita, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

/** An engine that records what it was asked and answers with `answer` (the offline cleanup by default). */
function recording(options: { id?: string; answer?: (r: SuggestRequest) => Promise<string> | string; usage?: { prompt: number; completion: number } } = {}) {
  const offline = new OfflineEngine();
  const asked: SuggestRequest[] = [];
  const engine: Engine = {
    id: options.id ?? 'recording',
    model: 'rec-1',
    describe: () => 'recording engine',
    async suggest(r) {
      asked.push(r);
      const text = options.answer ? await options.answer(r) : (await offline.suggest(r)).text;
      return { text, model: 'rec-1', ...(options.usage ? { usage: options.usage } : {}) };
    },
  };
  return { engine, asked };
}

describe('suggest one paragraph', () => {
  it('attaches the engine\'s suggestion: suggested, a suggest revision, the suggestion stored for the statistics', async () => {
    const id = await desk.article();
    const p = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed });
    expect(p).toMatchObject({ status: 'suggested', text: mtOf(3), revision: 2, lastChange: { action: 'suggest', by: 'ed' } });
    expect(p.suggestion).toMatchObject({ engine: 'offline', text: 'Output of the industry reached 1 billion yuan in 2014.', basedOn: mtOf(3), level: 'minimal', paragraphId: 'p3' });
    expect((await desk.history(id, 'p3')).at(-1)).toMatchObject({ action: 'suggest', author: 'ed', suggestionId: p.suggestion!.id, text: mtOf(3), diff: { added: 0, removed: 0 } });
    expect((await desk.services.store.suggestions(id)).map((s) => s.id)).toEqual([p.suggestion!.id]);
    expect((await desk.para(id, 'p3')).suggestion?.id).toBe(p.suggestion!.id);
  });

  it('gives the engine the paragraph with its live neighbours and the article\'s title', async () => {
    const id = await desk.article(NEWS, 'Baoan wearables');
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    const { engine, asked } = recording();
    await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed, engine, level: 'fluent' });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ paragraphId: 'p4', text: mtOf(4), kind: 'body', level: 'fluent', context: { title: 'Baoan wearables', previous: mtOf(2), next: mtOf(5) } });
  });

  it('does not ask the engine again for the same text and context; `force` does, and so does another level', async () => {
    const id = await desk.article();
    const { engine, asked } = recording();
    const first = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine });
    const again = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine });
    expect(asked).toHaveLength(1);
    expect(again).toMatchObject({ revision: first.revision, suggestion: { id: first.suggestion!.id } });
    const forced = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine, force: true });
    expect(asked).toHaveLength(2);
    expect(forced.suggestion!.id).not.toBe(first.suggestion!.id);
    expect(forced.revision).toBe(first.revision + 1);
    await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine, level: 'fluent' });
    expect(asked).toHaveLength(3);
    expect((await desk.services.store.suggestions(id))).toHaveLength(3);
  });

  it('a new suggestion never changes a decision: an edited paragraph stays edited', async () => {
    const id = await desk.article();
    const e = await editParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, text: 'Most enterprises gathered in Baoan , 200 of them.', actor: ed });
    const p = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p6', actor: ed, baseRevision: e.revision });
    expect(p).toMatchObject({ status: 'edited', text: e.text, suggestion: { basedOn: e.text, text: 'Most enterprises gathered in Baoan, 200 of them.' } });
  });

  it('an engine failure is a 502 naming the engine, and nothing is stored', async () => {
    const id = await desk.article();
    const broken: Engine = { id: 'broken', model: 'b-1', describe: () => 'broken', suggest: async () => Promise.reject(new Error('connection refused')) };
    const err = await refusal(() => suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine: broken }));
    expect(err).toBeInstanceOf(EngineFailedError);
    expect(err).toMatchObject({ status: 502, message: 'broken engine: connection refused' });
    expect(await desk.para(id, 'p2')).toMatchObject({ status: 'pending', revision: 1 });
    expect((await desk.para(id, 'p2')).suggestion).toBeUndefined();
    expect(await desk.services.store.suggestions(id)).toEqual([]);
  });

  it('refuses when the text changed while the engine worked: the other editor\'s text stays', async () => {
    const id = await desk.article();
    const { engine } = recording({
      answer: async (r) => {
        await editParagraph(desk.services, { articleId: id, paragraphId: 'p5', baseRevision: 1, text: 'Eve got there first.', actor: eve });
        return `${r.text} (rewritten)`;
      },
    });
    const err = await refusal(() => suggestParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: ed, engine }));
    expect(err).toBeInstanceOf(StaleRevisionError);
    expect((err as StaleRevisionError).current).toMatchObject({ text: 'Eve got there first.', lastChange: { action: 'edit', by: 'eve' } });
    expect(await desk.para(id, 'p5')).toMatchObject({ text: 'Eve got there first.', status: 'edited' });
    expect((await desk.para(id, 'p5')).suggestion).toBeUndefined();
  });

  it('refuses a stale base, a deleted paragraph, an approved one and an unknown article', async () => {
    const id = await desk.article();
    await expect(suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, baseRevision: 4 })).rejects.toBeInstanceOf(StaleRevisionError);
    const gone = await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, actor: ed });
    await expect(suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, baseRevision: gone.revision })).rejects.toBeInstanceOf(InvalidStateError);
    const k = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: k.revision, action: 'approve', actor: rita });
    await expect(suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed })).rejects.toThrow(/cannot suggest: paragraph p4 is approved by rita/);
    await expect(suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed })).rejects.toBeInstanceOf(LockedError);
    await expect(suggestParagraph(desk.services, { articleId: 'nothing-here', paragraphId: 'p1', actor: ed })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a run\'s suggestion carries the run id and is not on the editor\'s undo stack; token usage adds up on the article', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p4', baseRevision: 1, text: 'Mayor Wang visited.', actor: ed });
    const { engine } = recording({ usage: { prompt: 100, completion: 20 } });
    const a = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p2', actor: ed, engine, runId: 'run-1' });
    await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p3', actor: ed, engine, runId: 'run-1' });
    expect(a.suggestion).toMatchObject({ runId: 'run-1', usage: { prompt: 100, completion: 20 } });
    expect((await desk.get(id)).usage).toEqual({ prompt: 200, completion: 40 });
    // The editor's undo takes back their edit, not the run's suggestions.
    expect((await undoLastAction(desk.services, { articleId: id, actor: ed })).undone).toBe('edit');
    expect((await desk.para(id, 'p2')).status).toBe('suggested');
  });

  it('an LLM engine gets the article\'s own corrections as examples, and the suggestion says which', async () => {
    const id = await desk.article();
    const fix = 'The alliance was founded in the national incubator on 28 January.';
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: fix, actor: eve });
    const llm = recording({ id: 'llm' });
    const p = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed, engine: llm.engine });
    expect(llm.asked[0]!.context.examples).toEqual([{ mt: mtOf(2), final: fix }]);
    expect(p.suggestion!.examples).toEqual([{ articleId: id, paragraphId: 'p2' }]);
    // The offline engine learns nothing from the desk: no examples asked for, none recorded.
    const offline = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p5', actor: ed });
    expect(offline.suggestion!.examples).toBeUndefined();
  });
});

describe('desk examples for an LLM', () => {
  it('at most three of the article\'s corrections, the latest in article order; none that is too long or back to the MT', async () => {
    const long = `${'A long correction. '.repeat(70)}End.`;
    const id = await desk.article([...NEWS, 'Seventh.', 'Eighth.', 'Ninth.']);
    const edit = async (pid: string, text: string) => {
      const p = await desk.para(id, pid);
      return editParagraph(desk.services, { articleId: id, paragraphId: pid, baseRevision: p.revision, text, actor: ed });
    };
    await edit('p2', 'Second, corrected.');
    await edit('p3', 'Third, corrected.');
    await edit('p4', 'Fourth, corrected.');
    await edit('p5', long);
    await edit('p6', 'Sixth, corrected.');
    await edit('p6', mtOf(6));
    const llm = recording({ id: 'llm' });
    const p = await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p8', actor: ed, engine: llm.engine });
    expect(llm.asked[0]!.context.examples!.map((e) => e.final)).toEqual(['Second, corrected.', 'Third, corrected.', 'Fourth, corrected.']);
    expect(p.suggestion!.examples!.map((e) => e.paragraphId)).toEqual(['p2', 'p3', 'p4']);
    // The paragraph asked about is never its own example.
    const own = recording({ id: 'llm' });
    await suggestParagraph(desk.services, { articleId: id, paragraphId: 'p4', actor: ed, engine: own.engine });
    const finals = own.asked[0]!.context.examples!.map((e) => e.final);
    expect(finals.slice(0, 2)).toEqual(['Second, corrected.', 'Third, corrected.']);
    expect(finals).not.toContain('Fourth, corrected.');
  });
});

describe('suggest all', () => {
  it('suggests for every undecided paragraph, leaving decided and approved ones alone, and reports progress', async () => {
    const id = await desk.article();
    await editParagraph(desk.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: 'The alliance was founded.', actor: ed });
    const k = await keepParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: 1, actor: ed });
    await reviewParagraph(desk.services, { articleId: id, paragraphId: 'p3', baseRevision: k.revision, action: 'approve', actor: rita });
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p6', baseRevision: 1, actor: ed });
    const seen: SuggestAllProgress[] = [];
    const r = await suggestAll(desk.services, { articleId: id, actor: ed, concurrency: 2, onProgress: (p) => seen.push(p) });
    expect(r).toMatchObject({ status: 'finished', by: 'ed', level: 'minimal', total: 3, done: 3, failed: 0, skipped: 2 });
    expect(seen[0]).toMatchObject({ status: 'running', total: 3, done: 0 });
    expect(seen.at(-1)).toMatchObject({ status: 'finished', done: 3 });
    expect((await desk.get(id)).paragraphs.map((p) => `${p.id}:${p.status}`)).toEqual(['p1:suggested', 'p2:edited', 'p3:kept', 'p4:suggested', 'p5:suggested', 'p6:deleted']);
    expect((await desk.para(id, 'p2')).suggestion).toBeUndefined();
    // Bulk suggestions are not the editor's undoable action: the edit is.
    expect((await undoLastAction(desk.services, { articleId: id, actor: ed })).undone).toBe('delete');
  });

  it('counts an engine failure per paragraph and keeps the first error; nothing is stored for them', async () => {
    const id = await desk.article();
    const flaky: Engine = {
      id: 'flaky', model: 'f-1', describe: () => 'flaky',
      suggest: async (r) => (r.paragraphId === 'p3' || r.paragraphId === 'p5' ? Promise.reject(new Error(`timeout on ${r.paragraphId}`)) : { text: `${r.text} Checked.`, model: 'f-1' }),
    };
    const services = { ...desk.services, engine: flaky };
    const r = await suggestAll(services, { articleId: id, actor: ed, concurrency: 1 });
    expect(r).toMatchObject({ total: 6, done: 4, failed: 2, skipped: 0, error: 'flaky engine: timeout on p3' });
    expect((await desk.para(id, 'p3')).status).toBe('pending');
    expect((await desk.para(id, 'p4')).suggestion?.text).toBe(`${mtOf(4)} Checked.`);
  });

  it('an unknown article is a not-found error', async () => {
    await expect(suggestAll(desk.services, { articleId: 'gone-article', actor: ed })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('one job per article at a time: a second start joins the running one; the latest progress stays to be polled', async () => {
    const id = await desk.article();
    const jobs = suggestAllJobs(desk.services);
    expect(suggestAllJobs(desk.services)).toBe(jobs);
    const first = jobs.start(desk.services, { articleId: id, actor: ed });
    const second = jobs.start(desk.services, { articleId: id, actor: eve });
    expect([first.joined, second.joined]).toEqual([false, true]);
    expect(second.done).toBe(first.done);
    const done = await first.done;
    expect(done).toMatchObject({ status: 'finished', by: 'ed', total: 6, done: 6 });
    expect(jobs.latest(id)).toMatchObject({ status: 'finished', done: 6 });
    // Finished: a new start runs again (everything is suggested already, from the cache).
    const third = jobs.start(desk.services, { articleId: id, actor: eve });
    expect(third.joined).toBe(false);
    expect(await third.done).toMatchObject({ by: 'eve', total: 6, done: 6 });
    expect(await desk.services.store.suggestions(id)).toHaveLength(6);
  });
});
