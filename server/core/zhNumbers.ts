/**
 * Number expressions of a Chinese text, with UTF-16 spans and every value they may be read as:
 * Arabic and full-width digits, decimals, Chinese numerals (一万六千, 二〇二三), mixed forms (2927亿,
 * 33.06万, 1.2万亿), percentages (百分之五, 5%, 三成), percentage points, multiples (倍),
 * approximations (约, 近, 多, 余, 左右 widen the value to a range), colloquial ranges (一万六七千,
 * 三四个, 十几), explicit ranges (3-5, 3至5), years (2023年, 九二共识, 90年代), dates (2月3日) and
 * ordinals (第一). Idioms built on numerals (一些, 一样, 万一, 统一) are not numbers.
 */
export type ZhNumberKind = 'number' | 'percent' | 'points' | 'multiple' | 'year' | 'decade' | 'month' | 'day' | 'ordinal';

export interface ZhReading {
  kind: ZhNumberKind;
  /** Inclusive range; min === max for an exact value. */
  min: number;
  max: number;
}

export interface ZhNumber {
  text: string;
  span: [number, number];
  /** The value as written (the lower end of a range), for messages. */
  value: number;
  kind: ZhNumberKind;
  readings: ZhReading[];
}

const DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8 };

const NUMERAL = '[〇零一二两三四五六七八九十百千万亿几]';
const ARABIC = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
/** One number: Arabic digits with an optional Chinese tail (2927亿, 1.2万亿), or a Chinese run. */
const NUMBER = new RegExp(`(${ARABIC})([余多]?${NUMERAL}*)|(${NUMERAL}+(?:[余多][万亿]+)?)`, 'g');
const RANGE_JOINER = /^\s*[-~～—–至到]\s*$/;

/** Measure words, units and words a Chinese numeral run must precede to count as a number. */
const COUNTED = new RegExp(
  '^(?:[个位名人家次项件座条种只台辆架艘本张份批场届期所例天岁元块周户套股层栋部支篇首轮季点处间国省市县区级类款道门枚颗棵头匹粒片段句字秒角年月日号倍成%％]' +
    '|小时|分钟|美元|欧元|英镑|公里|千米|英里|米|平方|公顷|亩|吨|斤|公斤|克|度|千瓦|兆瓦|季度|百分点|个百分点|多|余|来)',
);
/** 成 followed by these is a verb (成为, 成功), not "tenths". */
const CHENG_WORD = /^成[为功立长本果员效绩就熟交]/;
const APPROX_BEFORE = /(?:约|近|逾|超过?|大约|将近|接近|约为)$/;
/** 300多, 100人左右: the measure word may sit between the number and 左右. */
const APPROX_AFTER = /^(?:多|余|来|[个人名家位天岁元次只件]?(?:左右|上下))/;

const toAscii = (s: string): string => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/．/g, '.');

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
      num = end === 'min' ? 1 : 9;
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

function scaleOf(tail: string): number | undefined {
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

interface Raw {
  start: number;
  end: number;
  min: number;
  max: number;
  arabic: boolean;
  positional: boolean;
}

function readRaw(text: string, m: RegExpExecArray): Raw | undefined {
  const start = m.index;
  if (m[1] !== undefined) {
    const base = Number(m[1].replace(/,/g, ''));
    const approx = (m[2] ?? '').startsWith('余') || (m[2] ?? '').startsWith('多');
    // Only the scale part of the tail belongs to the number: 5千米 is five km, 5千万 is 50 million.
    const after = text.slice(start + m[1].length + (approx ? 1 : 0));
    const scaleTail = /^(?:万亿|[十百千]?[万亿]|[十百千](?![米克瓦]))/.exec(after)?.[0] ?? '';
    const f = scaleOf(scaleTail) ?? 1;
    const v = base * f;
    if (approx && scaleTail === '') return { start, end: start + m[1].length, min: v, max: v, arabic: true, positional: false };
    // 500余万: "over five million", a range up to the next step.
    if (approx) return { start, end: start + m[1].length + 1 + scaleTail.length, min: v, max: v + placeOfLastDigit(v), arabic: true, positional: false };
    return { start, end: start + m[1].length + scaleTail.length, min: v, max: v, arabic: true, positional: false };
  }
  const whole = m[3]!;
  // 三十多万: the approximation sits before the scale.
  const approx = /([余多])([万亿]+)$/.exec(whole);
  const run = approx ? whole.slice(0, approx.index) + approx[2] : whole;
  const parsed = parseZhNumeral(run);
  if (!parsed) return undefined;
  if (approx) return { start, end: start + whole.length, min: parsed[0], max: parsed[1] + placeOfLastDigit(parsed[1]), arabic: false, positional: false };
  return { start, end: start + run.length, min: parsed[0], max: parsed[1], arabic: false, positional: !/[十百千万亿]/.test(run) };
}

/** Every number expression of a Chinese text. */
export function extractZhNumbers(original: string): ZhNumber[] {
  const text = toAscii(original);
  const raws: Raw[] = [];
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m; m = NUMBER.exec(text)) {
    const raw = readRaw(text, m);
    if (!raw) continue;
    if (!raw.arabic) {
      // 5千米: the 千 is part of the unit after an Arabic number.
      if (raws[raws.length - 1]?.end === raw.start && raws[raws.length - 1]!.arabic) continue;
      const after = text.slice(raw.end, raw.end + 4);
      const before = text.slice(Math.max(0, raw.start - 4), raw.start);
      const counted = (COUNTED.test(after) && !CHENG_WORD.test(after)) || /第$|百分之$/.test(before);
      // 百人 counts, 千万不要 ("by all means") does not: a run led by 百/千 needs a measure word.
      const ledByUnit = /^[百千]/.test(text.slice(raw.start, raw.end));
      const digitLike = !ledByUnit && raw.end - raw.start >= 2 && !(raw.positional && raw.min === raw.max && raw.min < 10);
      // 周三一度 is "on Wednesday, at one point", not 31.
      const weekday = raw.positional && /(?:周|星期|礼拜)$/.test(before);
      if ((!counted && !digitLike) || weekday) continue;
    }
    NUMBER.lastIndex = raw.end;
    raws.push(raw);
  }
  // 3-5, 3至5年: two numbers joined by a range mark are one range.
  const merged: Raw[] = [];
  for (const r of raws) {
    const prev = merged[merged.length - 1];
    if (prev && RANGE_JOINER.test(text.slice(prev.end, r.start)) && r.max >= prev.min) {
      merged[merged.length - 1] = { ...r, start: prev.start, min: prev.min, max: r.max, positional: false };
    } else merged.push(r);
  }
  return merged.map((r) => describe(original, text, r));
}

/** 300 → 100, 30 → 10, 1.5 → 0.1: the value of one step in the last non-zero written digit. */
function placeOfLastDigit(v: number): number {
  if (v <= 0) return 1;
  let place = 10 ** Math.floor(Math.log10(v));
  while (place > 1e-6 && Math.abs(v / place - Math.round(v / place)) > 1e-9) place /= 10;
  return place;
}

function describe(original: string, text: string, r: Raw): ZhNumber {
  let { start, end, min, max } = r;
  const before = text.slice(Math.max(0, start - 4), start);
  let kind: ZhNumberKind = 'number';
  const readings: ZhReading[] = [];
  if (/第$/.test(before)) {
    start -= 1;
    kind = 'ordinal';
  }
  if (/百分之$/.test(before)) {
    start -= 3;
    kind = 'percent';
  }
  const approxBefore = APPROX_BEFORE.test(before);
  const approxAfter = APPROX_AFTER.exec(text.slice(end));
  if (approxAfter) end += approxAfter[0].length;
  if (approxAfter && /^[多余来]/.test(approxAfter[0])) {
    // "300多" is 300-399, "十多" 11-19: up to the next step of the last written digit.
    max = max + placeOfLastDigit(max);
  } else if (approxAfter) {
    // 左右, 上下: either side.
    min = min * 0.8;
    max = max * 1.2;
  }
  if (approxBefore) {
    // 约300, 近300, 超过300: either side, a fifth at most.
    min = min * 0.8;
    max = max * 1.2;
  }
  const after = text.slice(end, end + 5);
  let suffix = 0;
  if (kind === 'number') {
    if (/^个百分点/.test(after)) (kind = 'points'), (suffix = 4);
    else if (/^百分点/.test(after)) (kind = 'points'), (suffix = 3);
    else if (/^ ?[%％]/.test(after)) (kind = 'percent'), (suffix = after.indexOf('%') + 1 || after.indexOf('％') + 1);
    else if (/^成/.test(after) && !CHENG_WORD.test(after) && max <= 10) {
      kind = 'percent';
      suffix = 1;
      min *= 10;
      max *= 10;
    } else if (/^倍/.test(after)) (kind = 'multiple'), (suffix = 1);
    else if (/^年代/.test(after)) (kind = 'decade'), (suffix = 2);
    else if (/^年/.test(after) && (r.positional || r.arabic) && min === max && (min >= 1000 || (r.end - r.start === 2 && r.positional)) ) (kind = 'year'), (suffix = 1);
    else if (/^月/.test(after) && min >= 1 && max <= 12 && !/^月[份]?[内来]/.test(after)) (kind = 'month'), (suffix = 1);
    else if (/^[日号]/.test(after) && min >= 1 && max <= 31) (kind = 'day'), (suffix = 1);
  }
  end += suffix;
  readings.push({ kind, min, max });
  // 九二共识, 92年, 90年代: a two-digit year stands for 19xx or 20xx.
  const twoDigit =
    min === max && min < 100 && (kind === 'decade' || ((r.positional || r.arabic) && (kind === 'year' || (r.positional && r.end - r.start === 2))));
  if (twoDigit) {
    readings.push({ kind: kind === 'decade' ? 'decade' : 'year', min: 1900 + min, max: 1900 + min });
    readings.push({ kind: kind === 'decade' ? 'decade' : 'year', min: 2000 + min, max: 2000 + min });
  }
  if (kind === 'percent' || kind === 'points') readings.push({ kind: 'number', min, max });
  return { text: original.slice(start, end), span: [start, end], value: min === max ? min : r.min, kind, readings };
}
