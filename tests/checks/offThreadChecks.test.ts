import { describe, expect, it } from 'vitest';
import { runChecks } from '../../server/checks/index.js';
import { checksRunOffThread, IN_PROCESS_CHARS, runChecksOffThread } from '../../server/checks/offThreadChecks.js';
import { runModuleScript } from '../support/moduleScript.js';

/** The same unremarkable text on both sides, so that a pair goes to the worker (longer than IN_PROCESS_CHARS). */
const FILLER = ' The committee met again on the same day and the meeting was held in the usual room.'.repeat(Math.ceil(IN_PROCESS_CHARS / 80));
const long = (text: string) => text + FILLER;

describe('runChecksOffThread', () => {
  it('gives the same findings as the checks run in-process', async () => {
    const cases: Array<[string, string]> = [
      ['In 2014 output reached 2927 billion yuan.', 'In 2014 output reached 292.7 billion yuan.'],
      ['Mayor Wang Hongbin did not attend.', 'Mayor Wang Hongbing attended.'],
      ['Output was 1000000000 yuan.', 'Output was 1 billion yuan.'],
    ];
    // Short pairs someone waits for are checked on this thread, long ones and work done ahead on the worker.
    for (const [shape, lane] of [[(t: string) => t, 'now'], [long, 'now'], [(t: string) => t, 'later']] as const) {
      const results = await Promise.all(cases.map(([a, b]) => runChecksOffThread(shape(a), shape(b), {}, lane)));
      cases.forEach(([a, b], i) => expect(results[i]).toEqual(runChecks(shape(a), shape(b), {})));
      expect(results[0]!.some((f) => f.check === 'numbers')).toBe(true);
    }
    expect(checksRunOffThread()).toBe(true);
  });

  it('answers jobs sent while a batch is on the worker (held, then sent together), each with its own findings', async () => {
    const pairs = Array.from({ length: 12 }, (_, i): [string, string] => [long(`In 2014 output reached ${2900 + i} billion yuan.`), long(`In 2014 output reached ${i % 3 ? 2900 + i : 29 + i} billion yuan.`)]);
    const answers: Array<Promise<unknown>> = [];
    // One job per turn of the event loop: later ones arrive while an earlier batch is being checked.
    for (const [a, b] of pairs) {
      answers.push(runChecksOffThread(a, b, {}));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(answers);
    pairs.forEach(([a, b], i) => expect(results[i]).toEqual(runChecks(a, b, {})));
    expect(results.filter((r) => (r as unknown[]).length).length).toBe(4);
  });
});

describe('checks done ahead (lane "later") and checks someone waits for', () => {
  it('answers an edit\'s checks before a backlog of suggestions\' checks queued before it, and all of them right', async () => {
    const pairs = Array.from({ length: 16 }, (_, i): [string, string] => [`Output reached ${3100 + i} billion yuan.`, `Output reached ${31 + i} billion yuan.`]);
    const order: string[] = [];
    const ahead = pairs.map(([a, b], i) => runChecksOffThread(a, b, {}, 'later').then((r) => (order.push(`later ${i}`), r)));
    const edit = runChecksOffThread(long('The 5 cats slept.'), long('The 6 cats slept.'), {}).then((r) => (order.push('now'), r));
    const [findings, later] = await Promise.all([edit, Promise.all(ahead)]);
    expect(findings).toEqual(runChecks(long('The 5 cats slept.'), long('The 6 cats slept.'), {}));
    pairs.forEach(([a, b], i) => expect(later[i]).toEqual(runChecks(a, b, {})));
    // Sent in the same turn, after sixteen jobs done ahead: the edit's answer comes first.
    expect(order[0]).toBe('now');
  });

  it('answers a short edit\'s checks at once, without waiting for the job done ahead that the worker is on', async () => {
    const order: string[] = [];
    const big = long(long(long('Output reached 3100 billion yuan.')));
    const ahead = runChecksOffThread(big, big.replace('3100', '31'), {}, 'later').then(() => order.push('later'));
    // The job done ahead is on the worker by now.
    await new Promise((resolve) => setImmediate(resolve));
    const edit = runChecksOffThread('The 5 cats slept.', 'The 6 cats slept.', {}).then((r) => (order.push('now'), r));
    expect(await edit).toEqual(runChecks('The 5 cats slept.', 'The 6 cats slept.', {}));
    await ahead;
    expect(order).toEqual(['now', 'later']);
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

describe('glossaries on the checks worker', () => {
  const glossary = [{ term: 'intelligent wearable', preferred: 'smart wearable' }];
  // Long enough to go to the worker: the glossary travels there.
  const before = long('The smart wearable market grew 12 percent.');
  const after = long('The intelligent wearable market grew 21 percent.');

  it('give the same findings when the worker already holds the glossary as when it is sent', async () => {
    const expected = runChecks(before, after, { glossary });
    expect(expected.map((f) => f.check).sort()).toEqual(['glossary', 'numbers']);
    // The first job carries the entries; the later ones (same array) only its number.
    const first = await runChecksOffThread(before, after, { glossary });
    const later = await Promise.all([1, 2, 3].map(() => runChecksOffThread(before, after, { glossary })));
    expect(first).toEqual(expected);
    for (const r of later) expect(r).toEqual(expected);
    // A changed glossary is a new array, with findings of its own.
    const other = [{ term: 'smart wear', preferred: 'smart wearable' }];
    expect(await runChecksOffThread(before, after, { glossary: other })).toEqual(runChecks(before, after, { glossary: other }));
    expect(await runChecksOffThread(before, after, { glossary })).toEqual(expected);
  });
});

/**
 * A script for a process of its own: `setup`, a job on the checks worker, then one field of /proc's stat
 * (man 5 proc: 19 nice, 41 policy) for the main thread and for each other thread: [main, [others…]].
 * With `until`, it first polls up to `waitMs` for another thread to reach `value` (what the worker
 * applies without waiting for it).
 */
const threadFieldScript = (setup: string, field: number, until?: { value: number; waitMs: number }) => `
      const { readdirSync, readFileSync } = await import('node:fs');
      const offThread = await import('./server/checks/offThread.ts');
      const { runChecksOffThread } = await import('./server/checks/offThreadChecks.ts');
      ${setup}
      await runChecksOffThread('The 5 cats slept.', 'The 6 cats slept.', {}, 'later');
      const fieldOf = (tid) => { const s = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[${field - 3}]); };
      const others = () => readdirSync('/proc/self/task').filter((t) => t !== String(process.pid)).map(fieldOf);
      ${until ? `for (let i = 0; i < ${until.waitMs / 100} && !others().includes(${until.value}); i++) await new Promise((r) => setTimeout(r, 100));` : ''}
      console.log(JSON.stringify([fieldOf(process.pid), others()]));
      process.exit(0);`;

async function threadField(setup: string, field: number, until?: { value: number; waitMs: number }): Promise<[number, number[]]> {
  const out = await runModuleScript(threadFieldScript(setup, field, until), 30_000);
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout.trim()) as [number, number[]];
}

const NICE = 19;
const POLICY = 41;
const SCHED_BATCH = 3;

describe.runIf(process.platform === 'linux')('the checks worker\'s priority', () => {
  it('is lowered with POSTEDIT_WORKER_NICE=10 (setWorkerNice(10)): when cores are short, the main thread serving the requests goes first', async () => {
    const [main, others] = await threadField('offThread.setWorkerNice(10);', NICE);
    expect([main, others.filter((n) => n !== 0)]).toEqual([0, [10]]);
  }, 40_000);

  it('stays as the main thread\'s by default, and with setWorkerNice(0)', async () => {
    for (const setup of ['', 'offThread.setWorkerNice(0);']) {
      const [main, others] = await threadField(setup, NICE);
      expect([main, others.filter((n) => n !== 0)]).toEqual([0, []]);
    }
  }, 60_000);
});

describe.runIf(process.platform === 'linux')('the worker threads\' scheduling policy', () => {
  it('runs the checks worker as SCHED_BATCH by default (a posted job does not take the main thread\'s core), the main thread unchanged', async () => {
    const [main, others] = await threadField('', POLICY, { value: SCHED_BATCH, waitMs: 10_000 });
    expect([main, others.filter((p) => p === SCHED_BATCH).length]).toEqual([0, 1]);
  }, 40_000);

  it('leaves every thread SCHED_OTHER with POSTEDIT_WORKER_BATCH=0 (setWorkerBatch(false))', async () => {
    const [main, others] = await threadField('offThread.setWorkerBatch(false);', POLICY, { value: SCHED_BATCH, waitMs: 1_500 });
    expect([main, others.filter((p) => p !== 0)]).toEqual([0, []]);
  }, 40_000);
});
