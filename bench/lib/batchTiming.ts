/**
 * Wall-clock timings of a live store's methods for `bench/batch.ts`: a Proxy that times every call
 * (lock waits and I/O included), and for `updateArticle`/`updateRun` also the wait until the change
 * function runs (lock queue + clone of the record). The target object is the `this` of every call, so
 * classes with private (#) fields keep working.
 */
import { performance } from 'node:perf_hooks';
import { OpenAIEngine, type OpenAISuggestOptions } from '../../server/engines/openai.js';
import type { SuggestRequest, SuggestResult } from '../../server/engines/types.js';

export class Timings {
  readonly samples = new Map<string, number[]>();

  add(key: string, ms: number): void {
    let list = this.samples.get(key);
    if (!list) this.samples.set(key, (list = []));
    list.push(ms);
  }

  get(key: string): number[] {
    return this.samples.get(key) ?? [];
  }

  clear(): void {
    this.samples.clear();
  }
}

const WITH_CHANGE = new Set(['updateArticle', 'updateRun']);

export function timeMethods<T extends object>(target: T, prefix: string, timings: Timings): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const start = performance.now();
        const change = args[1];
        if (WITH_CHANGE.has(prop) && typeof change === 'function') {
          args[1] = (...a: unknown[]) => {
            timings.add(`${prefix}.${prop} → change runs`, performance.now() - start);
            return (change as (...x: unknown[]) => unknown)(...a);
          };
        }
        const out = fn.apply(obj, args);
        if (out instanceof Promise) return out.finally(() => timings.add(`${prefix}.${prop}`, performance.now() - start));
        timings.add(`${prefix}.${prop}`, performance.now() - start);
        return out;
      };
    },
  });
}

/** The real OpenAI engine, timing each `suggest` (prompt building, the SDK, HTTP, reply parsing). */
export class TimedOpenAIEngine extends OpenAIEngine {
  timings: Timings | undefined;

  override async suggest(request: SuggestRequest, options?: OpenAISuggestOptions): Promise<SuggestResult> {
    const start = performance.now();
    try {
      return await super.suggest(request, options);
    } finally {
      this.timings?.add('engine.suggest', performance.now() - start);
    }
  }
}
