/**
 * The engine registry: every suggestion engine, by id, and which one serves suggestions, chosen from
 * the configuration. *A new engine*: one file in engines/ and one entry in ENGINES (its id in ids.ts).
 */
import { safeFixes } from '../checks/grammar.js';
import { OfflineEngine } from './offline.js';
import { OpenAIEngine, engineConfigFromEnv } from './openai.js';
import type { Engine } from './types.js';

import { ENGINE_IDS, isEngineId, type EngineId } from './ids.js';

export { ENGINE_IDS, isEngineId, type EngineId };

/** What an entry is given: the environment, and the run's model and retry choice when a run names the engine. */
interface EngineOptions {
  model?: string;
  maxRetries?: number;
}

/** One maker per id: the Record type fails to compile when an id lacks its engine, or an engine its id. */
const ENGINES: Record<EngineId, (env: NodeJS.ProcessEnv, options: EngineOptions) => Engine> = {
  // Harper's safe fixes as its last pass (Harper runs on its own worker thread, see checks/grammar.ts).
  offline: () => new OfflineEngine({ polish: safeFixes }),
  openai: (env, options) => {
    const config = engineConfigFromEnv(env);
    if (!config) throw new Error('the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL in the environment');
    return new OpenAIEngine({ ...config, ...(options.model ? { model: options.model } : {}), ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}) });
  },
};

/** The OpenAI-compatible engine when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the offline one. */
export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): Engine {
  return engineById(engineConfigFromEnv(env) ? 'openai' : 'offline', env);
}

/**
 * A named engine (batch runs choose one explicitly). `maxRetries: 0` turns the OpenAI client's own
 * retries off for callers that retry themselves (runs, so every attempt passes their rate limiter).
 */
export function engineById(id: string, env: NodeJS.ProcessEnv = process.env, options: EngineOptions = {}): Engine {
  if (!isEngineId(id)) throw new Error(`unknown engine "${id}": use ${ENGINE_IDS.join(' or ')}`);
  return ENGINES[id](env, options);
}
