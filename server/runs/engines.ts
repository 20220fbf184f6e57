/** Which engine a run uses, what it can do, and which prompt it runs with. */
import { BadRequestError } from '../commands/errors.js';
import { engineById, ENGINE_IDS } from '../engines/index.js';
import { OpenAIEngine } from '../engines/openai.js';
import { PROMPT_VERSION, promptHash, type Task } from '../engines/prompt.js';
import type { EditLevel, Engine } from '../engines/types.js';
import type { RunMode } from '../store/runStore.js';

/** The engines a run may name: the registry's (engines/index.ts). */
export const RUN_ENGINES = ENGINE_IDS;

/** Makes the engine a run names; tests pass one that talks to their own server. */
export type EngineFactory = (id: string, model?: string) => Engine;

/**
 * Engines from the environment. The OpenAI client's own retries are off: the run retries itself,
 * so that every attempt passes through the run's rate limiter.
 */
export function envEngines(env: NodeJS.ProcessEnv = process.env): EngineFactory {
  return (id, model) => {
    try {
      return engineById(id, env, { ...(model ? { model } : {}), maxRetries: 0 });
    } catch (e) {
      throw new BadRequestError((e as Error).message);
    }
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
