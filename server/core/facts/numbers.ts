/** Numbers of an English (or mixed) text with their value, kind, unit and span: digits, words, scales, money, per cent. */
import { CURRENCY_AFTER, CURRENCY_BEFORE, currencyCode, PERCENT_AFTER, POINTS_AFTER, UNIT_AFTER, unitCode } from './numberUnits.js';
import { readAt, readScale, readWordNumber, sticky } from './numberWords.js';
import { recent, type Span } from './words.js';

export { SMALL_NUMBERS, TENS } from './numberWords.js';

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

const DIGITS = String.raw`\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+`;
const ATOM = new RegExp(`(${DIGITS})(\\.\\d+)?|\\b([A-Za-z]+)\\b`, 'g');
const LATIN_OR_DIGIT = /[A-Za-z0-9]/;

const ORDINAL_SUFFIX = sticky('(?:st|nd|rd|th)\\b');

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
