/** The explicit engine registry: which engine serves suggestions, chosen from the configuration. */
import { safeFixes } from '../checks/grammar.js';
import { OfflineEngine } from './offline.js';
import { OpenAIEngine, engineConfigFromEnv } from './openai.js';
import type { Engine } from './types.js';

export const ENGINE_IDS = ['offline', 'openai'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/** The OpenAI-compatible engine when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the offline one
 *  (with Harper's safe fixes as its last pass; Harper runs on its own worker thread, see checks/grammar.ts). */
export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): Engine {
  const config = engineConfigFromEnv(env);
  return config ? new OpenAIEngine(config) : new OfflineEngine({ polish: safeFixes });
}

/** A named engine, for batch runs that choose one explicitly. */
export function engineById(id: string, env: NodeJS.ProcessEnv = process.env, model?: string): Engine {
  if (id === 'offline') return new OfflineEngine({ polish: safeFixes });
  if (id === 'openai') {
    const config = engineConfigFromEnv(env);
    if (!config) throw new Error('the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL');
    return new OpenAIEngine(model ? { ...config, model } : config);
  }
  throw new Error(`unknown engine "${id}": use ${ENGINE_IDS.join(' or ')}`);
}
