/**
 * What a number expression is read as, from the words around it: an ordinal (第), a percentage
 * (百分之, %, 三成), percentage points, a multiple (倍), a decade (年代, 90后), a year, a month or a
 * day; approximate (约, 多, 左右); and every value it may stand for.
 */
import { twelveHour } from './fixedForms.js';
import type { Raw, ZhNumber, ZhNumberKind, ZhReading } from './types.js';


/** 成 followed by these is a verb (成为, 成功), not "tenths". */
export const CHENG_WORD = /^成[为功立长本果员效绩就熟交]/;
const APPROX_BEFORE = /(?:约|近|逾|超过?|大约|将近|接近|约为|上)$/;
/** 300多, 100人左右: the measure word may sit between the number and 左右. */
const APPROX_AFTER = /^(?:多|余|来|[个人名家位天岁元次只件]?(?:左右|上下))/;

/** A raw reading with its kind, approximation and readings: the number as `extractZhNumbers` returns it. */
export function describe(original: string, text: string, r: Raw): ZhNumber {
  let { start, end } = r;
  if (r.preset) {
    const readings: ZhReading[] = [{ kind: r.preset, min: r.min, max: r.max }, ...(r.extra ?? [])];
    return { text: original.slice(start, end), span: [start, end], value: r.min, kind: r.preset, readings };
  }
  const before = text.slice(Math.max(0, start - 4), start);
  let kind: ZhNumberKind = 'number';
  if (/第$/.test(before)) {
    start -= 1;
    kind = 'ordinal';
  }
  if (/百分之$/.test(before)) {
    start -= 3;
    kind = 'percent';
  }
  let approximate = r.approximate === true || APPROX_BEFORE.test(before);
  const approxAfter = APPROX_AFTER.exec(text.slice(end));
  if (approxAfter) {
    end += approxAfter[0].length;
    approximate = true;
  }
  const { min, max } = r;
  /** 三成 is 30%. */
  let factor = 1;
  const after = text.slice(end, end + 5);
  let suffix = 0;
  if (kind === 'number') {
    if (/^个百分点/.test(after)) (kind = 'points'), (suffix = 4);
    else if (/^百分点/.test(after)) (kind = 'points'), (suffix = 3);
    else if (/^ ?[%％]/.test(after)) (kind = 'percent'), (suffix = after.indexOf('%') + 1 || after.indexOf('％') + 1);
    else if (/^成/.test(after) && !CHENG_WORD.test(after) && max <= 10) {
      kind = 'percent';
      suffix = 1;
      factor = 10;
    } else if (/^倍/.test(after)) (kind = 'multiple'), (suffix = 1);
    else if (/^年代/.test(after)) (kind = 'decade'), (suffix = 2);
    // 90后, 95后, 00后: people born in the 1990s, the late 1990s, the 2000s.
    else if (/^后/.test(after) && r.end - r.start === 2 && (r.arabic || r.positional) && min === max && min % 5 === 0) (kind = 'decade'), (suffix = 1);
    else if (/^年/.test(after) && (r.positional || r.arabic) && (r.points !== undefined || min === max) && (r.points ?? [min]).every((a) => a >= 1000 || (r.end - r.start === 2 && r.positional)))
      (kind = 'year'), (suffix = 1);
    else if (/^月/.test(after) && min >= 1 && max <= 12 && !/^月[份]?[内来]/.test(after)) (kind = 'month'), (suffix = 1);
    else if (/^[日号]/.test(after) && min >= 1 && max <= 31) (kind = 'day'), (suffix = 1);
  }
  end += suffix;
  // Each value the number stands for, as [min, max]: one for an exact or vague number, one per end of a range.
  const values: Array<[number, number]> = r.points ? r.points.map((v) => [v, v]) : [[r.min, r.max]];
  const amount = kind === 'number' || kind === 'percent' || kind === 'points' || kind === 'multiple';
  if (amount && r.mid !== undefined) values.push([r.mid, r.mid]);
  for (const v of values) (v[0] *= factor), (v[1] *= factor);
  const readings: ZhReading[] = values.map(([a, b]) => ({ kind, min: a, max: b }));
  const written = r.end - r.start;
  // 九二共识, 92年, 90年代, 五六十年代, 90后: a two-digit year stands for 19xx or 20xx.
  for (const [a, b] of values) {
    const twoDigit = a === b && a < 100 && (kind === 'decade' || ((r.positional || r.arabic) && (kind === 'year' || (r.positional && written === 2))));
    if (!twoDigit) continue;
    const k = kind === 'decade' ? 'decade' : 'year';
    readings.push({ kind: k, min: 1900 + a, max: 1900 + a });
    if (a < 50) readings.push({ kind: k, min: 2000 + a, max: 2000 + a });
  }
  if (kind === 'percent' || kind === 'points') readings.push(...values.map(([a, b]) => ({ kind: 'number' as const, min: a, max: b })));
  // 增长2倍: "200%" as well as "two-fold".
  if (kind === 'multiple') readings.push(...values.map(([a, b]) => ({ kind: 'percent' as const, min: a * 100, max: b * 100 })));
  // 17时, 17点: also 5 p.m.
  if (kind === 'number' && min === max && Number.isInteger(min) && min <= 24 && /^[时点]/.test(text.slice(end))) readings.push(...twelveHour(min));
  const n: ZhNumber = { text: original.slice(start, end), span: [start, end], value: r.min, kind, readings };
  if (r.points && r.points.length === 2) n.range = [r.points[0]! * factor, r.points[1]! * factor];
  if (approximate) n.approximate = true;
  return n;
}
