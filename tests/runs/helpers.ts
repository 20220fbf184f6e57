/**
 * Shared set-up of the run tests: a real store in a temporary directory (on PostgreSQL, with
 * DATABASE_URL set: a database of its own), the run store that goes with it, engines.
 */
import { join } from 'node:path';
import { createServices } from '../../server/boot.js';
import { importFile } from '../../server/interchange/importFiles.js';
import type { Services } from '../../server/commands/services.js';
import type { Actor } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { OpenAIEngine } from '../../server/engines/openai.js';
import { ActiveRuns, type RunContext } from '../../server/runs/activeRuns.js';
import type { EngineFactory } from '../../server/runs/engines.js';
import { openRunStore, openStores } from '../../server/store/open.js';
import { LowdbRunStore, type RunResult, type RunStore } from '../../server/store/runStore.js';
import { corpusDir, removeData, seedPath, tempDir } from '../support/app.js';
import { onPostgres, storeEnvFor } from '../support/postgres.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { afterEach, beforeEach } from 'vitest';
import type { StartRunProps } from '../../server/runs/startRun.js';

export const ADMIN: Actor = { username: 'admin', role: 'admin' };
export const WMT_PATH = join(corpusDir, 'wmt-zhen', 'wmt23-chinanews-280883.en.txt');

/** The OpenAI engine pointed at the test server; anything else is the offline engine. */
export function testEngines(server?: OpenAIServer): EngineFactory {
  return (id, model) => {
    if (id === 'openai') {
      if (!server) throw new Error('no test server');
      return new OpenAIEngine({ baseURL: server.url, apiKey: 'sk-test', model: model ?? 'gpt-4o-mini', maxRetries: 0, timeoutMs: 5000 });
    }
    return new OfflineEngine();
  };
}

export interface Setup {
  dataDir: string;
  services: Services;
  runStore: RunStore;
  ctx: RunContext;
  close(): Promise<void>;
}

export async function setup(server?: OpenAIServer, dataDir?: string): Promise<Setup> {
  const dir = dataDir ?? (await tempDir('postedit-runs-'));
  const services = await createServices({ dataDir: dir, corpusDir, engine: new OfflineEngine(), env: await storeEnvFor(dir) });
  const runStore = await openRunStore(dir, services.store);
  const ctx: RunContext = { services, runStore, active: new ActiveRuns(), engineFor: testEngines(server), retry: { baseMs: 10, maxMs: 50 } };
  return {
    dataDir: dir,
    services,
    runStore,
    ctx,
    async close() {
      await ctx.active.stopAll();
      await runStore.close();
      await services.store.close();
      if (!dataDir) await removeData(dir);
    },
  };
}

/**
 * For a test file: each test gets a fresh test OpenAI server and a fresh set-up over it (handed to
 * `use`), both closed after the test.
 */
export function eachTestWithServer(use: (server: OpenAIServer, s: Setup) => void): void {
  let server: OpenAIServer | undefined;
  let s: Setup | undefined;
  beforeEach(async () => {
    server = await startOpenAIServer();
    s = await setup(server);
    use(server, s);
  });
  afterEach(async () => {
    await s?.close();
    await server?.close();
  });
}

/** A run over every article with the test engine, as the admin starts it; `over` changes what differs. */
export function runProps(over: Partial<StartRunProps> = {}): StartRunProps {
  return { articles: 'all', engine: 'openai', level: 'minimal', actor: ADMIN, ...over };
}

export interface Fresh {
  runStore: RunStore;
  close(): Promise<void>;
}

/**
 * A second, fresh run store on what a set-up (or a CLI) stored in `dataDir`: lowdb's run files read
 * again, or the same database on a pool of its own. Only the run store: a second lowdb article store
 * on a directory whose first one is open would be two writers.
 */
export async function reopen(dataDir: string): Promise<Fresh> {
  if (!onPostgres) {
    const runStore = await LowdbRunStore.open(dataDir);
    return { runStore, close: () => runStore.close() };
  }
  const { store } = await openStores(dataDir, await storeEnvFor(dataDir));
  const runStore = await openRunStore(dataDir, store);
  return {
    runStore,
    async close() {
      await runStore.close();
      await store.close();
    },
  };
}

/** The services for a CLI's data directory, on the store the CLI will use (see storeEnvFor). */
export async function servicesFor(dataDir: string): Promise<Services> {
  return createServices({ dataDir, corpusDir, engine: new OfflineEngine(), env: await storeEnvFor(dataDir) });
}

export async function importSeed(services: Services): Promise<string> {
  return (await importFile(services, seedPath, ADMIN)).article.id;
}

export async function importWmt(services: Services): Promise<string> {
  return (await importFile(services, WMT_PATH, ADMIN)).article.id;
}

/** Every live paragraph has exactly one result line; no line is for anything else. */
export async function expectOneResultPerLiveParagraph(services: Services, results: RunResult[], articleIds: string[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const r of results) seen.set(`${r.articleId}/${r.paragraphId}`, (seen.get(`${r.articleId}/${r.paragraphId}`) ?? 0) + 1);
  for (const [k, n] of seen) if (n !== 1) problems.push(`${k}: ${n} result lines`);
  let live = 0;
  for (const id of articleIds) {
    const article = (await services.store.getArticle(id))!;
    for (const p of article.paragraphs.filter((x) => x.status !== 'deleted')) {
      live++;
      if (!seen.has(`${id}/${p.id}`)) problems.push(`${id}/${p.id}: no result line`);
    }
  }
  if (seen.size !== live) problems.push(`${seen.size} paragraphs with results, ${live} live paragraphs`);
  return problems;
}

/** Suggest revisions in history per paragraph that carry a suggestion of the run. */
export async function runSuggestRevisions(services: Services, articleId: string, runId: string): Promise<Map<string, number>> {
  const mine = new Set((await services.store.suggestions(articleId)).filter((s) => s.runId === runId).map((s) => s.id));
  const counts = new Map<string, number>();
  for (const r of await services.store.history(articleId)) {
    if (r.action === 'suggest' && r.suggestionId && mine.has(r.suggestionId)) counts.set(r.paragraphId, (counts.get(r.paragraphId) ?? 0) + 1);
  }
  return counts;
}
