/**
 * `npm run migrate`: the PostgreSQL schema, and moving data between lowdb and PostgreSQL.
 *
 *   npm run migrate                          applies pending schema migrations to DATABASE_URL
 *   npm run migrate -- --from-lowdb DIR      copies a lowdb data directory into DATABASE_URL (an empty database)
 *   npm run migrate -- --to-lowdb DIR        writes DATABASE_URL's content into a new lowdb data directory
 *
 * Both copies move articles (with history and suggestions), users, API tokens, live sessions, batch
 * runs with their results, and uploaded glossaries; they count what they copied on both sides
 * afterwards and exit 1 with a one-line reason when the counts differ.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadDotEnv } from '../config.js';
import { runningServer } from '../store/dataDirLock.js';
import { describeDatabase } from '../store/open.js';
import { openPool } from '../store/pg/database.js';
import { migrate } from '../store/pg/migrate.js';
import { COUNT_LABELS, COUNT_NAMES, copyLowdbToPg, copyPgToLowdb, TransferError, type TransferReport } from '../store/pg/transfer.js';
import { readCommandLine } from './args.js';
import { fail } from './fail.js';

const USAGE = 'usage: npm run migrate [-- --from-lowdb DIR | --to-lowdb DIR]   (with DATABASE_URL set)';

loadDotEnv();
const { values } = readCommandLine({ options: { 'from-lowdb': { type: 'string' }, 'to-lowdb': { type: 'string' } } }, USAGE);
if (values['from-lowdb'] && values['to-lowdb']) fail('give --from-lowdb or --to-lowdb, not both', 2);
const url = process.env.DATABASE_URL?.trim();
if (!url) fail('DATABASE_URL is not set: it names the PostgreSQL database, e.g. postgres://user:password@host:5432/postedit', 2);

function reason(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return reason(e.errors[0]);
  const message = (e as Error).message || String(e);
  return message.split('\n')[0]!;
}

function print(title: string, report: TransferReport): void {
  console.log(title);
  for (const k of COUNT_NAMES) console.log(`  ${COUNT_LABELS[k].padEnd(16)} ${String(report.target[k]).padStart(8)}`);
}

const where = describeDatabase(url);
const pool = openPool(url, { max: 2 });
let code = 0;
try {
  const schema = await migrate(pool);
  if (schema.applied.length) console.log(`${where}: applied schema migration(s) ${schema.applied.join(', ')}; schema version ${schema.version}`);
  else console.log(`${where}: schema version ${schema.version}, up to date`);

  const from = values['from-lowdb'];
  const to = values['to-lowdb'];
  if (from) {
    const dir = resolve(from);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new TransferError(`${dir} is not a directory`);
    const server = runningServer(dir);
    if (server) throw new TransferError(`a Postedit server (pid ${server.pid}) is using ${dir}: stop it first`);
    print(`copied ${dir} → ${where}; counts match:`, await copyLowdbToPg(dir, pool));
  } else if (to) {
    const dir = resolve(to);
    print(`copied ${where} → ${dir}; counts match:`, await copyPgToLowdb(pool, dir));
  }
} catch (e) {
  console.error(`error: ${reason(e)}`);
  code = 1;
} finally {
  await pool.end().catch(() => undefined);
}
process.exit(code);
