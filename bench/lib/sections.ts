/** Where a new RESULTS.md section goes the first time it is written (writeSection appends at the end otherwise). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resultsFile } from './report.js';

/**
 * Puts empty markers for `name` after the first of the `after` sections present, else before the
 * hand-written "## Analysis", so measured sections stay together. Does nothing if the markers exist.
 */
export function placeSectionAfter(name: string, after: string[]): void {
  if (!existsSync(resultsFile)) return;
  const doc = readFileSync(resultsFile, 'utf8');
  if (doc.includes(`<!-- bench:${name}:start -->`)) return;
  const markers = `<!-- bench:${name}:start -->\n<!-- bench:${name}:end -->`;
  for (const other of after) {
    const end = `<!-- bench:${other}:end -->`;
    const at = doc.indexOf(end);
    if (at >= 0) {
      const cut = at + end.length;
      writeFileSync(resultsFile, `${doc.slice(0, cut)}\n\n${markers}${doc.slice(cut)}`);
      return;
    }
  }
  const at = doc.search(/^## Analysis/m);
  if (at >= 0) writeFileSync(resultsFile, `${doc.slice(0, at)}${markers}\n\n${doc.slice(at)}`);
}
