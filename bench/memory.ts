/**
 * Memory benchmark: resident memory of a fresh process after opening a LowdbStore holding 100
 * articles × 200 paragraphs (about 80 words each, half with a pending suggestion) from disk, against
 * the same process before opening it, both after a forced GC.
 *
 *   npx tsx bench/memory.ts
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { attachSuggestions, importGenerated, openServices, tempDataDir } from './lib/data.js';
import { conditions, isMain, machine, mb, ms, table, today, writeSection } from './lib/report.js';
import { NewsText, repoRoot } from './lib/text.js';

const ARTICLES = 100;
const PARAGRAPHS = 200;

export interface MemoryResult {
  rssMB: number;
  perThousandMB: number;
}

interface Usage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

async function bytesOnDisk(dir: string) {
  const files = await readdir(join(dir, 'articles'));
  let json = 0;
  let jsonl = 0;
  for (const f of files) {
    const { size } = await stat(join(dir, 'articles', f));
    if (f.endsWith('.json')) json += size;
    else jsonl += size;
  }
  return { json, jsonl };
}

export async function runMemory(): Promise<MemoryResult> {
  const load = conditions();
  console.log(`\n== Memory: ${ARTICLES} articles × ${PARAGRAPHS} paragraphs in a LowdbStore opened from disk`);
  const { dir, remove } = await tempDataDir('memory');
  try {
    const t0 = performance.now();
    const services = await openServices(dir);
    const gen = new NewsText(3000);
    for (let i = 0; i < ARTICLES; i++) {
      const id = await importGenerated(services, gen, { title: `Generated article ${i + 1}`, paragraphs: PARAGRAPHS });
      await attachSuggestions(services, gen, id, 2);
    }
    await services.store.close();
    const disk = await bytesOnDisk(dir);
    console.log(`generated in ${ms(performance.now() - t0, 0)}: article files ${mb(disk.json)}, history + suggestion logs ${mb(disk.jsonl)}`);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(repoRoot, 'bench', 'lib', 'memoryChild.ts'), dir],
      { cwd: repoRoot, maxBuffer: 1 << 20 },
    );
    const line = stdout.trim().split('\n').at(-1)!;
    const r = JSON.parse(line) as { before: Usage; after: Usage; openMs: number; articles: number; paragraphs: number };
    if (r.articles !== ARTICLES || r.paragraphs !== ARTICLES * PARAGRAPHS) throw new Error(`the store opened ${r.articles} articles, ${r.paragraphs} paragraphs`);
    const rss = r.after.rss - r.before.rss;
    const heap = r.after.heapUsed - r.before.heapUsed;
    const perThousand = rss / (r.paragraphs / 1000);
    const MB = 1024 * 1024;
    console.log(`RSS ${mb(r.before.rss)} before → ${mb(r.after.rss)} after opening: +${mb(rss)} for ${r.paragraphs} paragraphs = ${mb(perThousand, 2)} per 1,000 paragraphs`);
    console.log(`heap used +${mb(heap)} (${mb(heap / (r.paragraphs / 1000), 2)} per 1,000 paragraphs); ratio RSS growth / article JSON on disk ${(rss / disk.json).toFixed(2)}×; open took ${ms(r.openMs, 0)}`);

    writeSection(
      'memory',
      `## 3. Memory with ${ARTICLES} articles × ${PARAGRAPHS} paragraphs

Measured ${today()} on ${machine()}; ${load}.

${ARTICLES} generated articles of ${PARAGRAPHS} paragraphs (~80 words each, half with a pending suggestion), written through the
store, then opened from disk by \`LowdbStore.open\` in a fresh \`node --expose-gc\` process. Memory after forced GCs,
before and after opening. On disk: article files ${mb(disk.json)}, history and suggestion logs ${mb(disk.jsonl)}.

${table(['', 'before opening', 'after opening', 'growth', 'per 1,000 paragraphs'], [
        ['**RSS**', mb(r.before.rss), mb(r.after.rss), `**${mb(rss)}**`, `**${mb(perThousand, 2)}**`],
        ['V8 heap used', mb(r.before.heapUsed), mb(r.after.heapUsed), mb(heap), mb(heap / (r.paragraphs / 1000), 2)],
        ['external + array buffers', mb(r.before.external + r.before.arrayBuffers), mb(r.after.external + r.after.arrayBuffers), mb(r.after.external + r.after.arrayBuffers - r.before.external - r.before.arrayBuffers), ''],
      ])}

RSS growth is ${(rss / disk.json).toFixed(2)}× the article JSON on disk (${(rss / MB).toFixed(0)} MB for ${(disk.json / MB).toFixed(0)} MB);
the history and suggestion logs are read at open (to repair) and dropped. Opening took ${ms(r.openMs, 0)}.`,
    );
    return { rssMB: rss / MB, perThousandMB: perThousand / MB };
  } finally {
    await remove();
  }
}

if (isMain(import.meta.url)) await runMemory();
