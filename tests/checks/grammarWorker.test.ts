/**
 * Harper on its worker thread (server/checks/offThreadGrammar.ts): the same answers as in-process,
 * an in-process fallback with the same answers when the worker dies, an idle worker that lets a CLI
 * exit, and one that is ended when idle (giving Harper's memory back) and started again by the next
 * job, or at once when released with no job waiting. The death test comes last: after it, this file's grammar runs in-process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as offThread from '../../server/checks/grammar.js';
import * as inProcess from '../../server/checks/grammarCore.js';
import { setDefaultWorkerIdleMs } from '../../server/checks/offThread.js';
import { grammarWorkerForTests } from '../../server/checks/offThreadGrammar.js';
import { runModuleScript } from '../support/moduleScript.js';

const CORPUS = process.env.POSTEDIT_CORPUS ?? '/work/shared/corpus';
const PARAGRAPHS = readFileSync(join(CORPUS, 'baoan-smart-wearables.en.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 0);

// A generous budget, so that neither side stops early on a busy machine and the answers are comparable.
const opts = { timeBudgetMs: 60_000 };
const TEXTS = [
  'We was there in Baoan  with 200 enterprises . It was a important the the step.',
  'Baoan and Tian Fu met Wang Hongbin in the tehnology park.',
  '😀 宝安区 “Smart wear” It was the the first alliance and a important step.',
  `See ${'y'.repeat(5_000)} for the the details.`,
  '',
  PARAGRAPHS[0]!,
  PARAGRAPHS[5]!.replace(' the ', ' the the '),
  PARAGRAPHS.join(' '), // several chunks, with long sentences
];

describe('grammar on the worker thread', () => {
  it('gives the same flags, plans and fixes as in-process', async () => {
    const [lints, plans, fixes] = await Promise.all([
      Promise.all(TEXTS.map((t) => offThread.lintParagraph(t, opts))),
      Promise.all(TEXTS.map((t) => offThread.planSafeFixes(t, opts))),
      Promise.all(TEXTS.map((t) => offThread.safeFixes(t, opts))),
    ]);
    expect(offThread.grammarRunsOffThread()).toBe(true);
    for (const [i, t] of TEXTS.entries()) {
      expect(lints[i], `lint ${i}`).toEqual(await inProcess.lintParagraph(t, opts));
      expect(plans[i], `plan ${i}`).toEqual(await inProcess.planSafeFixes(t, opts));
      expect(fixes[i], `fix ${i}`).toBe(await inProcess.safeFixes(t, opts));
    }
    // Sanity: real answers, not empty ones.
    expect(lints[0]!.some((f) => f.kind === 'Repetition')).toBe(true);
    expect(fixes[0]).toContain('We were there in Baoan with 200 enterprises.');
    expect(fixes[0]).not.toContain('the the');
    expect(fixes[6]).toBe(PARAGRAPHS[5]);
  }, 120_000);

  it('warms up on the worker, not on this thread', async () => {
    const ms = await offThread.warmUpGrammar();
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(offThread.grammarRunsOffThread()).toBe(true);
  });
});

describe('a process using the grammar worker', () => {
  it('waits for its answers, then exits by itself (an idle worker must not keep a CLI alive)', async () => {
    const script = `
      const { safeFixes, lintParagraph, grammarRunsOffThread } = await import('./server/checks/grammar.ts');
      const fixed = await safeFixes('It was the the end.');
      setTimeout(async () => {
        const flags = await lintParagraph('It was a important step.');
        console.log(JSON.stringify([fixed, flags.length > 0, grammarRunsOffThread()]));
      }, 50);`;
    const out = await runModuleScript(script, 60_000);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout.trim())).toEqual(['It was the end.', true, true]);
  }, 90_000);
});

describe('an idle grammar worker (the server ends it after POSTEDIT_WORKER_IDLE_SECONDS)', () => {
  it('is ended once idle, and the next job starts a new one with the same answers', async () => {
    // The short texts: what is tested is the restart, and a new worker's answers (the long ones are the first test's).
    const short = TEXTS.slice(0, 3);
    const before = await Promise.all(short.map((t) => offThread.planSafeFixes(t, opts)));
    const first = grammarWorkerForTests();
    expect(first).toBeDefined();
    setDefaultWorkerIdleMs(300);
    try {
      // The idle time is read when the worker falls idle: after this job.
      const flags = await offThread.lintParagraph(TEXTS[0]!, opts);
      const ended = await new Promise<number>((resolve) => first!.once('exit', resolve));
      expect(ended).toBe(1); // terminated
      expect(grammarWorkerForTests()).toBeUndefined();

      const again = await Promise.all(short.map((t) => offThread.planSafeFixes(t, opts)));
      const second = grammarWorkerForTests();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      expect(offThread.grammarRunsOffThread()).toBe(true);
      expect(again).toEqual(before);
      expect(await offThread.lintParagraph(TEXTS[0]!, opts)).toEqual(flags);
    } finally {
      setDefaultWorkerIdleMs(0);
      await offThread.warmUpGrammar(); // falls idle again with no idle time: kept
    }
    expect(grammarWorkerForTests()).toBeDefined();
  }, 120_000);
});

describe('a released grammar worker (the server releases it after its start-up warm-up)', () => {
  it('is ended at once when no job waits for it, kept while one does, and the next job starts a new one with the same answers', async () => {
    await offThread.warmUpGrammar();
    const first = grammarWorkerForTests();
    expect(first).toBeDefined();
    const text = `${TEXTS[1]} It was a important release.`;
    const job = offThread.lintParagraph(text, opts);
    offThread.releaseGrammarWorker(); // a job waits: kept
    expect(grammarWorkerForTests()).toBe(first);
    const flags = await job;
    expect(flags.length).toBeGreaterThan(0);
    const ended = new Promise<number>((resolve) => first!.once('exit', resolve));
    offThread.releaseGrammarWorker();
    expect(grammarWorkerForTests()).toBeUndefined();
    expect(await ended).toBe(1); // terminated, not crashed
    expect(await offThread.lintParagraph(text, opts)).toEqual(flags);
    expect(grammarWorkerForTests()).toBeDefined();
    expect(grammarWorkerForTests()).not.toBe(first);
    expect(offThread.grammarRunsOffThread()).toBe(true);
  }, 120_000);
});

describe('when the grammar worker dies', () => {
  it('answers the jobs it had, and every later one, in-process with the same results', async () => {
    // A paragraph capped at GRAMMAR_LIMITS.maxChars, of many chunks: it keeps the worker busy.
    const huge = PARAGRAPHS.join(' ').repeat(3);
    const texts = [huge, ...TEXTS];
    let settled = 0;
    const answers = Promise.all(
      texts.map((t) =>
        offThread.lintParagraph(t, opts).then((flags) => {
          settled++;
          return flags;
        }),
      ),
    );
    const worker = grammarWorkerForTests();
    expect(worker).toBeDefined();
    // Let the batch reach the worker and the huge paragraph keep it busy, then kill it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBeLessThan(texts.length);
    await worker!.terminate();
    const got = await answers;
    expect(offThread.grammarRunsOffThread()).toBe(false);
    for (const [i, t] of texts.entries()) expect(got[i], `text ${i}`).toEqual(await inProcess.lintParagraph(t, opts));
    // Later calls run in-process, with the same answers.
    expect(await offThread.safeFixes(TEXTS[0]!, opts)).toBe(await inProcess.safeFixes(TEXTS[0]!, opts));
    expect(grammarWorkerForTests()).toBeUndefined();
  }, 120_000);
});
