/** Starts the real app on 127.0.0.1 port 0 over a temporary data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { Engine } from '../../server/engines/types.js';
import { createApp } from '../../server/web/app.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const corpusDir = join(repoRoot, 'corpus');
export const seedPath = join(corpusDir, 'baoan-smart-wearables.en.txt');

export async function tempDir(prefix = 'postedit-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface RunningApp {
  url: string;
  services: Services;
  dataDir: string;
  /** Stops the server; the data directory stays unless `remove` is set. */
  close(remove?: boolean): Promise<void>;
}

export async function startApp(options: { dataDir?: string; engine?: Engine } = {}): Promise<RunningApp> {
  const dataDir = options.dataDir ?? (await tempDir());
  const services = await createServices({ dataDir, corpusDir, engine: options.engine ?? new OfflineEngine() });
  const app = createApp(services);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    dataDir,
    async close(remove = false) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.store.close();
      if (remove) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small JSON client for the API. */
export function client(base: string, headers: Record<string, string> = {}) {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(base + path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    del: (path: string) => call('DELETE', path),
  };
}
