import { describe, expect, it } from 'vitest';
import { runChecks } from '../../server/checks/index.js';
import { checksRunOffThread, runChecksOffThread } from '../../server/checks/offThreadChecks.js';
import { runModuleScript } from '../support/moduleScript.js';

describe('runChecksOffThread', () => {
  it('gives the same findings as the checks run in-process', async () => {
    const cases: Array<[string, string]> = [
      ['In 2014 output reached 2927 billion yuan.', 'In 2014 output reached 292.7 billion yuan.'],
      ['Mayor Wang Hongbin did not attend.', 'Mayor Wang Hongbing attended.'],
      ['Output was 1000000000 yuan.', 'Output was 1 billion yuan.'],
    ];
    const results = await Promise.all(cases.map(([a, b]) => runChecksOffThread(a, b, {})));
    cases.forEach(([a, b], i) => expect(results[i]).toEqual(runChecks(a, b, {})));
    expect(results[0]!.some((f) => f.check === 'numbers')).toBe(true);
    expect(checksRunOffThread()).toBe(true);
  });
});

describe('a process using the checks worker', () => {
  it('waits for its answers, then exits by itself (an idle worker must not keep a CLI alive)', async () => {
    const script = `
      const { runChecksOffThread } = await import('./server/checks/offThreadChecks.ts');
      const found = await runChecksOffThread('In 2014 output reached 2927 billion yuan.', 'In 2014 output reached 292.7 billion yuan.');
      setTimeout(async () => {
        const again = await runChecksOffThread('The 5 cats.', 'The 6 cats.');
        console.log(found.length, again.length);
      }, 50);`;
    const out = await runModuleScript(script, 20_000);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe('1 1');
  }, 40_000);
});
