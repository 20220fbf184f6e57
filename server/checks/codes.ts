/**
 * Inline codes check: a rewrite keeps every inline code (⟦n⟧, ⟦/n⟧ placeholders of an imported
 * file's tags, see core/inlineCodes.ts) of the text it rewrites, each exactly once, pairs nested and
 * in the original order. A lost, duplicated, invented, unpaired, crossed or reordered code is a
 * warning, with the markers concerned marked on both sides; an export needs every code back.
 */
import { codeProblems, markerSpans } from '../core/codeText.js';
import { markersOf } from '../core/inlineCodes.js';
import type { Finding } from '../core/types.js';
import type { Check } from './types.js';

export const codesCheck: Check = {
  id: 'codes',
  name: 'Inline codes',
  description: 'The rewrite keeps every inline code (tags, placeholders) of the original once, paired and in order.',
  seesCodes: true,
  run(before, after, ctx) {
    const findings: Finding[] = [];
    for (const p of codeProblems(ctx.codes, before, after)) {
      const message = p.kind === 'reordered' ? 'The inline codes are in a different order than in the original.' : `Inline ${p.message}.`;
      // The marker the problem is about (its first in the message: ⟦1⟧ or ⟦/1⟧); every marker for a reorder.
      const marker = p.kind === 'reordered' ? undefined : /⟦\/?\d{1,4}⟧/.exec(p.message)?.[0];
      const at = (text: string) => (marker ? markersOf(text).filter((m) => text.slice(m.start, m.end) === marker).map((m) => [m.start, m.end] as [number, number]) : markerSpans(text, 0));
      findings.push({
        check: 'codes',
        severity: 'warning',
        message,
        beforeSpans: p.kind === 'invented' ? [] : at(before),
        afterSpans: p.kind === 'lost' ? [] : at(after),
      });
    }
    return findings;
  },
};
