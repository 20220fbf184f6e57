/** Runs executing in this process, so they can be stopped; and what the run commands need. */
import type { Services } from '../commands/services.js';
import type { Run, RunStore } from '../store/runStore.js';
import type { Clock } from './clock.js';
import type { EngineFactory } from './engines.js';
import type { RetryOptions } from './retry.js';

export class ActiveRuns {
  #runs = new Map<string, { controller: AbortController; done: Promise<Run> }>();

  has(id: string): boolean {
    return this.#runs.has(id);
  }

  /** Starts `execute` in the background; the promise settles when the run ends. */
  start(id: string, execute: (signal: AbortSignal) => Promise<Run>): Promise<Run> {
    const controller = new AbortController();
    const done = execute(controller.signal).finally(() => this.#runs.delete(id));
    this.#runs.set(id, { controller, done });
    return done;
  }

  /** Stops the run and waits until it has recorded that it stopped. */
  async stop(id: string): Promise<Run | undefined> {
    const active = this.#runs.get(id);
    if (!active) return undefined;
    active.controller.abort(new Error('the run was stopped'));
    return active.done;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.#runs.keys()].map((id) => this.stop(id)));
  }
}

export interface RunContext {
  services: Services;
  runStore: RunStore;
  active: ActiveRuns;
  engineFor: EngineFactory;
  clock?: Clock;
  retry?: Partial<RetryOptions>;
  env?: NodeJS.ProcessEnv;
}
