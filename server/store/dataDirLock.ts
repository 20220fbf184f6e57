/**
 * Marks a data directory as held by a running server, so command-line tools that would write to the
 * same files behind the server's back can refuse with a clear message instead.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerMark {
  pid: number;
  url: string;
}

const FILE = 'server.json';

/** True while a process with this id runs on this machine. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The server holding the directory, if one is running (a mark left by a dead process is ignored). */
export function runningServer(dataDir: string): ServerMark | undefined {
  try {
    const mark = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as ServerMark;
    return mark.pid !== process.pid && alive(mark.pid) ? mark : undefined;
  } catch {
    return undefined;
  }
}

export function markServer(dataDir: string, url: string): () => void {
  const file = join(dataDir, FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url }));
  return () => rmSync(file, { force: true });
}
