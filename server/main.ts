/** `npm start`: open the data directory, import the corpus, serve the workbench. */
import { createServices } from './boot.js';
import { importCorpus } from './commands/importFiles.js';
import { loadDotEnv, readConfig } from './config.js';
import { createApp } from './web/app.js';
import { LOCAL_ACTOR } from './web/session.js';
import { markServer, runningServer } from './store/dataDirLock.js';

loadDotEnv();
const config = readConfig();
const other = runningServer(config.dataDir);
if (other) {
  console.error(`error: another Postedit server (pid ${other.pid}, ${other.url}) is using ${config.dataDir}; stop it or set DATA_DIR`);
  process.exit(1);
}
const services = await createServices({ dataDir: config.dataDir, corpusDir: config.corpusDir });

if (config.importCorpus) {
  const report = await importCorpus(services, config.corpusDir, { ...LOCAL_ACTOR, username: 'import' });
  console.log(`corpus ${config.corpusDir}: ${report.imported.length} imported, ${report.unchanged.length} already there, ${report.failed.length} failed`);
  for (const f of report.failed) console.warn(`  skipped ${f.file}: ${f.error}`);
}

const app = createApp(services);
let unmark = () => {};
const server = app.listen(config.port, config.host, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${['0.0.0.0', '127.0.0.1', '::'].includes(config.host) ? 'localhost' : config.host}:${port}/`;
  unmark = markServer(config.dataDir, url);
  console.log(`Postedit is running: ${url}`);
  console.log(services.engine.describe());
  console.log(`data: ${config.dataDir}`);
});

function shutdown() {
  unmark();
  server.close(() => {
    void services.store.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
