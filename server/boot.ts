/** Wires the store, engine and glossary into the services that web, CLI and tests share. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from './commands/services.js';
import { parseGlossary, type GlossaryEntry } from './core/glossary.js';
import { engineFromEnv } from './engines/index.js';
import type { Engine } from './engines/types.js';
import { openStores } from './store/open.js';
import { GrammarCache } from './checks/grammarCache.js';
import { MtFlagCache } from './checks/mt/flagCache.js';
import { releaseMtChecksWorker, runMtChecksOffThread } from './checks/mt/offThread.js';
import { releaseGrammarWorker } from './checks/grammar.js';
import { createMtAnnotator, mergeMtFlags } from './engines/mtAnnotator.js';
import { engineConfigFromEnv } from './engines/openai.js';
import type { MtAnnotate } from './checks/mt/flagCache.js';
import { trustedEditorsFromEnv } from './commands/deskExamples.js';

export async function loadGlossary(corpusDir: string): Promise<GlossaryEntry[]> {
  const file = join(corpusDir, 'glossary.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    return parseGlossary(JSON.parse(raw));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

export interface BootOptions {
  dataDir: string;
  corpusDir: string;
  engine?: Engine;
  /** Read for the engine and the stores: `DATABASE_URL` set means PostgreSQL (glossaries too), else lowdb in `dataDir`. */
  env?: NodeJS.ProcessEnv;
}

/** The LLM MT annotator when an OpenAI-compatible endpoint is configured: its flags merge into the offline ones. */
function annotatorFromEnv(env: NodeJS.ProcessEnv): MtAnnotate | undefined {
  const config = engineConfigFromEnv(env);
  if (!config) return undefined;
  const annotator = createMtAnnotator(config);
  return async (mt, source, offline) => mergeMtFlags(offline, (await annotator.annotate(mt, source, { hints: offline })).flags);
}

export async function createServices(options: BootOptions): Promise<Services> {
  const { store, users, glossaries } = await openStores(options.dataDir, options.env ?? process.env);
  return {
    store,
    users,
    engine: options.engine ?? engineFromEnv(options.env),
    glossary: await loadGlossary(options.corpusDir),
    grammar: new GrammarCache(),
    mtFlags: new MtFlagCache(runMtChecksOffThread, annotatorFromEnv(options.env ?? process.env)),
    glossaries,
    now: () => new Date(),
    releaseWorkers: () => {
      releaseGrammarWorker();
      releaseMtChecksWorker();
    },
    trustedEditors: trustedEditorsFromEnv(options.env ?? process.env),
  };
}
