/**
 * Number expressions of a Chinese text, with UTF-16 spans and every value they may be read as:
 * Arabic and full-width digits, decimals (3.5, 三点五), Chinese numerals (一万六千, 二〇二三), mixed
 * forms (2927亿, 33.06万, 1.2万亿), percentages (百分之五, 5%, 三成, 千分之五), percentage points,
 * multiples (倍, also as a percentage), fractions (三分之一), approximations (约, 近, 超过, 多, 余,
 * 左右, 近万: the value as written, marked approximate), colloquial ranges (一万六七千, 三四个: each
 * end and the middle; 十几: vague), explicit ranges (3-5, 3至5: each end), years (2023年, 九二共识,
 * 90年代, 90后), dates (2月3日, 2023-02-11), clock times (17时 is also 5 p.m., 三点半) and ordinals
 * (第一, 十四五). Idioms built on numerals (一些, 一样, 万一, 统一, 一点一滴) are not numbers.
 */
import { clockTimes, fiveYearPlans, fractions, numericDates } from './zhNumbers/fixedForms.js';
import { ARABIC, NUMERAL, parseZhNumeral, plainValue, scaleOf, ZH_DIGITS } from './zhNumbers/numerals.js';
import { CHENG_WORD, describe } from './zhNumbers/readings.js';
import type { Raw, ZhNumber } from './zhNumbers/types.js';

export type { ZhNumber, ZhNumberKind, ZhReading } from './zhNumbers/types.js';
export { parseZhNumeral };

/**
 * One number: a Chinese decimal (三点五, 一点五亿; not the clock time 三点五分), Arabic digits with an
 * optional Chinese tail (2927亿, 1.2万亿), or a Chinese run.
 */
const NUMBER = new RegExp(
  `([〇零一二两三四五六七八九十百千]+点${ZH_DIGITS}+(?![〇零一二两三四五六七八九十分钟秒])(?:万亿|[万亿])?)` +
    `|(${ARABIC})([余多]?${NUMERAL}*)|(${NUMERAL}+(?:[余多][万亿]+)?)`,
  'g',
);
const RANGE_JOINER = /^\s*[-~～—–至到]\s*$/;

/** Measure words, units and words a Chinese numeral run must precede to count as a number. */
const COUNTED = new RegExp(
  '^(?:[个位名人家次项件座条种只台辆架艘本张份批场届期所例天岁元块周户套股层栋部支篇首轮季点时处间国省市县区级类款道门枚颗棵头匹粒片段句字秒角年月日号倍成大%％]' +
    '|小时|分钟|美元|欧元|英镑|公里|千米|英里|米|平方|公顷|亩|吨|斤|公斤|克|度|千瓦|兆瓦|季度|百分点|个百分点|多|余|来)',
);
/** 近万, 上万, 万余, 千多: a bare 百/千/万/亿 is "a hundred", "ten thousand" next to these words. */
const BARE_UNIT_BEFORE = /(?:约|近|逾|超过?|上|过|将近|接近)$/;

const toAscii = (s: string): string => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/．/g, '.');

function readRaw(text: string, m: RegExpExecArray): Raw | undefined {
  const start = m.index;
  if (m[1] !== undefined) {
    // 三点五, 一点五亿: a Chinese decimal, then its scale.
    const scale = /(万亿|[万亿])$/.exec(m[1])?.[1] ?? '';
    const v = plainValue(m[1].slice(0, m[1].length - scale.length));
    if (v === undefined) return undefined;
    const f = scaleOf(scale) ?? 1;
    return { start, end: start + m[1].length, min: v * f, max: v * f, arabic: false, positional: false, decimal: scale === '' };
  }
  if (m[2] !== undefined) {
    const base = Number(m[2].replace(/,/g, ''));
    const approx = (m[3] ?? '').startsWith('余') || (m[3] ?? '').startsWith('多');
    // Only the scale part of the tail belongs to the number: 5千米 is five km, 5千万 is 50 million.
    const after = text.slice(start + m[2].length + (approx ? 1 : 0));
    const scaleTail = /^(?:万亿|[十百千]?[万亿]|[十百千](?![米克瓦]))/.exec(after)?.[0] ?? '';
    const f = scaleOf(scaleTail) ?? 1;
    const v = base * f;
    if (approx && scaleTail === '') return { start, end: start + m[2].length, min: v, max: v, arabic: true, positional: false };
    // 500余万: "over five million", read as five million.
    if (approx) return { start, end: start + m[2].length + 1 + scaleTail.length, min: v, max: v, arabic: true, positional: false, approximate: true };
    return { start, end: start + m[2].length + scaleTail.length, min: v, max: v, arabic: true, positional: false };
  }
  const whole = m[4]!;
  // 三十多万: the approximation sits before the scale.
  const approx = /([余多])([万亿]+)$/.exec(whole);
  const run = approx ? whole.slice(0, approx.index) + approx[2] : whole;
  // 近万, 上万, 万余: a bare 万 or 亿 counts next to an approximation.
  if (/^(?:万|亿|万亿)$/.test(run) && (BARE_UNIT_BEFORE.test(text.slice(Math.max(0, start - 2), start)) || /^[余多]/.test(text.slice(start + run.length)))) {
    const v = scaleOf(run)!;
    return { start, end: start + run.length, min: v, max: v, arabic: false, positional: false };
  }
  const parsed = parseZhNumeral(run);
  if (!parsed) return undefined;
  const ranged = parsed[0] !== parsed[1];
  // 几 is vague (十几: 10-19); neighbouring digits are two values (三四: 3 or 4, 一万六七千: 16,000 or 17,000).
  const colloquial = ranged && !run.includes('几') ? { points: [parsed[0], parsed[1]], mid: (parsed[0] + parsed[1]) / 2 } : {};
  if (approx) return { start, end: start + whole.length, min: parsed[0], max: parsed[1], ...colloquial, arabic: false, positional: false, approximate: true };
  return {
    start,
    end: start + run.length,
    min: parsed[0],
    max: parsed[1],
    ...colloquial,
    arabic: false,
    positional: !/[十百千万亿]/.test(run),
  };
}

/** Every number expression of a Chinese text. */
export function extractZhNumbers(original: string): ZhNumber[] {
  const text = toAscii(original);
  const fixed = [...numericDates(text), ...fractions(text), ...clockTimes(text), ...fiveYearPlans(text)].sort((a, b) => a.start - b.start);
  const inside = (i: number) => fixed.find((f) => i >= f.start && i < f.end);
  const raws: Raw[] = [...fixed];
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m; m = NUMBER.exec(text)) {
    const taken = inside(m.index);
    if (taken) {
      NUMBER.lastIndex = taken.end;
      continue;
    }
    const raw = readRaw(text, m);
    if (!raw) continue;
    if (!raw.arabic) {
      // 5千米: the 千 is part of the unit after an Arabic number.
      const prev = raws.filter((r) => !r.preset).at(-1);
      if (prev?.end === raw.start && prev.arabic) continue;
      const after = text.slice(raw.end, raw.end + 4);
      const before = text.slice(Math.max(0, raw.start - 4), raw.start);
      const counted = (COUNTED.test(after) && !CHENG_WORD.test(after)) || /第$|百分之$/.test(before);
      // 百人 counts, 千万不要 ("by all means") does not: a run led by 百/千 needs a measure word.
      const ledByUnit = /^[百千万亿]/.test(text.slice(raw.start, raw.end));
      const digitLike = !ledByUnit && !raw.decimal && raw.end - raw.start >= 2 && !(raw.positional && raw.min === raw.max && raw.min < 10);
      // 周三一度 is "on Wednesday, at one point", not 31.
      const weekday = raw.positional && /(?:周|星期|礼拜)$/.test(before);
      if ((!counted && !digitLike) || weekday) continue;
    }
    NUMBER.lastIndex = raw.end;
    raws.push(raw);
  }
  raws.sort((a, b) => a.start - b.start);
  // 3-5, 3至5年: two numbers joined by a range mark are one range, read as either end.
  const merged: Raw[] = [];
  for (const r of raws) {
    const prev = merged[merged.length - 1];
    if (prev && !prev.preset && !r.preset && RANGE_JOINER.test(text.slice(prev.end, r.start)) && r.max >= prev.min) {
      const { mid: _mid, ...rest } = r;
      merged[merged.length - 1] = {
        ...rest,
        start: prev.start,
        min: prev.min,
        max: r.max,
        points: [...new Set([...(prev.points ?? [prev.min]), ...(r.points ?? [r.max])])],
        positional: false,
        approximate: prev.approximate || r.approximate,
      };
    } else merged.push(r);
  }
  return merged.map((r) => describe(original, text, r));
}
