/**
 * Working with texts that hold inline-code markers (⟦n⟧, ⟦/n⟧: see inlineCodes.ts) in the rest of the
 * app. Pure.
 *
 *  - `stripForChecks`: the text without markers plus a map of offsets back into the original, so
 *    checks that must not see codes as words or numbers (the fact guard, the MT checks) run on the
 *    stripped text and their spans still point into the text the editor sees;
 *  - `maskCodes`: each marker replaced by one private-use character that no text rule touches (an
 *    engine rewrites around it and `unmask` puts the markers back);
 *  - `codeProblems`: what a new text did wrong with the codes of the text it replaces, relative to the
 *    codes the text held (a paragraph's `codes` may list more: those of a merged neighbour, or those a
 *    revert left out of the text), with `describeCodeProblems` for one line a person can act on;
 *  - `codesFor`: the codes a piece of text holds (split and merge move codes with their text).
 */
import { checkCodes, markersOf, type CodeProblem, type InlineCode } from './inlineCodes.js';

const ANY_MARKER = /⟦\/?\d{1,4}⟧/;

export function hasMarkers(text: string): boolean {
  return text.includes('⟦') && ANY_MARKER.test(text);
}

export interface StrippedText {
  text: string;
  /** Offset in the stripped text → offset in the original: a start moves past markers, an end stays before them. */
  start(offset: number): number;
  end(offset: number): number;
}

/** The text without its markers, and the way back to the original's offsets. */
export function stripForChecks(text: string): StrippedText {
  const markers = hasMarkers(text) ? markersOf(text) : [];
  if (!markers.length) return { text, start: (o) => o, end: (o) => o };
  // pos[i]: where the stripped text's i-th code unit is in the original.
  const pos: number[] = [];
  let out = '';
  let at = 0;
  for (const m of markers) {
    for (let i = at; i < m.start; i++) pos.push(i);
    out += text.slice(at, m.start);
    at = m.end;
  }
  for (let i = at; i < text.length; i++) pos.push(i);
  out += text.slice(at);
  const clamp = (o: number) => Math.max(0, Math.min(o, pos.length));
  return {
    text: out,
    start: (o) => (clamp(o) < pos.length ? pos[clamp(o)]! : text.length),
    end: (o) => (clamp(o) === 0 ? (pos.length ? pos[0]! : 0) : pos[clamp(o) - 1]! + 1),
  };
}

/** Maps a [start, end) span of the stripped text back; an empty span (a point) stays a point. */
export function mapSpan(s: StrippedText, [start, end]: readonly [number, number]): [number, number] {
  if (end <= start) {
    const at = s.start(start);
    return [at, at];
  }
  return [s.start(start), Math.max(s.start(start), s.end(end))];
}

/** First character of the private-use block used by `maskCodes`; one per marker, in order. */
const MASK_BASE = 0xf0000;

export interface MaskedText {
  text: string;
  /** The masked text (as changed) with the markers back in place. */
  unmask(masked: string): string;
}

/**
 * Each marker becomes one supplementary private-use character (not a letter, digit, space or
 * punctuation to any regular expression), so spacing, glossary and number rules leave codes alone.
 */
export function maskCodes(text: string): MaskedText {
  const markers = hasMarkers(text) ? markersOf(text) : [];
  if (!markers.length) return { text, unmask: (t) => t };
  const originals: string[] = [];
  const masked = text.replace(/⟦\/?\d{1,4}⟧/g, (m) => {
    originals.push(m);
    return String.fromCodePoint(MASK_BASE + originals.length - 1);
  });
  return {
    text: masked,
    unmask: (t) => t.replace(/[\u{F0000}-\u{FFFFD}]/gu, (c) => originals[c.codePointAt(0)! - MASK_BASE] ?? c),
  };
}

/** The markers of a text as a sequence (`1`, `/1`, …): equal when the codes are the same and in the same order. */
export function markerSequence(text: string): string {
  return hasMarkers(text) ? markersOf(text).map((m) => `${m.side === 'end' ? '/' : ''}${m.n}`).join(',') : '';
}

/** The codes `text` holds: from `codes` where listed, else inferred from the markers (a pair when its end is there too). */
export function codesFor(text: string, codes: readonly InlineCode[] = []): InlineCode[] {
  const markers = hasMarkers(text) ? markersOf(text) : [];
  if (!markers.length) return [];
  const known = new Map(codes.map((c) => [c.n, c]));
  const out = new Map<number, InlineCode>();
  for (const m of markers) {
    if (out.has(m.n)) continue;
    const listed = known.get(m.n);
    if (listed) out.set(m.n, listed);
    else {
      const paired = markers.some((x) => x.n === m.n && x.side === 'end');
      out.set(m.n, { n: m.n, kind: paired ? 'pair' : 'standalone', open: '', label: '' });
    }
  }
  return [...out.values()].sort((a, b) => a.n - b.n);
}

function withoutCodes(text: string, skip: ReadonlySet<number>): string {
  if (!skip.size) return text;
  return text.replace(/⟦(\/?)(\d{1,4})⟧/g, (m, _slash: string, n: string) => (skip.has(Number(n)) ? '' : m));
}

/**
 * What `after` did wrong with the codes `before` holds: lost, duplicated, invented, unpaired, crossed,
 * reordered (see checkCodes). Codes the paragraph lists (`codes`) but `before` does not hold are
 * neither expected nor invented.
 */
export function codeProblems(codes: readonly InlineCode[] | undefined, before: string, after: string): CodeProblem[] {
  if (!hasMarkers(before) && !hasMarkers(after)) return [];
  const expected = codesFor(before, codes);
  const held = new Set(expected.map((c) => c.n));
  const spare = new Set((codes ?? []).map((c) => c.n).filter((n) => !held.has(n)));
  return checkCodes(expected, withoutCodes(before, spare), withoutCodes(after, spare));
}

/** Problems an editor's text may not have: everything but a moved code. */
export function blockingCodeProblems(problems: readonly CodeProblem[]): CodeProblem[] {
  return problems.filter((p) => p.kind !== 'reordered');
}

/** "code ⟦1⟧ (<b>) was lost; code ⟦2⟧ appears 2 times". */
export function describeCodeProblems(problems: readonly CodeProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}

/** Spans [start, end) of the markers of code `n` (both sides) in a text; every marker when `n` is 0. */
export function markerSpans(text: string, n: number): Array<[number, number]> {
  return (hasMarkers(text) ? markersOf(text) : []).filter((m) => n === 0 || m.n === n).map((m) => [m.start, m.end]);
}
