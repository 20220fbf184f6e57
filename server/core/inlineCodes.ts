/**
 * Inline codes (XLIFF `<g>`, `<x/>`, `<ph>`, `<bpt>`/`<ept>`, `<it>`, 2.0 `<pc>`, `<ph/>`, `<sc/>`/`<ec/>`
 * …) inside a paragraph's text, as protected placeholders: `⟦n⟧` for a standalone code or the start of
 * a paired one, `⟦/n⟧` for its end. The paragraph keeps each code's original XML (`Paragraph.codes`),
 * so an export writes the very elements back; engines, the guard and the editor see the markers.
 *
 * Pure functions only: parsing the markers of a text, and checking a rewrite kept every code of the
 * original exactly once (moving is allowed; losing, duplicating, inventing or crossing pairs is not).
 */

/** One inline code of a paragraph, numbered from 1 in source order. */
export interface InlineCode {
  n: number;
  /** `pair`: written as ⟦n⟧…⟦/n⟧; `standalone`: ⟦n⟧ alone. */
  kind: 'pair' | 'standalone';
  /** The original element(s) as they were in the file: for a pair, the opening and the closing XML. */
  open: string;
  close?: string;
  /** What a person sees on hover: the placeholder's content (e.g. `1.0.1`, `<b>`, `{name}`). */
  label: string;
}

export interface Marker {
  n: number;
  /** `start` for ⟦n⟧ (standalone or opening), `end` for ⟦/n⟧. */
  side: 'start' | 'end';
  /** UTF-16 offsets of the marker in the text. */
  start: number;
  end: number;
}

const MARKER = /⟦(\/?)(\d{1,4})⟧/g;

export function openMarker(n: number): string {
  return `⟦${n}⟧`;
}

export function closeMarker(n: number): string {
  return `⟦/${n}⟧`;
}

/** The markers of a text, in order. */
export function markersOf(text: string): Marker[] {
  return [...text.matchAll(MARKER)].map((m) => ({ n: Number(m[2]), side: m[1] ? 'end' : 'start', start: m.index, end: m.index + m[0].length }));
}

/** The text without its markers (for metrics, word counts and checks that ignore codes). */
export function stripMarkers(text: string): string {
  return text.replace(MARKER, '');
}

export interface CodeProblem {
  kind: 'lost' | 'duplicated' | 'invented' | 'unpaired' | 'crossed' | 'reordered';
  n: number;
  message: string;
}

/**
 * What a rewrite did wrong with the codes of `codes` (the original's). Order changes are reported as
 * `reordered` — allowed for an editor (moving a code), flagged for an engine.
 */
export function checkCodes(codes: readonly InlineCode[], before: string, after: string): CodeProblem[] {
  const problems: CodeProblem[] = [];
  const known = new Map(codes.map((c) => [c.n, c]));
  const seen = markersOf(after);
  const count = new Map<string, number>();
  for (const m of seen) count.set(`${m.side}${m.n}`, (count.get(`${m.side}${m.n}`) ?? 0) + 1);
  const label = (n: number) => known.get(n)?.label ? ` (${known.get(n)!.label})` : '';
  for (const m of seen) {
    const code = known.get(m.n);
    if (!code || (m.side === 'end' && code.kind !== 'pair')) {
      problems.push({ kind: 'invented', n: m.n, message: `code ${m.side === 'end' ? closeMarker(m.n) : openMarker(m.n)} is not in the original` });
    }
  }
  for (const c of codes) {
    const sides = c.kind === 'pair' ? (['start', 'end'] as const) : (['start'] as const);
    for (const side of sides) {
      const k = count.get(`${side}${c.n}`) ?? 0;
      const mark = side === 'start' ? openMarker(c.n) : closeMarker(c.n);
      if (k === 0) problems.push({ kind: 'lost', n: c.n, message: `code ${mark}${label(c.n)} was lost` });
      if (k > 1) problems.push({ kind: 'duplicated', n: c.n, message: `code ${mark}${label(c.n)} appears ${k} times` });
    }
  }
  // Pairs: the end after the start, and pairs nested, not crossed.
  const stack: number[] = [];
  for (const m of seen) {
    const code = known.get(m.n);
    if (code?.kind !== 'pair') continue;
    if (m.side === 'start') stack.push(m.n);
    else if (stack.at(-1) === m.n) stack.pop();
    else if (!stack.includes(m.n)) problems.push({ kind: 'unpaired', n: m.n, message: `code ${closeMarker(m.n)} comes before ${openMarker(m.n)}` });
    else {
      problems.push({ kind: 'crossed', n: m.n, message: `code ${closeMarker(m.n)} closes across ${closeMarker(stack.at(-1)!)}` });
      stack.splice(stack.lastIndexOf(m.n), 1);
    }
  }
  if (!problems.length) {
    const order = (t: string) => markersOf(t).map((m) => `${m.side}${m.n}`).join(',');
    if (order(before) !== order(after)) problems.push({ kind: 'reordered', n: 0, message: 'the inline codes are in a different order' });
  }
  return problems;
}

/** Expands the markers of a text into the codes' original XML (`escape` is applied to the text between). */
export function expandCodes(text: string, codes: readonly InlineCode[], escape: (s: string) => string): string {
  const known = new Map(codes.map((c) => [c.n, c]));
  let out = '';
  let at = 0;
  for (const m of markersOf(text)) {
    const code = known.get(m.n);
    if (!code) continue;
    out += escape(text.slice(at, m.start)) + (m.side === 'start' ? code.open : (code.close ?? ''));
    at = m.end;
  }
  return out + escape(text.slice(at));
}
