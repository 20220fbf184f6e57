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

export function isEngineId(id: string): id is EngineId {
  return (ENGINE_IDS as readonly string[]).includes(id);
}

/**
 * A named engine (batch runs choose one explicitly). `maxRetries: 0` turns the OpenAI client's own
 * retries off for callers that retry themselves (runs, so every attempt passes their rate limiter).
 */
export function engineById(id: string, env: NodeJS.ProcessEnv = process.env, options: { model?: string; maxRetries?: number } = {}): Engine {
  if (id === 'offline') return new OfflineEngine({ polish: safeFixes });
  if (id === 'openai') {
    const config = engineConfigFromEnv(env);
    if (!config) throw new Error('the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL in the environment');
    return new OpenAIEngine({ ...config, ...(options.model ? { model: options.model } : {}), ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}) });
  }
  throw new Error(`unknown engine "${id}": use ${ENGINE_IDS.join(' or ')}`);
}
