/**
 * How likely a paragraph's MT needs a human, in [0, 1], from its MT flags. Each flag is independent
 * evidence: risk = 1 − Π(1 − wᵢ). A major accuracy flag (number, name, omission, untranslated) alone
 * makes a paragraph risky; minor flags add up slowly, so a paragraph with one style-level doubt stays
 * "likely fine".
 */
import type { MtFlag, MtFlagKind } from './types.js';

const MAJOR: Record<MtFlagKind, number> = {
  number: 0.7, magnitude: 0.6, name: 0.6, untranslated: 0.7, omission: 0.6, length: 0.4, term: 0.4, llm: 0.5,
};
const MINOR = 0.12;

/** Below this a paragraph is "likely fine": no major flag, at most one minor one. */
export const LIKELY_FINE = 0.2;

export function paragraphRisk(flags: readonly MtFlag[]): number {
  let keep = 1;
  for (const f of flags) keep *= 1 - (f.severity === 'major' ? MAJOR[f.kind] ?? 0.5 : MINOR);
  return Math.round((1 - keep) * 1000) / 1000;
}

export type RiskBand = 'high' | 'medium' | 'fine';

export function riskBand(risk: number): RiskBand {
  if (risk >= 0.5) return 'high';
  return risk >= LIKELY_FINE ? 'medium' : 'fine';
}
