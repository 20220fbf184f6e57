/**
 * A word diff cut for display: the character spans of fact-guard findings become marked pieces, on
 * the "before" side (deleted and unchanged text) and the "after" side (inserted and unchanged text).
 * Inline-code markers (⟦1⟧, ⟦/1⟧) become pieces of their own that the views show as chips.
 */
import type { DiffPart } from '../core/diff.js';
import type { InlineCode } from '../core/inlineCodes.js';
import type { Finding } from '../core/types.js';

/** An inline code's marker, shown as a protected chip with the code's content as its tooltip. */
export interface CodeChip {
  n: number;
  side: 'start' | 'end';
  /** What the code stands for (`<b>`, `{name}`, `1.0.1`); empty when not known. */
  label: string;
  /** The marker as written in the text. */
  marker: string;
}

export interface DiffPiece {
  text: string;
  /** Messages of the findings this piece belongs to. */
  flag?: string;
  /** Set when the piece is an inline code's marker. */
  code?: CodeChip;
}

const MARKER = /⟦(\/?)(\d{1,4})⟧/g;

/** Pieces cut at inline-code markers: each marker becomes a piece with `code` (its other fields kept). */
export function withCodeChips<T extends { text: string }>(pieces: T[], codes: readonly InlineCode[] = []): Array<T & { code?: CodeChip }> {
  if (!pieces.some((p) => p.text.includes('⟦'))) return pieces;
  const labels = new Map(codes.map((c) => [c.n, c.label]));
  const out: Array<T & { code?: CodeChip }> = [];
  for (const piece of pieces) {
    let at = 0;
    for (const m of piece.text.matchAll(MARKER)) {
      if (m.index > at) out.push({ ...piece, text: piece.text.slice(at, m.index) });
      const n = Number(m[2]);
      out.push({ ...piece, text: m[0], code: { n, side: m[1] ? 'end' : 'start', label: labels.get(n) ?? '', marker: m[0] } });
      at = m.index + m[0].length;
    }
    if (at === 0) out.push(piece);
    else if (at < piece.text.length) out.push({ ...piece, text: piece.text.slice(at) });
  }
  return out;
}

export type DiffSegment =
  | { op: 'equal'; pieces: DiffPiece[] }
  | { op: 'change'; span: number; del: DiffPiece[]; ins: DiffPiece[] };

type Range = { start: number; end: number; message: string };

function cut(text: string, offset: number, ranges: Range[], more: Range[] = [], moreOffset = 0): DiffPiece[] {
  if (!ranges.length && !more.length) return text ? [{ text }] : [];
  const bounds = new Set<number>([0, text.length]);
  const add = (rs: Range[], off: number) => {
    for (const r of rs) {
      if (r.end <= off || r.start >= off + text.length) continue;
      bounds.add(Math.max(0, r.start - off));
      bounds.add(Math.min(text.length, r.end - off));
    }
  };
  add(ranges, offset);
  add(more, moreOffset);
  const cuts = [...bounds].sort((a, b) => a - b);
  const pieces: DiffPiece[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    if (a === b) continue;
    const hit = (rs: Range[], off: number) => rs.filter((r) => r.start < off + b && r.end > off + a).map((r) => r.message);
    const messages = [...new Set([...hit(ranges, offset), ...hit(more, moreOffset)])];
    pieces.push(messages.length ? { text: text.slice(a, b), flag: messages.join(' · ') } : { text: text.slice(a, b) });
  }
  return pieces;
}

export function markDiff(parts: DiffPart[], findings: Finding[] = [], codes: readonly InlineCode[] = []): DiffSegment[] {
  const before: Range[] = [];
  const after: Range[] = [];
  for (const f of findings) {
    if (f.severity !== 'warning') continue;
    for (const [start, end] of f.beforeSpans) before.push({ start, end, message: f.message });
    for (const [start, end] of f.afterSpans) after.push({ start, end, message: f.message });
  }
  let b = 0;
  let a = 0;
  const out: DiffSegment[] = [];
  for (const p of parts) {
    if (p.op === 'equal') {
      out.push({ op: 'equal', pieces: withCodeChips(cut(p.text, b, before, after, a), codes) });
      b += p.text.length;
      a += p.text.length;
    } else {
      out.push({ op: 'change', span: p.span, del: withCodeChips(cut(p.del, b, before), codes), ins: withCodeChips(cut(p.ins, a, after), codes) });
      b += p.del.length;
      a += p.ins.length;
    }
  }
  return out;
}

/** Plain text cut into pieces at the findings' spans (after side), for text shown without a diff. */
export function markText(text: string, findings: Finding[] = [], codes: readonly InlineCode[] = []): DiffPiece[] {
  const ranges = findings.filter((f) => f.severity === 'warning').flatMap((f) => f.afterSpans.map(([start, end]) => ({ start, end, message: f.message })));
  return withCodeChips(cut(text, 0, ranges), codes);
}
