/** What `npm run batch` was asked to do: its flags, read and checked by cli/batch.ts. */
import type { EditLevel } from '../../engines/types.js';
import type { RunMode } from '../../store/runStore.js';

export interface BatchRequest {
  /** Article ids, or every article. */
  articles: string[] | 'all';
  engine: string | undefined;
  model: string | undefined;
  level: EditLevel;
  mode: RunMode;
  limits: { concurrency: number | undefined; rpm: number | undefined; tpm: number | undefined };
  /** --resume RUN: continue that run instead of starting one. */
  resume: string | undefined;
  /** Who starts the run (--user). */
  user: string;
  dryRun: boolean;
  /** --mode batch-file: through the OpenAI Batch API. */
  batchFile: boolean;
  /** --no-submit: write the batch file only. */
  noSubmit: boolean;
  /** --out FILE: where the batch file goes. */
  out: string | undefined;
  /** --ingest FILE: batch results produced elsewhere. */
  ingest: string | undefined;
  pollMs: number;
  dataDir: string;
  /** --server URL [--token T]: run through a running Postedit server. */
  server: string | undefined;
  token: string | undefined;
}
