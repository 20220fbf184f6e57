/**
 * Marks a data directory as held by a running server, so command-line tools that would write to the
 * same files behind the server's back can refuse with a clear message instead.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './processAlive.js';

export interface ServerMark {
  pid: number;
  url: string;
}

const FILE = 'server.json';

/** The server holding the directory, if one is running (a mark left by a dead process is ignored). */
export function runningServer(dataDir: string): ServerMark | undefined {
  try {
    const mark = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as ServerMark;
    return mark.pid !== process.pid && processAlive(mark.pid) ? mark : undefined;
  } catch {
    return undefined;
  }
}

export function markServer(dataDir: string, url: string): () => void {
  const file = join(dataDir, FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url }));
  return () => rmSync(file, { force: true });
}
