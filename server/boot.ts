/** Wires the store, engine and glossary into the services that web, CLI and tests share. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from './commands/services.js';
import { parseGlossary, type GlossaryEntry } from './core/glossary.js';
import { engineFromEnv } from './engines/index.js';
import type { Engine } from './engines/types.js';
import { LowdbStore } from './store/lowdbStore.js';
import { LowdbUserStore } from './store/userStore.js';
import { GrammarCache } from './checks/grammarCache.js';
import { LowdbGlossaryStore } from './store/glossaryStore.js';

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
  env?: NodeJS.ProcessEnv;
}

export async function createServices(options: BootOptions): Promise<Services> {
  const store = await LowdbStore.open(options.dataDir);
  return {
    store,
    users: await LowdbUserStore.open(options.dataDir),
    engine: options.engine ?? engineFromEnv(options.env),
    glossary: await loadGlossary(options.corpusDir),
    grammar: new GrammarCache(),
    glossaries: await LowdbGlossaryStore.open(options.dataDir),
    now: () => new Date(),
  };
}
