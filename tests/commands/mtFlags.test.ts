/**
 * The MT flags of an article through its commands, against a real temporary store: the MT checked
 * against its source per paragraph (with a risk), the wait budget, the background warm-up, and an
 * LLM annotator's flags merged in when one is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { annotateArticle, articleMtFlags } from '../../server/commands/mtFlags.js';
import { warmFlags } from '../../server/commands/warmFlags.js';
import type { Services } from '../../server/commands/services.js';
import { MtFlagCache, type MtAnnotate } from '../../server/checks/mt/flagCache.js';
import { runMtChecksOffThread } from '../../server/checks/mt/offThread.js';
import type { MtFlag } from '../../server/core/types.js';
import { ed, openDesk, type Desk, type ParagraphSpec } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

/** A word of letters only (digits would be figures to check), so each article's MT is new to the cache. */
const word = () => Array.from({ length: 8 }, () => 'abcdefghjkmnpqrstuvwxyz'[Math.floor(Math.random() * 23)]).join('');

/** Paragraphs with a source: p1 misreads 10亿 and names the wrong person, p2 is right, p3 is a heading. */
const withSource = (tag = word()): ParagraphSpec[] => [
  { text: `Output reached 1000000 yuan and Zhang San attended (${tag}).`, source: `产值达到10亿元，李四出席（${tag}）。` },
  { text: `The park opened on January 28 (${tag}).`, source: `园区于1月28日开园（${tag}）。` },
  { kind: 'heading', text: `Baoan news ${tag}`, source: `宝安新闻 ${tag}` },
];
const article = async (id: string) => desk.get(id);

describe('the MT flags of an article', () => {
  it('flags an MT that misreads the source\'s figure or names someone else, with a fix and a high risk; a faithful MT is clean', async () => {
    const id = await desk.article(withSource());
    const flags = await articleMtFlags(desk.services, await article(id));
    const p1 = flags.get('p1')!;
    expect(p1.flags.map((f) => [f.check, f.severity])).toEqual([['mt-numbers', 'major'], ['mt-names', 'major']]);
    expect(p1.flags[0]).toMatchObject({ fix: '1,000,000,000 yuan', message: expect.stringContaining('10亿 = 1,000,000,000') });
    expect(p1.flags[1]!.message).toContain('"Zhang San" is not in the source (source: 李四 = Li Si)');
    expect(p1.risk).toBeGreaterThan(0.5);
    expect(flags.get('p2')).toEqual({ flags: [], risk: 0 });
    expect([...flags.keys()].sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('leaves deleted paragraphs out', async () => {
    const id = await desk.article(withSource());
    await deleteParagraph(desk.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: ed });
    expect([...(await articleMtFlags(desk.services, await article(id))).keys()].sort()).toEqual(['p2', 'p3']);
  });

  it('with no time to wait answers what is known now and checks the rest meanwhile', async () => {
    const id = await desk.article(withSource());
    const now = await articleMtFlags(desk.services, await article(id), 0);
    expect(now.size).toBe(0);
    expect(desk.services.mtFlags.summary(id)).toEqual({ live: 3, checked: 0, flagged: 0, major: 0 });
    const all = await articleMtFlags(desk.services, await article(id));
    expect(all.size).toBe(3);
    expect(desk.services.mtFlags.summary(id)).toEqual({ live: 3, checked: 3, flagged: 1, major: 1 });
  });

  it('the warm-up checks every article, so the article list can count flagged paragraphs', async () => {
    const a = await desk.article(withSource());
    const b = await desk.article(withSource());
    // MT flags only, and the workers kept for the tests that follow.
    await warmFlags({ ...desk.services, releaseWorkers: undefined }, { grammar: false });
    expect(desk.services.mtFlags.summary(a)).toEqual({ live: 3, checked: 3, flagged: 1, major: 1 });
    expect(desk.services.mtFlags.summary(b)).toMatchObject({ checked: 3, flagged: 1 });
  });
});

describe('LLM annotation', () => {
  it('without an LLM configured there is nothing to annotate; an unknown article is a not-found error', async () => {
    const id = await desk.article(withSource());
    expect(desk.services.mtFlags.canAnnotate).toBe(false);
    expect(await annotateArticle(desk.services, id)).toEqual({ annotated: 0, failed: 0 });
    await expect(annotateArticle(desk.services, 'no-such-article')).rejects.toMatchObject({ status: 404 });
  });

  it('an annotator\'s flags are merged into the article\'s flags; paragraphs it fails on are counted and keep the offline flags', async () => {
    const seen: Array<{ mt: string; offline: MtFlag[] }> = [];
    const annotate: MtAnnotate = async (mt, _source, offline) => {
      seen.push({ mt, offline });
      if (mt.startsWith('Baoan news')) throw new Error('the model timed out');
      if (!mt.startsWith('The park')) return offline;
      return [...offline, { start: 0, end: 8, kind: 'omission', severity: 'minor', message: 'the source says when it opened', check: 'llm' } as MtFlag];
    };
    const services: Services = { ...desk.services, mtFlags: new MtFlagCache(runMtChecksOffThread, annotate) };
    const id = await desk.article(withSource());
    expect(await annotateArticle(services, id)).toEqual({ annotated: 2, failed: 1 });
    // The annotator was given the offline flags as hints.
    expect(seen.find((s) => s.mt.startsWith('Output'))!.offline.map((f) => f.check)).toEqual(['mt-numbers', 'mt-names']);
    const flags = await articleMtFlags(services, await article(id));
    expect(flags.get('p2')!.flags.map((f) => f.check)).toEqual(['llm']);
    expect(flags.get('p2')!.risk).toBeGreaterThan(0);
    expect(flags.get('p1')!.flags.map((f) => f.check)).toEqual(['mt-numbers', 'mt-names']);
    expect(flags.get('p3')!.flags).toEqual([]);
    // Asking again annotates only what failed.
    expect(await annotateArticle(services, id)).toEqual({ annotated: 0, failed: 1 });
  });
});
