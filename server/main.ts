/** `npm start`: open the data directory, import the corpus, serve the workbench. */
import { createServices } from './boot.js';
import { importCorpus } from './interchange/importFiles.js';
import { warmFlags } from './commands/warmFlags.js';
import { loadDotEnv, parseTrustProxy, readConfig } from './config.js';
import { createApp } from './web/app.js';
import type { SetupState } from './web/auth.js';
import { addUser } from './commands/users.js';
import { newSecret } from './auth/passwords.js';
import { markServer, runningServer } from './store/dataDirLock.js';
import { describeDatabase, openRunStore } from './store/open.js';
import { setDefaultWorkerIdleMs, setWorkerBatch, setWorkerNice } from './checks/offThread.js';
import { fail } from './cli/fail.js';

loadDotEnv();
let config: ReturnType<typeof readConfig>;
let trustProxy: ReturnType<typeof parseTrustProxy>;
try {
  config = readConfig();
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (e) {
  fail((e as Error).message);
}
// Worker threads left without work give their memory back (Harper's a few hundred MB, the MT checks'
// dictionaries ~100 MB) and start again on the next job: POSTEDIT_WORKER_IDLE_SECONDS (0: never).
const idleSeconds = Number(process.env.POSTEDIT_WORKER_IDLE_SECONDS || 60);
setDefaultWorkerIdleMs(Number.isFinite(idleSeconds) && idleSeconds > 0 ? idleSeconds * 1000 : 0);
setWorkerNice(config.workerNice);
setWorkerBatch(config.workerBatch);
const other = runningServer(config.dataDir);
if (other) fail(`another Postedit server (pid ${other.pid}, ${other.url}) is using ${config.dataDir}; stop it or set DATA_DIR`);
const services = await createServices({ dataDir: config.dataDir, corpusDir: config.corpusDir });

if (config.importCorpus) {
  const report = await importCorpus(services, config.corpusDir, { username: 'import', role: 'admin' });
  console.log(`corpus ${config.corpusDir}: ${report.imported.length} imported, ${report.unchanged.length} already there, ${report.failed.length} failed`);
  for (const f of report.failed) console.warn(`  skipped ${f.file}: ${f.error}`);
}

// The MT checks and grammar flags of every article, in the background: pages find them ready; the
// check workers are ended once done (see commands/warmFlags.ts).
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
void warmFlags(services, { grammar: config.warmGrammar }).then((r) =>
  console.log(`flags ready: MT checks of ${count(r.articles, 'article')}${config.warmGrammar ? `, grammar of ${count(r.linted, 'paragraph')}` : ''} in ${(r.ms / 1000).toFixed(1)} s`),
);

// First run: an admin from the environment, or a one-time set-up link on the console.
const setup: SetupState = {};
if ((await services.users.countUsers()) === 0) {
  const user = process.env.POSTEDIT_ADMIN_USER;
  const password = process.env.POSTEDIT_ADMIN_PASSWORD;
  if (user && password) {
    try {
      await addUser(services.users, { username: user, password, role: 'admin' });
    } catch (e) {
      // A name or password the account rules refuse (or a store that cannot write): one line, as for the other settings.
      fail(`could not create the admin of POSTEDIT_ADMIN_USER / POSTEDIT_ADMIN_PASSWORD: ${(e as Error).message}`);
    }
    console.log(`created admin "${user}" from POSTEDIT_ADMIN_USER / POSTEDIT_ADMIN_PASSWORD`);
  } else {
    setup.token = newSecret(18);
  }
}

const runStore = await openRunStore(config.dataDir, services.store);
// Production settings (templates cached, no stack on any page) unless `npm run dev` / POSTEDIT_DEV=1.
const dev = /^(1|true|yes)$/i.test(process.env.POSTEDIT_DEV ?? '') || process.argv.includes('--dev');
const app = createApp(services, { setup, runStore, dev, ...(trustProxy !== undefined ? { trustProxy } : {}) });
let unmark = () => {};
const server = app.listen(config.port, config.host, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${['0.0.0.0', '127.0.0.1', '::'].includes(config.host) ? 'localhost' : config.host}:${port}/`;
  unmark = markServer(config.dataDir, url);
  console.log(`Postedit is running: ${url}`);
  console.log(services.engine.describe());
  console.log(process.env.DATABASE_URL ? `store: PostgreSQL ${describeDatabase(process.env.DATABASE_URL)}` : `data: ${config.dataDir}`);
  console.log(dev ? 'mode: development (templates re-read, stacks on 500 pages)' : 'mode: production');
  if (setup.token) {
    console.log(`\nNo account exists yet. Create the first admin here (the link works once):\n  ${url}setup?token=${setup.token}\n`);
  }
});

function shutdown() {
  unmark();
  server.close(async () => {
    // Running batch runs are marked stopped: `npm run batch -- --resume RUN` or the page continues them.
    await (app.locals.closeRuns as (() => Promise<void>) | undefined)?.();
    await runStore.close();
    await services.store.close();
    process.exit(0);
  });
  // Live-desk event streams never end by themselves: close them once requests in flight had a moment
  // (the pages reconnect to the next server by themselves).
  setTimeout(() => server.closeAllConnections(), 500).unref();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
