/**
 * The start-up warm-up (server/commands/warmFlags.ts) against a real temporary store: every live
 * paragraph's grammar flags and every article's MT flags are ready before anyone opens a page, and
 * the check workers are released only once all of it is done. Harper is replaced by a recording
 * linter here (its own answers are tested in tests/checks/grammar*.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrammarCache } from '../../server/checks/grammarCache.js';
import type { GrammarFlag } from '../../server/checks/grammar.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import type { Services } from '../../server/commands/services.js';
import { warmFlags } from '../../server/commands/warmFlags.js';
import { ed, openDesk, type Desk } from '../support/commands.js';

let desk: Desk;
beforeAll(async () => {
  desk = await openDesk();
});
afterAll(async () => desk?.close());

/** Services whose grammar cache lints with a recorder, and whose worker release is counted. */
function recorded(): { services: Services; linted: string[]; events: string[] } {
  const linted: string[] = [];
  const events: string[] = [];
  const lint = async (text: string): Promise<GrammarFlag[]> => {
    linted.push(text);
    events.push('lint');
    return text.includes('a important') ? [{ start: 8, end: 9, kind: 'Miscellaneous', message: 'Use "an" before a vowel.', suggestion: 'an' }] : [];
  };
  const services: Services = { ...desk.services, grammar: new GrammarCache(lint), releaseWorkers: () => events.push('release') };
  return { services, linted, events };
}

describe('the start-up warm-up', () => {
  it('lints every live paragraph of every article ahead, readies the MT flags, then releases the workers once', async () => {
    const a = await desk.article(['It was a important step.', 'The park opened.', 'To be deleted.']);
    const b = await desk.article([{ text: 'Output reached 1000000 yuan.', source: '产值达到10亿元。' }]);
    await deleteParagraph(desk.services, { articleId: a, paragraphId: 'p3', baseRevision: 1, actor: ed });
    const { services, linted, events } = recorded();

    const report = await warmFlags(services);

    expect(linted).toEqual(expect.arrayContaining(['It was a important step.', 'The park opened.', 'Output reached 1000000 yuan.']));
    expect(linted).not.toContain('To be deleted.');
    expect(report).toMatchObject({ articles: 2, linted: 3 });
    // A page opened now finds every flag known: nothing pending, nothing linted again.
    expect(services.grammar.get('It was a important step.')).toMatchObject({ count: 1 });
    expect(services.grammar.get('The park opened.')).toMatchObject({ count: 0 });
    expect(services.mtFlags.summary(b)).toMatchObject({ live: 1, checked: 1, flagged: 1 });
    expect(events.filter((e) => e === 'release')).toHaveLength(1);
    expect(events.at(-1)).toBe('release');
  });

  it('stops at its paragraph limit (the rest is linted when a page asks)', async () => {
    await desk.article(['One more paragraph.', 'And another one.', 'And a third.']);
    const { services, linted } = recorded();
    expect((await warmFlags(services, { limit: 4 })).linted).toBe(4);
    expect(linted).toHaveLength(4);
  });

  it('with grammar left to first view (POSTEDIT_WARM_GRAMMAR=0) lints nothing, and still releases the MT workers', async () => {
    const { services, linted, events } = recorded();
    const report = await warmFlags(services, { grammar: false });
    expect(linted).toEqual([]);
    expect(report.linted).toBe(0);
    expect(events).toEqual(['release']);
  });
});
