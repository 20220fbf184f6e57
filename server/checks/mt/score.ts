/**
 * Scoring MT flags against professional MQM annotations (pure functions): span precision / recall per
 * flag kind. A flag is right when it overlaps a rater's error span on the MT; an omission flag is right
 * when its `sourceSpans` overlap a rater's source-side span, or when a rater marked the trailing
 * "something missing" space of the MT. Recall counts the rater spans of a kind that a flag of that kind overlaps.
 */
import type { MtFlag, MtFlagKind } from '../../core/types.js';

/** One MQM error as found in either eval file (`side` field, or null offsets + `src_start` for source-side ones). */
export interface MqmError {
  category: string;
  severity?: string;
  rater?: string;
  side?: 'mt' | 'src';
  start: number | null;
  end: number | null;
  span?: string;
  src_start?: number | null;
  src_end?: number | null;
}

/** An annotated error reduced to where it points and which flag kind it is evidence for. */
export interface RaterSpan {
  side: 'mt' | 'src';
  start: number;
  end: number;
  kind: MtFlagKind | undefined;
}

const NUMBER_WORD = /\d|[〇零一二三四五六七八九十百千万亿两]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|percent|first|second|third)\b/i;
const NAME_WORD = /\b[A-Z][a-z]+/;
const HAN = /\p{Script=Han}/u;

export const CATEGORY_MAPPING = [
  'Accuracy/Omission* → omission (source-side spans and trailing "something missing" spaces)',
  'Accuracy/Untranslated, Source language fragment → untranslated',
  'Terminology/* → term',
  'Accuracy/Mistranslation with a number in the span → number',
  'Accuracy/Mistranslation with a capitalised name in the span → name',
];

/** Which flag kind a rater's span is evidence for, from its category and the text it covers. */
export function kindOfError(category: string, text: string): MtFlagKind | undefined {
  const c = category.toLowerCase();
  if (c.includes('omission')) return 'omission';
  if (c.includes('untranslated') || c.includes('source language fragment')) return 'untranslated';
  if (c.startsWith('terminology')) return 'term';
  if (c.includes('mistranslation')) {
    if (NUMBER_WORD.test(text)) return 'number';
    if (NAME_WORD.test(text) || HAN.test(text)) return 'name';
  }
  return undefined;
}

/** The rater spans of one line, in one shape; null or malformed offsets are dropped. */
export function raterSpans(mt: string, src: string, errors: readonly MqmError[]): RaterSpan[] {
  const out: RaterSpan[] = [];
  for (const e of errors) {
    let side: 'mt' | 'src';
    let start: number | null | undefined;
    let end: number | null | undefined;
    if (e.side === 'src' || (e.side === undefined && e.start === null)) {
      side = 'src';
      start = e.side === 'src' ? e.start : e.src_start;
      end = e.side === 'src' ? e.end : e.src_end;
    } else {
      side = 'mt';
      start = e.start;
      end = e.end;
    }
    if (typeof start !== 'number' || typeof end !== 'number' || end < start) continue;
    const text = (side === 'mt' ? mt : src).slice(start, end);
    const trailingSpace = side === 'mt' && text.trim() === '' && start >= mt.trimEnd().length;
    out.push({ side, start, end, kind: trailingSpace ? 'omission' : kindOfError(e.category, text) });
  }
  return out;
}

/** Half-open overlap; a point (start === end) counts as touching the characters on either side. */
export function overlaps(a: [number, number], b: [number, number]): boolean {
  const [as, ae] = a[0] === a[1] ? [a[0] - 1, a[0] + 1] : a;
  const [bs, be] = b[0] === b[1] ? [b[0] - 1, b[0] + 1] : b;
  return as < be && bs < ae;
}

/** Whether a flag overlaps a rater's span (see the module comment for omissions). */
export function flagHits(flag: MtFlag, span: RaterSpan, mt: string): boolean {
  if (span.side === 'mt') {
    if (span.kind === 'omission' && span.start >= mt.trimEnd().length) return flag.kind === 'omission' || overlaps([flag.start, flag.end], [span.start, span.end]);
    return overlaps([flag.start, flag.end], [span.start, span.end]);
  }
  return (flag.sourceSpans ?? []).some((s) => overlaps(s, [span.start, span.end]));
}

export interface KindScore {
  flags: number;
  rightFlags: number;
  raterSpans: number;
  foundSpans: number;
}

export type Scores = Map<MtFlagKind, KindScore>;

const emptyScore = (): KindScore => ({ flags: 0, rightFlags: 0, raterSpans: 0, foundSpans: 0 });

/** Adds one line's flags and rater spans to running per-kind scores. */
export function scoreLine(scores: Scores, mt: string, flags: readonly MtFlag[], spans: readonly RaterSpan[]): Scores {
  const at = (k: MtFlagKind) => scores.get(k) ?? scores.set(k, emptyScore()).get(k)!;
  for (const f of flags) {
    const s = at(f.kind);
    s.flags++;
    if (spans.some((r) => flagHits(f, r, mt))) s.rightFlags++;
  }
  for (const r of spans) {
    if (!r.kind) continue;
    const s = at(r.kind);
    s.raterSpans++;
    if (flags.some((f) => f.kind === r.kind && flagHits(f, r, mt))) s.foundSpans++;
  }
  return scores;
}

const pct = (n: number, d: number) => (d === 0 ? '   —' : `${((100 * n) / d).toFixed(1).padStart(5)} %`);

/** The per-kind table printed by `npm run qe -- --score`. */
export function formatScores(scores: Scores): string {
  const lines = ['kind          flags  precision  rater spans  recall'];
  for (const [kind, s] of [...scores].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${kind.padEnd(12)} ${String(s.flags).padStart(6)}  ${pct(s.rightFlags, s.flags).padStart(9)}  ${String(s.raterSpans).padStart(11)}  ${pct(s.foundSpans, s.raterSpans)}`);
  }
  const num = scores.get('number');
  lines.push('', `number flags agreeing with a rater: ${num ? pct(num.rightFlags, num.flags).trim() : '—'} (target ≥ 85 %)`);
  lines.push('', 'MQM category → kind:', ...CATEGORY_MAPPING.map((m) => `  ${m}`));
  return lines.join('\n');
}
