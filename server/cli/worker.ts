/**
 * `npm run worker`: a batch worker for PostgreSQL (DATABASE_URL). It polls the shared queue for
 * paragraphs of runs handed to the workers and asks the run's engine for each, as the app's executor
 * does. Run as many as the provider's limits allow, on any machine that reaches the database.
 *
 *   npm run worker [-- --concurrency N] [--lease-seconds S] [--poll-ms MS]
 *
 * Ctrl-C / SIGTERM stops it: requests in flight are cancelled and their paragraphs given back to the
 * queue. A worker killed outright holds its claims until the lease runs out; then others take them.
 */
import { createServices } from '../boot.js';
import { loadDotEnv, readConfig } from '../config.js';
import { envEngines } from '../runs/engines.js';
import { runWorker } from '../runs/worker.js';
import { describeDatabase, openRunStore } from '../store/open.js';
import { positiveInt, readCommandLine } from './args.js';
import { fail } from './fail.js';

const USAGE = 'usage: npm run worker [-- --concurrency N] [--lease-seconds S] [--poll-ms MS]   (with DATABASE_URL set)';

loadDotEnv();
const { values } = readCommandLine({ options: { concurrency: { type: 'string' }, 'lease-seconds': { type: 'string' }, 'poll-ms': { type: 'string' } } }, USAGE);
const url = process.env.DATABASE_URL?.trim();
if (!url) fail('DATABASE_URL is not set: workers share runs through PostgreSQL', 2);
const concurrency = positiveInt(values.concurrency, '--concurrency') ?? 4;
const leaseSeconds = positiveInt(values['lease-seconds'], '--lease-seconds') ?? 60;
const pollMs = positiveInt(values['poll-ms'], '--poll-ms') ?? 1000;

const config = readConfig();
let services;
try {
  services = await createServices({ dataDir: config.dataDir, corpusDir: config.corpusDir });
} catch (e) {
  fail((e as Error).message);
}
const queue = (await openRunStore(config.dataDir, services.store)).sharedQueue;
if (!queue) fail('the worker needs the PostgreSQL store: set DATABASE_URL');
const runStore = queue;

const stop = new AbortController();
let stopping = false;
const onSignal = () => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log('worker: stopping (again to quit at once)');
  stop.abort(new Error('the worker was stopped'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

console.log(`worker ${process.pid}: ${describeDatabase(url)}, ${concurrency} at a time, lease ${leaseSeconds}s`);
const stats = await runWorker({
  services,
  runStore,
  engineFor: envEngines(),
  concurrency,
  leaseMs: leaseSeconds * 1000,
  pollMs,
  signal: stop.signal,
  log: (line) => console.log(`worker: ${line}`),
});
console.log(`worker ${stats.id}: stopped after ${stats.done} paragraph(s)`);
await runStore.close();
await services.store.close();
process.exit(0);
