/**
 * Numbers check: every number of the MT must be one the Chinese source has, compared by value
 * (2927亿 = 292.7 billion, 三成 = 30%, 九二共识 = 1992). An MT number the source lacks is a major
 * flag; when it is a source number times a power of ten (亿 read as billion, 万 as million) the flag
 * carries the corrected figure. A hedged source number (约300, 近5亿, 30多) is matched by the figure
 * written, not by anything near it: "nearly 600 million" for 近5亿 is wrong. A range (400万至600万)
 * is matched end by end, in order; a day next to an English month name must be one of the
 * source's days. A non-trivial source number the MT lacks is a minor point flag, unless an
 * unsupported MT number is its likely rendering (then that flag names it) or the MT repeats a
 * figure where the source has it (then the repeat is flagged). Sources in other languages are left
 * alone.
 */
import { extractNumbers, type NumberFact } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import { extractZhNumbers, type ZhNumber } from '../../core/zhNumbers.js';
import type { MtCheck } from './types.js';

const ID = 'mt-numbers';
const HAN = /\p{Script=Han}/u;
/** Relative slack for rounding: 3.6% vs 3.59%, 1.2 billion vs 1,196 million. */
const SLACK = 0.011;
/** 今年, 去年: the MT may write the year the source only implies. */
const RELATIVE_YEAR = /[今去明前当同本上下]年/;
/** "last year", "this year": the MT may leave implied a year the source writes out. */
const RELATIVE_YEAR_EN = /\b(?:this|last|next|that|the same|the previous|the following|the current|the past) year\b/i;
const ZH_NUMERAL = /[〇零一二两三四五六七八九十百千万亿]/;
/**
 * "COVID-19", "F-16", "Su-27", "under-18": a number hyphenated to a word is part of a name or a
 * label, not an amount — except after the prefixes of time and rank ("post-90s", "pre-2019",
 * "mid-2023", "top-10"), which keep the number.
 */
const DESIGNATION = /(?:^|[^A-Za-z])([A-Za-z]+)[-‐]$/;
const AMOUNT_PREFIX = /^(?:post|pre|mid|top|late|early)$/i;
/** Designations whose number is fixed whatever the source says: 新冠 is COVID-19. */
const FIXED_DESIGNATIONS: Record<string, number> = { covid: 19 };
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

/** The source's amounts (not its dates or ordinals) for the message, four at most. */
function hint(sources: ZhNumber[]): string {
  const amounts = sources.filter((n) => n.kind === 'number' || n.kind === 'percent' || n.kind === 'points' || n.kind === 'multiple');
  const shown = (amounts.length ? amounts : sources).slice(0, 4);
  return shown.length ? ` (source: ${shown.map((n) => n.text).join(', ')})` : '';
}

const DOZEN = /\ba dozen\b/i;
const ENGLISH_SCALES: Array<[string, number]> = [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]];

/** A major "no such number" flag and the MT figure it is about, for pairing with a missing source number. */
interface Unsupported {
  flag: MtFlag;
  fact: NumberFact;
}

export const mtNumbersCheck: MtCheck = {
  id: ID,
  name: 'Numbers',
  description: 'Numbers in the MT that the Chinese source does not have (e.g. 亿 read as billion), and source numbers the MT lacks.',
  version: 3,
  run(mt, source) {
    if (!source || !HAN.test(source)) return [];
    const sourceNumbers = extractZhNumbers(source);
    const used = new Set<ZhNumber>();
    /** Source numbers an MT figure stands for — not merely a loose "first" or "two". */
    const placed = new Set<ZhNumber>();
    const flags: MtFlag[] = [];
    const unsupported: Unsupported[] = [];
    const facts = mtFacts(mt);
    /** The source numbers each MT number may stand for (designations left out). */
    const matchesOf = new Map<NumberFact, ZhNumber[]>();
    for (const fact of facts) {
      const shared = sharedScale(mt, fact);
      const values = shared ? [fact.value, fact.value * shared] : [fact.value];
      const part = datePart(mt, fact);
      const partOf = part && sourceNumbers.some((n) => n.kind === part) ? part : undefined;
      const matches = sourceNumbers.filter((n) => (!partOf || n.kind === partOf) && values.some((v) => matchesValue(n, v, fact)));
      const hyphenated = DESIGNATION.exec(mt.slice(Math.max(0, fact.span[0] - 24), fact.span[0]))?.[1];
      const designation = hyphenated && !AMOUNT_PREFIX.test(hyphenated) ? hyphenated : undefined;
      if (!designation) matchesOf.set(fact, matches);
      if (fact.weak) continue;
      for (const n of matches) used.add(n);
      if (isDigitWritten(fact) || fact.value > 10) for (const n of matches) placed.add(n);
      if (designation) {
        const fixed = FIXED_DESIGNATIONS[designation.toLowerCase()];
        if (fixed !== undefined && fact.value !== fixed) {
          flags.push({
            start: fact.span[0],
            end: fact.span[1],
            kind: 'number',
            severity: 'major',
            message: `MT: ${designation}-${fact.text} — the name is ${designation}-${fixed}`,
            check: ID,
            fix: String(fixed),
          });
        }
        continue;
      }
      if (matches.length > 0) {
        const pointsOnly = (fact.kind === 'percent') && matches.every((n) => n.kind === 'points');
        if (pointsOnly) {
          flags.push({
            start: fact.span[0],
            end: fact.span[1],
            kind: 'number',
            severity: 'minor',
            message: `MT: ${fact.text} — the source has percentage points (${matches[0]!.text}), not per cent`,
            check: ID,
            sourceSpans: [matches[0]!.span],
          });
        }
        continue;
      }
      if (!isDigitWritten(fact) && fact.value <= 10) continue;
      if (fact.kind === 'year' && RELATIVE_YEAR.test(source)) continue;
      const misread = findMisreading(sourceNumbers, fact.value);
      if (misread) {
        used.add(misread.source);
        placed.add(misread.source);
        flags.push({
          start: fact.span[0],
          end: fact.span[1],
          kind: 'number',
          severity: 'major',
          message: `source: ${misread.source.text} = ${formatNumber(misread.source.value)}; MT: ${fact.text} (${scaleNote(fact.value / misread.source.value, misread.source.text, fact.text)})`,
          check: ID,
          sourceSpans: [misread.source.span],
          fix: restyle(fact, misread.source.value),
        });
        continue;
      }
      const sameParts = partOf ? sourceNumbers.filter((n) => n.kind === partOf) : [];
      const flag: MtFlag = {
        start: fact.span[0],
        end: fact.span[1],
        kind: 'number',
        severity: 'major',
        message: partOf
          ? `MT: ${fact.text} as a ${partOf} — the source has no such ${partOf} (source: ${sameParts.slice(0, 4).map((n) => n.text).join(', ')})`
          : `MT: ${fact.text} — the source has no such number${hint(sourceNumbers)}`,
        check: ID,
      };
      flags.push(flag);
      unsupported.push({ flag, fact });
    }
    flags.push(...rangeFlags(mt, facts, sourceNumbers, flags));
    flags.push(...repeatFlags(facts, matchesOf, sourceNumbers, placed, used, flags));
    // "a dozen" is 十二 the English way; extractNumbers does not read it.
    if (DOZEN.test(mt)) for (const n of sourceNumbers) if (n.value === 12) used.add(n);
    for (const n of sourceNumbers) {
      if (used.has(n) || !worthReporting(n)) continue;
      if (n.kind === 'year' && RELATIVE_YEAR_EN.test(mt)) continue;
      // 33.06万 missing and "336,000" unsupported: one error, said once, on the MT figure.
      const rendering = likelyRendering(n, unsupported);
      if (rendering) {
        unsupported.splice(unsupported.indexOf(rendering), 1);
        rendering.flag.message = `MT: ${rendering.fact.text} — the source has ${n.text}${ZH_NUMERAL.test(n.text) && n.kind === 'number' ? ` = ${formatNumber(n.value)}` : ''}`;
        rendering.flag.sourceSpans = [n.span];
        continue;
      }
      flags.push({
        start: mt.length,
        end: mt.length,
        kind: 'number',
        severity: 'minor',
        message: `source number missing from the MT: ${n.text}${ZH_NUMERAL.test(n.text) && n.kind === 'number' ? ` = ${formatNumber(n.value)}` : ''}`,
        check: ID,
        sourceSpans: [n.span],
      });
    }
    return flags.sort((a, b) => a.start - b.start);
  },
};

/**
 * The MT's numbers: the shared extractor's, "half a million" halved, and multiples written with a
 * sign ("up 19x"), which it leaves out.
 */
function mtFacts(mt: string): NumberFact[] {
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
function datePart(mt: string, fact: NumberFact): 'month' | 'day' | undefined {
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

function sharedScale(mt: string, fact: NumberFact): number | undefined {
  const m = RANGE_SCALE.exec(mt.slice(fact.span[1], fact.span[1] + 40));
  return m ? SCALE_OF[m[1]!.toLowerCase()] : undefined;
}

/** "4 to 6 million", "between 90,000 and 120,000", "3-5": two MT figures written as a range. */
const RANGE_BETWEEN = /^\s*(?:to|-|–|—|~)\s*$/i;

/**
 * A range in the MT whose one end is a source range's end but whose other end is not the other
 * end ("6 to 6 million" for 400万至600万): the wrong end is flagged, unless already flagged.
 */
function rangeFlags(mt: string, facts: NumberFact[], sources: ZhNumber[], flags: MtFlag[]): MtFlag[] {
  const out: MtFlag[] = [];
  const ranges = sources.filter((n) => n.range);
  if (!ranges.length) return out;
  for (let i = 0; i + 1 < facts.length; i++) {
    const [a, b] = [facts[i]!, facts[i + 1]!];
    const gap = mt.slice(a.span[1], b.span[0]);
    const between = /\bbetween\s+(?:\S+\s+)?$/i.test(mt.slice(Math.max(0, a.span[0] - 14), a.span[0]));
    if (!RANGE_BETWEEN.test(gap) && !(between && /^\s*and\s*$/i.test(gap))) continue;
    const shared = sharedScale(mt, a);
    const aValues = shared ? [a.value, a.value * shared] : [a.value];
    const near = (f: NumberFact, values: number[], v: number) => values.some((x) => Math.abs(x - v) <= tolerance(f, x) + 1e-9);
    if (ranges.some((n) => near(a, aValues, n.range![0]) && near(b, [b.value], n.range![1]))) continue;
    for (const n of ranges) {
      const [lo, hi] = n.range!;
      const [aLo, aHi, bLo, bHi] = [near(a, aValues, lo), near(a, aValues, hi), near(b, [b.value], lo), near(b, [b.value], hi)];
      if (aHi && bLo) continue; // reversed, "from 800,000 down to 600,000": the same range
      // One end right and the other not the other end, or an end in the wrong place ("17,000 to 7,000" for 一万六七千).
      const wrong = (bHi && !aLo) || (aHi && !aLo && !bHi) ? a : (aLo && !bHi) || (bLo && !bHi && !aLo) ? b : undefined;
      if (!wrong || flags.some((f) => f.start < wrong.span[1] && wrong.span[0] < f.end)) continue;
      const end = wrong === a ? `starts at ${formatNumber(lo)}` : `ends at ${formatNumber(hi)}`;
      out.push({
        start: wrong.span[0],
        end: wrong.span[1],
        kind: 'number',
        severity: 'major',
        message: `MT: ${wrong.text} — the source range ${n.text} ${end}`,
        check: ID,
        sourceSpans: [n.span],
      });
      break;
    }
  }
  return out;
}

const FAMILY = (kind: string): string =>
  kind === 'percent' || kind === 'points' || kind === 'percentage-points' ? 'percent' : kind === 'year' || kind === 'ordinal' ? kind : 'amount';

/**
 * A source number the MT lacks where the MT repeats another ("from 64 to 64" for 从62岁推迟到64岁,
 * "5 new products and 5 existing ones" for 新发产品5只、存续产品2只): the MT has that figure more
 * often than the source, and the extra copy sits, in number order, where the missing one does.
 * The extra copy is flagged with the source number it displaced.
 */
function repeatFlags(
  facts: NumberFact[],
  matchesOf: Map<NumberFact, ZhNumber[]>,
  sources: ZhNumber[],
  placed: Set<ZhNumber>,
  used: Set<ZhNumber>,
  flags: MtFlag[],
): MtFlag[] {
  const out: MtFlag[] = [];
  const missing = sources.filter((n) => !placed.has(n) && n.kind !== 'month' && n.kind !== 'day' && n.kind !== 'fraction' && n.kind !== 'decade');
  if (!missing.length) return out;
  // "first", "two": small number words match too loosely to say where the MT is.
  const seq = facts.filter((f) => matchesOf.get(f)?.length && (isDigitWritten(f) || f.value > 10));
  const index = (n: ZhNumber) => sources.indexOf(n);
  for (const [j, o] of seq.entries()) {
    if (!/\d/.test(o.text) || flags.some((f) => f.start < o.span[1] && o.span[0] < f.end)) continue;
    const own = matchesOf.get(o)!;
    const group = seq.filter((f) => matchesOf.get(f)!.some((n) => own.includes(n)));
    const groupSources = new Set(group.flatMap((f) => matchesOf.get(f)!));
    if (group.length <= groupSources.size) continue;
    const prev = seq[j - 1] ? matchesOf.get(seq[j - 1]!)!.map(index) : [-1];
    const next = seq[j + 1] ? matchesOf.get(seq[j + 1]!)!.map(index) : [sources.length];
    const fits = missing.filter(
      (u) => FAMILY(u.kind) === FAMILY(o.kind === 'money' || o.kind === 'unit' ? 'number' : o.kind) && prev.some((i) => i < index(u)) && next.some((i) => i > index(u)),
    );
    const u = fits[0];
    if (!u) continue;
    missing.splice(missing.indexOf(u), 1);
    used.add(u);
    out.push({
      start: o.span[0],
      end: o.span[1],
      kind: 'number',
      severity: 'major',
      message: `MT: ${o.text} — repeated, where the source has ${u.text}${ZH_NUMERAL.test(u.text) && u.kind === 'number' ? ` = ${formatNumber(u.value)}` : ''}`,
      check: ID,
      sourceSpans: [u.span],
    });
  }
  return out;
}

/**
 * Rounding slack: at most SLACK of the value, and never finer than half a step of the MT's last
 * written digit — "1.2 billion" may round 1,196 million, but "3.707%" is not 3.7%. A year is exact.
 */
function tolerance(fact: NumberFact, value: number): number {
  if (fact.kind === 'year' || /^\d{4}['’]?s$/.test(fact.text)) return 0;
  const m = /(\d[\d,]*)(?:\.(\d+))?/.exec(fact.text);
  const slack = Math.abs(value) * SLACK;
  if (!m) return slack;
  const scale = fact.value / Number(m[0].replace(/,/g, ''));
  const step = m[2] ? 10 ** -m[2].length : 10 ** ((/0*$/.exec(m[1]!.replace(/,/g, ''))?.[0].length ?? 0));
  return Math.min(slack, (step / 2) * (Number.isFinite(scale) && scale > 0 ? scale : 1));
}

const PERCENT_KINDS = new Set(['percent', 'points']);

function matchesValue(n: ZhNumber, value: number, fact?: NumberFact): boolean {
  const tol = fact ? tolerance(fact, value) : Math.abs(value) * SLACK;
  const percent = fact && (fact.kind === 'percent' || fact.kind === 'percentage-points');
  // Rounding is half up: 20,665 may be "20,670" but not "20,660".
  const eps = Math.max(1e-9, Math.abs(value) * 1e-12);
  const halfUp = tol > 0 && fact !== undefined && tol < Math.abs(value) * SLACK - eps;
  // 90后 and 90年代 are "the 90s", never "90 years".
  const measured = fact !== undefined && (fact.kind === 'unit' || fact.kind === 'money' || percent);
  return n.readings.some(
    (r) => (!percent || PERCENT_KINDS.has(r.kind)) && !(measured && r.kind === 'decade') && (halfUp ? value > r.min - tol + eps : value >= r.min - tol - eps) && value <= r.max + tol + eps,
  );
}

function isDigitWritten(fact: NumberFact): boolean {
  return /\d/.test(fact.text);
}

/** The source number the MT value is a power of ten away from (10 to 10,000 times), if one is. */
function findMisreading(sources: ZhNumber[], value: number): { source: ZhNumber } | undefined {
  for (const n of sources) {
    if (n.kind !== 'number' || n.value === 0) continue;
    const exponent = Math.log10(value / n.value);
    const k = Math.round(exponent);
    if (k !== 0 && Math.abs(k) <= 4 && Math.abs(exponent - k) < 1e-6) return { source: n };
  }
  return undefined;
}

/** The significant digits of a value: 330,600 → "3306", 33.06 → "3306". */
function significant(v: number): string {
  return String(Number(Math.abs(v).toPrecision(12))).replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
}

/**
 * The unsupported MT figure a missing source number most likely became: of the same sort (a
 * percentage for a percentage), with the same digits or within a factor of 30, the closest.
 */
function likelyRendering(n: ZhNumber, unsupported: Unsupported[]): Unsupported | undefined {
  const percent = n.kind === 'percent' || n.kind === 'points';
  let best: Unsupported | undefined;
  let bestDistance = Infinity;
  for (const u of unsupported) {
    if (u.fact.kind === 'year' || n.kind === 'year' || n.kind === 'decade' || n.value <= 0 || u.fact.value <= 0) continue;
    if (percent !== (u.fact.kind === 'percent' || u.fact.kind === 'percentage-points')) continue;
    const distance = Math.abs(Math.log10(u.fact.value / n.value));
    if (distance > Math.log10(30) && significant(u.fact.value) !== significant(n.value)) continue;
    if (distance < bestDistance) (best = u), (bestDistance = distance);
  }
  return best;
}

function scaleNote(ratio: number, zh: string, en: string): string {
  const times = ratio >= 1 ? `×${formatNumber(Math.round(ratio))}` : `÷${formatNumber(Math.round(1 / ratio))}`;
  const zhScale = /万亿/.test(zh) ? '万亿' : /亿/.test(zh) ? '亿' : /万/.test(zh) ? '万' : undefined;
  const enScale = /trillion/i.test(en) ? 'trillion' : /billion/i.test(en) ? 'billion' : /million/i.test(en) ? 'million' : undefined;
  return zhScale && enScale ? `${times}: ${zhScale} read as ${enScale}?` : `${times}: scale misread?`;
}

/** The source value written the way the MT wrote its figure: "292.7 billion yuan", "330,600". */
function restyle(fact: NumberFact, value: number): string {
  const m = /(\d[\d,]*(?:\.\d+)?)(?:[\s\u00a0-]*(trillion|billion|million)\b)?/i.exec(fact.text);
  if (!m) return formatNumber(value);
  const before = fact.text.slice(0, m.index);
  const after = fact.text.slice(m.index + m[0].length);
  const scaleWord = m[2]?.toLowerCase();
  let figure = formatNumber(value);
  if (scaleWord) {
    const fit = ENGLISH_SCALES.find(([, s]) => value >= s && s <= (ENGLISH_SCALES.find(([w]) => w === scaleWord)?.[1] ?? 0) * 1000);
    if (fit) figure = `${trim(value / fit[1])} ${fit[0]}`;
  }
  return before + figure + after;
}

function worthReporting(n: ZhNumber): boolean {
  if (n.kind === 'month' || n.kind === 'day' || n.kind === 'ordinal' || n.kind === 'fraction') return false;
  const r = n.readings[0]!;
  if (r.min !== r.max) return false;
  return significant(r.min).length >= 2;
}

function trim(v: number): string {
  return String(Number(v.toPrecision(12)));
}

function formatNumber(v: number): string {
  return Number(v.toPrecision(12)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
