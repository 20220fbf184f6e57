/**
 * Finding an LLM's quoted span in the text it quotes. Models copy spans loosely: curly quotes for
 * straight ones, a dash for a hyphen, collapsed spaces, other capitals, quotes around the whole
 * span. An exact match is tried first, then a normalised one whose offsets map back to the text.
 */

/** Per code unit: same length in, same length out, so offsets survive. */
function foldChar(c: string): string {
  if (/\s/.test(c)) return ' ';
  if (/[“”„‟″«»＂]/.test(c)) return '"';
  if (/[‘’‚‛′＇`]/.test(c)) return "'";
  if (/[‐‑‒–—―−]/.test(c)) return '-';
  const lower = c.toLowerCase();
  return lower.length === 1 ? lower : c;
}

interface Folded {
  text: string;
  /** Offset in the original text of each folded code unit. */
  origin: number[];
}

/** Folds quotes, dashes and case, and collapses each whitespace run to one space. */
function fold(s: string): Folded {
  let text = '';
  const origin: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = foldChar(s[i]!);
    if (c === ' ' && text.endsWith(' ')) continue;
    text += c;
    origin.push(i);
  }
  return { text, origin };
}

function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** Quotes or trailing punctuation a model put around the span it quoted. */
function unwrap(span: string): string {
  return span.trim().replace(/^["'“‘«]+(.*?)["'”’»]+$/s, '$1').trim();
}

/**
 * Every place the span occurs in the text, [] when nowhere: as given, then without quotes or spaces
 * around it; each exact first, then normalised.
 */
export function spanCandidates(text: string, span: string): Array<[number, number]> {
  const variants = [...new Set([span.trim(), unwrap(span)])].filter((v) => v.length > 0);
  let folded: Folded | undefined;
  for (const v of variants) {
    const hits = occurrences(text, v);
    if (hits.length) return hits.map((i) => [i, i + v.length]);
    folded ??= fold(text);
    const needle = fold(v).text;
    const loose = occurrences(folded.text, needle);
    if (loose.length) return loose.map((i) => [folded!.origin[i]!, folded!.origin[i + needle.length - 1]! + 1]);
  }
  return [];
}

/**
 * Places spans in one text in reading order: each goes to its first occurrence not already taken
 * by an earlier span with the same range (a word that occurs twice and is wrong twice is marked
 * twice), or to its first occurrence when all are taken. Null for a span that does not occur.
 */
export class SpanPlacer {
  private readonly used = new Set<string>();

  constructor(private readonly text: string) {}

  place(span: string): [number, number] | null {
    const hits = spanCandidates(this.text, span);
    if (!hits.length) return null;
    const free = hits.find(([s, e]) => !this.used.has(`${s}:${e}`)) ?? hits[0]!;
    this.used.add(`${free[0]}:${free[1]}`);
    return free;
  }
}
