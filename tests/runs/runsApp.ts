/** The real app with batch runs mounted, an injected engine and quick retries, over a temporary data directory. */
import type { EngineFactory } from '../../server/runs/engines.js';
import { startApp, type RunningApp } from '../support/app.js';

export type RunsApp = Omit<RunningApp, 'close'> & { close(): Promise<void> };

export async function startRunsApp(engineFor: EngineFactory): Promise<RunsApp> {
  const app = await startApp({ app: { runs: { engineFor, retry: { baseMs: 10, maxMs: 50 } } } });
  return { ...app, close: () => app.close(true) };
}
