/**
 * The fixes the source proves: MT-check flags that carry a replacement (`fix`), e.g. "2927 billion
 * yuan" where the source says 2927亿 (292.7 billion). The offline engine applies them before its
 * cleanup; the suggestion then goes through the fact guard like any other.
 */
import type { MtFlag } from '../core/types.js';

/** Kinds whose fixes are certain enough to propose without a person asking: numbers read from the source. */
const PROVEN: ReadonlySet<MtFlag['kind']> = new Set(['number']);

export function applySourceFixes(text: string, flags: readonly MtFlag[] = []): string {
  const fixes = flags
    .filter((f) => f.fix !== undefined && PROVEN.has(f.kind) && f.end > f.start && f.end <= text.length)
    .sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const f of fixes) {
    // Overlapping fixes: keep the later one only (right to left, so earlier offsets stay valid).
    if (f.end > limit) continue;
    out = out.slice(0, f.start) + f.fix! + out.slice(f.end);
    limit = f.start;
  }
  return out;
}
