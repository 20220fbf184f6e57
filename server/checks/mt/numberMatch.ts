/**
 * How the numbers check compares an MT figure with the source's: rounding slack, readings, a scale
 * misread by a power of ten, the figure a missing source number most likely became, and which
 * source numbers are worth reporting missing.
 */
import type { NumberFact } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import type { ZhNumber } from '../../core/zhNumbers.js';

/** Relative slack for rounding: 3.6% vs 3.59%, 1.2 billion vs 1,196 million. */
const SLACK = 0.011;

/** A major "no such number" flag and the MT figure it is about, for pairing with a missing source number. */
export interface Unsupported {
  flag: MtFlag;
  fact: NumberFact;
}

/**
 * Rounding slack: at most SLACK of the value, and never finer than half a step of the MT's last
 * written digit — "1.2 billion" may round 1,196 million, but "3.707%" is not 3.7%. A year is exact.
 */
export function tolerance(fact: NumberFact, value: number): number {
  if (fact.kind === 'year' || /^\d{4}['’]?s$/.test(fact.text)) return 0;
  const m = /(\d[\d,]*)(?:\.(\d+))?/.exec(fact.text);
  const slack = Math.abs(value) * SLACK;
  if (!m) return slack;
  const scale = fact.value / Number(m[0].replace(/,/g, ''));
  const step = m[2] ? 10 ** -m[2].length : 10 ** ((/0*$/.exec(m[1]!.replace(/,/g, ''))?.[0].length ?? 0));
  return Math.min(slack, (step / 2) * (Number.isFinite(scale) && scale > 0 ? scale : 1));
}

const PERCENT_KINDS = new Set(['percent', 'points']);

export function matchesValue(n: ZhNumber, value: number, fact?: NumberFact): boolean {
  const tol = fact ? tolerance(fact, value) : Math.abs(value) * SLACK;
  const percent = fact && (fact.kind === 'percent' || fact.kind === 'percentage-points');
  // Rounding is half up: 20,665 may be "20,670" but not "20,660".
  const eps = Math.max(1e-9, Math.abs(value) * 1e-12);
  const halfUp = tol > 0 && fact !== undefined && tol < Math.abs(value) * SLACK - eps;
  // 90后 and 90年代 are "the 90s", never "90 years".
  const measured = fact !== undefined && (fact.kind === 'unit' || fact.kind === 'money' || percent);
  return n.readings.some(
    (r) => (!percent || PERCENT_KINDS.has(r.kind)) && !(measured && r.kind === 'decade') && (halfUp ? value > r.min - tol + eps : value >= r.min - tol - eps) && value <= r.max + tol + eps,
  );
}

export function isDigitWritten(fact: NumberFact): boolean {
  return /\d/.test(fact.text);
}

/** The source number the MT value is a power of ten away from (10 to 10,000 times), if one is. */
export function findMisreading(sources: ZhNumber[], value: number): { source: ZhNumber } | undefined {
  for (const n of sources) {
    if (n.kind !== 'number' || n.value === 0) continue;
    const exponent = Math.log10(value / n.value);
    const k = Math.round(exponent);
    if (k !== 0 && Math.abs(k) <= 4 && Math.abs(exponent - k) < 1e-6) return { source: n };
  }
  return undefined;
}

/** The significant digits of a value: 330,600 → "3306", 33.06 → "3306". */
export function significant(v: number): string {
  return String(Number(Math.abs(v).toPrecision(12))).replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
}

/**
 * The unsupported MT figure a missing source number most likely became: of the same sort (a
 * percentage for a percentage), with the same digits or within a factor of 30, the closest.
 */
export function likelyRendering(n: ZhNumber, unsupported: Unsupported[]): Unsupported | undefined {
  const percent = n.kind === 'percent' || n.kind === 'points';
  let best: Unsupported | undefined;
  let bestDistance = Infinity;
  for (const u of unsupported) {
    if (u.fact.kind === 'year' || n.kind === 'year' || n.kind === 'decade' || n.value <= 0 || u.fact.value <= 0) continue;
    if (percent !== (u.fact.kind === 'percent' || u.fact.kind === 'percentage-points')) continue;
    const distance = Math.abs(Math.log10(u.fact.value / n.value));
    if (distance > Math.log10(30) && significant(u.fact.value) !== significant(n.value)) continue;
    if (distance < bestDistance) (best = u), (bestDistance = distance);
  }
  return best;
}

export function worthReporting(n: ZhNumber): boolean {
  if (n.kind === 'month' || n.kind === 'day' || n.kind === 'ordinal' || n.kind === 'fraction') return false;
  const r = n.readings[0]!;
  if (r.min !== r.max) return false;
  return significant(r.min).length >= 2;
}
