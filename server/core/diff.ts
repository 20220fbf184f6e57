/**
 * Word diff between two texts. The only module that imports `diff`; everything else sees `DiffPart[]`.
 *
 * Texts are cut into words, single punctuation marks and whitespace runs. Every part carries its exact
 * text, so joining the "before" side of the parts gives back the first text and the "after" side the
 * second one, byte for byte. A run of deletions and insertions between two unchanged stretches is one
 * *span*: the unit an editor can take or leave on its own (partial accept).
 */
import { diffArrays } from 'diff';
import { stripMarkers } from './inlineCodes.js';
import type { DiffSummary } from './types.js';

export type DiffPart =
  | { op: 'equal'; text: string }
  | { op: 'change'; del: string; ins: string; span: number };

// Numbers keep their separators ("14,000", "12.4%") and words their inner apostrophes and hyphens
// ("city's", "high-tech"), so a reformatted number or word is one change, not four. An inline-code
// marker (⟦1⟧, ⟦/1⟧: core/inlineCodes.ts) is one token, so a moved code is one deletion and one insertion.
const TOKEN = /⟦\/?\d{1,4}⟧|\s+|\p{N}+(?:[.,:]\p{N}+)*%?(?![\p{L}\p{M}\p{N}])|[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Myers diffs of very different long texts can be slow; past this many ms the whole text is one change. */
const DIFF_TIMEOUT_MS = 500;

export function diffWords(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: 'equal', text: before }] : [];
  const a = tokenize(before);
  const b = tokenize(after);
  const raw = diffArrays(a, b, { timeout: DIFF_TIMEOUT_MS });
  if (!raw) return [{ op: 'change', del: before, ins: after, span: 0 }];

  // Collect runs; an unchanged whitespace token between two changes joins them into one span.
  type Run = { op: 'equal' | 'del' | 'ins'; text: string };
  const runs: Run[] = raw.map((c) => ({
    op: c.added ? 'ins' : c.removed ? 'del' : 'equal',
    text: c.value.join(''),
  }));
  const parts: DiffPart[] = [];
  let del = '';
  let ins = '';
  let open = false;
  const pushEqual = (text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last?.op === 'equal') last.text += text;
    else parts.push({ op: 'equal', text });
  };
  const flush = () => {
    if (open) {
      // Whitespace both sides share at the edges of a change is unchanged text, not part of the span.
      const lead = commonLeadingSpace(del, ins);
      const trail = commonTrailingSpace(del.slice(lead.length), ins.slice(lead.length));
      pushEqual(lead);
      const d = del.slice(lead.length, del.length - trail.length);
      const n = ins.slice(lead.length, ins.length - trail.length);
      if (d || n) parts.push({ op: 'change', del: d, ins: n, span: 0 });
      pushEqual(trail);
    }
    del = ins = '';
    open = false;
  };
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    if (run.op === 'del') { del += run.text; open = true; continue; }
    if (run.op === 'ins') { ins += run.text; open = true; continue; }
    const next = runs[i + 1];
    if (open && next && next.op !== 'equal' && /^\s+$/.test(run.text)) {
      del += run.text;
      ins += run.text;
      continue;
    }
    flush();
    pushEqual(run.text);
  }
  flush();
  let span = 0;
  for (const p of parts) if (p.op === 'change') p.span = span++;
  return parts;
}

function commonLeadingSpace(a: string, b: string): string {
  const x = /^\s*/.exec(a)![0];
  const y = /^\s*/.exec(b)![0];
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i);
}

function commonTrailingSpace(a: string, b: string): string {
  const x = /\s*$/.exec(a)![0];
  const y = /\s*$/.exec(b)![0];
  let i = 0;
  while (i < x.length && i < y.length && x[x.length - 1 - i] === y[y.length - 1 - i]) i++;
  return x.slice(x.length - i);
}

/** Number of changed spans in a diff. */
export function countSpans(parts: DiffPart[]): number {
  return parts.reduce((n, p) => (p.op === 'change' ? n + 1 : n), 0);
}

/** The text that results from taking only the chosen spans of the diff (the rest stays as before). */
export function applySpans(parts: DiffPart[], chosen: Iterable<number>): string {
  const take = new Set(chosen);
  return parts.map((p) => (p.op === 'equal' ? p.text : take.has(p.span) ? p.ins : p.del)).join('');
}

/** Words of a diff side; inline-code markers are not words. */
function words(text: string): number {
  return stripMarkers(text).split(/\s+/).filter(Boolean).length;
}

export function summarizeDiff(parts: DiffPart[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.op !== 'change') continue;
    added += words(p.ins);
    removed += words(p.del);
  }
  return { added, removed };
}

export function diffSummary(before: string, after: string): DiffSummary {
  return summarizeDiff(diffWords(before, after));
}
