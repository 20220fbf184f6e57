/** Numbers check: every number of the paragraph must survive the rewrite, however it is written. */
import type { Finding } from '../core/types.js';
import { comparableNumbers, extractNumbers, sameNumber, type NumberFact } from '../core/facts.js';
import type { Check } from './types.js';

/**
 * Pairs equal numbers of both sides as multisets, exact kind and unit first so that "2014" pairs with
 * the year rather than with "2014 yuan". Returns what is left on each side.
 */
export function unmatchedNumbers(before: NumberFact[], after: NumberFact[]): { dropped: NumberFact[]; added: NumberFact[] } {
  const left = [...after];
  const dropped: NumberFact[] = [];
  const pending: NumberFact[] = [];
  for (const b of before) {
    const i = left.findIndex((a) => sameNumber(a, b) && a.kind === b.kind && a.unit === b.unit);
    if (i >= 0) left.splice(i, 1);
    else pending.push(b);
  }
  for (const b of pending) {
    const i = left.findIndex((a) => sameNumber(a, b));
    if (i >= 0) left.splice(i, 1);
    else dropped.push(b);
  }
  return { dropped, added: left };
}

export const numbersCheck: Check = {
  id: 'numbers',
  name: 'Numbers',
  description: 'Warns when a number, amount, percentage or date of the paragraph is missing from the rewrite, or a new one appears.',
  run(before, after) {
    const { dropped, added } = unmatchedNumbers(extractNumbers(before), extractNumbers(after));
    const findings: Finding[] = [];
    const finding = (message: string, b: NumberFact[], a: NumberFact[]): Finding => ({
      check: 'numbers',
      severity: 'warning',
      message,
      beforeSpans: b.map((n) => n.span),
      afterSpans: a.map((n) => n.span),
    });
    for (const b of dropped) {
      const i = b.weak ? -1 : added.findIndex((a) => !a.weak && comparableNumbers(a, b));
      const a = i >= 0 ? added.splice(i, 1)[0] : undefined;
      if (a) findings.push(finding(`Number changed: "${b.text}" → "${a.text}"`, [b], [a]));
      else if (!b.weak) findings.push(finding(`Number dropped: "${b.text}"`, [b], []));
    }
    for (const a of added) if (!a.weak) findings.push(finding(`Number added: "${a.text}"`, [], [a]));
    return findings;
  },
};
