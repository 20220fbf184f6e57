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
export type ZhNumberKind = 'number' | 'percent' | 'points' | 'multiple' | 'fraction' | 'year' | 'decade' | 'month' | 'day' | 'ordinal';

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
  /** An explicit or colloquial range (3至5, 400万至600万, 三四): its two ends, which a translation keeps in order. */
  range?: [number, number];
  /**
   * 约, 近, 超过, 多, 余, 左右 and the like: the source hedges, the translation says "about",
   * "nearly", "more than" — and keeps the written figure, which is the reading.
   */
  approximate?: boolean;
}

const DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8 };

const NUMERAL = '[〇零一二两三四五六七八九十百千万亿几]';
const ZH_DIGITS = '[〇零一二两三四五六七八九]';
const ARABIC = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
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
/** 2023-02-11, 2023/2/11, 2023.2.11: a date, not a range or a decimal. */
const NUMERIC_DATE = /(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)/g;
/** 三点五分, 17时30分, 三点半: a clock time, hour and minutes (the hour also on a 12-hour clock). */
const CLOCK = /(\d{1,2}|[〇零一二两三四五六七八九十]{1,3})[点时](?:(\d{1,2}|[〇零一二两三四五六七八九十]{1,3})分|(半))/g;
/** 十四五 (规划): the 14th Five-Year Plan — not 14 or 15. */
const FIVE_YEAR_PLAN = /十([一二三四五六七八九])五(?=规划|时期|期间|开局|以来|末|初|[”"」』]|$)/g;
/** 三分之一, 千分之五, 2/3 written out: the denominator, then the numerator. 百分之 is a percentage (below). */
const FRACTION = new RegExp(`(${ARABIC}|[〇零一二两三四五六七八九十百千万]+)分之(${ARABIC}|[〇零一二两三四五六七八九十百千]+(?:点${ZH_DIGITS}+)?)`, 'g');

/** Measure words, units and words a Chinese numeral run must precede to count as a number. */
const COUNTED = new RegExp(
  '^(?:[个位名人家次项件座条种只台辆架艘本张份批场届期所例天岁元块周户套股层栋部支篇首轮季点时处间国省市县区级类款道门枚颗棵头匹粒片段句字秒角年月日号倍成大%％]' +
    '|小时|分钟|美元|欧元|英镑|公里|千米|英里|米|平方|公顷|亩|吨|斤|公斤|克|度|千瓦|兆瓦|季度|百分点|个百分点|多|余|来)',
);
/** 成 followed by these is a verb (成为, 成功), not "tenths". */
const CHENG_WORD = /^成[为功立长本果员效绩就熟交]/;
const APPROX_BEFORE = /(?:约|近|逾|超过?|大约|将近|接近|约为|上)$/;
/** 300多, 100人左右: the measure word may sit between the number and 左右. */
const APPROX_AFTER = /^(?:多|余|来|[个人名家位天岁元次只件]?(?:左右|上下))/;
/** 近万, 上万, 万余, 千多: a bare 百/千/万/亿 is "a hundred", "ten thousand" next to these words. */
const BARE_UNIT_BEFORE = /(?:约|近|逾|超过?|上|过|将近|接近)$/;

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

/** 三, 十二, 3.5, 三点五 as a plain value (no ranges), for fractions and decimals. */
function plainValue(s: string): number | undefined {
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

interface Raw {
  start: number;
  end: number;
  min: number;
  max: number;
  /** The values an explicit or colloquial range stands for (its ends); absent: [min, max] as one reading. */
  points?: number[];
  /** 一万六七千 may come out as "about 16,500": the middle of a colloquial range, for amounts. */
  mid?: number;
  arabic: boolean;
  positional: boolean;
  approximate?: boolean;
  /** 三点五: needs a measure word or scale, or 一点一滴 would be 1.1. */
  decimal?: boolean;
  /** A kind known from the pattern (dates, fractions): the suffix rules do not apply. */
  preset?: ZhNumberKind;
  /** Extra readings a preset pattern brings (a fraction as a percentage). */
  extra?: ZhReading[];
}

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

/** 2023-02-11: year, month and day. */
function numericDates(text: string): Raw[] {
  const out: Raw[] = [];
  NUMERIC_DATE.lastIndex = 0;
  for (let m = NUMERIC_DATE.exec(text); m; m = NUMERIC_DATE.exec(text)) {
    const [y, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    let at = m.index;
    for (const [part, value, kind] of [[m[1]!, y, 'year'], [m[3]!, month, 'month'], [m[4]!, day, 'day']] as const) {
      const s = text.indexOf(part, at);
      out.push({ start: s, end: s + part.length, min: value, max: value, arabic: true, positional: false, preset: kind });
      at = s + part.length;
    }
  }
  return out;
}

/** 十三五 = the 13th (Five-Year Plan). */
function fiveYearPlans(text: string): Raw[] {
  return [...text.matchAll(FIVE_YEAR_PLAN)].map((m) => {
    const v = 10 + DIGIT[m[1]!]!;
    return { start: m.index, end: m.index + m[0].length, min: v, max: v, arabic: false, positional: false, preset: 'ordinal' as const };
  });
}

/** 三点五分 = 3:05, 十七时三十分 = 17:30 (5:30 p.m.), 三点半 = 3:30. */
function clockTimes(text: string): Raw[] {
  const out: Raw[] = [];
  CLOCK.lastIndex = 0;
  for (let m = CLOCK.exec(text); m; m = CLOCK.exec(text)) {
    const hour = plainValue(m[1]!);
    const minute = m[3] ? 30 : plainValue(m[2]!);
    if (hour === undefined || minute === undefined || hour > 24 || minute > 59) continue;
    const start = m.index;
    const hourEnd = start + m[1]!.length;
    out.push({ start, end: hourEnd, min: hour, max: hour, arabic: false, positional: false, preset: 'number', extra: twelveHour(hour) });
    const minuteStart = hourEnd + 1;
    out.push({ start: minuteStart, end: start + m[0].length, min: minute, max: minute, arabic: false, positional: false, preset: 'number' });
  }
  return out;
}

/** 17 o'clock is also 5 (p.m.); 0 o'clock is 12 (a.m.). */
function twelveHour(hour: number): ZhReading[] {
  const h = hour === 0 ? 12 : hour > 12 ? hour - 12 : undefined;
  return h === undefined ? [] : [{ kind: 'number', min: h, max: h }];
}

/** 三分之一 = 1/3 (33.3%), 千分之五 = 0.5%. 百分之 is left to the percentage rule. */
function fractions(text: string): Raw[] {
  const out: Raw[] = [];
  FRACTION.lastIndex = 0;
  for (let m = FRACTION.exec(text); m; m = FRACTION.exec(text)) {
    if (m[1] === '百') continue;
    const denominator = plainValue(m[1]!);
    const numerator = plainValue(m[2]!);
    if (!denominator || numerator === undefined) continue;
    const start = m.index;
    const end = start + m[0].length;
    const v = numerator / denominator;
    if (denominator === 1000 || denominator === 10000) {
      out.push({ start, end, min: v * 100, max: v * 100, arabic: false, positional: false, preset: 'percent', extra: [{ kind: 'number', min: v * 100, max: v * 100 }] });
    } else {
      out.push({ start, end, min: v, max: v, arabic: false, positional: false, preset: 'fraction', extra: [{ kind: 'percent', min: v * 100, max: v * 100 }] });
    }
  }
  return out;
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

function describe(original: string, text: string, r: Raw): ZhNumber {
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
