/**
 * Numbers check: every number of the MT must be one the Chinese source has, compared by value
 * (2927亿 = 292.7 billion, 三成 = 30%, 九二共识 = 1992). An MT number the source lacks is a major
 * flag; when it is a source number times a power of ten (亿 read as billion, 万 as million) the flag
 * carries the corrected figure. A non-trivial source number the MT lacks is a minor point flag.
 * Sources in other languages are left alone.
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
const ZH_NUMERAL = /[〇零一二两三四五六七八九十百千万亿]/;

/** The source's amounts (not its dates or ordinals) for the message, four at most. */
function hint(sources: ZhNumber[]): string {
  const amounts = sources.filter((n) => n.kind === 'number' || n.kind === 'percent' || n.kind === 'points' || n.kind === 'multiple');
  const shown = (amounts.length ? amounts : sources).slice(0, 4);
  return shown.length ? ` (source: ${shown.map((n) => n.text).join(', ')})` : '';
}

const DOZEN = /\ba dozen\b/i;
const ENGLISH_SCALES: Array<[string, number]> = [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]];

export const mtNumbersCheck: MtCheck = {
  id: ID,
  name: 'Numbers',
  description: 'Numbers in the MT that the Chinese source does not have (e.g. 亿 read as billion), and source numbers the MT lacks.',
  version: 2,
  run(mt, source) {
    if (!source || !HAN.test(source)) return [];
    const sourceNumbers = extractZhNumbers(source);
    const used = new Set<ZhNumber>();
    const flags: MtFlag[] = [];
    for (const fact of extractNumbers(mt)) {
      if (fact.weak || /[A-Za-z][-‐]$/.test(mt.slice(0, fact.span[0]))) continue;
      // "13.8 to 14.3 billion": the first figure shares the second's scale.
      const shared = sharedScale(mt, fact);
      const values = shared ? [fact.value, fact.value * shared] : [fact.value];
      const matches = sourceNumbers.filter((n) => values.some((v) => matchesValue(n, v, fact)));
      if (matches.length > 0) {
        for (const n of matches) used.add(n);
        continue;
      }
      if (!isDigitWritten(fact) && fact.value <= 10) continue;
      if (fact.kind === 'year' && RELATIVE_YEAR.test(source)) continue;
      const misread = findMisreading(sourceNumbers, fact.value);
      if (misread) {
        used.add(misread.source);
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
      flags.push({
        start: fact.span[0],
        end: fact.span[1],
        kind: 'number',
        severity: 'major',
        message: `MT: ${fact.text} — the source has no such number${hint(sourceNumbers)}`,
        check: ID,
      });
    }
    // "a dozen" is 十二 the English way; extractNumbers does not read it.
    if (DOZEN.test(mt)) for (const n of sourceNumbers) if (n.value === 12) used.add(n);
    for (const n of sourceNumbers) {
      if (used.has(n) || !worthReporting(n)) continue;
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
    return flags;
  },
};

const RANGE_SCALE = /^\s*(?:to|-|–|—|and|or)\s*(?:[A-Z]{0,3}\$|[€£¥])?(?:[\d.,]+|[a-z]+(?:-[a-z]+)?)\s+(thousand|million|billion|trillion)\b/i;
const SCALE_OF: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

function sharedScale(mt: string, fact: NumberFact): number | undefined {
  const m = RANGE_SCALE.exec(mt.slice(fact.span[1], fact.span[1] + 40));
  return m ? SCALE_OF[m[1]!.toLowerCase()] : undefined;
}

/**
 * Rounding slack: at most SLACK of the value, and never finer than half a step of the MT's last
 * written digit — "1.2 billion" may round 1,196 million, but "3.707%" is not 3.7%.
 */
function tolerance(fact: NumberFact, value: number): number {
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
  return n.readings.some((r) => (!percent || PERCENT_KINDS.has(r.kind)) && value >= r.min - tol - 1e-9 && value <= r.max + tol + 1e-9);
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
  if (n.kind === 'month' || n.kind === 'day' || n.kind === 'ordinal') return false;
  const r = n.readings[0]!;
  if (r.min !== r.max) return false;
  const significant = String(Math.abs(r.min)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return significant.length >= 2;
}

function trim(v: number): string {
  return String(Number(v.toPrecision(12)));
}

function formatNumber(v: number): string {
  return Number(v.toPrecision(12)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
