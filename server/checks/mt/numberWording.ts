/**
 * How the numbers check words its flags: the check's id, the source's amounts as a hint, the scale
 * a misread figure was read with, and the source value written the way the MT wrote its figure.
 */
import type { NumberFact } from '../../core/facts.js';
import type { ZhNumber } from '../../core/zhNumbers.js';

export const NUMBERS_CHECK_ID = 'mt-numbers';

const ZH_NUMERAL = /[〇零一二两三四五六七八九十百千万亿]/;
const ENGLISH_SCALES: Array<[string, number]> = [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]];

/** The source's amounts (not its dates or ordinals) for the message, four at most. */
export function hint(sources: ZhNumber[]): string {
  const amounts = sources.filter((n) => n.kind === 'number' || n.kind === 'percent' || n.kind === 'points' || n.kind === 'multiple');
  const shown = (amounts.length ? amounts : sources).slice(0, 4);
  return shown.length ? ` (source: ${shown.map((n) => n.text).join(', ')})` : '';
}

/** " = 330,600" after a number the source writes in Chinese numerals, for messages. */
export function spelledOut(n: ZhNumber): string {
  return ZH_NUMERAL.test(n.text) && n.kind === 'number' ? ` = ${formatNumber(n.value)}` : '';
}

export function scaleNote(ratio: number, zh: string, en: string): string {
  const times = ratio >= 1 ? `×${formatNumber(Math.round(ratio))}` : `÷${formatNumber(Math.round(1 / ratio))}`;
  const zhScale = /万亿/.test(zh) ? '万亿' : /亿/.test(zh) ? '亿' : /万/.test(zh) ? '万' : undefined;
  const enScale = /trillion/i.test(en) ? 'trillion' : /billion/i.test(en) ? 'billion' : /million/i.test(en) ? 'million' : undefined;
  return zhScale && enScale ? `${times}: ${zhScale} read as ${enScale}?` : `${times}: scale misread?`;
}

/** The source value written the way the MT wrote its figure: "292.7 billion yuan", "330,600". */
export function restyle(fact: NumberFact, value: number): string {
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

function trim(v: number): string {
  return String(Number(v.toPrecision(12)));
}

export function formatNumber(v: number): string {
  return Number(v.toPrecision(12)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
