/**
 * The layering of server/, as rules a machine checks (`npm run check:layers`, part of `npm test`):
 *
 *   web, cli  →  runs, interchange  →  commands  →  engines, store, auth  →  checks  →  core
 *
 * - a folder imports only from the folders its rule lists (arrows point down);
 * - core does no I/O (no node:fs, net, http, child_process, worker_threads …), apart from the listed
 *   files that read bundled read-only data tables once;
 * - SQL and the `pg` driver live in server/store only;
 * - no code outside server/store asks which backend a store is (`instanceof PgStore` …).
 * The top-level files (boot.ts, main.ts, config.ts) wire everything and may import anything.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** What each folder of server/ may import (besides itself). */
export const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  checks: ['core'],
  engines: ['core', 'checks'],
  store: ['core'],
  auth: ['core', 'store'],
  commands: ['core', 'checks', 'engines', 'store', 'auth'],
  runs: ['core', 'checks', 'engines', 'store', 'auth', 'commands'],
  interchange: ['core', 'checks', 'engines', 'store', 'auth', 'commands'],
  web: ['core', 'checks', 'engines', 'store', 'auth', 'commands', 'runs', 'interchange'],
  cli: ['core', 'checks', 'engines', 'store', 'auth', 'commands', 'runs', 'interchange', '(top)'],
  '(top)': ['core', 'checks', 'engines', 'store', 'auth', 'commands', 'runs', 'interchange', 'web', 'cli'],
};

const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|worker_threads|dgram|cluster|readline|tls)$/;

/** Core files that read bundled, read-only data (the CC-CEDICT tables) once, lazily: not I/O in effect. */
export const CORE_DATA_READERS = new Set(['core/zh/dict.ts', 'core/zh/pinyin.ts', 'core/zh/glosses.ts']);

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

const folderOf = (rel: string) => (rel.includes('/') ? rel.split('/')[0]! : '(top)');

/** Comments and the text of string literals out, so a word in a comment is not taken for code. */
function withoutComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const SQL = /['"`][^'"`]*\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|ALTER\s+TABLE|pg_notify|LISTEN\s+\w)/;

/** The violations of one file; `rel` is its path under server/ with forward slashes. */
export function checkFile(rel: string, source: string): Violation[] {
  const out: Violation[] = [];
  const folder = folderOf(rel);
  const allowed = ALLOWED[folder];
  const code = withoutComments(source);
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) {
      const target = normalize(join(dirname(rel), spec)).split(sep).join('/');
      if (target.startsWith('..')) continue; // outside server/ (a shared data file)
      const to = folderOf(target);
      if (to !== folder && allowed && !allowed.includes(to)) out.push({ file: rel, rule: 'arrows point down', detail: `${folder} imports ${target.replace(/\.js$/, '.ts')} (${to})` });
    } else {
      if (folder === 'core' && IO_MODULES.test(spec) && !CORE_DATA_READERS.has(rel)) out.push({ file: rel, rule: 'core does no I/O', detail: `imports ${spec}` });
      if (folder !== 'store' && (spec === 'pg' || spec.startsWith('pg/'))) out.push({ file: rel, rule: 'SQL only in store', detail: `imports the pg driver` });
    }
  }
  if (folder !== 'store' && SQL.test(code)) out.push({ file: rel, rule: 'SQL only in store', detail: `holds SQL: ${SQL.exec(code)![0].slice(0, 60)}` });
  if (folder !== 'store' && /instanceof\s+(Pg|Lowdb)\w*/.test(code)) out.push({ file: rel, rule: 'one store interface', detail: `asks for a backend: ${/instanceof\s+(Pg|Lowdb)\w*/.exec(code)![0]}` });
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export function checkTree(serverDir: string): Violation[] {
  return walk(serverDir).flatMap((file) => checkFile(relative(serverDir, file).split(sep).join('/'), readFileSync(file, 'utf8')));
}
