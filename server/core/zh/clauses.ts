/**
 * Chinese sentences cut into clauses on their punctuation (，。；：！？、 and ASCII , ; : ! ?), with
 * UTF-16 spans. Punctuation inside parentheses and book-title marks (（…） 《…》 【…】) does not cut:
 * an aside or a title stays with its clause. Quotes do cut (a quote can hold whole sentences), but
 * quote marks and punctuation are trimmed from the edges of each clause.
 */

export interface ZhClause {
  text: string;
  /** UTF-16 offsets into the split text; the clause without its edge punctuation and spaces. */
  start: number;
  end: number;
}

const CUT = new Set([...'，。；：！？、,;:!?…']);
const OPEN = new Set([...'（(《【〔[']);
const CLOSE = new Set([...'）)》】〕]']);
/** Trimmed from a clause's edges: spaces, quotes, dashes and the cutting marks. */
const EDGE = /[\s"'“”‘’「」『』—\-·，。；：！？、,;:!?…]/u;

export function splitZhClauses(text: string): ZhClause[] {
  const clauses: ZhClause[] = [];
  let depth = 0;
  let from = 0;
  const close = (to: number): void => {
    let start = from;
    let end = to;
    while (start < end && EDGE.test(text[start]!)) start++;
    while (end > start && EDGE.test(text[end - 1]!)) end--;
    if (end > start) clauses.push({ text: text.slice(start, end), start, end });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && CUT.has(ch) && !isNumberPunctuation(text, i)) {
      close(i);
      from = i + 1;
    }
  }
  close(text.length);
  return clauses;
}

/** "3,000" and "12:30": a comma or colon between digits is part of a number. */
function isNumberPunctuation(text: string, i: number): boolean {
  const ch = text[i];
  return (ch === ',' || ch === ':') && /\d/u.test(text[i - 1] ?? '') && /\d/u.test(text[i + 1] ?? '');
}
