/**
 * Measures the memory a LowdbStore holds once opened: run with
 * `node --expose-gc --import tsx bench/lib/memoryChild.ts DATA_DIR`. Prints one JSON line.
 */
import { LowdbStore } from '../../server/store/lowdbStore.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: memoryChild.ts DATA_DIR');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function settle() {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

const before = await settle();
const t0 = performance.now();
const store = await LowdbStore.open(dir);
const openMs = performance.now() - t0;
const articles = await store.listArticles();
const after = await settle();
const paragraphs = articles.reduce((n, a) => n + a.paragraphs, 0);
console.log(JSON.stringify({ before, after, openMs, articles: articles.length, paragraphs }));
await store.close();
