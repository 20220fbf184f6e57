/** `npm run import -- FILE…`: imports .txt, .md, .docx and XLIFF articles (with NAME.src.txt / NAME.ref.txt beside them). */
import { resolve } from 'node:path';
import { createServices } from '../boot.js';
import { importFile } from '../interchange/importFiles.js';
import { loadDotEnv, readConfig } from '../config.js';
import { runningServer } from '../store/dataDirLock.js';
import { readCommandLine } from './args.js';
import { fail } from './fail.js';

const USAGE = 'usage: npm run import -- FILE… [--data DIR] [--user NAME]';

loadDotEnv();
const { values, positionals } = readCommandLine({ allowPositionals: true, options: { data: { type: 'string' }, user: { type: 'string', default: 'import' } } }, USAGE);
if (positionals.length === 0) fail(USAGE);
const config = readConfig();
const dataDir = resolve(values.data ?? config.dataDir);
const server = runningServer(dataDir);
if (server) fail(`a Postedit server (pid ${server.pid}) is using ${dataDir}: stop it first, or import through its page at ${server.url}`);

const services = await createServices({ dataDir, corpusDir: config.corpusDir });
let failed = 0;
for (const file of positionals) {
  try {
    const { article, created, warnings } = await importFile(services, resolve(file), { username: values.user ?? 'import', role: 'admin' });
    const n = article.paragraphs.length;
    console.log(`${created ? 'imported' : 'already there'}: ${file} → ${article.id} (${n} paragraph${n === 1 ? '' : 's'}${article.hasSource ? ', with source' : ''}${article.hasReference ? ', with reference' : ''})`);
    for (const w of warnings) console.log(`  warning: ${w}`);
  } catch (e) {
    failed++;
    console.error(`failed: ${(e as Error).message}`);
  }
}
await services.store.close();
process.exit(failed ? 1 : 0);
