/**
 * Numbers check: every number of the MT must be one the Chinese source has, compared by value
 * (2927亿 = 292.7 billion, 三成 = 30%, 九二共识 = 1992). An MT number the source lacks is a major
 * flag; when it is a source number times a power of ten (亿 read as billion, 万 as million) the flag
 * carries the corrected figure. A hedged source number (约300, 近5亿, 30多) is matched by the figure
 * written, not by anything near it: "nearly 600 million" for 近5亿 is wrong. A range (400万至600万)
 * is matched end by end, in order; a day next to an English month name must be one of the
 * source's days. A non-trivial source number the MT lacks is a minor point flag, unless an
 * unsupported MT number is its likely rendering (then that flag names it) or the MT repeats a
 * figure where the source has it (then the repeat is flagged). Sources in other languages are left
 * alone.
 */
import type { NumberFact } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import { extractZhNumbers, type ZhNumber } from '../../core/zhNumbers.js';
import { datePart, mtFacts, sharedScale } from './numberFacts.js';
import { findMisreading, isDigitWritten, likelyRendering, matchesValue, worthReporting, type Unsupported } from './numberMatch.js';
import { rangeFlags, repeatFlags } from './numberRanges.js';
import { formatNumber, hint, NUMBERS_CHECK_ID as ID, restyle, scaleNote, spelledOut } from './numberWording.js';
import type { MtCheck } from './types.js';

const HAN = /\p{Script=Han}/u;
/** 今年, 去年: the MT may write the year the source only implies. */
const RELATIVE_YEAR = /[今去明前当同本上下]年/;
/** "last year", "this year": the MT may leave implied a year the source writes out. */
const RELATIVE_YEAR_EN = /\b(?:this|last|next|that|the same|the previous|the following|the current|the past) year\b/i;
/**
 * "COVID-19", "F-16", "Su-27", "under-18": a number hyphenated to a word is part of a name or a
 * label, not an amount — except after the prefixes of time and rank ("post-90s", "pre-2019",
 * "mid-2023", "top-10"), which keep the number.
 */
const DESIGNATION = /(?:^|[^A-Za-z])([A-Za-z]+)[-‐]$/;
const AMOUNT_PREFIX = /^(?:post|pre|mid|top|late|early)$/i;
/** Designations whose number is fixed whatever the source says: 新冠 is COVID-19. */
const FIXED_DESIGNATIONS: Record<string, number> = { covid: 19 };

const DOZEN = /\ba dozen\b/i;

export const mtNumbersCheck: MtCheck = {
  id: ID,
  name: 'Numbers',
  description: 'Numbers in the MT that the Chinese source does not have (e.g. 亿 read as billion), and source numbers the MT lacks.',
  version: 3,
  run(mt, source) {
    if (!source || !HAN.test(source)) return [];
    const sourceNumbers = extractZhNumbers(source);
    const used = new Set<ZhNumber>();
    /** Source numbers an MT figure stands for — not merely a loose "first" or "two". */
    const placed = new Set<ZhNumber>();
    const flags: MtFlag[] = [];
    const unsupported: Unsupported[] = [];
    const facts = mtFacts(mt);
    /** The source numbers each MT number may stand for (designations left out). */
    const matchesOf = new Map<NumberFact, ZhNumber[]>();
    for (const fact of facts) {
      const shared = sharedScale(mt, fact);
      const values = shared ? [fact.value, fact.value * shared] : [fact.value];
      const part = datePart(mt, fact);
      const partOf = part && sourceNumbers.some((n) => n.kind === part) ? part : undefined;
      const matches = sourceNumbers.filter((n) => (!partOf || n.kind === partOf) && values.some((v) => matchesValue(n, v, fact)));
      const hyphenated = DESIGNATION.exec(mt.slice(Math.max(0, fact.span[0] - 24), fact.span[0]))?.[1];
      const designation = hyphenated && !AMOUNT_PREFIX.test(hyphenated) ? hyphenated : undefined;
      if (!designation) matchesOf.set(fact, matches);
      if (fact.weak) continue;
      for (const n of matches) used.add(n);
      if (isDigitWritten(fact) || fact.value > 10) for (const n of matches) placed.add(n);
      if (designation) {
        const fixed = FIXED_DESIGNATIONS[designation.toLowerCase()];
        if (fixed !== undefined && fact.value !== fixed) {
          flags.push({
            start: fact.span[0],
            end: fact.span[1],
            kind: 'number',
            severity: 'major',
            message: `MT: ${designation}-${fact.text} — the name is ${designation}-${fixed}`,
            check: ID,
            fix: String(fixed),
          });
        }
        continue;
      }
      if (matches.length > 0) {
        const pointsOnly = (fact.kind === 'percent') && matches.every((n) => n.kind === 'points');
        if (pointsOnly) {
          flags.push({
            start: fact.span[0],
            end: fact.span[1],
            kind: 'number',
            severity: 'minor',
            message: `MT: ${fact.text} — the source has percentage points (${matches[0]!.text}), not per cent`,
            check: ID,
            sourceSpans: [matches[0]!.span],
          });
        }
        continue;
      }
      if (!isDigitWritten(fact) && fact.value <= 10) continue;
      if (fact.kind === 'year' && RELATIVE_YEAR.test(source)) continue;
      const misread = findMisreading(sourceNumbers, fact.value);
      if (misread) {
        used.add(misread.source);
        placed.add(misread.source);
        flags.push({
          start: fact.span[0],
          end: fact.span[1],
          kind: 'number',
          severity: 'major',
          message: `source: ${misread.source.text} = ${formatNumber(misread.source.value)}; MT: ${fact.text} (${scaleNote(fact.value / misread.source.value, misread.source.text, fact.text)})`,
          check: ID,
          sourceSpans: [misread.source.span],
          fix: restyle(fact, misread.source.value),
        });
        continue;
      }
      const sameParts = partOf ? sourceNumbers.filter((n) => n.kind === partOf) : [];
      const flag: MtFlag = {
        start: fact.span[0],
        end: fact.span[1],
        kind: 'number',
        severity: 'major',
        message: partOf
          ? `MT: ${fact.text} as a ${partOf} — the source has no such ${partOf} (source: ${sameParts.slice(0, 4).map((n) => n.text).join(', ')})`
          : `MT: ${fact.text} — the source has no such number${hint(sourceNumbers)}`,
        check: ID,
      };
      flags.push(flag);
      unsupported.push({ flag, fact });
    }
    flags.push(...rangeFlags(mt, facts, sourceNumbers, flags));
    flags.push(...repeatFlags(facts, matchesOf, sourceNumbers, placed, used, flags));
    // "a dozen" is 十二 the English way; extractNumbers does not read it.
    if (DOZEN.test(mt)) for (const n of sourceNumbers) if (n.value === 12) used.add(n);
    for (const n of sourceNumbers) {
      if (used.has(n) || !worthReporting(n)) continue;
      if (n.kind === 'year' && RELATIVE_YEAR_EN.test(mt)) continue;
      // 33.06万 missing and "336,000" unsupported: one error, said once, on the MT figure.
      const rendering = likelyRendering(n, unsupported);
      if (rendering) {
        unsupported.splice(unsupported.indexOf(rendering), 1);
        rendering.flag.message = `MT: ${rendering.fact.text} — the source has ${n.text}${spelledOut(n)}`;
        rendering.flag.sourceSpans = [n.span];
        continue;
      }
      flags.push({
        start: mt.length,
        end: mt.length,
        kind: 'number',
        severity: 'minor',
        message: `source number missing from the MT: ${n.text}${spelledOut(n)}`,
        check: ID,
        sourceSpans: [n.span],
      });
    }
    return flags.sort((a, b) => a.start - b.start);
  },
};
