/**
 * Importing articles from files on disk: the CLI and the corpus import at start-up. A file and its
 * companions are read as text and go the way pasted text goes (importArticle → importText.ts → units →
 * importUnits).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Actor } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { importArticle, type ImportResult } from './importArticle.js';
import { decodeFile } from './importText.js';
import type { Services } from './services.js';

const COMPANION = /\.(src|ref)\.(txt|md)$/i;
const ARTICLE = /\.(txt|md|markdown)$/i;

/** A text file's text: UTF-8, or UTF-16 with a byte order mark (importText.ts `decodeFile`); anything else is refused, naming the file. */
export async function readText(file: string): Promise<string> {
  return decodeFile(basename(file), await readFile(file));
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readText(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function isArticleFile(name: string): boolean {
  return ARTICLE.test(name) && !COMPANION.test(name) && !name.startsWith('.');
}

/** Imports one file, with `NAME.src.txt` and `NAME.ref.txt` beside `NAME.txt` when present. */
export async function importFile(services: Services, file: string, actor: Actor): Promise<ImportResult> {
  const name = basename(file);
  if (!isArticleFile(name)) throw new BadRequestError(`${name}: only .txt and .md articles can be imported (not source or reference files)`);
  const ext = extname(name);
  const stem = file.slice(0, -ext.length);
  const text = await readText(file);
  const source = (await readIfExists(`${stem}.src.txt`)) ?? (await readIfExists(`${stem}.src.md`));
  const reference = (await readIfExists(`${stem}.ref.txt`)) ?? (await readIfExists(`${stem}.ref.md`));
  try {
    return await importArticle(services, {
      text,
      format: /^\.(md|markdown)$/i.test(ext) ? 'markdown' : 'text',
      ...(source !== undefined ? { source } : {}),
      ...(reference !== undefined ? { reference } : {}),
      origin: name,
      actor,
    });
  } catch (e) {
    if (e instanceof BadRequestError) throw new BadRequestError(`${name}: ${e.message}`);
    throw e;
  }
}

export interface CorpusReport {
  imported: string[];
  unchanged: string[];
  failed: Array<{ file: string; error: string }>;
}

/** Imports every article file of a directory and its subdirectories; one bad file does not stop the rest. */
export async function importCorpus(services: Services, dir: string, actor: Actor): Promise<CorpusReport> {
  const report: CorpusReport = { imported: [], unchanged: [], failed: [] };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return report;
    throw e;
  }
  const files = entries
    .filter((e) => e.isFile() && isArticleFile(e.name) && !/^readme\./i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    try {
      const r = await importFile(services, file, actor);
      (r.created ? report.imported : report.unchanged).push(r.article.id);
    } catch (e) {
      report.failed.push({ file, error: (e as Error).message });
    }
  }
  return report;
}
