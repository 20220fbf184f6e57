/** Negation check: a rewrite that adds or loses a "not" says the opposite. */
import type { Finding } from '../core/types.js';
import { findNegations, type NegationFact } from '../core/facts.js';
import type { Check } from './types.js';

function countByCue(list: readonly NegationFact[]): Map<string, NegationFact[]> {
  const by = new Map<string, NegationFact[]>();
  for (const n of list) by.set(n.cue, [...(by.get(n.cue) ?? []), n]);
  return by;
}

/** The cues of `more` that outnumber the same cue in `fewer`: where the change most likely is. */
function surplus(more: readonly NegationFact[], fewer: readonly NegationFact[]): NegationFact[] {
  const other = countByCue(fewer);
  return [...countByCue(more)].flatMap(([cue, list]) => (list.length > (other.get(cue)?.length ?? 0) ? list : []));
}

const quoted = (list: NegationFact[]): string => [...new Set(list.map((n) => `"${n.text}"`))].join(', ');

export const negationCheck: Check = {
  id: 'negation',
  name: 'Negation',
  description: 'Warns when the rewrite has more or fewer negations (not, no, never, without…) than the paragraph.',
  run(before, after) {
    const b = findNegations(before);
    const a = findNegations(after);
    if (a.length === b.length) return [];
    const added = a.length > b.length;
    const where = added ? surplus(a, b) : surplus(b, a);
    const finding: Finding = {
      check: 'negation',
      severity: 'warning',
      message: added
        ? `Negation added: ${quoted(where)} (${b.length} in the paragraph, ${a.length} in the rewrite)`
        : `Negation removed: ${quoted(where)} (${b.length} in the paragraph, ${a.length} in the rewrite)`,
      beforeSpans: added ? [] : where.map((n) => n.span),
      afterSpans: added ? where.map((n) => n.span) : [],
    };
    return [finding];
  },
};
