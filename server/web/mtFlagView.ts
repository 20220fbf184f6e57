/**
 * The MT and its source cut for display at the MT flags' spans: each flagged stretch of the MT
 * becomes a piece that names its flags (by index into the paragraph's flag list), a flag that marks
 * a point (something missing) becomes an empty piece at that place, and the source is cut at the
 * flags' counterparts so that focusing a flag can light up what the source says.
 */
import type { MtFlag } from '../core/types.js';

export interface FlagPiece {
  text: string;
  /** Indices of the flags covering this piece (empty: plain text). */
  flags: number[];
  /** The worst severity among them. */
  severity?: 'major' | 'minor';
  /** A point flag (start === end): shown as a marker between characters. */
  point?: boolean;
}

function worst(flags: readonly MtFlag[], ids: number[]): 'major' | 'minor' | undefined {
  if (!ids.length) return undefined;
  return ids.some((i) => flags[i]!.severity === 'major') ? 'major' : 'minor';
}

function cutAt(text: string, ranges: Array<{ start: number; end: number; id: number }>, flags: readonly MtFlag[]): FlagPiece[] {
  const spans = ranges.filter((r) => r.end > r.start && r.start < text.length).map((r) => ({ ...r, end: Math.min(r.end, text.length) }));
  const points = ranges.filter((r) => r.end === r.start).map((r) => ({ at: Math.min(Math.max(r.start, 0), text.length), id: r.id }));
  const bounds = new Set<number>([0, text.length]);
  for (const r of spans) {
    bounds.add(Math.max(0, r.start));
    bounds.add(r.end);
  }
  for (const p of points) bounds.add(p.at);
  const cuts = [...bounds].sort((a, b) => a - b);
  const out: FlagPiece[] = [];
  const pointsAt = (at: number) => {
    const ids = points.filter((p) => p.at === at).map((p) => p.id);
    if (ids.length) out.push({ text: '', flags: ids, severity: worst(flags, ids)!, point: true });
  };
  for (let i = 0; i < cuts.length - 1; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    pointsAt(a);
    const ids = spans.filter((r) => r.start < b && r.end > a).map((r) => r.id);
    const severity = worst(flags, ids);
    out.push(severity ? { text: text.slice(a, b), flags: ids, severity } : { text: text.slice(a, b), flags: [] });
  }
  pointsAt(text.length);
  if (!text.length && !out.length) return [];
  return out;
}

/** The MT cut at its flags' spans. */
export function mtPieces(mt: string, flags: readonly MtFlag[]): FlagPiece[] {
  return cutAt(mt, flags.map((f, id) => ({ start: f.start, end: f.end, id })), flags);
}

/** The source cut at the flags' counterparts in it. */
export function sourcePieces(source: string, flags: readonly MtFlag[]): FlagPiece[] {
  const ranges = flags.flatMap((f, id) => (f.sourceSpans ?? []).filter(([s, e]) => e > s).map(([start, end]) => ({ start, end, id })));
  return cutAt(source, ranges, flags);
}

export const MT_FLAG_LABELS: Record<MtFlag['kind'], string> = {
  number: 'number',
  magnitude: 'magnitude',
  name: 'name',
  untranslated: 'untranslated',
  omission: 'omission',
  length: 'length',
  term: 'term',
  llm: 'LLM',
};
