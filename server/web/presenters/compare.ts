/**
 * The compare page's view of two points of an article's life: changed paragraphs with their marked
 * diffs (side by side or inline), runs of unchanged ones folded, and the points the form offers.
 */
import type { ParagraphComparison } from '../../core/articleState.js';
import type { DiffPart } from '../../core/diff.js';
import type { Article, Revision, Suggestion } from '../../core/types.js';
import { markDiff, type DiffSegment } from '../diffView.js';

/** How many revisions the compare form offers (newest first). */
export const SELECT_REVISIONS = 200;

export const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** One side of a diff: the first text with its deletions marked, or the second with its insertions. */
export function oneSide(parts: DiffPart[], side: 'a' | 'b'): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (p.op === 'equal') out.push(p);
    else if (side === 'a' && p.del) out.push({ ...p, ins: '' });
    else if (side === 'b' && p.ins) out.push({ ...p, del: '' });
  }
  return out;
}

export type ChangedRow = ParagraphComparison & { left: DiffSegment[]; right: DiffSegment[]; inline: DiffSegment[] };

export type Block =
  | { type: 'changed'; row: ChangedRow }
  | { type: 'same'; rows: ParagraphComparison[] };

/** Changed paragraphs one by one; runs of unchanged ones folded together. Paragraphs at neither point are left out. */
export function blocksOf(rows: ParagraphComparison[]): Block[] {
  const blocks: Block[] = [];
  for (const row of rows) {
    if (row.a === undefined && row.b === undefined) continue;
    if (row.changed) {
      blocks.push({ type: 'changed', row: { ...row, left: markDiff(oneSide(row.diff, 'a')), right: markDiff(oneSide(row.diff, 'b')), inline: markDiff(row.diff) } });
      continue;
    }
    const last = blocks.at(-1);
    if (last?.type === 'same') last.rows.push(row);
    else blocks.push({ type: 'same', rows: [row] });
  }
  return blocks;
}

interface PointOption { value: string; label: string }

export interface CompareData {
  article: Article;
  history: Revision[];
  suggestions: Suggestion[];
}

/** What the compare form offers: MT, current, the latest actions, the runs, a typed time. */
export function pointOptions(data: CompareData, selected: string[]) {
  const index = new Map(data.article.paragraphs.map((p) => [p.id, p.index]));
  const describe = (r: Revision, seq: number): PointOption => ({
    value: `rev:${seq}`,
    label: `#${seq} · ${r.action} ¶${(index.get(r.paragraphId) ?? 0) + 1} · ${r.author} · ${when(r.at)}`,
  });
  const total = data.history.length;
  const revisions: PointOption[] = [];
  for (let seq = total; seq >= 1 && seq > total - SELECT_REVISIONS; seq--) revisions.push(describe(data.history[seq - 1]!, seq));
  // A point chosen from further back still shows as selected.
  for (const s of selected) {
    const m = /^rev:(\d+)$/.exec(s);
    const seq = m ? Number(m[1]) : 0;
    if (seq >= 1 && seq <= total - SELECT_REVISIONS) revisions.push(describe(data.history[seq - 1]!, seq));
  }
  const runs = new Map<string, { engine: string; model: string; count: number; at: string }>();
  for (const s of data.suggestions) {
    if (!s.runId) continue;
    const run = runs.get(s.runId) ?? { engine: s.engine, model: s.model, count: 0, at: s.createdAt };
    run.count++;
    runs.set(s.runId, run);
  }
  return {
    revisions,
    olderRevisions: Math.max(0, total - SELECT_REVISIONS),
    runs: [...runs].map(([id, r]): PointOption => ({ value: `run:${id}`, label: `${id} · ${r.engine} ${r.model} · ${r.count} suggestion${r.count === 1 ? '' : 's'}` })),
  };
}
