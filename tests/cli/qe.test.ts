import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/app.js';
import { entryArgs } from '../support/entry.js';

const runQe = (...args: string[]) => spawnSync(process.execPath, [...entryArgs('server/cli/qe.ts'), ...args], { cwd: repoRoot, encoding: 'utf8' });

describe('npm run qe', () => {
  it('writes every line back with flags and risk, and flags Chinese left in the MT', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.jsonl');
    const lines = [
      { id: 'a', src: '美日菲达成防卫共识', mt: 'The US, Japan and 菲律宾 reach a defence consensus' },
      { id: 'b', source: '今天天气很好。', mt: 'The weather is fine today.' },
      { id: 'c', mt: 'No source here.' },
    ];
    await writeFile(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const out = join(dir, 'out.jsonl');
    const res = runQe(input, '--out', out);
    expect(res.status).toBe(0);
    const written = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(written.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    for (const l of written) {
      expect(Array.isArray(l.flags)).toBe(true);
      expect(l.risk).toBeGreaterThanOrEqual(0);
      expect(l.risk).toBeLessThanOrEqual(1);
    }
    const untranslated = written[0].flags.find((f: { kind: string }) => f.kind === 'untranslated');
    expect(lines[0]!.mt.slice(untranslated.start, untranslated.end)).toContain('菲律宾');
    expect(written[0].risk).toBeGreaterThan(written[2].risk);
  });

  it('refuses a bad line with a one-line reason naming it and exit 1', async () => {
    const dir = await tempDir();
    const input = join(dir, 'bad.jsonl');
    await writeFile(input, '{"mt": "fine"}\n{"src": "好"}\n');
    const res = runQe(input, '--out', join(dir, 'out.jsonl'));
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/bad\.jsonl:2: "mt" must be a string/);
  });

  it('scores flags against MQM spans per kind', async () => {
    // A copy of ../shared/eval/wmt-mqm-zhen.jsonl (Apache-2.0, Freitag et al. 2021): CI has no ../shared.
    const res = runQe('--score', join(repoRoot, 'tests', 'fixtures', 'wmt-mqm-zhen.jsonl'));
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^name\s+\d+\s+[\d.]+ %/m);
    expect(res.stdout).toMatch(/number flags agreeing with a rater/);
  });
});
