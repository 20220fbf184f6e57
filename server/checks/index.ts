/** The fact guard: every check a rewrite goes through, in the order editors read their findings. */
import type { Finding } from '../core/types.js';
import { additionCheck } from './addition.js';
import { glossaryCheck } from './glossary.js';
import { lengthCheck } from './length.js';
import { namesCheck } from './names.js';
import { negationCheck } from './negation.js';
import { notRewriteCheck } from './notRewrite.js';
import { numbersCheck } from './numbers.js';
import { quotesCheck } from './quotes.js';
import type { Check, CheckContext } from './types.js';

export const factChecks: Check[] = [notRewriteCheck, numbersCheck, namesCheck, quotesCheck, negationCheck, additionCheck, glossaryCheck, lengthCheck];

/**
 * Runs the checks on a rewrite; findings come grouped by check, in the checks' order. A check that
 * throws is skipped: a bug in one check must not cost the editor the suggestion or the other findings.
 */
export function runChecks(before: string, after: string, ctx: CheckContext = {}, checks: Check[] = factChecks): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      findings.push(...check.run(before, after, ctx));
    } catch {
      // Deliberately swallowed, see above.
    }
  }
  const order = new Map(checks.map((c, i) => [c.id, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((x, y) => (order.get(x.f.check) ?? checks.length) - (order.get(y.f.check) ?? checks.length) || x.i - y.i)
    .map(({ f }) => f);
}
