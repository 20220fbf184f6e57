import { describe, expect, it } from 'vitest';
import { articleLengthRatio, MtFlagCache } from '../../../server/checks/mt/flagCache.js';
import type { Article, MtFlag, Paragraph } from '../../../server/core/types.js';

function para(id: string, mt: string, source?: string): Paragraph {
  return { id, index: Number(id.slice(1)) - 1, kind: 'body', mt, text: mt, status: 'pending', revision: 1, ...(source ? { source } : {}) };
}

function article(paragraphs: Paragraph[]): Article {
  return { id: 'a1', title: 't', createdAt: '', updatedAt: '', contentHash: '', hasSource: true, hasReference: false, paragraphs, nextParagraph: 9, undo: [] };
}

/** A stand-in for the MT checks: one major flag on every "Fiji", counting its calls. */
function countingRunner() {
  const calls: string[] = [];
  const run = async (mt: string): Promise<MtFlag[]> => {
    calls.push(mt);
    const at = mt.indexOf('Fiji');
    return at < 0 ? [] : [{ start: at, end: at + 4, kind: 'name', severity: 'major', message: 'not in the source', check: 'mt-names' }];
  };
  return { calls, run };
}

describe('the MT flag cache', () => {
  const a = article([para('p1', 'US and Fiji agree', '美日菲达成共识'), para('p2', 'All is well here', '一切都好'), para('p3', '', '')]);

  it('checks each paragraph once, answers with flags and risk, and skips empty MTs', async () => {
    const { calls, run } = countingRunner();
    const cache = new MtFlagCache(run);
    const first = await cache.fill(a, []);
    expect(calls).toHaveLength(2);
    expect(first.get('p1')!.flags).toHaveLength(1);
    expect(first.get('p1')!.risk).toBeGreaterThan(0.5);
    expect(first.get('p2')).toEqual({ flags: [], risk: 0 });
    expect(first.has('p3')).toBe(false);
    await cache.fill(a, []);
    expect(calls).toHaveLength(2);
    expect(cache.summary('a1')).toEqual({ live: 2, checked: 2, flagged: 1, major: 1 });
  });

  it('peeks without waiting and starts nothing; a zero budget starts the checks and answers at once', async () => {
    const { calls, run } = countingRunner();
    const cache = new MtFlagCache(run);
    expect(cache.peek(a, []).size).toBe(0);
    expect(calls).toHaveLength(0);
    const now = await cache.fill(a, [], 0);
    expect(now.size).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(cache.peek(a, []).size).toBe(2);
  });

  it('checks again when the source or the glossary changes', async () => {
    const { calls, run } = countingRunner();
    const cache = new MtFlagCache(run);
    await cache.fill(a, []);
    await cache.fill(article([para('p1', 'US and Fiji agree', '美日韩达成共识'), a.paragraphs[1]!]), []);
    expect(calls).toHaveLength(3);
    await cache.fill(a, [{ term: 'agree', preferred: 'reach agreement' }]);
    expect(calls).toHaveLength(5);
  });

  it('looks one paragraph up cheaply once its article was seen, and not after its MT changed', async () => {
    const { run } = countingRunner();
    const cache = new MtFlagCache(run);
    await cache.fill(a, []);
    expect(cache.lookup('a1', a.paragraphs[0]!)?.flags).toHaveLength(1);
    expect(cache.lookup('a1', { ...a.paragraphs[0]!, mt: 'changed' })).toBeUndefined();
  });

  it('merges LLM annotations in when asked, and counts failures', async () => {
    const { run } = countingRunner();
    const extra: MtFlag = { start: 0, end: 2, kind: 'llm', severity: 'minor', message: 'Fluency', check: 'mt-llm' };
    const cache = new MtFlagCache(run, async (mt, _source, offline) => {
      if (mt.startsWith('All')) throw new Error('model down');
      return [...offline, extra];
    });
    expect(cache.canAnnotate).toBe(true);
    expect(await cache.annotate(a, [])).toEqual({ annotated: 1, failed: 1 });
    expect(cache.peek(a, []).get('p1')!.flags.map((f) => f.check)).toEqual(['mt-names', 'mt-llm']);
    expect(new MtFlagCache(run).canAnnotate).toBe(false);
  });

  it('takes the median length ratio of the paragraphs with a source', () => {
    expect(articleLengthRatio([para('p1', 'x'.repeat(30), 'y'.repeat(10)), para('p2', 'x'.repeat(20), 'y'.repeat(10)), para('p3', 'x'.repeat(40), 'y'.repeat(10)), para('p4', 'no source')])).toBe(3);
    expect(articleLengthRatio([para('p1', 'no source')])).toBeUndefined();
  });
});
