/** The MT checks, in the order editors read their flags, and the runner. */
import { hasMarkers, mapSpan, stripForChecks } from '../../core/codeText.js';
import type { MtFlag } from '../../core/types.js';
import { lengthCheck } from './length.js';
import { magnitudeCheck } from './magnitude.js';
import { mtNamesCheck } from './names.js';
import { mtNumbersCheck } from './numbers.js';
import { omissionCheck } from './omission.js';
import { mtTermCheck } from './term.js';
import type { MtCheck, MtCheckContext } from './types.js';
import { untranslatedCheck } from './untranslated.js';

export const mtChecks: MtCheck[] = [mtNumbersCheck, magnitudeCheck, mtNamesCheck, untranslatedCheck, omissionCheck, lengthCheck, mtTermCheck];

/** Changes whenever a check's answers may change: stored flags made under another version are stale. */
export const MT_CHECKS_VERSION = mtChecks.map((c) => `${c.id}@${c.version}`).join(',');

/**
 * Runs every MT check on one paragraph; flags come sorted by position in the MT, majors first at the
 * same place. A check that throws is skipped: a bug in one check must not cost the editor the others.
 */
export function runMtChecks(mt: string, source: string | undefined, ctx: MtCheckContext = {}, checks: MtCheck[] = mtChecks): MtFlag[] {
  // Inline-code markers (⟦1⟧, ⟦/1⟧) are neither words nor numbers: the checks see the texts without
  // them, and the flags' offsets are mapped back onto the texts with markers.
  if (hasMarkers(mt) || (source !== undefined && hasMarkers(source))) {
    const m = stripForChecks(mt);
    const s = source === undefined ? undefined : stripForChecks(source);
    return runMtChecks(m.text, s?.text, ctx, checks).map((f) => {
      const [start, end] = mapSpan(m, [f.start, f.end]);
      return { ...f, start, end, ...(f.sourceSpans && s ? { sourceSpans: f.sourceSpans.map((x) => mapSpan(s, x)) } : {}) };
    });
  }
  const flags: MtFlag[] = [];
  for (const check of checks) {
    try {
      flags.push(...check.run(mt, source, ctx));
    } catch {
      // Deliberately swallowed, see above.
    }
  }
  return flags.sort((a, b) => a.start - b.start || (a.severity === b.severity ? 0 : a.severity === 'major' ? -1 : 1) || a.end - b.end);
}
