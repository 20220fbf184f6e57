/** The layering rules of scripts/layers.ts: they catch what they promise, and server/ follows them. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkFile, checkTree } from '../scripts/layers.js';

describe('layer rules', () => {
  it('refuse an upward import, multi-line or dynamic', () => {
    expect(checkFile('commands/x.ts', "import { startRun } from '../runs/startRun.js';")).toMatchObject([{ rule: 'arrows point down' }]);
    expect(checkFile('core/x.ts', "import {\n  a,\n  b,\n} from '../store/types.js';")).toMatchObject([{ rule: 'arrows point down' }]);
    expect(checkFile('store/x.ts', "const m = await import('../engines/openai.js');")).toMatchObject([{ rule: 'arrows point down' }]);
    expect(checkFile('web/x.ts', "import { a } from '../commands/a.js';\nimport { b } from './b.js';")).toEqual([]);
  });

  it('refuse I/O in core, SQL or the pg driver outside store, and asking which backend a store is', () => {
    expect(checkFile('core/x.ts', "import { readFile } from 'node:fs/promises';")).toMatchObject([{ rule: 'core does no I/O' }]);
    expect(checkFile('core/zh/dict.ts', "import { readFileSync } from 'node:fs';")).toEqual([]);
    expect(checkFile('runs/x.ts', "await pool.query('SELECT id FROM runs WHERE x = $1', [x]);")).toMatchObject([{ rule: 'SQL only in store' }]);
    expect(checkFile('auth/x.ts', "import type { Pool } from 'pg';")).toMatchObject([{ rule: 'SQL only in store' }]);
    expect(checkFile('runs/x.ts', '// takes rows with SELECT … FOR UPDATE SKIP LOCKED\nconst a = 1;')).toEqual([]);
    expect(checkFile('web/x.ts', 'if (store instanceof PgStore) {}')).toMatchObject([{ rule: 'one store interface' }]);
    expect(checkFile('store/pg/x.ts', "await pool.query('DELETE FROM t');")).toEqual([]);
  });

  it('hold for server/ as it is', () => {
    expect(checkTree(fileURLToPath(new URL('../server', import.meta.url)))).toEqual([]);
  });
});
