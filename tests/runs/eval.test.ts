import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../server/checks/index.js';
import { parseEvalSet, scoreEval } from '../../server/core/evalSet.js';
import { HTER_VARIANT, wordEditDistance } from '../../server/core/metrics.js';
import { repoRoot, tempDir } from '../support/app.js';
import { cleanParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { cli } from './spawnCli.js';

const FIXTURE = join(repoRoot, 'tests', 'fixtures', 'mlqe-pe_ru-en_test20_first20.jsonl');
const refWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('scoring an eval set', () => {
  it('reads JSON Lines and names a bad line', () => {
    expect(parseEvalSet('{"id":"a","mt":"x y","pe":"x"}\n\n{"mt":"m","pe":"p","src":"s"}\n')).toEqual([
      { id: 'a', mt: 'x y', pe: 'x' },
      { id: 'line-3', src: 's', mt: 'm', pe: 'p' },
    ]);
    expect(() => parseEvalSet('{"mt":"x"}')).toThrow(/line 1 needs string fields/);
    expect(() => parseEvalSet('{"mt":"x","pe":"y"}\nnot json')).toThrow(/line 2 is not valid JSON/);
  });

  it('computes HTER both ways and the untouched share', () => {
    const items = [
      { id: '1', mt: 'the cat sat', pe: 'the cat sat' },
      { id: '2', mt: 'a dog barks loud', pe: 'a dog barks loudly' },
      { id: '3', mt: 'no edit needed', pe: 'no edit needed' },
    ];
    const f = scoreEval([
      { item: items[0]!, output: 'the  cat sat', warnings: 0 },
      { item: items[1]!, output: 'a dog barks loudly', warnings: 1 },
      { item: items[2]!, output: 'no edits needed', warnings: 2 },
    ]);
    expect(f.n).toBe(3);
    expect(f.hterMt.mean).toBeCloseTo((0 + 1 / 4 + 0) / 3, 12);
    expect(f.hterMt.corpus).toBeCloseTo(1 / 10, 12);
    expect(f.hterEngine.mean).toBeCloseTo((0 + 0 + 1 / 3) / 3, 12);
    expect(f.untouchedEligible).toBe(2);
    expect(f.untouchedKept).toBe(1);
    expect(f.untouchedShare).toBe(0.5);
    expect(f.warnings).toBe(3);
    expect(f.variant).toBe(HTER_VARIANT);
    expect(scoreEval([{ item: items[1]!, output: 'x', warnings: 0 }]).untouchedShare).toBeNull();
  });
});

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => server.close());

describe('npm run eval', () => {
  it('prints figures on 20 MLQE-PE lines that match a hand computation, and writes the report', async () => {
    const items = (await readFile(FIXTURE, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; src: string; mt: string; pe: string });
    expect(items).toHaveLength(20);
    // The test server's engine: collapse spaces, no space before punctuation, capital first letter.
    const engine = items.map((i) => cleanParagraph(i.mt));
    let mtEdits = 0;
    let engEdits = 0;
    let peWords = 0;
    let mtSum = 0;
    let engSum = 0;
    let eligible = 0;
    let kept = 0;
    let warnings = 0;
    items.forEach((item, k) => {
      const n = refWords(item.pe);
      const dm = wordEditDistance(item.mt, item.pe);
      const de = wordEditDistance(engine[k]!, item.pe);
      mtEdits += dm;
      engEdits += de;
      peWords += n;
      mtSum += dm / n;
      engSum += de / n;
      if (item.mt === item.pe) {
        eligible++;
        if (wordEditDistance(engine[k]!, item.mt) === 0) kept++;
      }
      warnings += runChecks(item.mt, engine[k]!, { source: item.src }).filter((f) => f.severity === 'warning').length;
    });
    expect(engSum).not.toBe(mtSum);

    const dir = await tempDir('postedit-eval-');
    const report = join(dir, 'report.json');
    const run = await cli('eval', [FIXTURE, '--engine', 'openai', '--model', 'test-model', '--report', report], { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test' });
    expect(await run.exit).toBe(0);
    const out = run.stdout();
    const f3 = (x: number) => x.toFixed(3);
    expect(out).toContain('n=20 sentences');
    expect(out).toMatch(new RegExp(`HTER\\(MT, PE\\)\\s+${f3(mtSum / 20)}\\s+${f3(mtEdits / peWords)}`));
    expect(out).toMatch(new RegExp(`HTER\\(engine, PE\\)\\s+${f3(engSum / 20)}\\s+${f3(engEdits / peWords)}`));
    expect(out).toContain(`untouched_share: ${kept} of ${eligible} = ${f3(kept / eligible)}`);
    expect(out).toContain(`guard warnings: ${warnings} on`);
    expect(out).toContain(`HTER variant: ${HTER_VARIANT}`);

    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['set', 'engine', 'model', 'level', 'n', 'hter_mt', 'hter_engine', 'untouched_share', 'warnings', 'variant']));
    expect(json).toMatchObject({ set: 'mlqe-pe_ru-en_test20_first20.jsonl', engine: 'openai', model: 'test-model', level: 'minimal', n: 20, warnings, variant: HTER_VARIANT });
    expect(json.hter_mt).toBeCloseTo(mtSum / 20, 12);
    expect(json.hter_engine).toBeCloseTo(engSum / 20, 12);
    expect(json.hter_mt_corpus).toBeCloseTo(mtEdits / peWords, 12);
    expect(json.hter_engine_corpus).toBeCloseTo(engEdits / peWords, 12);
    expect(json.untouched_share).toBeCloseTo(kept / eligible, 12);
    expect(server.chatRequests()).toHaveLength(20);
    await rm(dir, { recursive: true, force: true });
  });
});
