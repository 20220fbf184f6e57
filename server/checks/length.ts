/** Length check: a rewrite far shorter or longer than its paragraph has lost or invented content. */
import type { Check } from './types.js';

const MIN_RATIO = 0.5;
const MAX_RATIO = 2;
/** Headings and fragments change length a lot with a single word: not worth a warning. */
const MIN_CHARS = 20;

export const lengthCheck: Check = {
  id: 'length',
  name: 'Length',
  description: `Warns when the rewrite is less than ${MIN_RATIO}× or more than ${MAX_RATIO}× the paragraph's length.`,
  run(before, after) {
    const b = before.trim().length;
    const a = after.trim().length;
    if (b < MIN_CHARS) return [];
    const ratio = a / b;
    if (ratio >= MIN_RATIO && ratio <= MAX_RATIO) return [];
    const how = ratio < MIN_RATIO ? 'shorter' : 'longer';
    return [{
      check: 'length',
      severity: 'warning',
      message: `Rewrite is much ${how}: ${a} characters for ${b} (${ratio.toFixed(2)}×)`,
      beforeSpans: [],
      afterSpans: [],
    }];
  },
};
