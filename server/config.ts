/** Settings from the environment (and `.env` when present), read once at start-up. */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_WORKER_NICE } from './checks/offThread.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  corpusDir: string;
  /** Import the corpus directory on start. */
  importCorpus: boolean;
  /** Lint every stored paragraph for grammar in the background after start (POSTEDIT_WARM_GRAMMAR=0: on first view). */
  warmGrammar: boolean;
  /** The check workers' nice value (offThread.ts): they give way to the main thread when cores are short. */
  workerNice: number;
  /** The worker threads run as SCHED_BATCH (offThread.ts): a job posted to one does not take the main thread's core. */
  workerBatch: boolean;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads TRUST_PROXY (the server's only; CLIs do not need it): which reverse proxies'
 * X-Forwarded-For / X-Forwarded-Proto to believe (express's `trust proxy`): a number of proxy hops,
 * or addresses, subnets and the names loopback, linklocal, uniquelocal. Unset: the headers are
 * ignored and the client address is the socket's. `true` (trust every hop) is refused: with it, the client address would be the
 * first X-Forwarded-For entry, which any client writes itself, and the per-address login limit
 * could be dodged (a fresh address per guess) or pointed at somebody else's address.
 */
export function parseTrustProxy(value: string | undefined): number | string[] | undefined {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || /^(false|no|off)$/i.test(v)) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|yes|on|all|\*)$/i.test(v)) {
    throw new Error(`TRUST_PROXY=${v} would believe an X-Forwarded-For any client can write: name the proxy (loopback, 10.0.0.5, 10.0.0.0/8) or the number of proxies in front (1)`);
  }
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    if (PROXY_NAMES.has(e)) continue;
    const [ip, bits, more] = e.split('/');
    const family = isIP(ip ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits) || (family === 4 && isIP(bits) === 4);
    if (!family || more !== undefined || !okBits) {
      throw new Error(`TRUST_PROXY: "${e}" is not an address, a subnet (10.0.0.0/8) or one of loopback, linklocal, uniquelocal`);
    }
  }
  return entries;
}

/**
 * KEY=VALUE lines of a .env file. A value in quotes is taken as it stands; an unquoted one ends at a
 * ` #` comment (as .env.example writes them: `POSTEDIT_WORKER_IDLE_SECONDS=60   # …`).
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    const quoted = /^(['"])(.*)\1(?:\s+#.*)?$/.exec(raw);
    out[m[1]!] = quoted ? quoted[2]! : raw.replace(/(^|\s+)#.*$/, '');
  }
  return out;
}

/** Loads a .env file into process.env without overriding what is set. */
export function loadDotEnv(file = '.env'): void {
  if (!existsSync(file)) return;
  for (const [key, value] of Object.entries(parseDotEnv(readFileSync(file, 'utf8')))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

/** POSTEDIT_WORKER_NICE: the check workers' nice value, 0 (as the main thread) to 19. */
export function parseWorkerNice(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_WORKER_NICE;
  const nice = Number(value);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`POSTEDIT_WORKER_NICE must be a whole number from 0 to 19, not "${value}"`);
  return nice;
}

/** POSTEDIT_WORKER_BATCH: 1 (default) or 0. */
export function parseWorkerBatch(value: string | undefined): boolean {
  if (value === undefined || value.trim() === '' || value.trim() === '1') return true;
  if (value.trim() === '0') return false;
  throw new Error(`POSTEDIT_WORKER_BATCH must be 1 or 0, not "${value}"`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    corpusDir: resolve(env.CORPUS_DIR ?? 'corpus'),
    importCorpus: env.IMPORT_CORPUS !== '0',
    warmGrammar: env.POSTEDIT_WARM_GRAMMAR !== '0',
    workerNice: parseWorkerNice(env.POSTEDIT_WORKER_NICE),
    workerBatch: parseWorkerBatch(env.POSTEDIT_WORKER_BATCH),
  };
}
