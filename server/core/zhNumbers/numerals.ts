/**
 * Chinese numerals read as values: 一万六千, 二〇二三 (digit by digit), 十几 (vague: 10-19), 三四 and
 * 一万六七千 (neighbouring digits: a range), 三点五, and the scale words 万, 亿, 万亿.
 */

export const DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8 };

export const NUMERAL = '[〇零一二两三四五六七八九十百千万亿几]';
export const ZH_DIGITS = '[〇零一二两三四五六七八九]';
export const ARABIC = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;

/** Reads a Chinese numeral run (with 几 and adjacent-digit ranges) as [min, max], or undefined. */
export function parseZhNumeral(run: string): [number, number] | undefined {
  if (!run || /^[万亿]/.test(run)) return undefined;
  if (!/[十百千万亿]/.test(run)) {
    // 二〇二三 / 九二 are read digit by digit; 三四 / 六七 (neighbours) are "three or four".
    if (run.includes('几')) return undefined;
    const digits = [...run].map((c) => DIGIT[c]);
    if (digits.some((d) => d === undefined)) return undefined;
    if (digits.length === 2 && digits[1] === digits[0]! + 1) return [digits[0]!, digits[1]!];
    const v = Number(digits.join(''));
    return [v, v];
  }
  const lo = evaluate(run, 'min');
  const hi = evaluate(run, 'max');
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

function evaluate(run: string, end: 'min' | 'max'): number | undefined {
  let result = 0;
  let section = 0;
  let num: number | undefined;
  /** The unit just before a trailing digit (一万六), or 0 once a 零 says the digit is units. */
  let lastUnit = 0;
  const chars = [...run];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '几') {
      // 十几 is "ten-odd" (from ten), 几十 "some tens" (from ten): after a unit 几 may be nothing.
      num = end === 'max' ? 9 : i > 0 && chars[i - 1]! in UNIT ? 0 : 1;
    } else if (c in DIGIT) {
      const next = chars[i + 1];
      // 一万六七千: two neighbouring digits before a unit are a range.
      if (next && next in DIGIT && DIGIT[next] === DIGIT[c]! + 1 && DIGIT[c] !== 0) {
        num = end === 'min' ? DIGIT[c] : DIGIT[next];
        i++;
      } else if (DIGIT[c] !== 0) {
        num = DIGIT[c];
      } else {
        lastUnit = 0;
      }
    } else if (c in UNIT) {
      section += (num ?? 1) * UNIT[c]!;
      num = undefined;
      lastUnit = UNIT[c]!;
    } else if (c === '万' && chars[i + 1] === '亿') {
      result = (result + section + (num ?? 0)) * 1e12;
      section = 0;
      num = undefined;
      lastUnit = 1e12;
      i++;
    } else if (c in SCALE) {
      const s = SCALE[c]!;
      if (s === 1e8) result = (result + section + (num ?? 0)) * s;
      else result += (section + (num ?? 0)) * s;
      section = 0;
      num = undefined;
      lastUnit = s;
    } else {
      return undefined;
    }
  }
  // 一万六 = 16,000, 三千五 = 3,500: a trailing digit right after a unit is the next unit down.
  const last = chars[chars.length - 1]!;
  const abbreviated = num !== undefined && lastUnit >= 100 && (last in DIGIT || last === '几') && !(chars[chars.length - 2]! in DIGIT);
  return result + section + (num ?? 0) * (abbreviated ? lastUnit / 10 : 1);
}

export function scaleOf(tail: string): number | undefined {
  if (tail === '') return 1;
  let f = 1;
  for (let i = 0; i < tail.length; i++) {
    if (tail[i] === '万' && tail[i + 1] === '亿') {
      f *= 1e12;
      i++;
    } else if (tail[i]! in SCALE) f *= SCALE[tail[i]!]!;
    else if (tail[i]! in UNIT) f *= UNIT[tail[i]!]!;
    else return undefined;
  }
  return f;
}

/** 三, 十二, 3.5, 三点五 as a plain value (no ranges), for fractions and decimals. */
export function plainValue(s: string): number | undefined {
  if (/^[\d,.]+$/.test(s)) return Number(s.replace(/,/g, ''));
  const dot = s.indexOf('点');
  if (dot >= 0) {
    const whole = parseZhNumeral(s.slice(0, dot));
    const frac = [...s.slice(dot + 1)].map((c) => DIGIT[c]);
    if (!whole || whole[0] !== whole[1] || frac.some((d) => d === undefined)) return undefined;
    return Number(`${whole[0]}.${frac.join('')}`);
  }
  return /^[万亿]/.test(s) ? scaleOf(s) : parseZhNumeral(s)?.[0];
}
