/**
 * Flags the numbers check raises on pairs and repeats of MT figures: a range with a wrong end ("6 to
 * 6 million" for 400万至600万), and a figure repeated where the source has another ("from 64 to 64").
 */
import type { NumberFact } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import type { ZhNumber } from '../../core/zhNumbers.js';
import { sharedScale } from './numberFacts.js';
import { isDigitWritten, tolerance } from './numberMatch.js';
import { formatNumber, NUMBERS_CHECK_ID as ID, spelledOut } from './numberWording.js';

/** "4 to 6 million", "between 90,000 and 120,000", "3-5": two MT figures written as a range. */
const RANGE_BETWEEN = /^\s*(?:to|-|–|—|~)\s*$/i;

/**
 * A range in the MT whose one end is a source range's end but whose other end is not the other
 * end ("6 to 6 million" for 400万至600万): the wrong end is flagged, unless already flagged.
 */
export function rangeFlags(mt: string, facts: NumberFact[], sources: ZhNumber[], flags: MtFlag[]): MtFlag[] {
  const out: MtFlag[] = [];
  const ranges = sources.filter((n) => n.range);
  if (!ranges.length) return out;
  for (let i = 0; i + 1 < facts.length; i++) {
    const [a, b] = [facts[i]!, facts[i + 1]!];
    const gap = mt.slice(a.span[1], b.span[0]);
    const between = /\bbetween\s+(?:\S+\s+)?$/i.test(mt.slice(Math.max(0, a.span[0] - 14), a.span[0]));
    if (!RANGE_BETWEEN.test(gap) && !(between && /^\s*and\s*$/i.test(gap))) continue;
    const shared = sharedScale(mt, a);
    const aValues = shared ? [a.value, a.value * shared] : [a.value];
    const near = (f: NumberFact, values: number[], v: number) => values.some((x) => Math.abs(x - v) <= tolerance(f, x) + 1e-9);
    if (ranges.some((n) => near(a, aValues, n.range![0]) && near(b, [b.value], n.range![1]))) continue;
    for (const n of ranges) {
      const [lo, hi] = n.range!;
      const [aLo, aHi, bLo, bHi] = [near(a, aValues, lo), near(a, aValues, hi), near(b, [b.value], lo), near(b, [b.value], hi)];
      if (aHi && bLo) continue; // reversed, "from 800,000 down to 600,000": the same range
      // One end right and the other not the other end, or an end in the wrong place ("17,000 to 7,000" for 一万六七千).
      const wrong = (bHi && !aLo) || (aHi && !aLo && !bHi) ? a : (aLo && !bHi) || (bLo && !bHi && !aLo) ? b : undefined;
      if (!wrong || flags.some((f) => f.start < wrong.span[1] && wrong.span[0] < f.end)) continue;
      const end = wrong === a ? `starts at ${formatNumber(lo)}` : `ends at ${formatNumber(hi)}`;
      out.push({
        start: wrong.span[0],
        end: wrong.span[1],
        kind: 'number',
        severity: 'major',
        message: `MT: ${wrong.text} — the source range ${n.text} ${end}`,
        check: ID,
        sourceSpans: [n.span],
      });
      break;
    }
  }
  return out;
}

const FAMILY = (kind: string): string =>
  kind === 'percent' || kind === 'points' || kind === 'percentage-points' ? 'percent' : kind === 'year' || kind === 'ordinal' ? kind : 'amount';

/**
 * A source number the MT lacks where the MT repeats another ("from 64 to 64" for 从62岁推迟到64岁,
 * "5 new products and 5 existing ones" for 新发产品5只、存续产品2只): the MT has that figure more
 * often than the source, and the extra copy sits, in number order, where the missing one does.
 * The extra copy is flagged with the source number it displaced.
 */
export function repeatFlags(
  facts: NumberFact[],
  matchesOf: Map<NumberFact, ZhNumber[]>,
  sources: ZhNumber[],
  placed: Set<ZhNumber>,
  used: Set<ZhNumber>,
  flags: MtFlag[],
): MtFlag[] {
  const out: MtFlag[] = [];
  const missing = sources.filter((n) => !placed.has(n) && n.kind !== 'month' && n.kind !== 'day' && n.kind !== 'fraction' && n.kind !== 'decade');
  if (!missing.length) return out;
  // "first", "two": small number words match too loosely to say where the MT is.
  const seq = facts.filter((f) => matchesOf.get(f)?.length && (isDigitWritten(f) || f.value > 10));
  const index = (n: ZhNumber) => sources.indexOf(n);
  for (const [j, o] of seq.entries()) {
    if (!/\d/.test(o.text) || flags.some((f) => f.start < o.span[1] && o.span[0] < f.end)) continue;
    const own = matchesOf.get(o)!;
    const group = seq.filter((f) => matchesOf.get(f)!.some((n) => own.includes(n)));
    const groupSources = new Set(group.flatMap((f) => matchesOf.get(f)!));
    if (group.length <= groupSources.size) continue;
    const prev = seq[j - 1] ? matchesOf.get(seq[j - 1]!)!.map(index) : [-1];
    const next = seq[j + 1] ? matchesOf.get(seq[j + 1]!)!.map(index) : [sources.length];
    const fits = missing.filter(
      (u) => FAMILY(u.kind) === FAMILY(o.kind === 'money' || o.kind === 'unit' ? 'number' : o.kind) && prev.some((i) => i < index(u)) && next.some((i) => i > index(u)),
    );
    const u = fits[0];
    if (!u) continue;
    missing.splice(missing.indexOf(u), 1);
    used.add(u);
    out.push({
      start: o.span[0],
      end: o.span[1],
      kind: 'number',
      severity: 'major',
      message: `MT: ${o.text} — repeated, where the source has ${u.text}${spelledOut(u)}`,
      check: ID,
      sourceSpans: [u.span],
    });
  }
  return out;
}
