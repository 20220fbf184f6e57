import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStores } from '../../server/store/open.js';
import { corpusDir, removeData, repoRoot, tempDir } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';
import { entryArgs } from '../support/entry.js';

/** The import CLI on a fresh data directory (and, with DATABASE_URL set, a database of its own). */
async function newDataDir(): Promise<string> {
  const dataDir = await tempDir();
  onTestFinished(() => removeData(dataDir));
  return dataDir;
}

const runImport = async (dataDir: string, ...files: string[]) =>
  spawnSync(process.execPath, [...entryArgs('server/cli/import.ts'), ...files, '--data', dataDir], { cwd: repoRoot, encoding: 'utf8', env: await storeEnvFor(dataDir) });

describe('npm run import', () => {
  it('imports an article with its aligned source and reference, once', async () => {
    const dataDir = await newDataDir();
    const file = join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19800.en.txt');
    const first = await runImport(dataDir, file);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/imported: .* → wmt23-rfi-19800-en \(10 paragraphs, with source, with reference\)/);
    const second = await runImport(dataDir, file);
    expect(second.stdout).toMatch(/already there/);
    const { store } = await openStores(dataDir, await storeEnvFor(dataDir));
    try {
      const article = (await store.getArticle('wmt23-rfi-19800-en'))!;
      expect(article.paragraphs[0]!.source).toContain('中国');
      expect(article.paragraphs.every((p) => p.ref && p.source)).toBe(true);
      expect((await store.listArticles()).length).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses a source whose paragraph count differs, with a one-line reason and exit 1', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'story.txt'), 'First line of the story.\nSecond line of the story.\n');
    await writeFile(join(dir, 'story.src.txt'), '第一行。\n');
    const r = await runImport(await newDataDir(), join(dir, 'story.txt'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/story\.txt: the source text has 1 paragraph but the MT has 2/);
  });

  it('refuses source and reference files given as articles', async () => {
    const r = await runImport(await newDataDir(), join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19800.en.src.txt'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/only \.txt, \.md, \.docx and XLIFF articles can be imported/);
  });
});
