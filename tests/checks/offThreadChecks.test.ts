import { describe, expect, it } from 'vitest';
import { runChecks } from '../../server/checks/index.js';
import { checksRunOffThread, runChecksOffThread } from '../../server/checks/offThreadChecks.js';

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
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `
      const { runChecksOffThread } = await import('./server/checks/offThreadChecks.ts');
      const found = await runChecksOffThread('In 2014 output reached 2927 billion yuan.', 'In 2014 output reached 292.7 billion yuan.');
      setTimeout(async () => {
        const again = await runChecksOffThread('The 5 cats.', 'The 6 cats.');
        console.log(found.length, again.length);
      }, 50);`;
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 20_000 }, (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
      child.stdin?.end();
    });
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe('1 1');
  }, 40_000);
});
