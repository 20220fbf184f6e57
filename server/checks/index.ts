/** The fact guard: every check a rewrite goes through, in the order editors read their findings. */
import type { Finding } from '../core/types.js';
import { hasMarkers, mapSpan, stripForChecks, type StrippedText } from '../core/codeText.js';
import { stripMarkers } from '../core/inlineCodes.js';
import { additionCheck } from './addition.js';
import { codesCheck } from './codes.js';
import { glossaryCheck } from './glossary.js';
import { lengthCheck } from './length.js';
import { namesCheck } from './names.js';
import { negationCheck } from './negation.js';
import { notRewriteCheck } from './notRewrite.js';
import { numbersCheck } from './numbers.js';
import { quotesCheck } from './quotes.js';
import type { Check, CheckContext } from './types.js';

export const factChecks: Check[] = [codesCheck, notRewriteCheck, numbersCheck, namesCheck, quotesCheck, negationCheck, additionCheck, glossaryCheck, lengthCheck];

/** Texts with inline-code markers: the checks that do not read codes see them stripped. */
interface Stripped {
  before: StrippedText;
  after: StrippedText;
  ctx: CheckContext;
}

function stripped(before: string, after: string, ctx: CheckContext): Stripped | undefined {
  if (!hasMarkers(before) && !hasMarkers(after) && !(ctx.source && hasMarkers(ctx.source))) return undefined;
  return { before: stripForChecks(before), after: stripForChecks(after), ctx: ctx.source ? { ...ctx, source: stripMarkers(ctx.source) } : ctx };
}

function runOne(check: Check, before: string, after: string, ctx: CheckContext, s: Stripped | undefined): Finding[] {
  if (!s || check.seesCodes) return check.run(before, after, ctx);
  return check.run(s.before.text, s.after.text, s.ctx).map((f) => ({
    ...f,
    beforeSpans: f.beforeSpans.map((x) => mapSpan(s.before, x)),
    afterSpans: f.afterSpans.map((x) => mapSpan(s.after, x)),
  }));
}

/**
 * Runs the checks on a rewrite; findings come grouped by check, in the checks' order. A check that
 * throws is skipped: a bug in one check must not cost the editor the suggestion or the other findings.
 */
export function runChecks(before: string, after: string, ctx: CheckContext = {}, checks: Check[] = factChecks): Finding[] {
  const findings: Finding[] = [];
  const s = stripped(before, after, ctx);
  for (const check of checks) {
    try {
      findings.push(...runOne(check, before, after, ctx, s));
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
