/**
 * The MT's numbers as the numbers check reads them: the shared extractor's, with "half a million"
 * halved and multiples and decades it leaves out; the date part a number plays ("February 9");
 * and the scale a range shares ("4 to 6 million").
 */
import { extractNumbers, type NumberFact } from '../../core/facts.js';

/**
 * What the shared extractor leaves out: multiples written with a sign ("19x", "3.5×") and decades
 * not ending in 0 ("post-95s", "the '85s").
 */
const TIMES_SIGN = /(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?[x×](?![\p{L}\p{N}])/gu;
const DECADE_SUFFIX = /(?<![\w.,])['’]?(\d{2})['’]?s\b/g;
/** Month names: a number next to one is a day of the month ("February 9", "9 Feb."). */
const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DAY_AFTER_MONTH = new RegExp(`\\b${MONTH}\\.?\\s+$`);
const DAY_BEFORE_MONTH = new RegExp(`^(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b`);
/** 2023-02-11 in the MT: month and day. */
const ISO_DATE = /(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])/g;

/**
 * The MT's numbers: the shared extractor's, "half a million" halved, and multiples written with a
 * sign ("up 19x"), which it leaves out.
 */
export function mtFacts(mt: string): NumberFact[] {
  const out: NumberFact[] = [];
  for (const f of extractNumbers(mt)) {
    const half = /\bhalf[\s-]+$/i.exec(mt.slice(Math.max(0, f.span[0] - 8), f.span[0]));
    if (half && /^an?\s/i.test(f.text)) {
      const start = f.span[0] - half[0].length;
      out.push({ ...f, text: mt.slice(start, f.span[1]), span: [start, f.span[1]], value: f.value / 2 });
    } else out.push(f);
  }
  for (const [re, value] of [
    [TIMES_SIGN, (m: RegExpExecArray) => Number(m[1]!.replace(/,/g, '') + (m[2] ?? ''))],
    [DECADE_SUFFIX, (m: RegExpExecArray) => Number(m[1])],
  ] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(mt); m; m = re.exec(mt)) {
      const span: [number, number] = [m.index, m.index + m[0].length];
      if (out.some((f) => f.span[0] < span[1] && span[0] < f.span[1])) continue;
      out.push({ text: m[0], span, value: value(m), kind: 'number' });
    }
  }
  return out.sort((a, b) => a.span[0] - b.span[0]);
}

/**
 * The date part an MT number plays, when the MT says: "February 9" and "9 February" make 9 a day;
 * 2023-02-09 makes 02 a month and 09 a day. A day must then be one of the source's days (and a
 * month one of its months), when the source has any: "February 13" is not the 13 of "13:09".
 */
export function datePart(mt: string, fact: NumberFact): 'month' | 'day' | undefined {
  if (fact.kind !== 'number' && fact.kind !== 'ordinal') return undefined;
  if (!/^\d{1,2}(?:st|nd|rd|th)?$/.test(fact.text)) return undefined;
  const [start, end] = fact.span;
  if (DAY_AFTER_MONTH.test(mt.slice(Math.max(0, start - 12), start)) || DAY_BEFORE_MONTH.test(mt.slice(end, end + 16))) return 'day';
  const from = Math.max(0, start - 8);
  for (const m of mt.slice(from, end + 6).matchAll(ISO_DATE)) {
    const monthAt = from + m.index + m[1]!.length + 1;
    if (start === monthAt) return 'month';
    if (start === monthAt + m[2]!.length + 1) return 'day';
  }
  return undefined;
}

const RANGE_SCALE = /^\s*(?:to|-|–|—|and|or)\s*(?:[A-Z]{0,3}\$|[€£¥])?(?:[\d.,]+|[a-z]+(?:-[a-z]+)?)\s+(thousand|million|billion|trillion)\b/i;
const SCALE_OF: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

export function sharedScale(mt: string, fact: NumberFact): number | undefined {
  const m = RANGE_SCALE.exec(mt.slice(fact.span[1], fact.span[1] + 40));
  return m ? SCALE_OF[m[1]!.toLowerCase()] : undefined;
}
