/**
 * The article file (the snapshot, see articleJournal.ts): the article and `journalSeq`, the last
 * journal line it includes. Written whole and at once when the store opens or closes and after a
 * failed write; by a compaction while actions go on, in slices (`writeSnapshotSlices`), each a
 * fraction of a millisecond, with the event loop free between them: a 2 MB article never holds up
 * an action for the tens of milliseconds one JSON.stringify and write of it take.
 */
import { open } from 'node:fs/promises';
import type { Article } from '../core/types.js';

/** The article file's text, at once. */
export function snapshotText(article: Article, seq: number): string {
  return JSON.stringify({ ...article, journalSeq: seq });
}

/** About how many characters are stringified and written per turn of the event loop. */
const SLICE = 64 * 1024;

/**
 * Writes the article file's text (as `snapshotText` gives it, up to the order of its keys) into
 * `file`, a paragraph at a time, handing the text to the file every SLICE characters. The article
 * must not change meanwhile: the stores keep their articles frozen (core/draft.ts).
 */
export async function writeSnapshotSlices(file: string, article: Article, seq: number): Promise<void> {
  const { paragraphs, undo, ...rest } = article;
  const head = JSON.stringify({ ...rest, journalSeq: seq });
  const handle = await open(file, 'w');
  try {
    let text = `${head.slice(0, -1)}${undo === undefined ? '' : `,"undo":${JSON.stringify(undo)}`},"paragraphs":[`;
    for (let i = 0; i < paragraphs.length; i++) {
      text += (i ? ',' : '') + JSON.stringify(paragraphs[i]);
      if (text.length >= SLICE) {
        await handle.write(text);
        text = '';
      }
    }
    await handle.write(`${text}]}`);
  } finally {
    await handle.close();
  }
}
