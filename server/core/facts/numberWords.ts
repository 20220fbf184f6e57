/**
 * Numbers written in words and the scales after a number: "two hundred and fifty", "twenty-first",
 * "a billion"; "2.5 million", "1bn", "$5m", "2927亿".
 */

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

/** A pattern that matches only where it is asked to (`readAt`). */
export const sticky = (source: string, flags = 'iy'): RegExp => new RegExp(source, flags);
const SCALE_WORD_AFTER = sticky(`[\\s\\u00a0-]*(${[...SCALE_WORDS.keys()].join('|')})\\b`);
const SCALE_ABBR_AFTER = sticky(`\\s?(${[...SCALE_ABBREVIATIONS.keys()].join('|')})\\b`);
const MONEY_SCALE_AFTER = sticky('([kmb])(?![A-Za-z])');
const CJK_SCALE_AFTER = sticky('(万亿|亿|万)', 'y');

/** Reads the pattern at `pos`; returns its match and moves nothing when it does not match there. */
export function readAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

export interface WordNumber {
  end: number;
  value: number;
  ordinal: boolean;
  weak: boolean;
}

const WORD_AFTER = /(\s+and\s+|[\s\u00a0-]+)?([A-Za-z]+)\b/y;

/** Reads "two hundred and fifty", "twenty-first", "a billion", "one" from `start`. */
export function readWordNumber(text: string, start: number): WordNumber | undefined {
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

export interface Scaled {
  end: number;
  factor: number;
  moneyOnly: boolean;
}

/** Reads scale words and abbreviations after a number: "billion", " thousand million", "bn", "亿". */
export function readScale(text: string, pos: number): Scaled {
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
