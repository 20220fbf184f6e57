import { describe, expect, it } from 'vitest';
import { GrammarCache } from '../../server/checks/grammarCache.js';
import type { GrammarFlag } from '../../server/checks/grammar.js';

describe('GrammarCache', () => {
  it('lints each text once, also when two requests fill it at the same time', async () => {
    const calls: string[] = [];
    const lint = async (text: string): Promise<GrammarFlag[]> => {
      calls.push(text);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [
        { kind: 'Repetition', message: 'x', start: 0, end: 1 },
        { kind: 'Info', message: 'notice', start: 0, end: 0 },
      ];
    };
    const cache = new GrammarCache(lint);
    await Promise.all([cache.fill(['a', 'b', 'c'], 5_000), cache.fill(['b', 'a', 'd'], 5_000)]);
    expect([...calls].sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const t of ['a', 'b', 'c', 'd']) expect(cache.get(t)?.count).toBe(1);
    await cache.fill(['a', 'd'], 5_000);
    expect(calls).toHaveLength(4);
  });

  it('stops starting new lints once the budget is spent, and lints the rest on a later call', async () => {
    const calls: string[] = [];
    const cache = new GrammarCache(async (text) => {
      calls.push(text);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return [];
    });
    await cache.fill(['a', 'b', 'c'], 10);
    expect(calls.length).toBeLessThan(3);
    expect(cache.get('a')).toEqual({ count: 0, flags: [] });
    await cache.fill(['a', 'b', 'c'], 5_000);
    expect([...calls].sort()).toEqual(['a', 'b', 'c']);
  });

  it('forgets a failed lint so that a later call tries again', async () => {
    let fail = true;
    const cache = new GrammarCache(async () => {
      if (fail) throw new Error('boom');
      return [];
    });
    await expect(cache.fill(['a'], 1_000)).rejects.toThrow('boom');
    fail = false;
    await cache.fill(['a'], 1_000);
    expect(cache.get('a')?.count).toBe(0);
  });

  it('stays within its byte bound, dropping the oldest entries first', async () => {
    const flags = (n: number): GrammarFlag[] => Array.from({ length: n }, (_, i) => ({ kind: 'Spelling', message: `Did you mean “word${i}”?`, start: i, end: i + 1 }));
    const cache = new GrammarCache(async (text) => flags(text.length * 10), 20_000);
    await cache.fill(['a', 'bb', 'ccc'], 5_000); // 10, 20 and 30 flags: ~2, ~4 and ~6 KB
    expect(cache.stats.bytes).toBeLessThanOrEqual(20_000);
    expect(cache.stats.entries).toBe(3);
    await cache.fill(['dddddddd'], 5_000); // 80 flags, ~16 KB: the older entries make room
    expect(cache.stats.bytes).toBeLessThanOrEqual(20_000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('dddddddd')?.count).toBe(80);
    await cache.fill(['a'], 5_000);
    expect(cache.get('a')?.count).toBe(10);
    expect(cache.stats.bytes).toBeLessThanOrEqual(20_000);
  });
});
