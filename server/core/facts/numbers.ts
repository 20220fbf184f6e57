/** Numbers of an English (or mixed) text with their value, kind, unit and span: digits, words, scales, money, per cent. */
import { recent, type Span } from './words.js';

export type NumberKind = 'number' | 'year' | 'ordinal' | 'percent' | 'percentage-points' | 'money' | 'unit';

export interface NumberFact {
  /** The expression as written, with its currency, scale and unit: `US$2.5 billion`, `12.4 per cent`. */
  text: string;
  span: Span;
  value: number;
  kind: NumberKind;
  /** Currency code (`CNY`, `USD`…) for money, canonical unit (`km`, `kg`, `year`…) for units. */
  unit?: string;
  /** A bare "one" is as often a pronoun as a number: it is compared but never reported missing. */
  weak?: boolean;
}

export const SMALL_NUMBERS = table({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
});
export const TENS = table({
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
});
const ORDINAL_WORDS = table({
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30, fortieth: 40,
  fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100,
});
const SCALE_WORDS = table({ hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 });
const SCALE_ABBREVIATIONS = table({ bn: 1e9, bln: 1e9, mn: 1e6, mln: 1e6, tn: 1e12, trn: 1e12 });
/** "5m", "3k": a scale only next to a currency ("$5m"); elsewhere "m" may be metres. */
const MONEY_SCALES = table({ k: 1e3, m: 1e6, b: 1e9 });
const CJK_SCALES = table({ 万亿: 1e12, 亿: 1e8, 万: 1e4 });

/** A lookup that cannot answer from Object.prototype (`constructor`, `toString`). */
function table(entries: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(entries));
}

const CURRENCY_NAMES: Array<[RegExp, string | undefined]> = [
  [/^(?:yuan|renminbi|rmb|cny|元)$/i, 'CNY'],
  [/^(?:us\$|u\.s\.\s?\$|usd|u\.?s\.?\s+dollars?|\$|dollars?)$/i, 'USD'],
  [/^(?:hk\$|hkd|hong\s+kong\s+dollars?|hk\s+dollars?)$/i, 'HKD'],
  [/^nt\$$/i, 'TWD'],
  [/^s\$$/i, 'SGD'],
  [/^a\$$/i, 'AUD'],
  [/^c\$$/i, 'CAD'],
  [/^(?:€|eur|euros?)$/i, 'EUR'],
  [/^(?:£|gbp|pounds?(?:\s+sterling)?)$/i, 'GBP'],
  [/^(?:yen|jpy)$/i, 'JPY'],
  // Ringgit and patacas: Malaysian and Macanese Chinese-language news.
  [/^(?:rm|myr|ringgits?)$/i, 'MYR'],
  [/^(?:mop\$?|patacas?)$/i, 'MOP'],
  // The yen sign stands for yuan in Chinese news: money of unknown currency.
  [/^[¥￥]$/, undefined],
];

const UNIT_NAMES: Array<[string, string]> = [
  ['km2|km²|sq\\.? ?km|square kilomet(?:re|er)s?', 'km2'],
  ['m2|m²|sq\\.? ?m|square met(?:re|er)s?', 'm2'],
  ['km/h|kph|kilomet(?:re|er)s per hour', 'km/h'],
  ['mph|miles per hour', 'mph'],
  ['km|kilomet(?:re|er)s?', 'km'],
  ['cm|centimet(?:re|er)s?', 'cm'],
  ['mm|millimet(?:re|er)s?', 'mm'],
  ['m|met(?:re|er)s?', 'm'],
  ['miles?', 'mile'],
  ['hectares?|ha', 'ha'],
  ['mu', 'mu'],
  ['kg|kilo(?:gram)?s?', 'kg'],
  ['grams?', 'g'],
  ['tonnes?|tons?', 't'],
  ['lit(?:re|er)s?', 'l'],
  ['°C|℃|degrees? (?:Celsius|centigrade)', '°C'],
  ['°F|℉|degrees? Fahrenheit', '°F'],
  ['°|degrees?', '°'],
  ['kWh|kilowatt[ -]hours?', 'kWh'],
  ['TWh|GWh|MWh', 'Wh'],
  ['kW|kilowatts?', 'kW'],
  ['MW|megawatts?', 'MW'],
  ['GW|gigawatts?', 'GW'],
  ['seconds?|secs?', 's'],
  ['minutes?|mins?', 'min'],
  ['hours?|hrs?', 'h'],
  ['days?', 'day'],
  ['weeks?', 'week'],
  ['months?', 'month'],
  ['years?', 'year'],
];

const DIGITS = String.raw`\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+`;
const ATOM = new RegExp(`(${DIGITS})(\\.\\d+)?|\\b([A-Za-z]+)\\b`, 'g');
const LATIN_OR_DIGIT = /[A-Za-z0-9]/;

const sticky = (source: string, flags = 'iy'): RegExp => new RegExp(source, flags);
const SCALE_WORD_AFTER = sticky(`[\\s\\u00a0-]*(${[...SCALE_WORDS.keys()].join('|')})\\b`);
const SCALE_ABBR_AFTER = sticky(`\\s?(${[...SCALE_ABBREVIATIONS.keys()].join('|')})\\b`);
const MONEY_SCALE_AFTER = sticky('([kmb])(?![A-Za-z])');
const CJK_SCALE_AFTER = sticky('(万亿|亿|万)', 'y');
const ORDINAL_SUFFIX = sticky('(?:st|nd|rd|th)\\b');
const PERCENT_AFTER = sticky('\\s*(?:%|％|percent\\b|per[\\s-]cent\\b|pct\\b)');
const POINTS_AFTER = sticky('\\s*(?:percentage[\\s-]points?\\b|pct\\.? points?\\b|pp\\b|ppts?\\b|个百分点)');
const CURRENCY_AFTER = sticky(
  '\\s*(yuan|renminbi|rmb|cny|usd|hkd|eur|gbp|jpy|u\\.s\\.\\s+dollars?|us\\s+dollars?|hong\\s+kong\\s+dollars?|hk\\s+dollars?|dollars?|euros?|pounds?(?:\\s+sterling)?|yen|ringgits?|patacas?)\\b|\\s*(元)',
);
const UNIT_AFTER = sticky(`[\\s\\u00a0-]*(${UNIT_NAMES.map(([p]) => p).join('|')})(?![A-Za-z0-9²])`);
const CURRENCY_BEFORE =
  /(?:^|[^A-Za-z])(US\$|U\.S\.\s?\$|HK\$|NT\$|S\$|A\$|C\$|MOP\$?|RMB|CNY|USD|EUR|GBP|HKD|JPY|MYR|RM|\$|€|£|¥|￥)\s?$/di;

function currencyCode(name: string): { code: string | undefined } | undefined {
  const clean = name.trim().replace(/\s+/g, ' ');
  for (const [pattern, code] of CURRENCY_NAMES) if (pattern.test(clean)) return { code };
  return undefined;
}

function unitCode(name: string): string | undefined {
  for (const [pattern, code] of UNIT_NAMES) if (new RegExp(`^(?:${pattern})$`, 'i').test(name)) return code;
  return undefined;
}

/** Reads the pattern at `pos`; returns its match and moves nothing when it does not match there. */
function readAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

interface WordNumber {
  end: number;
  value: number;
  ordinal: boolean;
  weak: boolean;
}

const WORD_AFTER = /(\s+and\s+|[\s\u00a0-]+)?([A-Za-z]+)\b/y;

/** Reads "two hundred and fifty", "twenty-first", "a billion", "one" from `start`. */
function readWordNumber(text: string, start: number): WordNumber | undefined {
  let total = 0;
  let current = 0;
  let last: 'none' | 'article' | 'small' | 'tens' | 'hundred' | 'scale' = 'none';
  let pos = start;
  let end = start;
  let tokens = 0;
  let firstWord = '';
  for (;;) {
    const m = readAt(WORD_AFTER, text, pos);
    if (!m) break;
    const sep = m[1] ?? '';
    if ((tokens === 0) !== (sep === '')) break;
    const word = m[2]!.toLowerCase();
    if (sep.trim() === 'and' && !(last === 'hundred' || last === 'scale')) break;
    if (tokens === 0) firstWord = word;
    const small = SMALL_NUMBERS.get(word);
    const tens = TENS.get(word);
    const scale = SCALE_WORDS.get(word);
    const ordinal = ORDINAL_WORDS.get(word);
    if ((word === 'a' || word === 'an') && last === 'none') {
      current = 1;
      last = 'article';
    } else if (small !== undefined && (last === 'none' || last === 'hundred' || last === 'scale' || (last === 'tens' && small > 0 && small < 10))) {
      current += small;
      last = 'small';
    } else if (tens !== undefined && (last === 'none' || last === 'hundred' || last === 'scale')) {
      current += tens;
      last = 'tens';
    } else if (scale === 100 && (last === 'small' || last === 'tens' || last === 'article')) {
      current *= 100;
      last = 'hundred';
    } else if (scale !== undefined && scale > 100 && last !== 'none' && last !== 'scale') {
      total += current * scale;
      current = 0;
      last = 'scale';
    } else if (ordinal !== undefined && (last === 'none' || last === 'tens' || last === 'hundred' || last === 'scale')) {
      current += ordinal;
      end = m.index + m[0].length;
      return { end, value: total + current, ordinal: true, weak: false };
    } else {
      break;
    }
    tokens++;
    pos = m.index + m[0].length;
    end = pos;
  }
  if (tokens === 0 || last === 'article') return undefined;
  return { end, value: total + current, ordinal: false, weak: tokens === 1 && firstWord === 'one' };
}

interface Scaled {
  end: number;
  factor: number;
  moneyOnly: boolean;
}

/** Reads scale words and abbreviations after a number: "billion", " thousand million", "bn", "亿". */
function readScale(text: string, pos: number): Scaled {
  let factor = 1;
  let moneyOnly = false;
  for (;;) {
    const m = readAt(SCALE_WORD_AFTER, text, pos) ?? readAt(SCALE_ABBR_AFTER, text, pos);
    if (m) {
      const word = m[1]!.toLowerCase();
      factor *= SCALE_WORDS.get(word) ?? SCALE_ABBREVIATIONS.get(word) ?? 1;
      pos = m.index + m[0].length;
      continue;
    }
    const cjk = readAt(CJK_SCALE_AFTER, text, pos);
    if (cjk) {
      factor *= CJK_SCALES.get(cjk[1]!) ?? 1;
      pos = cjk.index + cjk[0].length;
      continue;
    }
    break;
  }
  if (factor === 1) {
    const m = readAt(MONEY_SCALE_AFTER, text, pos);
    if (m) return { end: m.index + m[0].length, factor: MONEY_SCALES.get(m[1]!.toLowerCase()) ?? 1, moneyOnly: true };
  }
  return { end: pos, factor, moneyOnly };
}

function parseDigits(digits: string, decimals: string | undefined): number {
  return Number(digits.replace(/[^\d]/g, '') + (decimals ?? ''));
}

/**
 * Every numeric expression of a text: digits with or without thousands separators, decimals, scale
 * words ("2.5 million", "1bn", "2927亿"), number words ("twenty-five", "a billion"), ordinals,
 * percentages, percentage points, money with its currency, and measures with their unit.
 */
/** Shared between callers (memoised per text): do not change the array. */
export function extractNumbers(text: string): readonly NumberFact[] {
  return extractNumbersMemo(text);
}

const extractNumbersMemo = recent((text: string): readonly NumberFact[] => extractNumbersOf(text));

function extractNumbersOf(text: string): NumberFact[] {
  const out: NumberFact[] = [];
  ATOM.lastIndex = 0;
  for (let m = ATOM.exec(text); m; m = ATOM.exec(text)) {
    const start = m.index;
    let pos = start + m[0].length;
    let value: number;
    let kind: NumberKind = 'number';
    let weak = false;
    const digits = m[1];
    if (digits !== undefined) {
      const glued = start > 0 && LATIN_OR_DIGIT.test(text[start - 1]!);
      // "G20" is a name, "RMB1 billion" an amount.
      if (glued && !CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 12), start))) continue;
      value = parseDigits(digits, m[2]);
      const ord = readAt(ORDINAL_SUFFIX, text, pos);
      if (ord && !m[2]) {
        pos = ord.index + ord[0].length;
        kind = 'ordinal';
      } else if (!m[2] && digits.endsWith('0') && /^['’]?s\b/.test(text.slice(pos, pos + 3))) {
        // A decade, "the 1990s" or "the 90's": the number stands.
        pos = text.indexOf('s', pos) + 1;
      } else if (/^\d{4}$/.test(digits) && !m[2] && value >= 1900 && value <= 2100) {
        kind = 'year';
      }
    } else {
      const words = readWordNumber(text, start);
      if (!words) continue;
      value = words.value;
      weak = words.weak;
      pos = words.end;
      if (words.ordinal) kind = 'ordinal';
    }

    let spanStart = start;
    let unit: string | undefined;
    let currency: { code: string | undefined } | undefined;
    const sliceStart = Math.max(0, start - 12);
    const prefix = CURRENCY_BEFORE.exec(text.slice(sliceStart, start));
    if (prefix?.indices?.[1]) {
      currency = currencyCode(prefix[1]!);
      if (currency) spanStart = sliceStart + prefix.indices[1][0];
    }

    if (kind !== 'ordinal') {
      const scale = readScale(text, pos);
      const suffixCurrency = readAt(CURRENCY_AFTER, text, scale.end);
      if (!scale.moneyOnly || currency || suffixCurrency) {
        value *= scale.factor;
        pos = scale.end;
        if (scale.factor !== 1) {
          kind = 'number';
          weak = false;
        }
      }
      const percent = readAt(PERCENT_AFTER, text, pos);
      if (percent) pos = percent.index + percent[0].length;
      const points = readAt(POINTS_AFTER, text, pos);
      if (points) {
        pos = points.index + points[0].length;
        kind = 'percentage-points';
      } else if (percent) {
        kind = 'percent';
      } else {
        const cur = readAt(CURRENCY_AFTER, text, pos);
        const suffix = cur ? currencyCode(cur[1] ?? cur[2]!) : undefined;
        if (cur && suffix) {
          pos = cur.index + cur[0].length;
          currency = currency?.code ? currency : suffix;
        }
        if (currency) {
          kind = 'money';
          unit = currency.code;
        } else {
          const u = readAt(UNIT_AFTER, text, pos);
          if (u) {
            pos = u.index + u[0].length;
            kind = 'unit';
            unit = unitCode(u[1]!.replace(/\s+/g, ' '));
          }
        }
      }
      if (kind !== 'number' && kind !== 'year') weak = false;
    }
    if (pos < text.length && LATIN_OR_DIGIT.test(text[pos]!)) {
      ATOM.lastIndex = Math.max(ATOM.lastIndex, pos);
      continue;
    }
    ATOM.lastIndex = pos;
    const fact: NumberFact = { text: text.slice(spanStart, pos), span: [spanStart, pos], value, kind };
    if (unit !== undefined) fact.unit = unit;
    if (weak) fact.weak = true;
    out.push(fact);
  }
  return out;
}

function numberFamily(kind: NumberKind): 'percent' | 'percentage-points' | 'quantity' {
  return kind === 'percent' || kind === 'percentage-points' ? kind : 'quantity';
}

/**
 * Whether two numbers measure the same sort of thing (values aside): percent with percent, money
 * with money of the same currency, a unit with the same unit. A bare number goes with money or a
 * measure, since the currency or unit is often moved or left implicit in a rewrite.
 */
export function comparableNumbers(a: NumberFact, b: NumberFact): boolean {
  if (numberFamily(a.kind) !== numberFamily(b.kind)) return false;
  const tagged = (k: NumberKind) => k === 'money' || k === 'unit';
  if (tagged(a.kind) && tagged(b.kind) && a.kind !== b.kind) return false;
  return a.unit === undefined || b.unit === undefined || a.unit === b.unit;
}

/** Same fact however written: 1000000000 = 1,000,000,000 = 1 billion = 1,000 million; 12.4% = 12.4 percent. */
export function sameNumber(a: NumberFact, b: NumberFact): boolean {
  if (!comparableNumbers(a, b)) return false;
  const scale = Math.max(Math.abs(a.value), Math.abs(b.value), 1);
  return Math.abs(a.value - b.value) <= scale * 1e-9;
}
