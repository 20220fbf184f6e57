/**
 * Importing articles from files on disk: the CLI and the corpus import at start-up. A .txt or .md
 * file and its companions are read as text and go the way pasted text goes (importArticle →
 * importText.ts → units → importUnits); a .docx or XLIFF file goes the way an upload of it goes
 * (upload.ts `prepareUpload` → `importPrepared`), with the same limits.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { BadRequestError } from '../commands/errors.js';
import { importArticle, type ImportResult } from '../commands/importArticle.js';
import { decodeFile } from '../commands/importText.js';
import type { Services } from '../commands/services.js';
import type { Actor } from '../core/types.js';
import { importPrepared, MAX_UPLOAD_BYTES, prepareUpload, type UploadedFile } from './upload.js';

const COMPANION = /\.(src|ref)\.(txt|md|markdown|docx)$/i;
const TEXT_ARTICLE = /\.(txt|md|markdown)$/i;
const ARTICLE = /\.(txt|md|markdown|docx|xlf|xliff|sdlxliff|mqxliff)$/i;

/** What an import of a file on disk did; `warnings` as an upload's preview lists them (XLIFF, DOCX). */
export interface FileImportResult extends ImportResult {
  warnings: string[];
}

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

/** Imports one file, with `NAME.src.txt` and `NAME.ref.txt` (or .md, .docx) beside it when present. */
export async function importFile(services: Services, file: string, actor: Actor): Promise<FileImportResult> {
  const name = basename(file);
  if (!isArticleFile(name)) {
    throw new BadRequestError(`${name}: only .txt, .md, .docx and XLIFF articles can be imported (not source or reference files)`);
  }
  if (!TEXT_ARTICLE.test(name)) return importBinaryFile(services, file, actor);
  const ext = extname(name);
  const stem = file.slice(0, -ext.length);
  const text = await readText(file);
  const source = (await readIfExists(`${stem}.src.txt`)) ?? (await readIfExists(`${stem}.src.md`));
  const reference = (await readIfExists(`${stem}.ref.txt`)) ?? (await readIfExists(`${stem}.ref.md`));
  try {
    const result = await importArticle(services, {
      text,
      format: /^\.(md|markdown)$/i.test(ext) ? 'markdown' : 'text',
      ...(source !== undefined ? { source } : {}),
      ...(reference !== undefined ? { reference } : {}),
      origin: name,
      actor,
    });
    return { ...result, warnings: [] };
  } catch (e) {
    if (e instanceof BadRequestError) throw new BadRequestError(`${name}: ${e.message}`);
    throw e;
  }
}

/** A file read whole, refused over the upload limit (a file on disk gets no more room than an upload). */
async function readUpload(file: string): Promise<UploadedFile | undefined> {
  const name = basename(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (size > MAX_UPLOAD_BYTES) throw new BadRequestError(`${name}: the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  return { name, data: await readFile(file) };
}

async function firstCompanion(stem: string, kind: 'src' | 'ref'): Promise<UploadedFile | undefined> {
  for (const ext of ['.txt', '.md', '.docx']) {
    const found = await readUpload(`${stem}.${kind}${ext}`);
    if (found) return found;
  }
  return undefined;
}

async function importBinaryFile(services: Services, file: string, actor: Actor): Promise<FileImportResult> {
  const stem = file.slice(0, -extname(file).length);
  const main = await readUpload(file);
  if (!main) throw new BadRequestError(`${basename(file)}: no such file`);
  const source = await firstCompanion(stem, 'src');
  const reference = await firstCompanion(stem, 'ref');
  const prepared = await prepareUpload(main, { ...(source ? { source } : {}), ...(reference ? { reference } : {}) });
  return { ...(await importPrepared(services, prepared, actor)), warnings: prepared.warnings };
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
