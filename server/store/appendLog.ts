/**
 * An append-only JSON Lines file. History grows with every action; appending a line keeps each write
 * O(1) where rewriting a whole JSON file would grow with the history.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function appendLines(file: string, items: unknown[]): Promise<void> {
  if (items.length === 0) return;
  await appendFile(file, items.map((i) => JSON.stringify(i)).join('\n') + '\n', 'utf8');
}

/**
 * Reads every complete line. A last line cut short by a crash is reported as `torn` so the caller can
 * rewrite the file without it.
 */
export async function readLines<T>(file: string): Promise<{ items: T[]; torn: boolean }> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { items: [], torn: false };
    throw e;
  }
  const items: T[] = [];
  let torn = false;
  const lines = raw.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      if (i >= lines.length - 2) torn = true;
      else throw new Error(`${file}: line ${i + 1} is not valid JSON`);
    }
  }
  return { items, torn };
}

/** Replaces the file's content atomically (temporary file, then rename). */
export async function rewriteLines(file: string, items: unknown[]): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  await writeFile(tmp, items.map((i) => JSON.stringify(i) + '\n').join(''), 'utf8');
  await rename(tmp, file);
}

/** Replaces a file's content atomically (temporary file, then rename). */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}

/** writeAtomic without leaving the event loop (see appendTextSync). */
export function writeAtomicSync(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, file);
}

/**
 * Appends lines without leaving the event loop: for the small appends of a batch of actions, three
 * short system calls cost less than the thread-pool round trips (open, write, close) of appendFile,
 * each of which waits its turn behind every other request in a busy loop.
 */
export function appendTextSync(file: string, text: string): void {
  if (text) appendFileSync(file, text, 'utf8');
}

export function linesOf(items: unknown[]): string {
  let text = '';
  for (const i of items) text += JSON.stringify(i) + '\n';
  return text;
}
