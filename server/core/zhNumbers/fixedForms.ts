/**
 * Number expressions whose kind the pattern itself tells: numeric dates (2023-02-11), clock times
 * (三点五分, 17时30分), fractions (三分之一, 千分之五) and Five-Year Plans (十四五).
 */
import { ARABIC, DIGIT, plainValue, ZH_DIGITS } from './numerals.js';
import type { Raw, ZhReading } from './types.js';


/** 2023-02-11, 2023/2/11, 2023.2.11: a date, not a range or a decimal. */
const NUMERIC_DATE = /(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)/g;
/** 三点五分, 17时30分, 三点半: a clock time, hour and minutes (the hour also on a 12-hour clock). */
const CLOCK = /(\d{1,2}|[〇零一二两三四五六七八九十]{1,3})[点时](?:(\d{1,2}|[〇零一二两三四五六七八九十]{1,3})分|(半))/g;
/** 十四五 (规划): the 14th Five-Year Plan — not 14 or 15. */
const FIVE_YEAR_PLAN = /十([一二三四五六七八九])五(?=规划|时期|期间|开局|以来|末|初|[”"」』]|$)/g;
/** 三分之一, 千分之五, 2/3 written out: the denominator, then the numerator. 百分之 is a percentage (below). */
const FRACTION = new RegExp(`(${ARABIC}|[〇零一二两三四五六七八九十百千万]+)分之(${ARABIC}|[〇零一二两三四五六七八九十百千]+(?:点${ZH_DIGITS}+)?)`, 'g');

/** 2023-02-11: year, month and day. */
export function numericDates(text: string): Raw[] {
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
export function fiveYearPlans(text: string): Raw[] {
  return [...text.matchAll(FIVE_YEAR_PLAN)].map((m) => {
    const v = 10 + DIGIT[m[1]!]!;
    return { start: m.index, end: m.index + m[0].length, min: v, max: v, arabic: false, positional: false, preset: 'ordinal' as const };
  });
}

/** 三点五分 = 3:05, 十七时三十分 = 17:30 (5:30 p.m.), 三点半 = 3:30. */
export function clockTimes(text: string): Raw[] {
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
export function twelveHour(hour: number): ZhReading[] {
  const h = hour === 0 ? 12 : hour > 12 ? hour - 12 : undefined;
  return h === undefined ? [] : [{ kind: 'number', min: h, max: h }];
}

/** 三分之一 = 1/3 (33.3%), 千分之五 = 0.5%. 百分之 is left to the percentage rule. */
export function fractions(text: string): Raw[] {
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
