/**
 * Magnitude check: money amounts no economy has, the mark of a misread Chinese scale. 2927亿 is
 * 292.7 billion, but MT often writes "2927 billion"; 1500万 is 15 million, not "1500 million". An
 * amount of a thousand billion or more (or an unseparated thousand-plus million) is flagged. With a
 * Chinese source the numbers check compares values and says more, so this check stays silent there.
 */
import { extractNumbers } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import type { MtCheck } from './types.js';

const ID = 'mt-magnitude';
const HAN = /\p{Script=Han}/u;
/** "2927 billion", "1500 million": the written digits before the scale word. */
const SCALED = /(\d[\d,]*)(\.\d+)?[\s\u00a0-]*(billion|million)\b/i;

/** The Chinese scale a misread figure most likely had, and how many times too large it became. */
const MISREAD: Record<string, { zh: string; divisor: number }> = {
  billion: { zh: '亿', divisor: 10 },
  million: { zh: '万', divisor: 100 },
};

export const magnitudeCheck: MtCheck = {
  id: ID,
  name: 'Implausible magnitude',
  description: 'Money amounts like "2927 billion yuan" that come from reading 亿 as billion or 万 as million.',
  version: 1,
  run(mt, source) {
    if (source !== undefined && HAN.test(source)) return [];
    const flags: MtFlag[] = [];
    for (const fact of extractNumbers(mt)) {
      if (fact.kind !== 'money') continue;
      const m = SCALED.exec(fact.text);
      if (!m) continue;
      const [, digits, decimals, scaleWord] = m;
      const scale = scaleWord!.toLowerCase();
      const whole = digits!.replace(/,/g, '');
      if (whole.length < 4) continue;
      // "1,500 million" is a house style; "1500 million" is a misread 1500万.
      if (scale === 'million' && digits!.includes(',')) continue;
      const { zh, divisor } = MISREAD[scale]!;
      const corrected = formatPlain(Number(whole + (decimals ?? '')) / divisor);
      const rest = fact.text.slice(m.index + m[0].length);
      flags.push({
        start: fact.span[0],
        end: fact.span[1],
        kind: 'magnitude',
        severity: 'major',
        message: `"${fact.text}" is implausible — ${whole}${decimals ?? ''}${zh} would be ${fact.text.slice(0, m.index)}${corrected} ${scale}${rest}`,
        check: ID,
      });
    }
    return flags;
  },
};

/** 292.7, 15, 0.35 — no float noise, no exponent. */
export function formatPlain(value: number): string {
  return String(Number(value.toPrecision(12)));
}
