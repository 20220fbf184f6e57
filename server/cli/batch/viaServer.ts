/** `npm run batch -- --server URL`: the run started (or resumed) through a running server's API, and followed there. */
import type { RunSummary } from '../../runs/summary.js';
import type { Run } from '../../store/runStore.js';
import { fail } from '../fail.js';
import type { RunConsole } from './console.js';
import type { BatchRequest } from './request.js';

const TERMINAL = new Set(['stopped', 'finished', 'failed']);

export async function viaServer(base: string, req: BatchRequest, out: RunConsole): Promise<never> {
  const root = base.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      fail(`cannot reach the server at ${root}: ${(e as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) fail(`the server answered ${res.status}: ${String(json.error ?? res.statusText)}${res.status === 401 ? ' (pass --token T)' : ''}`);
    return json;
  };
  if (req.dryRun) fail('--dry-run works on a local data directory only');
  if (req.batchFile || req.ingest) fail('--mode batch-file and --ingest work on a local data directory only');
  const params = Object.fromEntries(Object.entries(req.limits).filter(([, v]) => v !== undefined));
  const started = req.resume
    ? await call('POST', `/api/runs/${encodeURIComponent(req.resume)}/resume`, params)
    : await call('POST', '/api/runs', { articles: req.articles, engine: req.engine, ...(req.model ? { model: req.model } : {}), level: req.level, mode: req.mode, ...params });
  const id = String((started.run as Run | undefined)?.id ?? started.id);
  console.error(`run ${id} submitted to ${root} (see ${root}/runs/${id})`);
  out.onInterrupt(() => void call('POST', `/api/runs/${encodeURIComponent(id)}/stop`));
  for (;;) {
    const state = (await call('GET', `/api/runs/${encodeURIComponent(id)}`)) as unknown as RunSummary;
    out.show(state.run);
    if (TERMINAL.has(state.run.status)) out.finish(state);
    await new Promise((r) => setTimeout(r, 500));
  }
}
