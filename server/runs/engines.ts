/** Which engine a run uses, what it can do, and which prompt it runs with. */
import { safeFixes } from '../checks/grammar.js';
import { BadRequestError } from '../commands/errors.js';
import { OfflineEngine } from '../engines/offline.js';
import { engineConfigFromEnv, OpenAIEngine } from '../engines/openai.js';
import { PROMPT_VERSION, promptHash, type Task } from '../engines/prompt.js';
import type { EditLevel, Engine } from '../engines/types.js';
import type { RunMode } from '../store/runStore.js';

export const RUN_ENGINES = ['offline', 'openai'] as const;

/** Makes the engine a run names; tests pass one that talks to their own server. */
export type EngineFactory = (id: string, model?: string) => Engine;

/**
 * Engines from the environment. The OpenAI client's own retries are off: the run retries itself,
 * so that every attempt passes through the run's rate limiter.
 */
export function envEngines(env: NodeJS.ProcessEnv = process.env): EngineFactory {
  return (id, model) => {
    // As the app's offline engine: with the grammar checker's safe fixes.
    if (id === 'offline') return new OfflineEngine({ polish: safeFixes });
    if (id === 'openai') {
      let config;
      try {
        config = engineConfigFromEnv(env);
      } catch (e) {
        throw new BadRequestError((e as Error).message);
      }
      if (!config) throw new BadRequestError('the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL in the environment');
      return new OpenAIEngine({ ...config, ...(model ? { model } : {}), maxRetries: 0 });
    }
    throw new BadRequestError(`unknown engine "${id}": use ${RUN_ENGINES.join(' or ')}`);
  };
}

export function canRetranslate(engine: Engine): boolean {
  const tasks = (engine as { tasks?: readonly Task[] }).tasks;
  return tasks?.includes('retranslate') ?? false;
}

/** Prompt version and hash a run records; engines without a prompt give their version and no hash. */
export function promptIdentity(engine: Engine, level: EditLevel, mode: RunMode): { promptVersion: string; promptHash: string } {
  if (engine instanceof OpenAIEngine) {
    return { promptVersion: PROMPT_VERSION, promptHash: promptHash(level, engine.responseMode === 'text' ? 'text' : 'json', mode) };
  }
  return { promptVersion: engine.model, promptHash: '' };
}
