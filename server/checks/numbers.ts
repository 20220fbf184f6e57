/** Numbers check: every number of the paragraph must survive the rewrite, however it is written. */
import type { Finding } from '../core/types.js';
import { comparableNumbers, extractNumbers, sameNumber, type NumberFact } from '../core/facts.js';
import type { Check } from './types.js';

/**
 * Pairs equal numbers of both sides as multisets, exact kind and unit first so that "2014" pairs with
 * the year rather than with "2014 yuan". Returns what is left on each side.
 */
export function unmatchedNumbers(before: readonly NumberFact[], after: readonly NumberFact[]): { dropped: NumberFact[]; added: NumberFact[] } {
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
  run(before, after, ctx) {
    const { dropped, added } = unmatchedNumbers(extractNumbers(before), extractNumbers(after));
    const source = ctx.source ? extractNumbers(ctx.source) : [];
    const inSource = (n: NumberFact) => source.some((s) => sameNumber(s, n));
    const findings: Finding[] = [];
    const finding = (message: string, b: NumberFact[], a: NumberFact[]): Finding => ({
      check: 'numbers',
      severity: 'warning',
      message,
      beforeSpans: b.map((n) => n.span),
      afterSpans: a.map((n) => n.span),
    });
    // The MT may have got a number wrong ("2927亿" as "2927 billion"): a rewrite that restores the
    // source's number is a fix, worth a look but not an alarm.
    const fixed = (f: Finding): Finding => ({ ...f, severity: 'info', message: `${f.message} (as in the source)` });
    for (const b of dropped) {
      const i = b.weak ? -1 : added.findIndex((a) => !a.weak && comparableNumbers(a, b));
      const a = i >= 0 ? added.splice(i, 1)[0] : undefined;
      if (a) {
        const f = finding(`Number changed: "${b.text}" → "${a.text}"`, [b], [a]);
        findings.push(inSource(a) && !inSource(b) ? fixed(f) : f);
      } else if (!b.weak) {
        findings.push(finding(`Number dropped: "${b.text}"`, [b], []));
      }
    }
    for (const a of added) {
      if (a.weak) continue;
      const f = finding(`Number added: "${a.text}"`, [], [a]);
      findings.push(inSource(a) ? fixed(f) : f);
    }
    return findings;
  },
};
