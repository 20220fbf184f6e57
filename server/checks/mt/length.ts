/**
 * Length check: an MT far shorter (or far longer) than its source warrants, measured against the
 * article's own English-per-source-character ratio (a typical zh→en ratio when the article has
 * none). Much too short hints at dropped content; much too long at added content.
 */
import type { MtFlag } from '../../core/types.js';
import type { MtCheck } from './types.js';

const ID = 'mt-length';
/** Median English characters per non-space source character, measured on WMT23 zh→en news MT. */
export const TYPICAL_ZH_EN_RATIO = 3.8;
/** Sources shorter than this (non-space characters) say too little for a ratio. */
const MIN_SOURCE = 12;
/** Shares of the expected length below which the MT is too short: [minor, major]. */
const SHORT: readonly [number, number] = [0.55, 0.4];
/** Headlines are terse: only an extreme ratio counts, and never "too long". */
const HEADING_SHORT: readonly [number, number] = [0.3, 0.2];
/** Share above which the MT is too long (minor). */
const LONG = 2.2;

export const lengthCheck: MtCheck = {
  id: ID,
  name: 'Length',
  description: 'An MT much shorter or longer than its source warrants: content dropped or added.',
  version: 1,
  run(mt, source, ctx) {
    if (!source || !mt.trim()) return [];
    const sourceChars = source.replace(/\s+/gu, '').length;
    if (sourceChars < MIN_SOURCE) return [];
    const expected = sourceChars * (ctx.articleLengthRatio ?? TYPICAL_ZH_EN_RATIO);
    const share = mt.trim().length / expected;
    const heading = ctx.kind === 'heading';
    const [short, veryShort] = heading ? HEADING_SHORT : SHORT;
    let severity: MtFlag['severity'];
    let message: string;
    if (share < short) {
      severity = share < veryShort ? 'major' : 'minor';
      message = `MT is ${percent(share)} of the length the source suggests: something may be left out`;
    } else if (!heading && share > LONG) {
      severity = 'minor';
      message = `MT is ${percent(share)} of the length the source suggests: something may be added`;
    } else return [];
    return [{ start: 0, end: mt.length, kind: 'length', severity, message, check: ID, sourceSpans: [[0, source.length]] }];
  },
};

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
