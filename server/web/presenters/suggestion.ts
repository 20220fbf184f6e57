/** A paragraph's suggestion as the API and the pages show it, and whether it is still open. */
import type { Paragraph, Suggestion } from '../../core/types.js';

export function presentSuggestion(s: Suggestion) {
  return {
    id: s.id,
    text: s.text,
    engine: s.engine,
    model: s.model,
    checks: s.checks,
    createdAt: s.createdAt,
    ...(s.level ? { level: s.level } : {}),
    ...(s.usage ? { usage: s.usage } : {}),
    ...(s.examples ? { examples: s.examples } : {}),
  };
}

/** A suggestion still waiting for the editor's decision on the paragraph's current text. */
export function openSuggestion(p: Paragraph): Suggestion | undefined {
  const s = p.suggestion;
  if (!s || p.status === 'deleted') return undefined;
  // A rejected paragraph shows only a suggestion asked for after the rejection (older data: none).
  if (p.status === 'rejected' && (p.rejectedSuggestion === undefined || p.rejectedSuggestion === s.id)) return undefined;
  if (s.basedOn !== p.text || s.text === p.text) return undefined;
  return s;
}
