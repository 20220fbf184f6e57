/**
 * The facts a rewrite must keep — numbers, proper names, quotations, negations — found in a text
 * with their character spans. Pure: text in, facts out. The fact guard (`server/checks/`) compares
 * them between a paragraph and its rewrite.
 */

/**
 * Memoises a function of one text for the last RECENT_TEXTS texts. A paragraph's MT comes back with
 * every edit, suggestion and accept of that paragraph, and the checks of one rewrite ask for the
 * same two texts several times. Results are shared: callers must not change them.
 */
export function recent<T>(fn: (text: string) => T): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    const value = fn(text);
    if (memo.size >= RECENT_TEXTS) memo.delete(memo.keys().next().value!);
    memo.set(text, value);
    return value;
  };
}

const RECENT_TEXTS = 256;

/** Character range [start, end) in a text. */
export type Span = [number, number];

// ---------------------------------------------------------------------------------------------
// Words

/** Words that are never names and carry no content: articles, pronouns, connectives, auxiliaries. */
const FUNCTION_WORDS = new Set(`
a an the this that these those there here it its it's i me my we us our you your he him his she her
they them their who whom whose which what where when why how whether
and or but nor so yet for if then than as because since while although though unless until once
of in on at to from by with without into onto over under about above below between among through
during before after against across along around behind beyond near off out up down upon within via
per be is are was were been being am have has had having do does did doing done will would shall
should can could may might must ought not no never also just only even still already very too quite
more most less least much many some any all each every both either neither few several such other
another same own again further however meanwhile moreover furthermore therefore thus hence indeed
besides instead otherwise nevertheless nonetheless according regarding concerning including
currently recently previously earlier later now today yesterday tomorrow finally first firstly
secondly lastly last next overall generally usually often sometimes always
mr mrs ms dr prof sir madam said says say
`.split(/\s+/).filter(Boolean));

export function isFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(normalizeWord(word));
}

/**
 * The comparable form of a word: lowercase, accents, possessive and inner apostrophes or dots
 * removed, so `Baoan's`, `Bao'an` and `BAOAN` meet.
 */
const PLAIN_WORD = /^[A-Za-z0-9]+$/;

export function normalizeWord(word: string): string {
  // Most words are plain ASCII letters and digits: lowercasing is all they need.
  if (PLAIN_WORD.test(word)) return word.toLowerCase();
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]s$/iu, '')
    .replace(/['’.]/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

export interface WordFact {
  text: string;
  span: Span;
  norm: string;
}

/**
 * The checks ask for the words of the same two texts several times per rewrite; the last few answers
 * are kept. Callers must not change the arrays they get (they are shared).
 */
export function extractWords(text: string): readonly WordFact[] {
  return recentWords(text);
}

const recentWords = recent<readonly WordFact[]>((text) => wordsOf(text));

function wordsOf(text: string): WordFact[] {
  const out: WordFact[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({ text: m[0], span: [start, start + m[0].length], norm: normalizeWord(m[0]) });
  }
  return out;
}

/** The normalised words of a text, for "does the other text mention it" questions. */
export function wordSet(text: string): Set<string> {
  return new Set(extractWords(text).map((w) => w.norm));
}

/** Where a phrase occurs in a text as whole words, ignoring spacing, apostrophe style and (by default) case. */
export function findPhrase(text: string, phrase: string, ignoreCase = true): Span | undefined {
  const words = phrase.replace(/’/g, "'").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return undefined;
  const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\u00a0-]+');
  const m = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, ignoreCase ? 'iu' : 'u').exec(text.replace(/’/g, "'"));
  return m ? [m.index, m.index + m[0].length] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Numbers

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

const SMALL_NUMBERS = table({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
});
const TENS = table({
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

// ---------------------------------------------------------------------------------------------
// Names

export interface NameFact {
  /** The name as written: `Baoan District`, `Wang Hongbin`. */
  text: string;
  span: Span;
  /** Normalised form: `baoan district`. */
  norm: string;
  /** The words that identify it, without designators such as District, Co. or Bureau. */
  core: WordFact[];
}

/**
 * Capitalised words that designate rather than identify: a run made only of these ("Industry
 * Alliance", "District") is not a name, and a rewrite may reword them ("Technology Park" → "tech
 * park") without changing who or where.
 */
const DESIGNATORS = new Set(`
district city county province provincial municipal municipality region regional town township
village street road avenue square park zone area new north south east west northern southern
eastern western central national international government ministry department bureau office
committee commission council congress assembly parliament party court agency authority
administration association alliance federation league society foundation institute institution
university college school academy center centre hospital museum library company co corp corporation
inc ltd limited llc plc group holdings holding bank fund exchange market industry industrial
industries technology technologies tech science sciences scientific innovation development research
intelligent intelligence smart information network media news daily service services system systems
project program programme plan strategy initiative conference forum summit festival expo award prize
secretary mayor president chairman chairwoman chair director minister premier governor deputy vice
general chief head manager officer spokesman spokeswoman spokesperson reporter editor professor
doctor economic economy financial finance trade commerce commercial business enterprise enterprises
high world global annual
admiral colonel captain commander lieutenant sergeant king queen prince princess emperor tsar czar pope
bishop archbishop saint father
tv ceo cfo cto ipo vip pc ok
rmb cny usd eur gbp hkd jpy
`.split(/\s+/).filter(Boolean));

function isDesignator(w: WordFact): boolean {
  return DESIGNATORS.has(w.norm) || (w.norm.endsWith('s') && DESIGNATORS.has(w.norm.slice(0, -1)));
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof st no co ltd inc jr sr vs etc gen col lt sgt rep sen gov jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);

const CAPITALISED = /^\p{Lu}/u;

/** Whether the word at `start` opens a sentence (or the text), where every word is capitalised. */
function isSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s"“‘'(\[「『«]/u.test(text[i]!)) {
    if (text[i] === '\n') return true;
    i--;
  }
  if (i < 0) return true;
  const c = text[i]!;
  if (/[!?:…。！？]/u.test(c)) return true;
  if (c !== '.') return false;
  const before = /([\p{L}]+)\.$/u.exec(text.slice(Math.max(0, i - 12), i + 1));
  if (!before) return true;
  const word = before[1]!;
  return !(ABBREVIATIONS.has(word.toLowerCase()) || (word.length === 1 && CAPITALISED.test(word)));
}

/**
 * Headline-style text capitalises every word, so its capitals say nothing about names. A sentence
 * dense with names still has some lowercase content word.
 */
const titleCase = new WeakMap<readonly WordFact[], boolean>();

function isTitleCase(words: readonly WordFact[]): boolean {
  let known = titleCase.get(words);
  if (known === undefined) titleCase.set(words, (known = computeTitleCase(words)));
  return known;
}

function computeTitleCase(words: readonly WordFact[]): boolean {
  const long = words.filter((w) => w.text.length >= 4 && /^\p{L}/u.test(w.text) && !FUNCTION_WORDS.has(w.norm));
  if (long.length < 2) return false;
  return long.filter((w) => !CAPITALISED.test(w.text)).length <= Math.floor(long.length / 10);
}

function isNameWord(w: WordFact): boolean {
  if (!CAPITALISED.test(w.text)) return false;
  // US, IT, WHO: an acronym is a name even when its letters spell a function word.
  if (/^[\p{Lu}\p{N}.]{2,}$/u.test(w.text) && /\p{Lu}.*\p{Lu}/u.test(w.text)) return true;
  return !FUNCTION_WORDS.has(w.norm) && !SMALL_NUMBERS.has(w.norm) && !TENS.has(w.norm);
}

/** Words capitalised in mid-sentence: evidence that a word is a name wherever it appears (shared: do not change). */
const midSentenceCapitals = recent((text: string): ReadonlySet<string> => {
  const words = extractWords(text);
  if (isTitleCase(words)) return new Set();
  return new Set(words.filter((w) => isNameWord(w) && !isSentenceStart(text, w.span[0])).map((w) => w.norm));
});

/**
 * Proper names: runs of capitalised words. A capitalised word opening a sentence counts only when
 * the next word is capitalised too or the word is capitalised in mid-sentence somewhere in the text
 * or in `context` (e.g. the other side of a rewrite). Runs made only of designators are left out.
 */
export function extractNames(text: string, context: readonly string[] = []): NameFact[] {
  const words = extractWords(text);
  const titleCase = isTitleCase(words);
  const known = new Set([text, ...context].flatMap((t) => [...midSentenceCapitals(t)]));
  const runs: WordFact[][] = [];
  let run: WordFact[] = [];
  let prevEnd = -1;
  for (const w of words) {
    const joined = run.length > 0 && /^[ \u00a0]$/.test(text.slice(prevEnd, w.span[0]));
    if (!joined && run.length) {
      runs.push(run);
      run = [];
    }
    // "US$", "HK$": a currency, which the numbers check compares.
    if (isNameWord(w) && text[w.span[1]] !== '$') run.push(w);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
    prevEnd = w.span[1];
  }
  if (run.length) runs.push(run);

  const names: NameFact[] = [];
  for (let r of runs) {
    const first = r[0]!;
    const initial = titleCase || isSentenceStart(text, first.span[0]);
    if (initial && !known.has(first.norm) && !(r.length > 1 && !titleCase)) r = r.slice(1);
    if (titleCase) r = dropUnknownFromTitle(r, known);
    // A leading designator is a title ("Mayor Wang Hongbin"), a trailing one part of the name ("Baoan District").
    while (r.length && isDesignator(r[0]!)) r = r.slice(1);
    const core = r.filter((w) => !isDesignator(w) && w.norm.length > 1);
    if (!core.length) continue;
    const start = r[0]!.span[0];
    const last = r[r.length - 1]!;
    const end = last.span[1] - (/['’]s$/u.test(last.text) ? 2 : 0);
    names.push({ text: text.slice(start, end), span: [start, end], norm: r.map((w) => w.norm).join(' '), core });
  }
  return names;
}

/** In a headline only words known as names elsewhere count; the rest is title-casing. */
function dropUnknownFromTitle(run: WordFact[], known: Set<string>): WordFact[] {
  const kept = run.filter((w) => known.has(w.norm));
  if (!kept.length) return [];
  const from = run.indexOf(kept[0]!);
  const to = run.indexOf(kept[kept.length - 1]!);
  return run.slice(from, to + 1);
}

// ---------------------------------------------------------------------------------------------
// Quotations

export interface QuoteFact {
  /** The quoted words, without the marks. */
  text: string;
  /** The whole quotation, marks included. */
  span: Span;
  innerSpan: Span;
  /** Lowercase, single-spaced, straight apostrophes, no edge punctuation: for comparing. */
  norm: string;
}

export function normalizeQuote(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’`´]/g, "'")
    // Bao'an and Baoan are one spelling of a name.
    .replace(/(\p{L})'(?=\p{L})/gu, '$1')
    .replace(/[“”„«»]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toLowerCase();
}

const MAX_SINGLE_QUOTE = 120;
const PAIRED_MARKS: Array<[string, string]> = [['“', '”'], ['‘', '’'], ['「', '」'], ['『', '』'], ['«', '»']];

/** Can a straight quote at `i` open a quotation? It follows a space or bracket and precedes a word. */
function canOpen(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1]! : ' ';
  const next = text[i + 1] ?? ' ';
  return /[\s(\[{—–-]/u.test(prev) && /[\p{L}\p{N}‘“'"$€£¥(\[]/u.test(next);
}

/** Can a straight quote at `i` close a quotation? It follows a non-space and precedes a non-word. */
function canClose(text: string, i: number): boolean {
  const prev = i > 0 ? text[i - 1]! : ' ';
  const next = text[i + 1] ?? ' ';
  return !/\s/u.test(prev) && !/[\p{L}\p{N}]/u.test(next);
}

function quoteFact(text: string, open: number, close: number): QuoteFact | undefined {
  const inner = text.slice(open + 1, close);
  if (!inner.trim()) return undefined;
  return { text: inner, span: [open, close + 1], innerSpan: [open + 1, close], norm: normalizeQuote(inner) };
}

/** Quoted passages in "…", “…”, '…', ‘…’, 「…」, 『…』 and «…». Stray or unbalanced marks are skipped. */
/** Shared between callers (memoised per text): do not change the array. */
export function extractQuotes(text: string): readonly QuoteFact[] {
  return extractQuotesMemo(text);
}

const extractQuotesMemo = recent((text: string): readonly QuoteFact[] => extractQuotesOf(text));

function extractQuotesOf(text: string): QuoteFact[] {
  const out: QuoteFact[] = [];
  for (const [openMark, closeMark] of PAIRED_MARKS) {
    if (!text.includes(openMark)) continue;
    let open = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      // ’ doubles as an apostrophe (China’s): it closes only before a non-letter.
      if (c === openMark) open = i;
      else if (c === closeMark && open >= 0 && (closeMark !== '’' || !/[\p{L}\p{N}]/u.test(text[i + 1] ?? ''))) {
        const q = quoteFact(text, open, i);
        if (q) out.push(q);
        open = -1;
      }
    }
  }
  for (const mark of ['"', "'"]) {
    if (!text.includes(mark)) continue;
    let open = -1;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== mark) continue;
      // A lone ' may be an apostrophe ('90s) that would swallow the paragraph up to the next one.
      if (open >= 0 && mark === "'" && i - open > MAX_SINGLE_QUOTE) open = -1;
      if (open < 0) {
        if (canOpen(text, i)) open = i;
      } else if (canClose(text, i)) {
        const q = quoteFact(text, open, i);
        if (q) out.push(q);
        open = -1;
      }
    }
  }
  return out.sort((a, b) => a.span[0] - b.span[0]);
}

// ---------------------------------------------------------------------------------------------
// Negations

export interface NegationFact {
  text: string;
  span: Span;
  /** The cue in a canonical form: `not` (also for n't and cannot), `no`, `never`, `fail to`, `deny`… */
  cue: string;
}

const NEGATION =
  /\b(?:not|no|never|neither|nor|without|none|nobody|nothing|nowhere|cannot|fail(?:s|ed|ing)?\s+to|den(?:y|ies|ied|ying))\b|\Bn['’]t\b/giu;
/** Phrases built on a negation word that say something positive or merely compare. */
const NOT_NEGATION =
  /^(?:not\s+only|not\s+just|not\s+least|no\s+doubt|no\s+(?:more|less|fewer)\s+than|not\s+(?:more|less|fewer)\s+than|nothing\s+but|no\.?\s*\d)/iu;

function negationCue(word: string): string {
  const w = word.toLowerCase().replace(/\s+/g, ' ');
  if (w === 'cannot' || /^n['’]t$/.test(w)) return 'not';
  if (w.startsWith('fail')) return 'fail to';
  if (w.startsWith('den')) return 'deny';
  return w;
}

/** Negation cues: not, n't, cannot, no, never, neither, nor, without, none, nobody, nothing, fail to, deny. */
/** Shared between callers (memoised per text): do not change the array. */
export function findNegations(text: string): readonly NegationFact[] {
  return findNegationsMemo(text);
}

const findNegationsMemo = recent((text: string): readonly NegationFact[] => findNegationsOf(text));

function findNegationsOf(text: string): NegationFact[] {
  const out: NegationFact[] = [];
  let neither = -1;
  for (const m of text.matchAll(NEGATION)) {
    const start = m.index;
    if (NOT_NEGATION.test(text.slice(start, start + 24))) continue;
    const cue = negationCue(m[0]);
    // "neither … nor" is one negation, as "not … or" is.
    if (cue === 'nor' && neither >= 0 && !/[.!?;]/.test(text.slice(neither, start))) {
      neither = -1;
      continue;
    }
    if (cue === 'neither') neither = start;
    out.push({ text: m[0], span: [start, start + m[0].length], cue });
  }
  return out;
}
